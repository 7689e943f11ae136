import { sanitizeDescription } from '../../../core/catalog/sanitize.js';
import type { SourceImage, SourceItem } from '../model.js';
import { STANDARD_PROPERTY_NAMES, STANDARD_VALUE_NAMES } from '../sources/props.js';

/**
 * Source item → our product, independent of where the item came from. Pure: images stay references
 * (the import resolves them), categories stay Taobao ids (the import maps them).
 *
 * Limits come from the catalog (core/catalog/dto/product.dto.ts and the columns behind it): title 120,
 * subtitle 200, spec names 16 and values 32 characters, 3 spec dimensions, 200 variants, 15 images,
 * SKU codes 64, prices 1 fen … ¥1,000,000, and a description the database's TEXT column can hold.
 */
export const LIMITS = {
  title: 120,
  subtitle: 200,
  specName: 16,
  specValue: 32,
  specDimensions: 3,
  variants: 200,
  images: 15,
  skuCode: 64,
  maxFen: 100_000_000,
  maxStock: 10_000_000,
  /** MySQL TEXT holds 65,535 bytes; keep room for the catalog's own sanitising pass. */
  descriptionBytes: 60_000,
} as const;

export interface DraftVariant {
  specValues: string[];
  price: number;
  stock: number;
  skuCode?: string;
  image: SourceImage | null;
}

export interface ProductDraft {
  numId: string | null;
  outerId: string | null;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  specNames: string[];
  variants: DraftVariant[];
  images: SourceImage[];
  onSale: boolean | null;
  cid: string | null;
  sellerCids: string[];
  /** SKU codes of the variants (to find products imported before by SKU code). */
  skuCodes: string[];
}

export type MapResult = { ok: true; draft: ProductDraft; warnings: string[] } | { ok: false; reason: string; warnings: string[] };

/** "99.00" / "¥1,299.5" → fen. Null when it is not a price; `rounded` when it had more than two decimals. */
export function yuanToFen(text: string): { fen: number; rounded: boolean } | null {
  const t = text.trim().replace(/^[¥￥]\s*/, '').replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const frac = m[2] ?? '';
  let fen = Number(m[1]) * 100 + Number(`${frac}00`.slice(0, 2));
  let rounded = false;
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) {
    rounded = true;
    if (Number(frac[2]) >= 5) fen += 1;
  }
  return { fen, rounded };
}

function cleanText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function cut(s: string, max: number): string {
  return [...s].slice(0, max).join('');
}

/** Cuts sanitized HTML to at most `maxBytes` UTF-8 bytes, at a tag boundary, and closes what it left open. */
export function truncateHtml(html: string, maxBytes: number): string {
  let budget = maxBytes - 2048;
  for (let attempt = 0; attempt < 8; attempt++) {
    let s = Buffer.from(html, 'utf8').subarray(0, Math.max(0, budget)).toString('utf8').replace(/\uFFFD+$/, '');
    const lt = s.lastIndexOf('<');
    if (lt > s.lastIndexOf('>')) s = s.slice(0, lt);
    const amp = s.lastIndexOf('&');
    if (amp > s.lastIndexOf(';')) s = s.slice(0, amp);
    const out = sanitizeDescription(s);
    if (Buffer.byteLength(out, 'utf8') <= maxBytes) return out;
    budget -= 4096;
  }
  return '';
}

