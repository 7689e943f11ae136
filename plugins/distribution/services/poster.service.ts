import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import type { ProductDetail } from '../../../core/catalog/catalog.service.js';
import type { Member } from '../../../core/customer/entities/member.entity.js';
import { MediaStorage } from '../../../core/media/media-storage.service.js';
import { translate } from '../controllers/page-helpers.js';
import type { Distributor } from '../entities/distributor.entity.js';
import { POSTER_HEIGHT, POSTER_WIDTH, posterSvg, type PosterInput, type PosterTexts } from './poster-art.js';
import { ShopViewService } from './shop-view.service.js';

/** Bump when the drawing changes, so cached posters are redrawn. */
const POSTER_VERSION = 1;
/** Drawing takes a few hundred ms of CPU: at most this many at once, so a burst of shares cannot starve the shop. */
const MAX_PARALLEL_DRAWS = 2;
/** Source images larger than this are drawn as a placeholder rather than decoded. */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

/** An image as drawn: where it comes from and a stamp that changes when the file does. */
interface ImageRef {
  src: string | null;
  stamp: string;
}

/** Everything a poster shows, before images are loaded; its hash names the cached PNG. */
export interface PosterSpec {
  kind: 'product' | 'shop';
  locale: string;
  texts: PosterTexts;
  brand: string;
  colors: { primary: string; accent: string };
  distributor: { name: string; avatar: ImageRef };
  url: string;
  product?: { id: number; title: string; price: number; originalPrice: number | null; from: boolean; image: ImageRef };
  shop?: { name: string; items: Array<{ id: number; price: number; image: ImageRef }> };
}

export interface PosterFile {
  key: string;
  file: string;
  /** True when this call drew it (false: served from the cache). */
  drawn: boolean;
}

const COLOR = /^#[0-9a-fA-F]{3,8}$/;

/**
 * 推广海报: a PNG with the product (or the sub-shop), the distributor, the brand and a QR code of
 * the share link. Drawn as SVG and rasterised by sharp (librsvg, with the system's Noto Sans CJK for
 * Chinese); cached under <mediaDir>/posters/<hash>.png, where the hash covers everything drawn, so a
 * new price, title or name makes a new poster and an unchanged one is never drawn twice.
 */
