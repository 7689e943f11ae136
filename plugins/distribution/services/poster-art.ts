import QRCode from 'qrcode';
import { fenToYuanString } from '../../../core/common/money.js';

/**
 * The share poster as an SVG document (rasterised to PNG by sharp/librsvg in PosterService).
 * Everything here is pure: the same input gives the same bytes, so the PNG can be cached by a hash
 * of the input. Images arrive as data: URIs of PNGs (or null for a placeholder); text is escaped.
 */

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1260;
const FONT = 'Noto Sans CJK SC, Noto Sans SC, sans-serif';

export interface PosterTexts {
  /** Under the distributor's name: "为你推荐一件好物" / "邀请你逛逛我的小店". */
  recommend: string;
  /** Next to the QR code. */
  scan: string;
  official: string;
  /** Shop posters: "店内 N 件精选好物". */
  shopCount: string;
  /** Word before a struck original price ("原价"). */
  original: string;
  /** "起" after a price that varies by variant. */
  from: string;
}

export interface PosterInput {
  kind: 'product' | 'shop';
  texts: PosterTexts;
  brand: string;
  colors: { primary: string; accent: string };
  distributor: { name: string; avatar: string | null };
  /** What the QR code opens. */
  url: string;
  product?: { title: string; price: number; originalPrice: number | null; from: boolean; image: string | null };
  shop?: { name: string; items: Array<{ image: string | null; price: number }> };
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string)
    // characters XML 1.0 does not allow would make the whole document unreadable
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

/** Approximate advance of one character in em for Noto Sans CJK (CJK is square, Latin proportional). */
function charEm(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x2e80 || (code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xffef)) return 1;
  if (ch === ' ') return 0.24;
  if (/[il.,:;'!|]/.test(ch)) return 0.28;
  if (/[A-Z]/.test(ch)) return 0.64;
  if (/[mwMW]/.test(ch)) return 0.82;
  if (/[0-9]/.test(ch)) return 0.56;
  return 0.53;
}

export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * size;
}

/** Cuts text to fit `max` px, ending with "…" when cut. */
export function fitText(text: string, size: number, max: number): string {
  if (textWidth(text, size) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, size) > max) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** Wraps text into at most `lines` lines of `max` px (Latin words are kept whole where possible); the last line ends with "…" if cut. */
export function wrapText(text: string, size: number, max: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest && out.length < lines) {
    if (out.length === lines - 1 || textWidth(rest, size) <= max) {
      out.push(fitText(rest, size, max));
      break;
    }
    let cut = 0;
    let width = 0;
    const chars = [...rest];
    while (cut < chars.length && width + charEm(chars[cut]) * size <= max) width += charEm(chars[cut++]) * size;
    cut = Math.max(1, cut);
    // prefer breaking at a space when the cut falls inside a Latin word
    const head = chars.slice(0, cut).join('');
    const space = head.lastIndexOf(' ');
    const midWord = /[A-Za-z0-9]/.test(chars[cut] ?? '') && /[A-Za-z0-9]$/.test(head);
    const line = midWord && space > head.length / 2 ? head.slice(0, space) : head;
    out.push(line.trimEnd());
    rest = rest.slice(line.length).trimStart();
  }
  return out;
}

