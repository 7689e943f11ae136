import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, createProduct, createShipping, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { OrderAdjustment } from '../../../core/order/entities/order-adjustment.entity.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { Coupon } from '../entities/coupon.entity.js';
import { MemberCoupon } from '../entities/member-coupon.entity.js';
import { CouponsService } from '../coupons.service.js';
import { couponDiscount, couponLabel } from '../coupon.rules.js';
import { pendingSchemaChanges } from '../../../core/database/schema-drift.js';

const HOUR = 3600_000;
let seq = 0;

describe('coupon rules', () => {
  it('labels and computes fixed and percent coupons', () => {
    const fixed = { type: 'fixed' as const, amount: 2000, percentBp: 0, maxDiscount: null, minSpend: 19900 };
    assert.equal(couponLabel(fixed), '满199减20');
    assert.equal(couponDiscount(fixed, 19899), 0);
    assert.equal(couponDiscount(fixed, 19900), 2000);
    const pct = { type: 'percent' as const, amount: 0, percentBp: 1500, maxDiscount: 2000, minSpend: 0 };
    assert.equal(couponLabel(pct), '8.5折 最高减20');
    assert.equal(couponDiscount(pct, 10000), 1500);
    assert.equal(couponDiscount(pct, 30000), 2000, 'capped');
    assert.equal(couponDiscount({ ...fixed, minSpend: 0, amount: 5000 }, 3000), 3000, 'never more than the base');
  });
});