@Injectable()
export class PosterService {
  private readonly logger = new Logger('DistributionPoster');
  private readonly media: MediaStorage;
  private readonly inflight = new Map<string, Promise<PosterFile>>();
  private drawing = 0;
  private readonly queue: Array<() => void> = [];
  /** Posters drawn by this process (tests read it to see the cache at work). */
  drawnCount = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly view: ShopViewService) {
    this.media = new MediaStorage(config);
  }

  get cacheDir(): string {
    return join(this.media.root, 'posters');
  }

  /** What the poster of `product` (or of the whole sub-shop when null) shows for this distributor. */
  async spec(d: Distributor, member: Member, product: ProductDetail | null, locale: string): Promise<PosterSpec> {
    const look = await this.look();
    const t = (key: string, vars: Record<string, unknown> = {}) => translate(locale, key, vars);
    const name = member.nickname || d.shopName;
    const base = {
      locale, brand: look.brand, colors: look.colors,
      distributor: { name, avatar: await this.imageRef(d.shopAvatarUrl || member.avatarUrl) },
    };
    if (product) {
      const prices = new Set(product.variants.map((v) => v.price));
      return {
        ...base, kind: 'product',
        texts: { recommend: t('poster.recommendProduct'), scan: t('poster.scanProduct'), official: t('poster.official'), shopCount: '', original: t('poster.original'), from: t('share.from') },
        url: this.view.productUrl(product.slug, d.referralCode),
        product: { id: product.id, title: product.title, price: product.minPrice, originalPrice: product.originalPrice, from: prices.size > 1, image: await this.imageRef(product.image) },
      };
    }
    const products = await this.view.shopProducts(d.memberId);
    return {
      ...base, kind: 'shop',
      texts: { recommend: t('poster.recommendShop'), scan: t('poster.scanShop'), official: t('poster.official'), shopCount: t('poster.shopCount', { n: products.length }), original: '', from: '' },
      url: this.view.shopUrl(d.referralCode),
      shop: { name: d.shopName, items: await Promise.all(products.slice(0, 4).map(async (p) => ({ id: p.id, price: p.minPrice, image: await this.imageRef(p.image) }))) },
    };
  }

  key(spec: PosterSpec): string {
    return createHash('sha256').update(JSON.stringify({ v: POSTER_VERSION, spec })).digest('hex').slice(0, 40);
  }

  /** The cached PNG for `spec`, drawing it first when it is not cached yet. */
  async file(spec: PosterSpec): Promise<PosterFile> {
    const key = this.key(spec);
    const file = join(this.cacheDir, `${key}.png`);
    if (await exists(file)) return { key, file, drawn: false };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.draw(spec, key, file).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** The PNG bytes (e.g. for a WeChat plugin that sends the poster as an image message). */
  async render(spec: PosterSpec): Promise<Buffer> {
    return readFile((await this.file(spec)).file);
  }

  private async draw(spec: PosterSpec, key: string, file: string): Promise<PosterFile> {
    if (this.drawing < MAX_PARALLEL_DRAWS) this.drawing++;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await this.drawNow(spec, key, file);
    } finally {
      // hand the slot to the next waiting poster, or free it
      const next = this.queue.shift();
      if (next) next();
      else this.drawing--;
    }
  }

  private async drawNow(spec: PosterSpec, key: string, file: string): Promise<PosterFile> {
    const input: PosterInput = {
      kind: spec.kind, texts: spec.texts, brand: spec.brand, colors: spec.colors, url: spec.url,
      distributor: { name: spec.distributor.name, avatar: await this.load(spec.distributor.avatar, 96, 96) },
      product: spec.product ? { ...spec.product, image: await this.load(spec.product.image, 622, 622) } : undefined,
      shop: spec.shop ? { name: spec.shop.name, items: await Promise.all(spec.shop.items.map(async (i) => ({ price: i.price, image: await this.load(i.image, 303, 303) }))) } : undefined,
    };
    const png = await sharp(Buffer.from(posterSvg(input)), { density: 72 }).resize(POSTER_WIDTH, POSTER_HEIGHT).png({ compressionLevel: 8 }).toBuffer();
    await mkdir(this.cacheDir, { recursive: true });
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, png);
    await rename(tmp, file);
    this.drawnCount++;
    return { key, file, drawn: true };
  }

  /** Brand name and colours of the active theme. */
  private async look(): Promise<{ brand: string; colors: { primary: string; accent: string } }> {
    const s = await this.view.themeSettings();
    const text = (k: string, fallback: string) => (typeof s[k] === 'string' && (s[k] as string).trim() ? (s[k] as string).trim() : fallback);
    const color = (k: string, fallback: string) => (COLOR.test(text(k, '')) ? text(k, '') : fallback);
    return { brand: text('brandName', '微商城'), colors: { primary: color('primaryColor', '#ee0a24'), accent: color('accentColor', '#ff8917') } };
  }

  /**
   * Where an image comes from: files under /media are drawn (stamped by size and time, so a
   * replaced file makes a new poster), data: URLs are drawn as they are, anything remote is drawn as a
   * placeholder — the server never fetches URLs it is given.
   */
  private async imageRef(url: string | null | undefined): Promise<ImageRef> {
    if (!url) return { src: null, stamp: '' };
    if (url.startsWith('/media/')) {
      const found = await this.media.find(safeDecode(url.slice('/media/'.length).split(/[?#]/)[0]));
      return found ? { src: url, stamp: `${found.size}-${found.mtime.getTime()}` } : { src: null, stamp: 'missing' };
    }
    if (/^data:image\//i.test(url)) return { src: url, stamp: '' };
    return { src: null, stamp: 'remote' };
  }

  /** An image as a PNG data: URI of the size it is drawn at, or null for the placeholder. */
  private async load(ref: ImageRef, w: number, h: number): Promise<string | null> {
    if (!ref.src) return null;
    try {
      let buf: Buffer | null = null;
      if (ref.src.startsWith('/media/')) {
        const found = await this.media.find(safeDecode(ref.src.slice('/media/'.length).split(/[?#]/)[0]));
        if (found && found.size <= MAX_IMAGE_BYTES) buf = await readFile(found.path);
      } else {
        buf = decodeDataUrl(ref.src);
      }
      if (!buf || buf.length > MAX_IMAGE_BYTES) return null;
      // vector images are rendered at the size they are drawn, not scaled up from their nominal size
      const meta = await sharp(buf).metadata();
      const density = meta.format === 'svg' && meta.width && meta.height ? Math.min(5000, Math.max(72, Math.ceil(72 * Math.max((w * 2) / meta.width, (h * 2) / meta.height)))) : undefined;
      const out = await sharp(buf, density ? { density } : {}).resize(w * 2, h * 2, { fit: 'cover' }).flatten({ background: meta.format === 'svg' ? svgBackground(buf) : '#ffffff' }).png().toBuffer();
      return `data:image/png;base64,${out.toString('base64')}`;
    } catch (err) {
      this.logger.warn(`poster image ${ref.src.slice(0, 80)} not drawn: ${(err as Error).message}`);
      return null;
    }
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** librsvg ignores CSS on the root element; browsers paint `<svg style="background:#f6e8de">`, so posters do too. */
function svgBackground(svg: Buffer): string {
  const root = /<svg\b[^>]*>/i.exec(svg.subarray(0, 4096).toString('utf8'))?.[0] ?? '';
  const color = /background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})\b/.exec(root)?.[1];
  return color ?? '#ffffff';
}

function decodeDataUrl(url: string): Buffer | null {
  const m = /^data:image\/[a-z0-9.+-]+((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,(.*)$/is.exec(url);
  if (!m) return null;
  return m[2] ? Buffer.from(m[3], 'base64') : Buffer.from(safeDecode(m[3]), 'utf8');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
