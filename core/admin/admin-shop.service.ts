import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { CatalogService, specText } from '../catalog/catalog.service.js';
import type { CategoryInput, ProductInput } from '../catalog/dto/product.dto.js';
import { Category } from '../catalog/entities/category.entity.js';
import { Product } from '../catalog/entities/product.entity.js';
import { ProductVariant } from '../catalog/entities/product-variant.entity.js';
import { Order } from '../order/entities/order.entity.js';
import { OrderService, type OrderView } from '../order/order.service.js';
import { PaymentService } from '../payment/payment.service.js';
import { ShippingTemplate } from '../shipping/entities/shipping-template.entity.js';

export const LOW_STOCK = 5;

export interface AdminVariantView {
  id: number;
  specValues: string[];
  specText: string;
  price: number;
  originalPrice: number | null;
  stock: number;
  skuCode: string | null;
  weightGrams: number;
  imageUrl: string | null;
}

export interface AdminProductView {
  id: number;
  slug: string;
  title: string;
  subtitle: string;
  categoryId: number | null;
  images: string[];
  descriptionHtml: string;
  specNames: string[];
  isListed: boolean;
  isFeatured: boolean;
  sortOrder: number;
  minPrice: number;
  salesCount: number;
  totalStock: number;
  variants: AdminVariantView[];
  createdAt: Date;
  updatedAt: Date;
}

export interface AdminProductRow {
  id: number;
  slug: string;
  title: string;
  image: string | null;
  categoryName: string | null;
  minPrice: number;
  maxPrice: number;
  totalStock: number;
  variantCount: number;
  lowStock: boolean;
  salesCount: number;
  isListed: boolean;
  updatedAt: Date;
}

