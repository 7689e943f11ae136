import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { TtlCache } from '../common/ttl-cache.js';
import { TransactionRunner } from '../database/transaction.js';
import { Category } from './entities/category.entity.js';
import { Product } from './entities/product.entity.js';
import { ProductVariant } from './entities/product-variant.entity.js';
import type { CategoryInput, ProductInput, ProductSearchQuery } from './dto/product.dto.js';
import { sanitizeDescription } from './sanitize.js';
import { slugify } from './slug.js';

export interface CategoryNode {
  id: number;
  name: string;
  slug: string;
  imageUrl: string | null;
  parentId: number | null;
  children: CategoryNode[];
}

export interface VariantView {
  id: number;
  specValues: string[];
  specText: string;
  price: number;
  originalPrice: number | null;
  stock: number;
  skuCode: string | null;
  imageUrl: string | null;
}

export interface ProductSummary {
  id: number;
  slug: string;
  title: string;
  subtitle: string;
  image: string | null;
  minPrice: number;
  originalPrice: number | null;
  salesCount: number;
  inStock: boolean;
}

export interface ProductDetail extends ProductSummary {
  images: string[];
  descriptionHtml: string;
  specNames: string[];
  /** Values offered for each spec name, in the order variants list them. */
  specOptions: Array<{ name: string; values: string[] }>;
  variants: VariantView[];
  category: { id: number; name: string; slug: string } | null;
  isListed: boolean;
  totalStock: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function specText(values: string[]): string {
  return values.join(' / ');
}

@Injectable()
export class CatalogService {
  private readonly cache = new TtlCache<unknown>(Number(process.env.CATALOG_CACHE_MS ?? 2000));
  private readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.tx = new TransactionRunner(ds);
  }

  /** Drop cached catalog reads after a change (stock changes through orders do not need this). */
  invalidate(): void {
    this.cache.clear();
  }

  async categoryTree(): Promise<CategoryNode[]> {
    return this.cached('categories', async () => {
      const rows = await this.ds.getRepository(Category).find({ where: { isVisible: true }, order: { sortOrder: 'ASC', id: 'ASC' } });
      const nodes = new Map<number, CategoryNode>(rows.map((c) => [c.id, { id: c.id, name: c.name, slug: c.slug, imageUrl: c.imageUrl, parentId: c.parentId, children: [] }]));
      const roots: CategoryNode[] = [];
      for (const n of nodes.values()) {
        const parent = n.parentId ? nodes.get(n.parentId) : undefined;
        if (parent) parent.children.push(n);
        else roots.push(n);
      }
      return roots;
    });
  }

  async findCategory(idOrSlug: string | number): Promise<Category> {
    const repo = this.ds.getRepository(Category);
    const cat = typeof idOrSlug === 'number' || /^\d+$/.test(idOrSlug) ? await repo.findOneBy({ id: Number(idOrSlug) }) : await repo.findOneBy({ slug: idOrSlug });
    if (!cat) throw new NotFoundError('category', idOrSlug);
    return cat;
  }

