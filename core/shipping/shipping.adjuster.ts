import type { PricingAdjuster, PricingContext, PriceAdjustment } from '../pricing/pricing.types.js';
import { ShippingTemplate } from './entities/shipping-template.entity.js';

/**
 * Core shipping: lines are grouped by their product's template (0 = the default template).
 * Each group pays firstItemFee + additionalItemFee × (items − 1), unless the group's subtotal after
 * discounts reaches the template's freeFrom.
 */
export class ShippingAdjuster implements PricingAdjuster {
  readonly id = 'core:shipping';
  readonly stage = 'shipping' as const;
  readonly priority = 100;

  async adjust(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> {
    const templates = await ctx.manager.find(ShippingTemplate);
    const fallback = templates.find((t) => t.isDefault) ?? templates[0];
    const groups = new Map<number, { template: ShippingTemplate | undefined; items: number; subtotal: number }>();
    const discountRatio = ctx.discountableTotal() > 0 ? ctx.discountTotal() / ctx.discountableTotal() : 0;
    for (const line of ctx.lines) {
      const template = templates.find((t) => t.id === line.shippingTemplateId) ?? fallback;
      const key = template?.id ?? 0;
      const g = groups.get(key) ?? { template, items: 0, subtotal: 0 };
      g.items += line.quantity;
      const lineTotal = line.unitPrice * line.quantity;
      g.subtotal += line.discountable ? Math.round(lineTotal * (1 - discountRatio)) : lineTotal;
      groups.set(key, g);
    }
    let fee = 0;
    for (const g of groups.values()) {
      if (!g.template) continue;
      if (g.template.freeFrom !== null && g.subtotal >= g.template.freeFrom) continue;
      fee += g.template.firstItemFee + g.template.additionalItemFee * Math.max(0, g.items - 1);
    }
    return [{ kind: 'shipping', label: fee === 0 ? '包邮' : '运费', amount: fee }];
  }
}
