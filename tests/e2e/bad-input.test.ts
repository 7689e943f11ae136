import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, type TestApp, type MemberAgent } from '../support/test-app.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { OrderLine } from '../../core/order/entities/order-line.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';

describe('bad input gets a clear 4xx and leaves no partial data', () => {
  let t: TestApp;
  let alice: MemberAgent;
  let bob: MemberAgent;
  let variantId: number;
  let addressId: number;

  before(async () => {
    t = await startTestApp();
    await createShipping(t);
    variantId = (await createProduct(t, { variants: [{ specValues: [], price: 2500, stock: 3 }] })).variantIds[0];
    alice = await t.signIn('Alice');
    bob = await t.signIn('Bob');
    addressId = await addAddress(alice);
  });
  after(() => t.close());

  async function counts() {
    return { orders: await t.ds.getRepository(Order).count(), lines: await t.ds.getRepository(OrderLine).count(), stock: (await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantId })).stock };
  }

  it('unknown fields are refused, naming the field', async () => {
    const res = await alice.agent.post('/api/v1/cart/items').send({ variantId, quantity: 1, price: 1 }).expect(400);
    assert.equal(res.body.code, 'validation_failed');
    assert.equal(res.body.field, 'price');
    assert.match(res.body.message, /property price should not exist/);
  });

  it('negative or zero quantities are refused', async () => {
    const res = await alice.agent.post('/api/v1/cart/items').send({ variantId, quantity: -2 }).expect(400);
    assert.equal(res.body.field, 'quantity');
    assert.match(res.body.message, /quantity must not be less than 1/);
    const before = await counts();
    const order = await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId, quantity: 0 }] }).expect(400);
    assert.equal(order.body.field, 'items.0.quantity');
    assert.deepEqual(await counts(), before);
  });

  it('a string where a number belongs is refused', async () => {
    const res = await alice.agent.post('/api/v1/cart/items').send({ variantId: '1', quantity: 1 }).expect(400);
    assert.equal(res.body.field, 'variantId');
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await alice.agent.post('/api/v1/cart/items').set('content-type', 'application/json').send('{"variantId":').expect(400);
    assert.equal(res.body.statusCode, 400);
  });

  it('an unknown product or variant is 404', async () => {
    const p = await t.http().get('/api/v1/products/999999').expect(404);
    assert.equal(p.body.code, 'product_not_found');
    const v = await alice.agent.post('/api/v1/cart/items').send({ variantId: 999999, quantity: 1 }).expect(404);
    assert.equal(v.body.code, 'variant_not_found');
    assert.equal(v.body.field, 'variantId');
    const before = await counts();
    const o = await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId, quantity: 1 }, { variantId: 999999, quantity: 1 }] }).expect(404);
    assert.equal(o.body.field, 'items.1.variantId');
    assert.deepEqual(await counts(), before, 'the valid line reserved nothing');
  });

  it('another member\'s order and address are invisible (404)', async () => {
    const placed = await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId, quantity: 1 }] }).expect(201);
    const peek = await bob.agent.get(`/api/v1/orders/${placed.body.orderNo}`).expect(404);
    assert.equal(peek.body.code, 'order_not_found');
    await bob.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).expect(404);
    await bob.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({}).expect(404);
    const useAddress = await bob.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId, quantity: 1 }] }).expect(404);
    assert.equal(useAddress.body.field, 'addressId');
    const list = await bob.agent.get('/api/v1/orders').expect(200);
    assert.equal(list.body.total, 0);
    await alice.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).expect(200);
  });

  it('exhausted stock is a 409 naming the line, and nothing is reserved', async () => {
    const before = await counts();
    const res = await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId, quantity: 4 }] }).expect(409);
    assert.equal(res.body.code, 'insufficient_stock');
    assert.equal(res.body.field, 'items.0.quantity');
    assert.match(res.body.message, /only 3 left/);
    assert.deepEqual(await counts(), before);
    const cart = await alice.agent.post('/api/v1/cart/items').send({ variantId, quantity: 4 }).expect(409);
    assert.equal(cart.body.code, 'insufficient_stock');
    const preview = await alice.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId, quantity: 4 }] }).expect(409);
    assert.equal(preview.body.field, 'items.0.quantity', 'the preview says so before the order is submitted');
  });

  it('checkout from the cart skips selected lines that cannot be bought', async () => {
    const soldOut = await createProduct(t, { variants: [{ specValues: [], price: 1000, stock: 1 }] });
    const fine = await createProduct(t, { variants: [{ specValues: [], price: 1000, stock: 5 }] });
    const carol = await t.signIn('Carol');
    const carolAddress = await addAddress(carol);
    await carol.agent.post('/api/v1/cart/items').send({ variantId: soldOut.variantIds[0], quantity: 1 }).expect(201);
    await carol.agent.post('/api/v1/cart/items').send({ variantId: fine.variantIds[0], quantity: 2 }).expect(201);
    await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: soldOut.variantIds[0], quantity: 1 }] }).expect(201);
    const placed = await carol.agent.post('/api/v1/orders').send({ addressId: carolAddress }).expect(201);
    assert.deepEqual(placed.body.lines.map((l: { variantId: number }) => l.variantId), [fine.variantIds[0]]);
    const cart = await carol.agent.get('/api/v1/cart').expect(200);
    assert.deepEqual(cart.body.lines.map((l: { problem: string }) => l.problem), ['out_of_stock'], 'the sold-out line stays in the cart with its problem');
  });

  it('signed-out requests get 401, forged cookies too', async () => {
    const res = await t.http().get('/api/v1/cart').expect(401);
    assert.equal(res.body.code, 'sign_in_required');
    await t.http().get('/api/v1/cart').set('cookie', 'mall_member=1.abc.forged').expect(401);
  });

  it('an invalid phone number names the field', async () => {
    const res = await alice.agent.post('/api/v1/addresses').send({ recipientName: '张三', phone: '12345', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' }).expect(400);
    assert.equal(res.body.field, 'phone');
  });

  it('checkout without an address or with an empty cart is refused', async () => {
    const noAddress = await alice.agent.post('/api/v1/orders').send({ items: [{ variantId, quantity: 1 }] }).expect(400);
    assert.equal(noAddress.body.field, 'addressId');
    const empty = await bob.agent.post('/api/v1/orders').send({ addressId: 1 }).expect(400);
    assert.equal(empty.body.code, 'empty_cart');
  });

  it('form-encoded writes to the JSON API are refused (CSRF)', async () => {
    const res = await alice.agent.post('/api/v1/cart/items').type('form').send('variantId=1&quantity=1').expect(415);
    assert.equal(res.body.code, 'unsupported_media_type');
  });

  it('a delisted product cannot be bought', async () => {
    const p = await createProduct(t, { isListed: false });
    const res = await alice.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: p.variantIds[0], quantity: 1 }] }).expect(409);
    assert.equal(res.body.code, 'product_delisted');
    await t.http().get(`/api/v1/products/${p.slug}`).expect(404);
  });
});