  /** Listed products by keyword and category (including sub-categories), paged. */
  async search(query: ProductSearchQuery, opts: { includeUnlisted?: boolean } = {}): Promise<Page<ProductSummary>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const key = `search:${JSON.stringify([query, opts])}`;
    return this.cached(key, async () => {
      const qb = this.ds.getRepository(Product).createQueryBuilder('p');
      if (!opts.includeUnlisted) qb.where('p.is_listed = :listed', { listed: true });
      if (query.categoryId) {
        const ids = await this.categoryWithDescendants(query.categoryId);
        qb.andWhere('p.category_id IN (:...ids)', { ids });
      }
      const q = query.q?.trim();
      if (q) {
        const like = `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`; // "!" escapes LIKE wildcards the same way on SQLite and MySQL
        qb.andWhere(new Brackets((b) => b.where("p.title LIKE :like ESCAPE '!'", { like }).orWhere("p.subtitle LIKE :like ESCAPE '!'", { like })));
      }
      switch (query.sort) {
        case 'price_asc': qb.orderBy('p.min_price', 'ASC'); break;
        case 'price_desc': qb.orderBy('p.min_price', 'DESC'); break;
        case 'sales': qb.orderBy('p.sales_count', 'DESC'); break;
        case 'newest': qb.orderBy('p.id', 'DESC'); break;
        default: qb.orderBy('p.sort_order', 'DESC').addOrderBy('p.id', 'DESC');
      }
      qb.addOrderBy('p.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
      const [rows, total] = await qb.getManyAndCount();
      return { items: await this.summaries(rows), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
    });
  }

  async featured(limit = 10): Promise<ProductSummary[]> {
    return this.cached(`featured:${limit}`, async () => {
      const rows = await this.ds.getRepository(Product).find({ where: { isListed: true, isFeatured: true }, order: { sortOrder: 'DESC', id: 'DESC' }, take: limit });
      return this.summaries(rows);
    });
  }

  /** A product as the storefront shows it; unlisted products are 404 unless `includeUnlisted`. */
  async detail(idOrSlug: string | number, opts: { includeUnlisted?: boolean } = {}): Promise<ProductDetail> {
    return this.cached(`detail:${idOrSlug}:${opts.includeUnlisted ? 1 : 0}`, async () => {
      const repo = this.ds.getRepository(Product);
      const product = typeof idOrSlug === 'number' || /^\d+$/.test(idOrSlug) ? await repo.findOneBy({ id: Number(idOrSlug) }) : await repo.findOneBy({ slug: idOrSlug });
      if (!product || (!product.isListed && !opts.includeUnlisted)) throw new NotFoundError('product', idOrSlug);
      const variants = await this.ds.getRepository(ProductVariant).find({ where: { productId: product.id, isActive: true }, order: { sortOrder: 'ASC', id: 'ASC' } });
      const category = product.categoryId ? await this.ds.getRepository(Category).findOneBy({ id: product.categoryId }) : null;
      const [summary] = await this.summaries([product], variants);
      const specOptions = product.specNames.map((name, i) => ({ name, values: [...new Set(variants.map((v) => v.specValues[i]))] }));
      return {
        ...summary,
        images: product.images,
        descriptionHtml: product.descriptionHtml,
        specNames: product.specNames,
        specOptions,
        variants: variants.map((v) => this.variantView(v)),
        category: category ? { id: category.id, name: category.name, slug: category.slug } : null,
        isListed: product.isListed,
        totalStock: variants.reduce((s, v) => s + v.stock, 0),
      };
    });
  }

  variantView(v: ProductVariant): VariantView {
    return { id: v.id, specValues: v.specValues, specText: specText(v.specValues), price: v.price, originalPrice: v.originalPrice, stock: v.stock, skuCode: v.skuCode, imageUrl: v.imageUrl };
  }

  async summaries(rows: Product[], knownVariants?: ProductVariant[]): Promise<ProductSummary[]> {
    if (!rows.length) return [];
    const variants = knownVariants ?? (await this.ds.getRepository(ProductVariant).find({ where: { productId: In(rows.map((r) => r.id)), isActive: true } }));
    return rows.map((p) => {
      const own = variants.filter((v) => v.productId === p.id);
      const cheapest = own.reduce<ProductVariant | undefined>((best, v) => (!best || v.price < best.price ? v : best), undefined);
      return {
        id: p.id, slug: p.slug, title: p.title, subtitle: p.subtitle, image: p.images[0] ?? null,
        minPrice: cheapest?.price ?? p.minPrice, originalPrice: cheapest?.originalPrice ?? null,
        salesCount: p.salesCount, inStock: own.some((v) => v.stock > 0),
      };
    });
  }

  // ---- admin writes ----

  async createProduct(input: ProductInput): Promise<Product> {
    this.checkVariants(input);
    const id = await this.tx.run(async ({ manager }) => {
      if (input.categoryId) await this.requireCategory(manager.getRepository(Category), input.categoryId);
      const slug = await this.uniqueSlug(manager.getRepository(Product), input.slug ?? slugify(input.title, 'p'));
      const product = await manager.save(Product, manager.create(Product, {
        title: input.title.trim(), subtitle: input.subtitle?.trim() ?? '', slug, categoryId: input.categoryId ?? null, images: input.images,
        descriptionHtml: sanitizeDescription(input.descriptionHtml ?? ''), specNames: input.specNames, isListed: input.isListed ?? false,
        isFeatured: input.isFeatured ?? false, sortOrder: input.sortOrder ?? 0, minPrice: Math.min(...input.variants.map((v) => v.price)), salesCount: 0, shippingTemplateId: 0,
      }));
      await manager.save(ProductVariant, input.variants.map((v, i) => manager.create(ProductVariant, this.variantRow(product.id, v, i))));
      return product.id;
    });
    this.invalidate();
    return this.ds.getRepository(Product).findOneByOrFail({ id });
  }

  /**
   * Replaces a product's fields and variants. Variants are matched by spec values: matches are
   * updated in place (keeping their id, so carts and orders stay valid), new ones created,
   * missing ones deactivated rather than deleted (old orders point at them).
   */
  async updateProduct(id: number, input: ProductInput): Promise<Product> {
    this.checkVariants(input);
    await this.tx.run(async ({ manager }) => {
      const product = await manager.findOneBy(Product, { id });
      if (!product) throw new NotFoundError('product', id);
      if (input.categoryId) await this.requireCategory(manager.getRepository(Category), input.categoryId);
      if (input.slug && input.slug !== product.slug) product.slug = await this.uniqueSlug(manager.getRepository(Product), input.slug, id);
      Object.assign(product, {
        title: input.title.trim(), subtitle: input.subtitle?.trim() ?? '', categoryId: input.categoryId ?? null, images: input.images,
        descriptionHtml: sanitizeDescription(input.descriptionHtml ?? ''), specNames: input.specNames,
        isListed: input.isListed ?? product.isListed, isFeatured: input.isFeatured ?? product.isFeatured, sortOrder: input.sortOrder ?? product.sortOrder,
        minPrice: Math.min(...input.variants.map((v) => v.price)),
      });
      await manager.save(product);
      const existing = await manager.findBy(ProductVariant, { productId: id });
      const byKey = new Map(existing.map((v) => [JSON.stringify(v.specValues), v]));
      const kept = new Set<number>();
      for (const [i, v] of input.variants.entries()) {
        const match = byKey.get(JSON.stringify(v.specValues));
        if (match) {
          Object.assign(match, this.variantRow(id, v, i));
          await manager.save(match);
          kept.add(match.id);
        } else {
          await manager.save(ProductVariant, manager.create(ProductVariant, this.variantRow(id, v, i)));
        }
      }
      for (const v of existing) if (!kept.has(v.id) && v.isActive) await manager.update(ProductVariant, { id: v.id }, { isActive: false });
    });
    this.invalidate();
    return this.ds.getRepository(Product).findOneByOrFail({ id });
  }

  async setListed(id: number, listed: boolean): Promise<void> {
    const res = await this.ds.getRepository(Product).update({ id }, { isListed: listed });
    if (!res.affected) throw new NotFoundError('product', id);
    this.invalidate();
  }

  async createCategory(input: CategoryInput): Promise<Category> {
    const repo = this.ds.getRepository(Category);
    if (input.parentId) await this.requireCategory(repo, input.parentId, 'parentId');
    const slug = input.slug ?? slugify(input.name, 'c');
    if (await repo.findOneBy({ slug })) throw new ConflictError('slug_taken', `slug "${slug}" is already used by another category`, 'slug');
    const saved = await repo.save(repo.create({ name: input.name.trim(), slug, parentId: input.parentId ?? null, imageUrl: input.imageUrl ?? null, sortOrder: input.sortOrder ?? 0, isVisible: input.isVisible ?? true }));
    this.invalidate();
    return saved;
  }

  async updateCategory(id: number, input: CategoryInput): Promise<Category> {
    const repo = this.ds.getRepository(Category);
    const cat = await repo.findOneBy({ id });
    if (!cat) throw new NotFoundError('category', id);
    if (input.parentId) {
      if (input.parentId === id || (await this.categoryWithDescendants(id)).includes(input.parentId)) {
        throw new BadInputError('parentId', 'a category cannot be moved under itself or its own sub-category', 'category_cycle');
      }
      await this.requireCategory(repo, input.parentId, 'parentId');
    }
    if (input.slug && input.slug !== cat.slug && (await repo.findOneBy({ slug: input.slug }))) throw new ConflictError('slug_taken', `slug "${input.slug}" is already used by another category`, 'slug');
    Object.assign(cat, { name: input.name.trim(), slug: input.slug ?? cat.slug, parentId: input.parentId ?? null, imageUrl: input.imageUrl ?? cat.imageUrl, sortOrder: input.sortOrder ?? cat.sortOrder, isVisible: input.isVisible ?? cat.isVisible });
    const saved = await repo.save(cat);
    this.invalidate();
    return saved;
  }

  async allCategories(): Promise<Category[]> {
    return this.ds.getRepository(Category).find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  private async categoryWithDescendants(rootId: number): Promise<number[]> {
    const all = await this.ds.getRepository(Category).find({ select: { id: true, parentId: true } });
    const ids = [rootId];
    for (let i = 0; i < ids.length; i++) for (const c of all) if (c.parentId === ids[i] && !ids.includes(c.id)) ids.push(c.id);
    return ids;
  }

  private async requireCategory(repo: { findOneBy(w: { id: number }): Promise<Category | null> }, id: number, field = 'categoryId'): Promise<void> {
    if (!(await repo.findOneBy({ id }))) throw new NotFoundError('category', id, field);
  }

  private checkVariants(input: ProductInput): void {
    const seen = new Set<string>();
    for (const [i, v] of input.variants.entries()) {
      if (v.specValues.length !== input.specNames.length) {
        throw new BadInputError(`variants.${i}.specValues`, `variant ${i + 1} has ${v.specValues.length} spec values but the product has ${input.specNames.length} spec names`);
      }
      const key = JSON.stringify(v.specValues);
      if (seen.has(key)) throw new BadInputError(`variants.${i}.specValues`, `variant ${i + 1} repeats the spec combination ${specText(v.specValues) || '(none)'}`);
      seen.add(key);
      if (v.originalPrice !== undefined && v.originalPrice < v.price) throw new BadInputError(`variants.${i}.originalPrice`, 'original price must not be lower than the price');
    }
    if (input.specNames.length === 0 && input.variants.length > 1) throw new BadInputError('specNames', 'a product with several variants needs spec names');
  }

  private variantRow(productId: number, v: ProductInput['variants'][number], sortOrder: number): Partial<ProductVariant> {
    return { productId, specValues: v.specValues, price: v.price, originalPrice: v.originalPrice ?? null, stock: v.stock, skuCode: v.skuCode ?? null, weightGrams: v.weightGrams ?? 0, imageUrl: v.imageUrl ?? null, isActive: true, sortOrder };
  }

  private async uniqueSlug(repo: { findOneBy(w: { slug: string }): Promise<Product | null> }, base: string, selfId?: number): Promise<string> {
    let slug = base;
    for (let n = 2; ; n++) {
      const taken = await repo.findOneBy({ slug });
      if (!taken || taken.id === selfId) return slug;
      slug = `${base}-${n}`;
    }
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.getOrLoad(key, load) as Promise<T>;
  }
}
