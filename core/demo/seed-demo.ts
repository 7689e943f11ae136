import { Logger, type INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { Category } from '../catalog/entities/category.entity.js';
import { Product } from '../catalog/entities/product.entity.js';
import type { ProductInput, VariantInput } from '../catalog/dto/product.dto.js';
import { ShippingTemplate } from '../shipping/entities/shipping-template.entity.js';
import { Setting } from '../settings/entities/setting.entity.js';
import { MediaStorage } from '../media/media-storage.service.js';
import { bannerSvg, categorySvg, productSvg } from './demo-art.js';
import { CLOTHING_CATEGORIES, DEMO_BANNERS, DEMO_CATEGORIES, DEMO_PRODUCTS, FOOD_CATEGORIES, NOTES, type DemoProduct, type DemoSpecValue } from './demo-catalog.js';

/** Where the demo pictures live, under MEDIA_DIR. */
export const DEMO_MEDIA_FOLDER = 'demo';
export const DEMO_BANNER_URLS = DEMO_BANNERS.map((_, i) => `/media/${DEMO_MEDIA_FOLDER}/banner-${i + 1}.svg`);

export interface SeedDemoResult {
  seeded: boolean;
  categories: number;
  products: number;
  variants: number;
  images: number;
}

const url = (file: string) => `/media/${DEMO_MEDIA_FOLDER}/${file}`;

/** Deterministic 32-bit hash, so stock levels are the same on every seed. */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colourSpec(p: DemoProduct): { index: number; values: DemoSpecValue[] } | null {
  const index = p.specs.findIndex((s) => s.values.some((v) => v.colour));
  return index < 0 ? null : { index, values: p.specs[index].values };
}

/** Every file the demo needs: product pictures, variant pictures, category icons, banners. */
export function demoFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of DEMO_PRODUCTS) {
    const colours = colourSpec(p);
    const lineup = colours?.values.map((v) => v.colour!) ?? [];
    files.set(`${p.slug}-1.svg`, productSvg(p.art, p.palette, 'hero', p.slug));
    files.set(`${p.slug}-2.svg`, productSvg(p.art, p.palette, 'angle', p.slug));
    files.set(`${p.slug}-3.svg`, productSvg(p.art, p.palette, 'detail', p.slug, lineup));
    colours?.values.forEach((v, i) => files.set(`${p.slug}-c${i + 1}.svg`, productSvg(p.art, { ...p.palette, main: v.colour! }, 'hero', `${p.slug}-c${i + 1}`)));
  }
  for (const c of DEMO_CATEGORIES) {
    files.set(`cat-${c.slug}.svg`, categorySvg(c.art, c.palette));
    for (const child of c.children ?? []) {
      const first = DEMO_PRODUCTS.find((p) => p.category === child.slug);
      files.set(`cat-${child.slug}.svg`, categorySvg(first?.art ?? c.art, first ? { ...c.palette, main: first.palette.main, accent: first.palette.accent } : c.palette));
    }
  }
  DEMO_BANNERS.forEach((b, i) => files.set(`banner-${i + 1}.svg`, bannerSvg(b)));
  return files;
}

function productImages(p: DemoProduct): string[] {
  const colours = colourSpec(p);
  return [`${p.slug}-1.svg`, `${p.slug}-2.svg`, `${p.slug}-3.svg`, ...(colours?.values.map((_, i) => `${p.slug}-c${i + 1}.svg`) ?? [])].slice(0, 15).map(url);
}

