import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, type TestApp, type MemberAgent } from '../support/test-app.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { OrderService } from '../../core/order/order.service.js';
import { OrderHistory } from '../../core/order/entities/order-history.entity.js';
import { EventBus } from '../../core/events/event-bus.service.js';
import type { DomainEvent } from '../../core/events/domain-events.js';

describe('buy flow: browse → cart → checkout → sandbox pay → ship → complete', () => {
  let t: TestApp;
  let buyer: MemberAgent;
  let product: { id: number; slug: string; variantIds: number[] };
  const seen: string[] = [];

  before(async () => {
    t = await startTestApp();
    t.get(EventBus).subscribe({ name: 'test:recorder', events: ['order.placed', 'order.paid', 'order.shipped', 'order.completed', 'member.created'], handle: async (e: DomainEvent) => { seen.push(e.type); } });
    await createShipping(t);
    product = await createProduct(t, {
      title: '纯棉短袖T恤', specNames: ['颜色', '尺码'],
      variants: [
        { specValues: ['白色', 'M'], price: 5900, originalPrice: 7900, stock: 5 },
        { specValues: ['黑色', 'L'], price: 6900, stock: 0 },
      ],
    });
    buyer = await t.signIn('买家小李');
  });
  after(() => t.close());

  it('lists and shows the product with its variants', async () => {
    const list = await t.http().get('/api/v1/products').query({ q: '短袖' }).expect(200);
    assert.equal(list.body.total, 1);
    assert.equal(list.body.items[0].minPrice, 5900);
    const detail = await t.http().get(`/api/v1/products/${product.slug}`).expect(200);
    assert.deepEqual(detail.body.specOptions, [{ name: '颜色', values: ['白色', '黑色'] }, { name: '尺码', values: ['M', 'L'] }]);
    assert.equal(detail.body.variants.length, 2);
  });

  it('buys two shirts and follows the order to completion', async () => {
    const [white] = product.variantIds;
    const cart = await buyer.agent.post('/api/v1/cart/items').send({ variantId: white, quantity: 2 }).expect(201);
    assert.equal(cart.body.selectedTotal, 11800);
    const addressId = await addAddress(buyer);

    const preview = await buyer.agent.post('/api/v1/checkout/preview').send({ addressId }).expect(200);
    assert.equal(preview.body.itemsTotal, 11800);
    assert.equal(preview.body.shippingFee, 0, 'free shipping from ¥99');
    assert.equal(preview.body.payableTotal, 11800);

    const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, note: '请尽快发货' }).expect(201);
    assert.equal(placed.body.status, 'pending_payment');
    assert.deepEqual(placed.body.actions, ['pay', 'cancel']);
    assert.equal(placed.body.lines[0].specText, '白色 / M');
    assert.equal(placed.body.recipient.phone, '13800138000');
    const orderNo: string = placed.body.orderNo;
    assert.match(orderNo, /^\d{22}$/);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: white })).stock, 3, 'stock reserved at placement');
    assert.equal((await buyer.agent.get('/api/v1/cart').expect(200)).body.lines.length, 0, 'bought lines leave the cart');

    const pay = await buyer.agent.post(`/api/v1/orders/${orderNo}/payments`).send({}).expect(200);
    assert.equal(pay.body.action.type, 'redirect');
    const confirm = await buyer.agent.post(`/payments/sandbox/${pay.body.paymentNo}/confirm`).expect(200);
    assert.equal(confirm.body.outcome, 'paid');
    const again = await buyer.agent.post(`/payments/sandbox/${pay.body.paymentNo}/confirm`).expect(200);
    assert.equal(again.body.outcome, 'already_paid', 'confirming twice changes nothing');
    const paid = await buyer.agent.get(`/api/v1/orders/${orderNo}`).expect(200);
    assert.equal(paid.body.status, 'paid');
    assert.equal(paid.body.paidTotal, 11800);

    await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF1234567890');
    const shipped = await buyer.agent.get(`/api/v1/orders/${orderNo}`).expect(200);
    assert.equal(shipped.body.status, 'shipped');
    assert.deepEqual(shipped.body.actions, ['confirm_receipt']);

    const done = await buyer.agent.post(`/api/v1/orders/${orderNo}/confirm-receipt`).expect(200);
    assert.equal(done.body.status, 'completed');
    const history = await t.ds.getRepository(OrderHistory).find({ where: { orderId: done.body.id }, order: { id: 'ASC' } });
    assert.deepEqual(history.map((h) => h.toStatus), ['pending_payment', 'paid', 'shipped', 'completed']);

    await t.settle();
    assert.deepEqual(seen.filter((e) => e.startsWith('order.')), ['order.placed', 'order.paid', 'order.shipped', 'order.completed']);
    assert.ok(seen.includes('member.created'));
  });

  it('charges shipping below the free threshold: ¥8 first item', async () => {
    const other = await createProduct(t, { variants: [{ specValues: [], price: 1990, stock: 10 }] });
    const addressId = await addAddress(buyer);
    const preview = await buyer.agent.post('/api/v1/checkout/preview').send({ addressId, items: [{ variantId: other.variantIds[0], quantity: 2 }] }).expect(200);
    assert.equal(preview.body.itemsTotal, 3980);
    assert.equal(preview.body.shippingFee, 1000, '¥8 first + ¥2 second');
    assert.equal(preview.body.payableTotal, 4980);
  });

  it('cancelling an unpaid order returns its stock', async () => {
    const p = await createProduct(t, { variants: [{ specValues: [], price: 1000, stock: 4 }] });
    const addressId = await addAddress(buyer);
    const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: p.variantIds[0], quantity: 3 }] }).expect(201);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: p.variantIds[0] })).stock, 1);
    const cancelled = await buyer.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).expect(200);
    assert.equal(cancelled.body.status, 'closed');
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: p.variantIds[0] })).stock, 4);
    const payAfter = await buyer.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({}).expect(409);
    assert.equal(payAfter.body.code, 'not_payable');
    await buyer.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).expect(409);
  });
});
