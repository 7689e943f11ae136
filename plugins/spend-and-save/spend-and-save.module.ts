import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { InjectPluginSettings, type PluginSettings, type PricingAdjuster, type PricingContext, type SlotContext, type SlotDataLoader } from '../../core/plugin/index.js';
import { Category } from '../../core/catalog/entities/category.entity.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import type { ProductDetail } from '../../core/catalog/catalog.service.js';
import type { CartView } from '../../core/cart/cart.service.js';
import { bestTier, isRunning, nextTier, shortYuan, tierLabel, type SpendAndSaveSettings, type Tier } from './spend-and-save.rules.js';

export const PLUGIN_ID = 'spend-and-save';

@Injectable()
export class SpendAndSaveService {
  constructor(@InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<SpendAndSaveSettings>, @InjectDataSource() private readonly ds: DataSource) {}

  /** The settings when the activity is running at `now`, else null. */
  async running(now = new Date()): Promise<Readonly<SpendAndSaveSettings> | null> {
    const s = await this.settings.get();
    return isRunning(s, now) ? s : null;
  }

  /** The eligible category ids with all their sub-categories; null means every product is eligible. */
  async eligibleCategories(s: Readonly<SpendAndSaveSettings>, manager: EntityManager = this.ds.manager): Promise<Set<number> | null> {
    if (!s.categoryIds.length) return null;
    const all = await manager.find(Category, { select: { id: true, parentId: true } });
    const ids = new Set<number>(s.categoryIds);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of all) if (c.parentId !== null && ids.has(c.parentId) && !ids.has(c.id)) (ids.add(c.id), (grew = true));
    }
    return ids;
  }

  isEligible(categories: Set<number> | null, categoryId: number | null): boolean {
    return categories === null || (categoryId !== null && categories.has(categoryId));
  }

  sortedTiers(s: Readonly<SpendAndSaveSettings>): Tier[] {
    return [...s.tiers].sort((a, b) => a.threshold - b.threshold);
  }
}

/**
 * 满减: on the discountable total of the eligible lines (after activity prices), the best tier reached
 * applies. Priority 100 runs it before coupons (200), so a coupon's minimum spend is checked against
 * the total after spend-and-save.
 */
@Injectable()
export class SpendAndSaveAdjuster implements PricingAdjuster {
  readonly id = 'spend-and-save:tiers';
  readonly stage = 'order-discount' as const;
  readonly priority = 100;
  readonly exclusiveGroup = 'spend-and-save';

  constructor(private readonly service: SpendAndSaveService) {}

  async adjust(ctx: PricingContext) {
    const s = await this.service.running(ctx.now);
    if (!s) return [];
    const categories = await this.service.eligibleCategories(s, ctx.manager);
    const eligible = ctx.lines.filter((l) => l.discountable && this.service.isEligible(categories, l.categoryId));
    const eligibleTotal = eligible.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
    const tier = bestTier(s.tiers, eligibleTotal);
    if (!tier) return [];
    return [{ kind: 'discount' as const, label: tierLabel(tier), amount: tier.discount, data: { threshold: tier.threshold, discount: tier.discount, eligibleTotal } }];
  }
}

/** product.price: the tiers, when the product takes part. */
@Injectable()
export class PriceBadgeLoader implements SlotDataLoader {
  constructor(private readonly service: SpendAndSaveService) {}

  async load(ctx: SlotContext) {
    const product = ctx.data.product as ProductDetail | undefined;
    if (!product || typeof product !== 'object' || !('variants' in product)) return null;
    const s = await this.service.running();
    if (!s) return null;
    if (!this.service.isEligible(await this.service.eligibleCategories(s), product.category?.id ?? null)) return null;
    return { tiers: this.service.sortedTiers(s).map((t) => ({ ...t, label: tierLabel(t), thresholdYuan: shortYuan(t.threshold), discountYuan: shortYuan(t.discount) })) };
  }
}

/** cart.summary: how much more to add for the next tier ("再买¥X可减¥Y"), or the tier reached. */
@Injectable()
export class CartHintLoader implements SlotDataLoader {
  constructor(private readonly service: SpendAndSaveService, @InjectDataSource() private readonly ds: DataSource) {}

  async load(ctx: SlotContext) {
    const cart = ctx.data.cart as CartView | undefined;
    if (ctx.page !== 'cart' || !cart || !Array.isArray(cart.lines)) return null;
    const s = await this.service.running();
    if (!s) return null;
    const chosen = cart.lines.filter((l) => l.selected && l.available);
    const categories = await this.service.eligibleCategories(s);
    let eligibleTotal = 0;
    if (chosen.length) {
      const products = await this.ds.getRepository(Product).find({ select: { id: true, categoryId: true }, where: { id: In(chosen.map((l) => l.productId)) } });
      const categoryOf = new Map(products.map((p) => [p.id, p.categoryId]));
      for (const l of chosen) if (this.service.isEligible(categories, categoryOf.get(l.productId) ?? null)) eligibleTotal += l.lineTotal;
    }
    const reached = bestTier(s.tiers, eligibleTotal);
    const next = nextTier(s.tiers, eligibleTotal);
    if (!reached && !next) return null;
    const view = (t: Tier | null) => (t ? { ...t, thresholdYuan: shortYuan(t.threshold), label: tierLabel(t) } : null);
    return { eligibleTotal, reached: view(reached), next: view(next), missing: next ? next.threshold - eligibleTotal : 0 };
  }
}

/** The running offer, for storefront scripts. */
@Controller('api/v1/spend-and-save')
export class SpendAndSaveController {
  constructor(private readonly service: SpendAndSaveService) {}

  @Get()
  async offer() {
    const s = await this.service.settings.get();
    const running = await this.service.running();
    return { running: running !== null, tiers: this.service.sortedTiers(s).map((t) => ({ ...t, label: tierLabel(t) })), categoryIds: s.categoryIds, startsAt: s.startsAt || null, endsAt: s.endsAt || null };
  }
}

@Module({ controllers: [SpendAndSaveController], providers: [SpendAndSaveService, SpendAndSaveAdjuster, PriceBadgeLoader, CartHintLoader], exports: [SpendAndSaveService] })
export class SpendAndSaveModule {}