function descriptionHtml(p: DemoProduct): string {
  const note = CLOTHING_CATEGORIES.has(p.category) ? NOTES.clothing : FOOD_CATEGORIES.has(p.category) ? NOTES.food : '';
  return [
    `<p>${escapeHtml(p.intro[0])}</p>`,
    `<p><img src="${url(`${p.slug}-2.svg`)}" alt="${escapeHtml(p.title)}" width="750" height="750" /></p>`,
    ...p.intro.slice(1).map((t) => `<p>${escapeHtml(t)}</p>`),
    '<h3>产品亮点</h3>',
    `<ul>${p.points.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>`,
    `<p><img src="${url(`${p.slug}-3.svg`)}" alt="${escapeHtml(p.title)} 细节" width="750" height="750" /></p>`,
    '<h3>规格参数</h3>',
    `<table><tbody>${p.params.map(([k, val]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(val)}</td></tr>`).join('')}</tbody></table>`,
    note ? `<p><em>${escapeHtml(note)}</em></p>` : '',
  ].join('\n');
}

/** All spec combinations in order, each with its price, stock and picture. */
export function demoVariants(p: DemoProduct): VariantInput[] {
  const colours = colourSpec(p);
  let combos: DemoSpecValue[][] = [[]];
  for (const spec of p.specs) combos = combos.flatMap((combo) => spec.values.map((val) => [...combo, val]));
  return combos.map((combo, i) => {
    const values = combo.map((c) => c.value);
    const add = combo.reduce((s, c) => s + (c.add ?? 0), 0);
    const h = hash(`${p.sku}:${values.join('/')}`);
    const soldOut = p.soldOut?.some((s) => s.every((val, k) => val === values[k])) ?? false;
    const stock = soldOut ? 0 : p.stock === 'low' ? 1 + (h % 5) : 20 + (h % 260);
    const colourIndex = colours ? colours.values.indexOf(combo[colours.index]) : -1;
    return {
      specValues: values,
      price: p.price + add,
      ...(p.originalPrice ? { originalPrice: p.originalPrice + add } : {}),
      stock,
      skuCode: `${p.sku}-${String(i + 1).padStart(2, '0')}`,
      weightGrams: p.weightGrams,
      ...(colourIndex >= 0 ? { imageUrl: url(`${p.slug}-c${colourIndex + 1}.svg`) } : {}),
    };
  });
}

async function writeFiles(media: MediaStorage, onlyMissing: boolean): Promise<number> {
  let written = 0;
  for (const [name, svg] of demoFiles()) {
    const rel = `${DEMO_MEDIA_FOLDER}/${name}`;
    if (onlyMissing && (await media.find(rel))) continue;
    await media.write(rel, svg);
    written++;
  }
  return written;
}

/**
 * Seeds the demo catalog into an empty database: a default shipping template, a two-level
 * category tree, ~40 products with variants, pictures (SVG files written to MEDIA_DIR/demo) and
 * home banners for the active theme. Does nothing when the catalog already has products (it only
 * restores missing demo pictures when the demo catalog is the one in place).
 */
export async function seedDemo(app: INestApplication): Promise<SeedDemoResult> {
  const logger = new Logger('Demo');
  const ds = app.get<DataSource>(getDataSourceToken());
  const catalog = app.get(CatalogService);
  const media = app.get(MediaStorage);
  const config = app.get<AppConfig>(APP_CONFIG);
  const none: SeedDemoResult = { seeded: false, categories: 0, products: 0, variants: 0, images: 0 };

  if ((await ds.getRepository(Product).count()) > 0) {
    const demo = await ds.getRepository(Product).findOneBy({ slug: DEMO_PRODUCTS[0].slug });
    if (demo?.images[0]?.startsWith(url(''))) {
      const images = await writeFiles(media, true);
      if (images) logger.log(`restored ${images} missing demo pictures in ${media.root}`);
      return { ...none, images };
    }
    return none;
  }

  const images = await writeFiles(media, false);

  const shipping = ds.getRepository(ShippingTemplate);
  if (!(await shipping.findOneBy({ isDefault: true }))) {
    await shipping.save(shipping.create({ name: '默认运费（满 99 包邮）', firstItemFee: 800, additionalItemFee: 200, freeFrom: 9900, isDefault: true }));
  }

  const categoryIds = new Map<string, number>();
  let categories = 0;
  const ensureCategory = async (slug: string, name: string, sortOrder: number, parentId?: number) => {
    const existing = await ds.getRepository(Category).findOneBy({ slug });
    const cat = existing ?? (await catalog.createCategory({ slug, name, sortOrder, parentId, imageUrl: url(`cat-${slug}.svg`) }));
    if (!existing) categories++;
    categoryIds.set(slug, cat.id);
    return cat.id;
  };
  for (const [i, c] of DEMO_CATEGORIES.entries()) {
    const parentId = await ensureCategory(c.slug, c.name, (i + 1) * 10);
    for (const [k, child] of (c.children ?? []).entries()) await ensureCategory(child.slug, child.name, (k + 1) * 10, parentId);
  }

  let variants = 0;
  for (const [i, p] of DEMO_PRODUCTS.entries()) {
    const vs = demoVariants(p);
    const input: ProductInput = {
      slug: p.slug,
      title: p.title,
      subtitle: p.subtitle,
      categoryId: categoryIds.get(p.category),
      images: productImages(p),
      descriptionHtml: descriptionHtml(p),
      specNames: p.specs.map((s) => s.name),
      variants: vs,
      isListed: p.listed ?? true,
      isFeatured: p.featured ?? false,
      sortOrder: (DEMO_PRODUCTS.length - i) * 10,
    };
    const product = await catalog.createProduct(input);
    if (p.salesCount) await ds.getRepository(Product).update({ id: product.id }, { salesCount: p.salesCount });
    variants += vs.length;
  }

  // Home banners for the active theme, unless the merchant has already saved theme settings.
  const settings = ds.getRepository(Setting);
  const activeRow = await settings.findOneBy({ key: 'theme.active' });
  const theme = activeRow ? (JSON.parse(activeRow.value) as string) : config.themeName;
  const key = `theme.settings.${theme}`;
  if (!(await settings.findOneBy({ key }))) await settings.insert({ key, value: JSON.stringify({ homeBanners: DEMO_BANNER_URLS.join(',') }) });

  catalog.invalidate();
  logger.log(`demo catalog seeded: ${categories} categories, ${DEMO_PRODUCTS.length} products, ${variants} variants, ${images} pictures in ${media.root}`);
  return { seeded: true, categories, products: DEMO_PRODUCTS.length, variants, images };
}