function qrPath(url: string): { size: number; d: string } {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  let d = '';
  for (let r = 0; r < size; r++) {
    let c = 0;
    while (c < size) {
      if (!data[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && data[r * size + c]) c++;
      d += `M${start} ${r}h${c - start}v1h-${c - start}z`;
    }
  }
  return { size, d };
}

/** The QR code of `url` centred in a size × size square at (x, y), with a white quiet zone and whole-pixel modules. */
export function qrSvg(url: string, x: number, y: number, size: number): string {
  const { size: n, d } = qrPath(url);
  const quiet = 2;
  const total = n + quiet * 2;
  const scale = Math.max(1, Math.floor(size / total));
  const drawn = scale * total;
  const ox = Math.round(x + (size - drawn) / 2);
  const oy = Math.round(y + (size - drawn) / 2);
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#fff"/>`
    + `<svg x="${ox}" y="${oy}" width="${drawn}" height="${drawn}" viewBox="${-quiet} ${-quiet} ${total} ${total}" shape-rendering="crispEdges"><path d="${d}" fill="#1f2329"/></svg>`;
}

function image(href: string | null, x: number, y: number, w: number, h: number, r: number, id: string): string {
  const clip = `<clipPath id="${id}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}"/></clipPath>`;
  if (!href) {
    // the theme's placeholder: a soft grey tile with a picture outline
    const s = Math.min(w, h) * 0.22;
    const cx = x + w / 2;
    const cy = y + h / 2;
    return `${clip}<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="#f2f3f5"/>`
      + `<g fill="none" stroke="#c8c9cc" stroke-width="${(s / 12).toFixed(1)}" stroke-linecap="round" stroke-linejoin="round">`
      + `<rect x="${cx - s}" y="${cy - s * 0.8}" width="${s * 2}" height="${s * 1.6}" rx="${s * 0.18}"/>`
      + `<circle cx="${cx - s * 0.4}" cy="${cy - s * 0.25}" r="${s * 0.2}"/><path d="M${cx - s} ${cy + s * 0.5}l${s * 0.6} -${s * 0.55} ${s * 0.5} ${s * 0.4} ${s * 0.45} -${s * 0.35} ${s * 0.45} ${s * 0.5}"/></g>`;
  }
  return `${clip}<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="#f2f3f5"/><image href="${escapeXml(href)}" x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="xMidYMid slice" clip-path="url(#${id})"/>`;
}

function avatar(input: PosterInput, cx: number, cy: number, r: number): string {
  const ring = `<circle cx="${cx}" cy="${cy}" r="${r + 4}" fill="#fff" fill-opacity=".85"/>`;
  if (input.distributor.avatar) {
    return `${ring}<clipPath id="avatar"><circle cx="${cx}" cy="${cy}" r="${r}"/></clipPath><image href="${escapeXml(input.distributor.avatar)}" x="${cx - r}" y="${cy - r}" width="${r * 2}" height="${r * 2}" preserveAspectRatio="xMidYMid slice" clip-path="url(#avatar)"/>`;
  }
  const initial = [...input.distributor.name.trim()][0] ?? '我';
  return `${ring}<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff"/><text x="${cx}" y="${cy + r * 0.36}" font-family="${FONT}" font-size="${r}" font-weight="700" fill="${input.colors.primary}" text-anchor="middle">${escapeXml(initial)}</text>`;
}

/** ¥59.00 in the brand colour: small sign and decimals, big whole part; returns the markup and its width. */
function price(fen: number, x: number, y: number, big: number, color: string, suffix = ''): { svg: string; width: number } {
  const [whole, cents] = fenToYuanString(fen).split('.');
  const small = Math.round(big * 0.56);
  const width = textWidth('¥', small) + 2 + textWidth(whole, big) + textWidth(`.${cents}`, small) + (suffix ? textWidth(suffix, small * 0.8) + 4 : 0);
  const svg = `<text x="${x}" y="${y}" font-family="${FONT}" font-weight="700" fill="${color}"><tspan font-size="${small}">¥</tspan><tspan font-size="${big}" dx="2">${whole}</tspan><tspan font-size="${small}">.${cents}</tspan>${suffix ? `<tspan font-size="${Math.round(small * 0.8)}" font-weight="400" dx="4">${escapeXml(suffix)}</tspan>` : ''}</text>`;
  return { svg, width };
}

export function posterSvg(input: PosterInput): string {
  const W = POSTER_WIDTH;
  const H = POSTER_HEIGHT;
  const { primary, accent } = input.colors;
  const cardX = 32;
  const cardY = 150;
  const cardW = W - 64;
  const cardH = H - cardY - 32;
  const inner = cardX + 32;
  const innerW = cardW - 64;
  const parts: string[] = [];

  parts.push(`<defs><linearGradient id="band" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${primary}"/><stop offset="1" stop-color="${accent}"/></linearGradient>`
    + `<filter id="shadow" x="-10%" y="-10%" width="120%" height="120%"><feDropShadow dx="0" dy="8" stdDeviation="14" flood-color="#000" flood-opacity=".10"/></filter></defs>`);
  parts.push(`<rect width="${W}" height="${H}" fill="#f5f6f8"/><rect width="${W}" height="440" fill="url(#band)"/>`);
  parts.push(`<circle cx="${W - 40}" cy="10" r="150" fill="#fff" fill-opacity=".13"/><circle cx="${W - 190}" cy="118" r="58" fill="#fff" fill-opacity=".1"/><circle cx="${W - 120}" cy="150" r="20" fill="#fff" fill-opacity=".2"/>`);

  // who shares it
  parts.push(avatar(input, 86, 76, 42));
  parts.push(`<text x="150" y="68" font-family="${FONT}" font-size="32" font-weight="700" fill="#fff">${escapeXml(fitText(input.distributor.name, 32, 480))}</text>`);
  parts.push(`<text x="150" y="108" font-family="${FONT}" font-size="24" fill="#fff" fill-opacity=".92">${escapeXml(fitText(input.texts.recommend, 24, 480))}</text>`);

  parts.push(`<rect x="${cardX}" y="${cardY}" width="${cardW}" height="${cardH}" rx="28" fill="#fff" filter="url(#shadow)"/>`);

  if (input.kind === 'product' && input.product) {
    const p = input.product;
    parts.push(image(p.image, inner, cardY + 32, innerW, innerW, 18, 'product'));
    const priceY = cardY + 32 + innerW + 78;
    const pr = price(p.price, inner, priceY, 60, primary, p.from ? input.texts.from : '');
    parts.push(pr.svg);
    if (p.originalPrice !== null && p.originalPrice > p.price) {
      const text = `${input.texts.original} ¥${fenToYuanString(p.originalPrice)}`;
      const ox = inner + pr.width + 18;
      const ow = textWidth(text, 24);
      parts.push(`<text x="${ox}" y="${priceY - 4}" font-family="${FONT}" font-size="24" fill="#969799">${escapeXml(text)}</text>`);
      parts.push(`<path d="M${ox + textWidth(`${input.texts.original} `, 24)} ${priceY - 12}h${ow - textWidth(`${input.texts.original} `, 24)}" stroke="#969799" stroke-width="2"/>`);
    }
    wrapText(p.title, 32, innerW, 2).forEach((line, i) => {
      parts.push(`<text x="${inner}" y="${priceY + 60 + i * 46}" font-family="${FONT}" font-size="32" fill="#323233">${escapeXml(line)}</text>`);
    });
  } else if (input.shop) {
    const s = input.shop;
    parts.push(`<text x="${inner}" y="${cardY + 78}" font-family="${FONT}" font-size="38" font-weight="700" fill="#323233">${escapeXml(fitText(s.name, 38, innerW))}</text>`);
    parts.push(`<text x="${inner}" y="${cardY + 120}" font-family="${FONT}" font-size="24" fill="#969799">${escapeXml(fitText(input.texts.shopCount, 24, innerW))}</text>`);
    const gap = 16;
    const cell = (innerW - gap) / 2;
    const top = cardY + 148;
    for (let i = 0; i < 4; i++) {
      const item = s.items[i];
      const x = inner + (i % 2) * (cell + gap);
      const y = top + Math.floor(i / 2) * (cell + gap);
      parts.push(image(item?.image ?? null, x, y, cell, cell, 16, `cell${i}`));
      if (item) {
        const label = `¥${fenToYuanString(item.price)}`;
        const w = textWidth(label, 26) + 28;
        parts.push(`<rect x="${x + 12}" y="${y + cell - 56}" width="${w}" height="44" rx="22" fill="${primary}"/>`);
        parts.push(`<text x="${x + 26}" y="${y + cell - 25}" font-family="${FONT}" font-size="26" font-weight="700" fill="#fff">${escapeXml(label)}</text>`);
      }
    }
    parts.push(`<text x="${W / 2}" y="${top + cell * 2 + gap + 56}" font-family="${FONT}" font-size="24" fill="#969799" text-anchor="middle">${escapeXml(fitText(input.texts.official, 24, innerW))}</text>`);
  }

  // brand and QR code
  const footTop = cardY + cardH - 190;
  parts.push(`<path d="M${inner} ${footTop}h${innerW}" stroke="#ebedf0" stroke-width="2" stroke-dasharray="8 8"/>`);
  const qrSize = 150;
  const qrX = inner + innerW - qrSize;
  const qrY = footTop + 20;
  parts.push(qrSvg(input.url, qrX, qrY, qrSize));
  const textW = innerW - qrSize - 24;
  parts.push(`<rect x="${inner}" y="${footTop + 46}" width="8" height="30" rx="4" fill="${primary}"/>`);
  parts.push(`<text x="${inner + 20}" y="${footTop + 72}" font-family="${FONT}" font-size="30" font-weight="700" fill="#323233">${escapeXml(fitText(input.brand, 30, textW - 20))}</text>`);
  parts.push(`<text x="${inner}" y="${footTop + 118}" font-family="${FONT}" font-size="24" fill="#646566">${escapeXml(fitText(input.texts.scan, 24, textW))}</text>`);
  if (input.kind === 'product') parts.push(`<text x="${inner}" y="${footTop + 154}" font-family="${FONT}" font-size="22" fill="#969799">${escapeXml(fitText(input.texts.official, 22, textW))}</text>`);

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}
