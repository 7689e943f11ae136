import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../support/test-app.js';
import { PaymentService } from '../../core/payment/payment.service.js';
import { OrderService } from '../../core/order/order.service.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { EventBus } from '../../core/events/event-bus.service.js';
import { PricingPipeline } from '../../core/pricing/pricing-pipeline.service.js';
import type { DomainEvent } from '../../core/events/domain-events.js';

describe('refunds by line and in full', () => {
  let t: TestApp;
  let m: MemberAgent;
  let addressId: number;
  const refunded: Array<{ lineIds: number[]; amount: number }> = [];

  before(async () => {
    t = await startTestApp();
    t.get(EventBus).subscribe({ name: 'test:refunds', events: ['order.refunded'], handle: async (e: DomainEvent) => { refunded.push(e.payload as { lineIds: number[]; amount: number }); } });
    await createShipping(t, { freeFrom: null, firstItemFee: 800, additionalItemFee: 0 });
    m = await t.signIn('退款买家');
    addressId = await addAddress(m);
  });
  after(() => t.close());

  it('refunds one line, then the rest with shipping; stock returns for an unshipped order', async () => {
    const a = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const b = await createProduct(t, { variants: [{ specValues: [], price: 2000, stock: 10 }] });
    const orderNo = await buy(m, addressId, [{ variantId: a.variantIds[0], quantity: 2 }, { variantId: b.variantIds[0], quantity: 1 }]);
    const view = await t.get(OrderService).view(await t.get(OrderService).byNo(orderNo));
    assert.equal(view.paidTotal, 8800);
    const lineA = view.lines.find((l) => l.variantId === a.variantIds[0])!;

    const first = await t.get(PaymentService).refundLines(orderNo, [lineA.id], 'admin:1', '尺码不合适');
    assert.equal(first.amount, 6000);
    let order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(order.status, 'paid', 'a partial refund keeps the order going');
    assert.equal(order.refundedTotal, 6000);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: a.variantIds[0] })).stock, 10);

    await assert.rejects(t.get(PaymentService).refundLines(orderNo, [lineA.id], 'admin:1', 'again'), /already refunded/);

    const rest = await t.get(PaymentService).refundOrder(orderNo, 'admin:1', '不想要了');
    assert.equal(rest.amount, 2800, 'the last line takes the ¥8 shipping with it');
    order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(order.status, 'refunded');
    assert.equal(order.refundedTotal, order.paidTotal);
    await t.settle();
    assert.deepEqual(refunded.map((r) => r.amount), [6000, 2800]);
    assert.deepEqual(refunded[0].lineIds, [lineA.id]);
    await assert.rejects(t.get(PaymentService).refundOrder(orderNo, 'admin:1', 'x'), /already fully refunded/);
  });

  it('a line whose stock an activity holds never moves variant stock, on placing or on refund', async () => {
    const p = await createProduct(t, { variants: [{ specValues: [], price: 5000, stock: 10 }] });
    const variantId = p.variantIds[0];
    t.get(PricingPipeline).register({
      id: 'test:held-activity', stage: 'line-price', priority: 1, exclusiveGroup: 'activity-price',
      adjust: (ctx) => ctx.lines.filter((l) => l.variantId === variantId).map((l) => ({ kind: 'price' as const, label: 'activity', amount: 3000, lineIndex: l.index, holdsStock: true })),
    });
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 2 }]);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantId })).stock, 10, 'the activity took the units, not the variant');
    await t.get(PaymentService).refundOrder(orderNo, 'admin:1', 'held stock refund');
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantId })).stock, 10, 'nothing is given back to the variant that it never gave');
  });

  it('an unpaid order cannot be refunded', async () => {
    const p = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const placed = await m.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: p.variantIds[0], quantity: 1 }] }).expect(201);
    await assert.rejects(t.get(PaymentService).refundOrder(placed.body.orderNo, 'admin:1', 'x'), /no successful payment/);
  });

  it('concurrent full refunds of one order: exactly one succeeds', async () => {
    const p = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const orderNo = await buy(m, addressId, [{ variantId: p.variantIds[0], quantity: 1 }]);
    const results = await Promise.allSettled([1, 2, 3].map(() => t.get(PaymentService).refundOrder(orderNo, 'admin:1', 'race')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(order.refundedTotal, order.paidTotal);
  });
});