describe('coupons plugin', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'spend-and-save,coupons', MALL_CONFIG: '/nonexistent/mall.config.json' } });
    admin = await adminHeaders(t);
    await createShipping(t, { freeFrom: 1 });
  });
  after(() => t.close());

  async function coupon(overrides: Record<string, unknown> = {}): Promise<{ id: number; code: string }> {
    const body = {
      code: `T${++seq}X${Date.now().toString(36)}`, name: `测试券${seq}`, type: 'fixed', amount: 1000, minSpend: 0,
      validFrom: new Date(Date.now() - HOUR).toISOString(), validTo: new Date(Date.now() + 7 * 24 * HOUR).toISOString(), perMemberLimit: 1, totalQuantity: 100,
      ...overrides,
    };
    const res = await t.http().post('/api/v1/admin/coupons').set(admin).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; code: string };
  }

  async function member(name: string): Promise<MemberAgent & { addressId: number }> {
    const m = await t.signIn(name);
    return { ...m, addressId: await addAddress(m) };
  }

  async function claim(m: MemberAgent, id: number, status = 201) {
    const res = await m.agent.post(`/api/v1/coupons/${id}/claim`).send({});
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  }

  it('its migrations create exactly the tables its entities describe, on this database', async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], `run npm run migration:generate -- <Name> --plugin coupons. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('admin creates coupons; bad ones are refused with the field named', async () => {
    const c = await coupon({ code: 'new10', name: '新人券' });
    assert.equal(c.code, 'NEW10', 'codes are upper case');
    const dup = await t.http().post('/api/v1/admin/coupons').set(admin).send({ code: 'NEW10', name: 'x', type: 'fixed', amount: 100, validFrom: new Date().toISOString(), validTo: new Date(Date.now() + HOUR).toISOString(), totalQuantity: 1 });
    assert.equal(dup.status, 409);
    const pct = await t.http().post('/api/v1/admin/coupons').set(admin).send({ code: 'BADPCT', name: 'x', type: 'percent', validFrom: new Date().toISOString(), validTo: new Date(Date.now() + HOUR).toISOString(), totalQuantity: 1 });
    assert.equal(pct.status, 400);
    assert.equal(pct.body.field, 'percentBp');
    const dates = await t.http().post('/api/v1/admin/coupons').set(admin).send({ code: 'BADDATE', name: 'x', type: 'fixed', amount: 100, validFrom: new Date().toISOString(), validTo: new Date(Date.now() - HOUR).toISOString(), totalQuantity: 1 });
    assert.equal(dates.body.field, 'validTo');
    await t.http().post('/api/v1/admin/coupons').send({}).expect(401);
    const list = await t.http().get('/api/v1/admin/coupons').set(admin).expect(200);
    assert.ok(list.body.items.some((i: { code: string }) => i.code === 'NEW10'));
    const page = await t.http().get('/admin/coupons').set(admin).expect(200);
    assert.match(page.text, /新人券/);
  });

  it('lists claimable coupons, claims one, and keeps each member within the limit', async () => {
    const c = await coupon({ perMemberLimit: 1, totalQuantity: 3 });
    const m = await member('领券人');
    const listed = await m.agent.get('/api/v1/coupons').expect(200);
    const item = listed.body.items.find((i: { id: number }) => i.id === c.id);
    assert.deepEqual({ canClaim: item.canClaim, remaining: item.remaining, label: item.label }, { canClaim: true, remaining: 3, label: '无门槛减10' });
    const mc = await claim(m, c.id);
    assert.equal(mc.status, 'claimed');
    const again = await claim(m, c.id, 409);
    assert.equal(again.code, 'coupon_limit_reached');
    const mine = await m.agent.get('/api/v1/me/coupons').expect(200);
    assert.equal(mine.body.items.filter((i: { coupon: { id: number } }) => i.coupon.id === c.id).length, 1);
    assert.equal((await m.agent.get('/api/v1/coupons').expect(200)).body.items.find((i: { id: number }) => i.id === c.id).canClaim, false);
    await t.http().post(`/api/v1/coupons/${c.id}/claim`).send({}).expect(401);
  });

  it('10 members racing for 5 coupons: exactly 5 are claimed', async () => {
    const c = await coupon({ totalQuantity: 5 });
    const members = await Promise.all(Array.from({ length: 10 }, (_, i) => t.signIn(`抢券${i}`)));
    const results = await Promise.all(members.map((m) => m.agent.post(`/api/v1/coupons/${c.id}/claim`).send({})));
    assert.equal(results.filter((r) => r.status === 201).length, 5);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'coupon_sold_out'));
    assert.equal((await t.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).claimedCount, 5);
    assert.equal(await t.ds.getRepository(MemberCoupon).countBy({ couponId: c.id }), 5);
    assert.equal((await t.http().get('/api/v1/coupons').expect(200)).body.items.some((i: { id: number }) => i.id === c.id), false, 'a sold-out coupon is no longer listed');
  });

  it('one member racing 6 claims of a coupon limited to 2 per member gets exactly 2', async () => {
    const c = await coupon({ perMemberLimit: 2, totalQuantity: 50 });
    const m = await t.signIn('连点');
    const results = await Promise.all(Array.from({ length: 6 }, () => m.agent.post(`/api/v1/coupons/${c.id}/claim`).send({})));
    assert.equal(results.filter((r) => r.status === 201).length, 2);
    assert.equal(await t.ds.getRepository(MemberCoupon).countBy({ couponId: c.id, memberId: m.memberId }), 2);
    assert.equal((await t.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).claimedCount, 2, 'refused claims gave their count back');
  });

  it('a coupon code at checkout discounts the order; placing marks the copy used with the order id, a preview does not', async () => {
    const c = await coupon({ amount: 1500, minSpend: 5000 });
    const m = await member('用券');
    const mc = await claim(m, c.id);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 6000, stock: 10 }] });
    const items = [{ variantId: variantIds[0], quantity: 1 }];
    const preview = await m.agent.post('/api/v1/checkout/preview').send({ items, options: { couponCode: c.code.toLowerCase() } }).expect(200);
    assert.equal(preview.body.discountTotal, 1500);
    assert.equal(preview.body.payableTotal, 4500);
    assert.equal((await t.ds.getRepository(MemberCoupon).findOneByOrFail({ id: mc.id })).status, 'claimed', 'a preview reserves nothing');

    const placed = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items, options: { couponCode: c.code } }).expect(201);
    assert.equal(placed.body.discountTotal, 1500);
    assert.ok(placed.body.adjustments.some((a: { source: string; amount: number }) => a.source === 'coupons:coupon' && a.amount === 1500));
    const used = await t.ds.getRepository(MemberCoupon).findOneByOrFail({ id: mc.id });
    assert.equal(used.status, 'used');
    assert.equal(used.orderId, placed.body.id);
    assert.equal((await t.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).usedCount, 1);

    const twice = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items, options: { couponCode: c.code } }).expect(409);
    assert.equal(twice.body.code, 'coupon_used');
    const unknown = await m.agent.post('/api/v1/checkout/preview').send({ items, options: { couponCode: 'NO-SUCH' } }).expect(404);
    assert.equal(unknown.body.code, 'coupon_not_found');
    const byId = await m.agent.post('/api/v1/checkout/preview').send({ items, options: { memberCouponId: mc.id } }).expect(409);
    assert.equal(byId.body.code, 'coupon_used');
  });

  it('10 concurrent checkouts with one coupon: exactly one order, the others fail with 409 coupon_used and write nothing', async () => {
    const c = await coupon({ amount: 500 });
    const m = await member('并发下单');
    await claim(m, c.id);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 100 }] });
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items: [{ variantId: variantIds[0], quantity: 1 }], options: { couponCode: c.code } })));
    const won = results.filter((r) => r.status === 201);
    assert.equal(won.length, 1, results.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', '));
    for (const r of results.filter((x) => x.status !== 201)) assert.deepEqual([r.status, r.body.code], [409, 'coupon_used']);
    assert.equal(await t.ds.getRepository(Order).countBy({ memberId: m.memberId }), 1);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] })).stock, 99, 'only the winner reserved stock');
    assert.equal(await t.ds.getRepository(OrderAdjustment).countBy({ source: 'coupons:coupon', orderId: won[0].body.id }), 1);
    assert.equal((await t.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).usedCount, 1);
  });

  it('spend-and-save first, then the coupon: its minimum spend is checked against the total after spend-and-save', async () => {
    // spend-and-save defaults: 满199减20, 满299减40
    const c = await coupon({ amount: 1000, minSpend: 18000, perMemberLimit: 5 });
    const m = await member('叠加');
    await claim(m, c.id);
    const at = async (price: number) => {
      const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price, stock: 10 }] });
      return m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 1 }], options: { couponCode: c.code } });
    };
    // ¥199: spend-and-save takes ¥20 → ¥179 < ¥180: the coupon does not apply
    const short = await at(19900);
    assert.equal(short.status, 409);
    assert.equal(short.body.code, 'coupon_min_spend');
    assert.match(short.body.message, /after other discounts/);
    // ¥200: ¥20 off → ¥180 reaches the minimum → ¥10 more off
    const ok = await at(20000);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.adjustments.filter((a: { kind: string }) => a.kind === 'discount').map((a: { source: string; amount: number }) => [a.source, a.amount]), [['spend-and-save:tiers', 2000], ['coupons:coupon', 1000]]);
    assert.equal(ok.body.discountTotal, 3000);
    assert.equal(ok.body.payableTotal, 17000);
    // without a coupon, only spend-and-save
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 20000, stock: 10 }] });
    const plain = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 1 }] }).expect(200);
    assert.equal(plain.body.discountTotal, 2000);
  });

  it('a percent coupon takes its share of the total after spend-and-save, up to its cap', async () => {
    const c = await coupon({ type: 'percent', percentBp: 1500, maxDiscount: 2000, amount: undefined, perMemberLimit: 3 });
    const m = await member('折扣');
    await claim(m, c.id);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 10000, stock: 10 }] });
    const small = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 1 }], options: { couponCode: c.code } }).expect(200);
    assert.equal(small.body.discountTotal, 1500, '15 % of ¥100');
    const big = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 3 }], options: { couponCode: c.code } }).expect(200);
    // ¥300 → 满299减40 → ¥260 → 15 % = ¥39, capped at ¥20
    assert.equal(big.body.discountTotal, 4000 + 2000);
    // the discount is allocated across the lines so that every fen is on a line
    assert.equal(big.body.lines.reduce((s: number, l: { discountAllocated: number }) => s + l.discountAllocated, 0), 6000);
  });

  it('closing an unpaid order gives the coupon back (after-commit subscriber), and it can be used again', async () => {
    const c = await coupon({ amount: 800 });
    const m = await member('取消');
    const mc = await claim(m, c.id);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const items = [{ variantId: variantIds[0], quantity: 1 }];
    const placed = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items, options: { couponCode: c.code } }).expect(201);
    await m.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).send({}).expect(200);
    await t.settle();
    const back = await t.ds.getRepository(MemberCoupon).findOneByOrFail({ id: mc.id });
    assert.deepEqual({ status: back.status, orderId: back.orderId, usedAt: back.usedAt }, { status: 'claimed', orderId: null, usedAt: null });
    assert.equal((await t.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).usedCount, 0);
    // redelivery is harmless (handlers are idempotent)
    assert.equal(await t.get(CouponsService).restoreForOrder(placed.body.id), 0);
    await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items, options: { memberCouponId: mc.id } }).expect(201);
  });

  it('an expired coupon is refused at checkout and marked expired by the job', async () => {
    const c = await coupon({ amount: 300 });
    const m = await member('过期');
    const mc = await claim(m, c.id);
    await t.ds.getRepository(Coupon).update({ id: c.id }, { validTo: new Date(Date.now() - 1000) });
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const res = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 1 }], options: { couponCode: c.code } }).expect(409);
    assert.equal(res.body.code, 'coupon_expired');
    assert.ok((await t.get(CouponsService).expireDue()) >= 1);
    assert.equal((await t.ds.getRepository(MemberCoupon).findOneByOrFail({ id: mc.id })).status, 'expired');
  });

  it('storefront: the coupon centre page, the member menu link and the checkout choice', async () => {
    const c = await coupon({ name: '店庆券', amount: 500 });
    const m = await member('逛店');
    const centre = await m.agent.get('/coupons').expect(200);
    assert.match(centre.text, /店庆券/);
    assert.match(centre.text, new RegExp(`data-coupon-claim="${c.id}"`));
    const visitor = await t.http().get('/coupons').expect(200);
    assert.match(visitor.text, /sign-in\?next=\/coupons/);
    await claim(m, c.id);
    const memberPage = await m.agent.get('/member').expect(200);
    assert.match(memberPage.text, /href="\/coupons"/);
    assert.match(memberPage.text, /张可用/);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 10 }] });
    const checkout = await m.agent.get(`/checkout?variantId=${variantIds[0]}&quantity=1`).expect(200);
    assert.match(checkout.text, /data-checkout-option="couponCode"/);
    assert.match(checkout.text, new RegExp(`<option value="${c.code}"`));
  });
});
