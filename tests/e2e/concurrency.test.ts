import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, type TestApp, type MemberAgent } from '../support/test-app.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { OrderService } from '../../core/order/order.service.js';

describe('concurrency: stock is never oversold', () => {
  let t: TestApp;
  let second: TestApp;
  let buyers: Array<MemberAgent & { addressId: number }>;

  before(async () => {
    t = await startTestApp();
    // a second app instance on the same database, as in a two-instance deployment
    second = await startTestApp({ db: t.db });
    await createShipping(t);
    buyers = [];
    for (let i = 0; i < 20; i++) {
      const app = i % 2 === 0 ? t : second;
      const m = await app.signIn(`抢购者${i}`);
      buyers.push({ ...m, addressId: await addAddress(m) });
    }
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it('20 parallel orders for 5 units: exactly 5 succeed, stock ends at 0', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 1500, stock: 5 }] });
    const results = await Promise.all(buyers.map((b) => b.agent.post('/api/v1/orders').send({ addressId: b.addressId, items: [{ variantId: variantIds[0], quantity: 1 }] })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 5, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 15);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.code, 'insufficient_stock');
    const variant = await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] });
    assert.equal(variant.stock, 0);
    assert.equal(await t.ds.getRepository(Order).countBy({ status: 'pending_payment' }), 5);
  });

  it('multi-unit orders racing for the last units never drive stock negative', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 800, stock: 7 }] });
    const results = await Promise.all(buyers.slice(0, 10).map((b) => b.agent.post('/api/v1/orders').send({ addressId: b.addressId, items: [{ variantId: variantIds[0], quantity: 3 }] })));
    const ok = results.filter((r) => r.status === 201).length;
    assert.equal(ok, 2, 'two orders of 3 fit into 7');
    const variant = await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] });
    assert.equal(variant.stock, 1);
  });

  it('two orders holding the same two variants in opposite order both complete (no deadlock)', async () => {
    const a = (await createProduct(t, { variants: [{ specValues: [], price: 100, stock: 50 }] })).variantIds[0];
    const b = (await createProduct(t, { variants: [{ specValues: [], price: 100, stock: 50 }] })).variantIds[0];
    const results = await Promise.all(buyers.slice(0, 10).map((m, i) => m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items: i % 2 ? [{ variantId: a, quantity: 1 }, { variantId: b, quantity: 1 }] : [{ variantId: b, quantity: 1 }, { variantId: a, quantity: 1 }] })));
    assert.deepEqual(results.map((r) => r.status), Array(10).fill(201));
  });

  it('a buyer cancelling while another instance closes the same order: handled once, stock returned once', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 100, stock: 3 }] });
    const b = buyers[0];
    const placed = await b.agent.post('/api/v1/orders').send({ addressId: b.addressId, items: [{ variantId: variantIds[0], quantity: 2 }] }).expect(201);
    const outcomes = await Promise.allSettled([
      t.get(OrderService).close(placed.body.orderNo, 'system:job', 'payment_timeout'),
      second.get(OrderService).close(placed.body.orderNo, 'member:x', 'buyer_cancelled'),
    ]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const variant = await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] });
    assert.equal(variant.stock, 3);
  });
});