export interface CategoryRow {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
  sortOrder: number;
  isVisible: boolean;
  depth: number;
  /** "—— " repeated per level, for selects. */
  indent: string;
  productCount: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export interface ShippingTemplateView {
  id: number | null;
  name: string;
  firstItemFee: number;
  additionalItemFee: number;
  freeFrom: number | null;
}

const escapeLike = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** Start of today in China Standard Time (UTC+8), where merchants read their day. */
export function startOfTodayCst(now = new Date()): Date {
  const shifted = now.getTime() + 8 * 3600_000;
  return new Date(shifted - (shifted % 86_400_000) - 8 * 3600_000);
}

/**
 * Reads and actions of the back office that the domain services do not offer as such: admin
 * listings (including delisted products and inactive details), the dashboard, the default shipping
 * template, and order actions with the admin as actor. Every write goes through the domain services.
 */
@Injectable()
export class AdminShopService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly orders: OrderService,
    private readonly payments: PaymentService,
  ) {}

  // ---- dashboard ----

  async dashboard(now = new Date()) {
    const since = startOfTodayCst(now);
    const orderRepo = this.ds.getRepository(Order);
    const todayOrders = await orderRepo.createQueryBuilder('o').where('o.created_at >= :since', { since }).getCount();
    const paidRow = await orderRepo.createQueryBuilder('o').select('COALESCE(SUM(o.paid_total), 0)', 'paid').addSelect('COUNT(*)', 'n')
      .where('o.paid_at >= :since', { since }).getRawOne<{ paid: string | number; n: string | number }>();
    const awaitingShipment = await orderRepo.countBy({ status: 'paid' });
    const pendingPayment = await orderRepo.countBy({ status: 'pending_payment' });
    const productCount = await this.ds.getRepository(Product).count();
    const listedCount = await this.ds.getRepository(Product).countBy({ isListed: true });
    const lowRows = await this.ds.getRepository(ProductVariant).createQueryBuilder('v')
      .innerJoin(Product, 'p', 'p.id = v.product_id')
      .select(['v.id AS id', 'v.product_id AS productId', 'v.spec_values AS specValues', 'v.stock AS stock', 'v.sku_code AS skuCode', 'p.title AS title', 'p.is_listed AS isListed'])
      .where('v.is_active = :active AND v.stock <= :low', { active: true, low: LOW_STOCK })
      .orderBy('v.stock', 'ASC').addOrderBy('v.id', 'ASC').limit(20)
      .getRawMany<Record<string, unknown>>();
    const lowStock = lowRows.map((r) => ({
      id: Number(r.id), productId: Number(r.productId), title: String(r.title), stock: Number(r.stock), skuCode: (r.skuCode as string | null) ?? null,
      specText: specText(parseJsonArray(r.specValues)), isListed: r.isListed === true || Number(r.isListed) === 1,
    }));
    return { todayOrders, todayPaidTotal: Number(paidRow?.paid ?? 0), todayPaidOrders: Number(paidRow?.n ?? 0), awaitingShipment, pendingPayment, productCount, listedCount, lowStock, lowStockLimit: LOW_STOCK };
  }

  // ---- products ----

  async listProducts(query: { q?: string; status?: string; categoryId?: number; page?: number; pageSize?: number }): Promise<PageOf<AdminProductRow>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const qb = this.ds.getRepository(Product).createQueryBuilder('p');
    if (query.status === 'listed') qb.andWhere('p.is_listed = :listed', { listed: true });
    if (query.status === 'delisted') qb.andWhere('p.is_listed = :listed', { listed: false });
    if (query.categoryId) qb.andWhere('p.category_id = :cat', { cat: query.categoryId });
    const q = query.q?.trim();
    if (q) {
      const like = escapeLike(q);
      qb.andWhere(new Brackets((b) => {
        b.where("p.title LIKE :like ESCAPE '!'", { like }).orWhere("p.subtitle LIKE :like ESCAPE '!'", { like })
          .orWhere(`p.id IN (SELECT v.product_id FROM product_variant v WHERE v.sku_code LIKE :like ESCAPE '!')`, { like });
        if (/^\d{1,9}$/.test(q)) b.orWhere('p.id = :pid', { pid: Number(q) });
      }));
    }
    qb.orderBy('p.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    const [rows, total] = await qb.getManyAndCount();
    const variants = rows.length ? await this.ds.getRepository(ProductVariant).findBy({ productId: In(rows.map((r) => r.id)), isActive: true }) : [];
    const catIds = [...new Set(rows.map((r) => r.categoryId).filter((id): id is number => id !== null))];
    const cats = catIds.length ? await this.ds.getRepository(Category).findBy({ id: In(catIds) }) : [];
    const items = rows.map((p) => {
      const own = variants.filter((v) => v.productId === p.id);
      const prices = own.map((v) => v.price);
      return {
        id: p.id, slug: p.slug, title: p.title, image: p.images[0] ?? null, categoryName: cats.find((c) => c.id === p.categoryId)?.name ?? null,
        minPrice: prices.length ? Math.min(...prices) : p.minPrice, maxPrice: prices.length ? Math.max(...prices) : p.minPrice,
        totalStock: own.reduce((s, v) => s + v.stock, 0), variantCount: own.length, lowStock: own.some((v) => v.stock <= LOW_STOCK),
        salesCount: p.salesCount, isListed: p.isListed, updatedAt: p.updatedAt,
      };
    });
    return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
  }

  /** A product with every admin-editable field and its active variants (weights included). */
  async product(id: number): Promise<AdminProductView> {
    const p = await this.ds.getRepository(Product).findOneBy({ id });
    if (!p) throw new NotFoundError('product', id);
    const variants = await this.ds.getRepository(ProductVariant).find({ where: { productId: id, isActive: true }, order: { sortOrder: 'ASC', id: 'ASC' } });
    return {
      id: p.id, slug: p.slug, title: p.title, subtitle: p.subtitle, categoryId: p.categoryId, images: p.images, descriptionHtml: p.descriptionHtml, specNames: p.specNames,
      isListed: p.isListed, isFeatured: p.isFeatured, sortOrder: p.sortOrder, minPrice: p.minPrice, salesCount: p.salesCount,
      totalStock: variants.reduce((s, v) => s + v.stock, 0),
      variants: variants.map((v) => ({ id: v.id, specValues: v.specValues, specText: specText(v.specValues), price: v.price, originalPrice: v.originalPrice, stock: v.stock, skuCode: v.skuCode, weightGrams: v.weightGrams, imageUrl: v.imageUrl })),
      createdAt: p.createdAt, updatedAt: p.updatedAt,
    };
  }

  async createProduct(input: ProductInput): Promise<AdminProductView> {
    checkImageUrls(input);
    const p = await this.catalog.createProduct(input);
    return this.product(p.id);
  }

  async updateProduct(id: number, input: ProductInput): Promise<AdminProductView> {
    checkImageUrls(input);
    await this.catalog.updateProduct(id, input);
    return this.product(id);
  }

  async setListed(id: number, listed: boolean): Promise<{ id: number; isListed: boolean }> {
    if (listed) {
      const active = await this.ds.getRepository(ProductVariant).countBy({ productId: id, isActive: true });
      if (!active && (await this.ds.getRepository(Product).existsBy({ id }))) throw new ConflictError('no_variants', `product ${id} has no active variant and cannot be listed`);
    }
    await this.catalog.setListed(id, listed);
    return { id, isListed: listed };
  }

  // ---- categories ----

  /** All categories in tree order (parents before children), with their depth. */
  async categoryRows(): Promise<CategoryRow[]> {
    const all = await this.catalog.allCategories();
    const counts = await this.ds.getRepository(Product).createQueryBuilder('p').select('p.category_id', 'cid').addSelect('COUNT(*)', 'n').where('p.category_id IS NOT NULL').groupBy('p.category_id').getRawMany<{ cid: number | string; n: number | string }>();
    const countOf = new Map(counts.map((c) => [Number(c.cid), Number(c.n)]));
    const ids = new Set(all.map((c) => c.id));
    const out: CategoryRow[] = [];
    const seen = new Set<number>();
    const walk = (parentId: number | null, depth: number) => {
      for (const c of all) {
        const isChild = parentId === null ? c.parentId === null || !ids.has(c.parentId) : c.parentId === parentId;
        if (!isChild || seen.has(c.id)) continue;
        seen.add(c.id);
        out.push({ id: c.id, name: c.name, slug: c.slug, parentId: c.parentId, sortOrder: c.sortOrder, isVisible: c.isVisible, depth, indent: '—'.repeat(depth * 2), productCount: countOf.get(c.id) ?? 0 });
        walk(c.id, depth + 1);
      }
    };
    walk(null, 0);
    return out;
  }

  async category(id: number): Promise<Category> {
    const c = await this.ds.getRepository(Category).findOneBy({ id });
    if (!c) throw new NotFoundError('category', id);
    return c;
  }

  createCategory(input: CategoryInput): Promise<Category> {
    return this.catalog.createCategory(input);
  }

  async updateCategory(id: number, input: CategoryInput): Promise<Category> {
    return this.catalog.updateCategory(id, input);
  }

  // ---- orders ----

  async order(orderNo: string): Promise<OrderView> {
    return this.orders.view(await this.orders.byNo(orderNo), true);
  }

  async ship(orderNo: string, adminId: number, carrier: string, trackingNo: string): Promise<OrderView> {
    const order = await this.orders.ship(orderNo, `admin:${adminId}`, carrier.trim(), trackingNo.trim());
    return this.orders.view(order, true);
  }

  /**
   * Cancels an unpaid order. The provider is asked first whether it was paid after all (a lost
   * notification): then the order is paid and the cancel is refused with 409.
   */
  async cancel(orderNo: string, adminId: number): Promise<OrderView> {
    const current = await this.orders.byNo(orderNo);
    if (current.status === 'pending_payment' && (await this.payments.reconcileBeforeClose(current))) {
      throw new ConflictError('order_paid', `order ${orderNo} was paid in the meantime; refund it instead`);
    }
    const order = await this.orders.close(orderNo, `admin:${adminId}`, 'merchant_cancelled');
    await this.payments.closeOpenPayments(order.id);
    return this.orders.view(order, true);
  }

  async refund(orderNo: string, adminId: number, reason: string) {
    const current = await this.orders.byNo(orderNo);
    if (!['paid', 'shipped', 'completed'].includes(current.status)) {
      throw new ConflictError('illegal_transition', `order ${orderNo} is ${current.status}; only paid, shipped or completed orders can be refunded`);
    }
    const refund = await this.payments.refundOrder(orderNo, `admin:${adminId}`, reason.trim());
    return { refund: { refundNo: refund.refundNo, amount: refund.amount, status: refund.status, reason: refund.reason }, order: await this.order(orderNo) };
  }

  /** Buttons the admin may use on an order in this status. */
  adminActions(status: string): string[] {
    if (status === 'pending_payment') return ['cancel'];
    if (status === 'paid') return ['ship', 'refund'];
    if (status === 'shipped' || status === 'completed') return ['refund'];
    return [];
  }

  // ---- shipping ----

  async defaultShipping(): Promise<ShippingTemplateView> {
    const repo = this.ds.getRepository(ShippingTemplate);
    const t = (await repo.findOne({ where: { isDefault: true }, order: { id: 'ASC' } })) ?? (await repo.findOne({ where: {}, order: { id: 'ASC' } }));
    return t ? { id: t.id, name: t.name, firstItemFee: t.firstItemFee, additionalItemFee: t.additionalItemFee, freeFrom: t.freeFrom } : { id: null, name: '默认运费', firstItemFee: 0, additionalItemFee: 0, freeFrom: null };
  }

  async saveDefaultShipping(input: { name?: string; firstItemFee: number; additionalItemFee: number; freeFrom: number | null }): Promise<ShippingTemplateView> {
    const repo = this.ds.getRepository(ShippingTemplate);
    const current = await this.defaultShipping();
    const values = { name: input.name?.trim() || current.name, firstItemFee: input.firstItemFee, additionalItemFee: input.additionalItemFee, freeFrom: input.freeFrom, isDefault: true };
    if (current.id) await repo.update({ id: current.id }, values);
    else await repo.save(repo.create(values));
    return this.defaultShipping();
  }
}

/** Image URLs must be http(s) or site paths, never javascript: or data: URLs. */
export function checkImageUrls(input: Pick<ProductInput, 'images' | 'variants'>): void {
  const ok = (u: string) => /^(https?:\/\/[^\s]+|\/(?!\/)[^\s]*)$/i.test(u.trim());
  input.images.forEach((u, i) => {
    if (!ok(u)) throw new BadInputError(`images.${i}`, `image ${i + 1} must be an http(s) URL or a path starting with /`);
  });
  input.variants.forEach((v, i) => {
    if (v.imageUrl !== undefined && v.imageUrl !== '' && !ok(v.imageUrl)) throw new BadInputError(`variants.${i}.imageUrl`, 'variant image must be an http(s) URL or a path starting with /');
  });
}

function parseJsonArray(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  try {
    const v = JSON.parse(String(raw ?? '[]')) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
