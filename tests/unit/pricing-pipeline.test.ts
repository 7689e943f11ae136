import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityManager } from 'typeorm';
import { PricingPipeline } from '../../core/pricing/pricing-pipeline.service.js';
import type { PricingAdjuster, PricingLine } from '../../core/pricing/pricing.types.js';

function line(index: number, price: number, quantity: number): PricingLine {
  return { index, productId: index + 1, variantId: index + 100, categoryId: null, title: `L${index}`, specText: '', imageUrl: null, skuCode: null, shippingTemplateId: 0, weightGrams: 0, quantity, listUnitPrice: price, unitPrice: price, discountable: true, discountAllocated: 0 };
}

const run = (p: PricingPipeline, lines: PricingLine[]) => p.price({ memberId: 1, lines, options: {}, manager: {} as EntityManager, placing: false });

function activityPrice(id: string, priority: number, lineIndex: number, price: number, stack = true): PricingAdjuster {
  return { id, stage: 'line-price', priority, exclusiveGroup: 'activity-price', adjust: () => [{ kind: 'price', label: id, amount: price, lineIndex, allowsOrderDiscounts: stack }] };
}

function discount(id: string, priority: number, amount: number, group?: string): PricingAdjuster {
  return { id, stage: 'order-discount', priority, exclusiveGroup: group, adjust: () => [{ kind: 'discount', label: id, amount }] };
}

describe('pricing pipeline', () => {
  it('activity prices never stack or overwrite each other: the first by priority owns the line', async () => {
    const p = new PricingPipeline();
    p.register(activityPrice('group-buy', 20, 0, 7000));
    p.register(activityPrice('flash-sale', 10, 0, 5000));
    p.register(activityPrice('bargain', 30, 0, 100));
    const r = await run(p, [line(0, 9900, 1)]);
    assert.equal(r.lines[0].unitPrice, 5000);
    assert.deepEqual(r.adjustments.map((a) => a.source), ['flash-sale']);
  });

  it('an activity price above the catalog price is ignored', async () => {
    const p = new PricingPipeline();
    p.register(activityPrice('odd', 10, 0, 20000));
    const r = await run(p, [line(0, 9900, 1)]);
    assert.equal(r.lines[0].unitPrice, 9900);
  });

  it('discounts of different groups add up in priority order; one per exclusive group', async () => {
    const p = new PricingPipeline();
    p.register(discount('spend-and-save', 10, 2000, 'spend-and-save'));
    p.register(discount('coupon-a', 20, 500, 'coupon'));
    p.register(discount('coupon-b', 21, 900, 'coupon'));
    const r = await run(p, [line(0, 10000, 1), line(1, 5000, 2)]);
    assert.equal(r.discountTotal, 2500);
    assert.deepEqual(r.adjustments.map((a) => a.source), ['spend-and-save', 'coupon-a']);
    assert.equal(r.payableTotal, 20000 - 2500);
    assert.equal(r.lines[0].discountAllocated + r.lines[1].discountAllocated, 2500, 'allocation adds up');
    assert.deepEqual(r.lines.map((l) => l.discountAllocated), [1250, 1250]);
  });

  it('discounts are capped at the discountable total and skip lines whose activity forbids stacking', async () => {
    const p = new PricingPipeline();
    p.register(activityPrice('flash-sale', 10, 0, 3000, false));
    p.register(discount('huge', 10, 1_000_000, 'x'));
    const r = await run(p, [line(0, 9900, 1), line(1, 1000, 3)]);
    assert.equal(r.discountTotal, 3000, 'only the non-activity line is discountable');
    assert.equal(r.lines[0].discountAllocated, 0);
    assert.equal(r.lines[1].discountAllocated, 3000);
    assert.equal(r.payableTotal, 3000);
  });

  it('refuses an adjuster that returns the wrong kind or a fractional amount', async () => {
    const p = new PricingPipeline();
    p.register({ id: 'bad', stage: 'order-discount', priority: 1, adjust: () => [{ kind: 'discount', label: 'x', amount: 1.5 }] });
    await assert.rejects(run(p, [line(0, 100, 1)]), /non-integer/);
    const q = new PricingPipeline();
    q.register({ id: 'wrong', stage: 'shipping', priority: 1, adjust: () => [{ kind: 'discount', label: 'x', amount: 1 }] });
    await assert.rejects(run(q, [line(0, 100, 1)]), /returned a "discount"/);
  });

  it('refuses two adjusters with the same id', () => {
    const p = new PricingPipeline();
    p.register(discount('same', 1, 1));
    assert.throws(() => p.register(discount('same', 2, 1)), /registered twice/);
  });
});
