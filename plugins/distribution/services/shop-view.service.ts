import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { percentOf } from '../../../core/common/money.js';
import { CatalogService, type ProductDetail, type ProductSummary } from '../../../core/catalog/catalog.service.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { ThemeService } from '../../../core/theme/theme.service.js';
import { Distributor } from '../entities/distributor.entity.js';
import { DistributorLevel, type Rate } from '../entities/distributor-level.entity.js';
import { ProductRate } from '../entities/product-rate.entity.js';
import { ShopPick } from '../entities/shop-pick.entity.js';
import { CommissionModes } from './commission-modes.js';
import { DistributionSettingsSource } from './settings.provider.js';

export interface ShopProduct extends ProductSummary {
  required: boolean;
}

/** An estimate of what a distributor earns as L1 on one unit of a product, for the 分享赚 button. */
export interface CommissionEstimate {
  amount: number;
  rate: Rate;
  /** Variants cost differently: the amount is the cheapest variant's ("from"). */
  from: boolean;
}

/**
 * Read-only queries for the storefront pages of the distribution plugin (sub-shop, centre, poster),
 * kept apart from the engine's services. Catalog and theme services are resolved from the whole
 * application (the plugin module does not import core modules).
 */
@Injectable()
export class ShopViewService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: DistributionSettingsSource,
    private readonly modes: CommissionModes,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get catalog(): CatalogService {
    return this.moduleRef.get(CatalogService, { strict: false });
  }

  /** Listed products as cards, in the order of `ids` (unlisted and missing ones are left out). */
  async products(ids: number[]): Promise<ProductSummary[]> {
    if (!ids.length) return [];
    const rows = await this.ds.getRepository(Product).findBy({ id: In(ids), isListed: true });
    const summaries = await this.catalog.summaries(rows);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id)).filter((s): s is ProductSummary => !!s);
  }

  /** What a sub-shop shows: the merchant's required products first, then the distributor's picks. */
  async shopProducts(memberId: number): Promise<ShopProduct[]> {
    const required = new Set(this.settings.current().requiredProductIds);
    const picks = await this.ds.getRepository(ShopPick).find({ where: { distributorMemberId: memberId }, order: { sortOrder: 'ASC', id: 'DESC' } });
    const ids = [...new Set([...required, ...picks.map((p) => p.productId)])];
    return (await this.products(ids)).map((p) => ({ ...p, required: required.has(p.id) }));
  }

  requiredIds(): number[] {
    return this.settings.current().requiredProductIds;
  }

  async pickedIds(memberId: number): Promise<number[]> {
    return (await this.ds.getRepository(ShopPick).find({ where: { distributorMemberId: memberId }, select: { productId: true } })).map((p) => p.productId);
  }

  async member(memberId: number): Promise<Member | null> {
    return this.ds.getRepository(Member).findOneBy({ id: memberId });
  }

  async levelName(d: Distributor): Promise<string | null> {
    const repo = this.ds.getRepository(DistributorLevel);
    const level = (d.levelId ? await repo.findOneBy({ id: d.levelId }) : null) ?? (await repo.findOneBy({ isDefault: true }));
    return level?.name ?? null;
  }

  /** Fen paid in completed orders, net of refunds (the spend-threshold rule's measure). */
  async completedSpend(memberId: number): Promise<number> {
    const row = (await this.ds.getRepository(Order).createQueryBuilder('o').select('COALESCE(SUM(o.paid_total - o.refunded_total), 0)', 'total').where('o.member_id = :m AND o.status = :s', { m: memberId, s: 'completed' }).getRawOne()) as { total: string | number };
    return Number(row.total);
  }

  /** How many uplines the selected mode pays (single → 1, multi → levelsDeep, never above 3). */
  depth(): number {
    const s = this.settings.current();
    return Math.max(1, this.modes.depthOf(s.mode, s));
  }

  shopUrl(code: string): string {
    return `${this.config.publicUrl}/shop/${encodeURIComponent(code)}`;
  }

  productUrl(slug: string, code: string): string {
    return `${this.config.publicUrl}/products/${encodeURIComponent(slug)}?ref=${encodeURIComponent(code)}`;
  }

  /**
   * L1 commission on one unit of the product: the product's override rate for the distributor's
   * level (or for any level), else the level's own L1 rate. Before discounts and any order cap, so
   * it is an estimate; null when the rate pays nothing.
   */
  async l1Estimate(d: Distributor, product: Pick<ProductDetail, 'id' | 'minPrice'> & { variants?: Array<{ price: number }> }): Promise<CommissionEstimate | null> {
    const levels = this.ds.getRepository(DistributorLevel);
    const level = (d.levelId ? await levels.findOneBy({ id: d.levelId }) : null) ?? (await levels.findOneBy({ isDefault: true }));
    const overrides = await this.ds.getRepository(ProductRate).findBy({ productId: product.id });
    const override = (level ? overrides.find((o) => o.levelId === level.id) : undefined) ?? overrides.find((o) => o.levelId === null);
    const rate = override?.rates[0] ?? level?.rates[0];
    if (!rate || rate.value <= 0) return null;
    const amount = rate.type === 'percent' ? percentOf(product.minPrice, rate.value) : rate.value;
    if (amount <= 0) return null;
    const prices = new Set((product.variants ?? []).map((v) => v.price));
    return { amount, rate, from: rate.type === 'percent' && prices.size > 1 };
  }

  /** The active theme's resolved settings (brandName, primaryColor …), for posters drawn outside templates. */
  async themeSettings(): Promise<Record<string, unknown>> {
    try {
      const engine = await this.moduleRef.get(ThemeService, { strict: false }).active();
      // ThemeEngine keeps its resolved settings private; posters need the brand name and colours
      return (engine as unknown as { settings?: Record<string, unknown> }).settings ?? {};
    } catch {
      return {};
    }
  }
}