export function mapItem(item: SourceItem): MapResult {
  const warnings = [...item.warnings];
  const fail = (reason: string): MapResult => ({ ok: false, reason, warnings });

  // title and subtitle
  let title = cleanText(item.title);
  if (!title) return fail('title (宝贝名称) is empty');
  if ([...title].length > LIMITS.title) {
    warnings.push(`title is ${[...title].length} characters; cut to ${LIMITS.title}`);
    title = cut(title, LIMITS.title);
  }
  let subtitle = cleanText(item.subtitle);
  if ([...subtitle].length > LIMITS.subtitle) {
    warnings.push(`subtitle (宝贝卖点) cut to ${LIMITS.subtitle} characters`);
    subtitle = cut(subtitle, LIMITS.subtitle);
  }

  // price and stock of the item (variants fall back to these)
  const itemPrice = item.price.trim() ? yuanToFen(item.price) : null;
  if (item.price.trim() && !itemPrice) return fail(`price (宝贝价格) "${item.price.slice(0, 30)}" is not a price in yuan`);
  if (itemPrice?.rounded) warnings.push(`price ${item.price} has more than two decimals; rounded to ${(itemPrice.fen / 100).toFixed(2)}`);
  const stockOf = (text: string | null, what: string): number => {
    const t = (text ?? '').trim();
    if (t === '') {
      warnings.push(`${what} has no quantity; stock set to 0`);
      return 0;
    }
    if (!/^\d{1,12}$/.test(t)) {
      warnings.push(`${what} quantity "${t.slice(0, 20)}" is not a whole number; stock set to 0`);
      return 0;
    }
    return Math.min(Number(t), LIMITS.maxStock);
  };

  // variants
  const variants: DraftVariant[] = [];
  let specNames: string[] = [];
  const dims = item.skus[0]?.props.map((p) => p.pid) ?? [];
  if (item.skus.length === 0 || dims.length === 0) {
    if (!itemPrice) return fail('price (宝贝价格) is empty');
    if (itemPrice.fen < 1) return fail('price (宝贝价格) is 0');
    if (itemPrice.fen > LIMITS.maxFen) return fail(`price ¥${(itemPrice.fen / 100).toFixed(2)} is above ¥1,000,000`);
    const skuCode = item.outerId ? cut(item.outerId, LIMITS.skuCode) : undefined;
    variants.push({ specValues: [], price: itemPrice.fen, stock: stockOf(item.num, 'the item (宝贝数量)'), skuCode, image: null });
  } else {
    const unnamed = new Set<string>();
    const names = dims.map((pid, i) => {
      const fromSku = item.skus.flatMap((s) => s.props).find((p) => p.pid === pid && p.pidName)?.pidName;
      const name = cleanText(item.propNames[pid] ?? fromSku ?? STANDARD_PROPERTY_NAMES[pid] ?? '');
      if (name) return cut(name, LIMITS.specName);
      warnings.push(`sale property ${pid} has no name; called 规格${i + 1}`);
      return `规格${i + 1}`;
    });
    for (let i = 1; i < names.length; i++) if (names.indexOf(names[i]) < i) names[i] = cut(`${names[i]}${i + 1}`, LIMITS.specName);
    const seen = new Set<string>();
    for (const [n, sku] of item.skus.entries()) {
      const label = `variant ${n + 1}${sku.outerId ? ` (${sku.outerId})` : ''}`;
      const pids = sku.props.map((p) => p.pid);
      if (pids.length !== dims.length || !dims.every((d) => pids.includes(d))) {
        warnings.push(`${label} has sale properties ${pids.join(',')} but the first has ${dims.join(',')}: skipped`);
        continue;
      }
      let price = itemPrice;
      if (sku.price !== null && sku.price.trim() !== '') {
        price = yuanToFen(sku.price);
        if (!price) {
          warnings.push(`${label} price "${sku.price.slice(0, 20)}" is not a price: skipped`);
          continue;
        }
        if (price.rounded) warnings.push(`${label} price ${sku.price} rounded to two decimals`);
      }
      if (!price || price.fen < 1) {
        warnings.push(`${label} has no price: skipped`);
        continue;
      }
      if (price.fen > LIMITS.maxFen) {
        warnings.push(`${label} price is above ¥1,000,000: skipped`);
        continue;
      }
      const values = dims.map((pid) => {
        const p = sku.props.find((x) => x.pid === pid)!;
        const key = `${p.pid}:${p.vid}`;
        let v = cleanText(item.valueNames[key] ?? p.vidName ?? STANDARD_VALUE_NAMES[key] ?? '');
        if (!v) {
          if (!unnamed.has(key)) warnings.push(`value ${key} has no name (no 销售属性别名 for it); shown as "${p.vid}"`);
          unnamed.add(key);
          v = p.vid;
        }
        if ([...v].length > LIMITS.specValue) {
          warnings.push(`${label}: value "${v.slice(0, 40)}…" cut to ${LIMITS.specValue} characters`);
          v = cut(v, LIMITS.specValue);
        }
        return v;
      });
      const image = item.propImages.find((pi) => sku.props.some((p) => `${p.pid}:${p.vid}` === pi.prop))?.image ?? null;
      let specValues = values;
      if (values.length > LIMITS.specDimensions) specValues = [...values.slice(0, LIMITS.specDimensions - 1), cut(values.slice(LIMITS.specDimensions - 1).join(' / '), LIMITS.specValue)];
      const key = JSON.stringify(specValues);
      if (seen.has(key)) {
        warnings.push(`${label} repeats ${specValues.join(' / ')}: skipped`);
        continue;
      }
      seen.add(key);
      variants.push({ specValues, price: price.fen, stock: stockOf(sku.quantity, label), skuCode: sku.outerId ? cut(sku.outerId, LIMITS.skuCode) : undefined, image });
    }
    specNames = names;
    if (names.length > LIMITS.specDimensions) {
      warnings.push(`${names.length} sale properties; the last ${names.length - LIMITS.specDimensions + 1} are combined into one (the shop allows ${LIMITS.specDimensions})`);
      specNames = [...names.slice(0, LIMITS.specDimensions - 1), cut(names.slice(LIMITS.specDimensions - 1).join('/'), LIMITS.specName)];
    }
    if (!variants.length) return fail(`none of the ${item.skus.length} variants (销售属性组合) could be imported`);
    if (variants.length > LIMITS.variants) {
      warnings.push(`${variants.length} variants; the shop keeps the first ${LIMITS.variants}`);
      variants.length = LIMITS.variants;
    }
  }

  // description
  const raw = item.descriptionHtml ?? '';
  let descriptionHtml = raw ? sanitizeDescription(raw) : '';
  if (/<\s*script\b|\son[a-z]+\s*=|javascript\s*:|<\s*iframe\b/i.test(raw)) warnings.push('description: scripts, frames, event handlers and javascript: links were removed');
  if (/\bsrc\s*=\s*["']?\s*file:/i.test(raw)) warnings.push("description: pictures on the seller's computer (file:///…) were removed; upload them to Taobao and export again, or edit the description");
  const bytes = Buffer.byteLength(descriptionHtml, 'utf8');
  if (bytes > LIMITS.descriptionBytes) {
    descriptionHtml = truncateHtml(descriptionHtml, LIMITS.descriptionBytes);
    warnings.push(`description is ${Math.round(bytes / 1024)} KB; cut to ${Math.round(Buffer.byteLength(descriptionHtml, 'utf8') / 1024)} KB (the most a product description holds)`);
  }

  // images
  const seenImg = new Set<string>();
  let images = item.images.filter((img) => {
    const k = img.kind === 'file' ? `f:${img.name.toLowerCase()}` : `u:${img.url}`;
    if (seenImg.has(k)) return false;
    seenImg.add(k);
    return true;
  });
  if (images.length > LIMITS.images) {
    warnings.push(`${images.length} pictures; the first ${LIMITS.images} are kept`);
    images = images.slice(0, LIMITS.images);
  }

  return {
    ok: true,
    warnings,
    draft: {
      numId: item.numId,
      outerId: item.outerId ? cut(item.outerId, LIMITS.skuCode) : null,
      title,
      subtitle,
      descriptionHtml,
      specNames,
      variants,
      images,
      onSale: item.onSale,
      cid: item.cid,
      sellerCids: item.sellerCids,
      skuCodes: variants.map((v) => v.skuCode).filter((c): c is string => !!c),
    },
  };
}
