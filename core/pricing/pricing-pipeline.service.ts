import { Injectable } from '@nestjs/common';
import { allocateProportionally } from '../common/money.js';
import type { CheckoutOptions, PriceAdjustment, PricingAdjuster, PricingContext, PricingLine, PricingResult, PricingStage } from './pricing.types.js';
import type { EntityManager } from 'typeorm';

const STAGES: PricingStage[] = ['line-price', 'order-discount', 'shipping'];
const KIND_OF_STAGE: Record<PricingStage, PriceAdjustment['kind']> = { 'line-price': 'price', 'order-discount': 'discount', shipping: 'shipping' };

@Injectable()
export class PricingPipeline {
  private readonly adjusters: PricingAdjuster[] = [];

  register(adjuster: PricingAdjuster): void {
    if (this.adjusters.some((a) => a.id === adjuster.id)) throw new Error(`Pricing adjuster "${adjuster.id}" is registered twice`);
    this.adjusters.push(adjuster);
  }

  list(): readonly PricingAdjuster[] {
    return this.ordered();
  }

  async price(input: { memberId: number | null; lines: PricingLine[]; options: CheckoutOptions; manager: EntityManager; placing: boolean; now?: Date }): Promise<PricingResult> {
    const lines = input.lines;
    const adjustments: PriceAdjustment[] = [];
    const sumLines = (filter: (l: PricingLine) => boolean) => lines.filter(filter).reduce((s, l) => s + l.unitPrice * l.quantity, 0);
    const ctx: PricingContext = {
      memberId: input.memberId, lines, options: input.options, now: input.now ?? new Date(), manager: input.manager, placing: input.placing, adjustments,
      itemsTotal: () => sumLines(() => true),
      discountableTotal: () => sumLines((l) => l.discountable),
      discountTotal: () => adjustments.filter((a) => a.kind === 'discount').reduce((s, a) => s + a.amount, 0),
    };
    const pricedLines = new Set<number>();
    const groupsUsed = new Set<string>();
    for (const adjuster of this.ordered()) {
      const proposals = await adjuster.adjust(ctx);
      for (const p of proposals) {
        if (p.kind !== KIND_OF_STAGE[adjuster.stage]) {
          throw new Error(`Adjuster ${adjuster.id} (stage ${adjuster.stage}) returned a "${p.kind}" adjustment`);
        }
        if (!Number.isSafeInteger(p.amount)) throw new Error(`Adjuster ${adjuster.id} returned a non-integer amount ${p.amount}`);
        const adj: PriceAdjustment = { ...p, source: adjuster.id };
        if (p.kind === 'price') {
          const line = p.lineIndex === undefined ? undefined : lines[p.lineIndex];
          if (!line) throw new Error(`Adjuster ${adjuster.id} priced an unknown line ${p.lineIndex}`);
          if (pricedLines.has(line.index)) continue; // activity prices never stack or overwrite each other
          if (p.amount < 0 || p.amount > line.listUnitPrice) continue; // never above the brand's price, never negative
          pricedLines.add(line.index);
          line.unitPrice = p.amount;
          if (p.allowsOrderDiscounts === false) line.discountable = false;
          adjustments.push(adj);
        } else if (p.kind === 'discount') {
          if (p.amount <= 0) continue;
          if (adjuster.exclusiveGroup && groupsUsed.has(adjuster.exclusiveGroup)) continue;
          const room = ctx.discountableTotal() - ctx.discountTotal();
          if (room <= 0) continue;
          adj.amount = Math.min(p.amount, room);
          if (adjuster.exclusiveGroup) groupsUsed.add(adjuster.exclusiveGroup);
          adjustments.push(adj);
        } else {
          if (p.amount < 0) continue;
          adjustments.push(adj);
        }
      }
    }
    const itemsTotal = ctx.itemsTotal();
    const discountTotal = ctx.discountTotal();
    const shippingFee = adjustments.filter((a) => a.kind === 'shipping').reduce((s, a) => s + a.amount, 0);
    const discountable = lines.filter((l) => l.discountable);
    const shares = allocateProportionally(discountTotal, discountable.map((l) => l.unitPrice * l.quantity));
    discountable.forEach((l, i) => (l.discountAllocated = shares[i]));
    return { lines, adjustments, itemsTotal, discountTotal, shippingFee, payableTotal: itemsTotal - discountTotal + shippingFee };
  }

  private ordered(): PricingAdjuster[] {
    return [...this.adjusters].sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || a.priority - b.priority || a.id.localeCompare(b.id));
  }
}
