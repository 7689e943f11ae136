import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { PricingAdjuster, PricingContext, PriceAdjustment } from '../../../core/pricing/pricing.types.js';
import { Distributor } from '../entities/distributor.entity.js';
import { PartnerPrice } from '../entities/partner-price.entity.js';
import { ReferralBinding } from '../entities/referral-binding.entity.js';
import { DistributionSettingsSource } from './settings.provider.js';

/**
 * The partner price (合伙人价): the brand's own lower price for members bound to a distributor (and
 * distributors themselves). It is a line price, so it never stacks with an activity price; activities
 * (lower priority numbers) win the line first.
 */
@Injectable()
export class PartnerPriceAdjuster implements PricingAdjuster {
  readonly id = 'distribution:partner-price';
  readonly stage = 'line-price' as const;
  readonly priority = 200;
  readonly exclusiveGroup = 'activity-price';

  constructor(private readonly settings: DistributionSettingsSource) {}

  async adjust(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> {
    if (!this.settings.current().partnerPriceEnabled || ctx.memberId === null) return [];
    const bound = (await ctx.manager.countBy(ReferralBinding, { memberId: ctx.memberId })) > 0 || (await ctx.manager.countBy(Distributor, { memberId: ctx.memberId, status: 'active' })) > 0;
    if (!bound) return [];
    const prices = await ctx.manager.findBy(PartnerPrice, { variantId: In(ctx.lines.map((l) => l.variantId)) });
    return ctx.lines.flatMap((line) => {
      const p = prices.find((x) => x.variantId === line.variantId);
      return p && p.price < line.unitPrice ? [{ kind: 'price' as const, label: '合伙人价', amount: p.price, lineIndex: line.index, data: { earnsCommission: true } }] : [];
    });
  }
}
