import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, buy, createProduct, createShipping, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { OrderLine } from '../../../core/order/entities/order-line.entity.js';
import { OrderService } from '../../../core/order/order.service.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { Refund } from '../../../core/payment/entities/refund.entity.js';
import { PaymentService } from '../../../core/payment/payment.service.js';
import { pendingSchemaChanges } from '../../../core/database/schema-drift.js';
import { AfterSalesService } from '../after-sales.service.js';
import { Commission } from '../../distribution/entities/commission.entity.js';
import { LedgerService } from '../../distribution/services/ledger.service.js';

interface Buyer extends MemberAgent {
  addressId: number;
}

const HOUR = 3_600_000;

async function buyer(t: TestApp, name: string): Promise<Buyer> {
  const m = await t.signIn(name);
  return { ...m, addressId: await addAddress(m) };
}

/** A paid two-line order: line A (price × qtyA) and line B. */
async function twoLineOrder(t: TestApp, b: Buyer, priceA = 3000, priceB = 2000, qtyA = 1): Promise<{ orderNo: string; lineA: OrderLine; lineB: OrderLine; variantA: number; variantB: number }> {
  const a = await createProduct(t, { variants: [{ specValues: [], price: priceA, stock: 10 }] });
  const c = await createProduct(t, { variants: [{ specValues: [], price: priceB, stock: 10 }] });
  const orderNo = await buy(b, b.addressId, [{ variantId: a.variantIds[0], quantity: qtyA }, { variantId: c.variantIds[0], quantity: 1 }]);
  const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
  const lines = await t.ds.getRepository(OrderLine).findBy({ orderId: order.id });
  return { orderNo, lineA: lines.find((l) => l.variantId === a.variantIds[0])!, lineB: lines.find((l) => l.variantId === c.variantIds[0])!, variantA: a.variantIds[0], variantB: c.variantIds[0] };
}

async function request(b: MemberAgent, body: Record<string, unknown>, status = 201) {
  const res = await b.agent.post('/api/v1/after-sales').send({ type: 'refund_only', reasonCode: 'no_longer_wanted', ...body });
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body as { requestNo: string; status: string; amount: number; field?: string; code?: string };
}

describe('after-sales desk', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let b: Buyer;

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'after-sales' } });
    admin = await adminHeaders(t);
    await createShipping(t, { freeFrom: 1 });
    b = await buyer(t, '售后买家');
  });
  after(() => t.close());

  const act = async (no: string, action: string, body: Record<string, unknown> = {}, status = 200) => {
    const res = await t.http().post(`/api/v1/admin/after-sales/${no}/${action}`).set(admin).send(body);
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  it('has no schema drift', async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], `run npm run migration:generate -- <Name> --plugin after-sales. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('refund only, one line of a two-line order: that line refunded, the other untouched, every step visible', async () => {
    const { orderNo, lineA, lineB, variantA } = await twoLineOrder(t, b);
    const elig = await b.agent.get(`/api/v1/after-sales/eligibility?orderNo=${orderNo}`).expect(200);
    assert.equal(elig.body.lines.find((l: { id: number }) => l.id === lineA.id).refundable, 3000);
    const page = await b.agent.get(`/orders/${orderNo}`).expect(200);
    assert.match(page.text, new RegExp(`/after-sales/apply\\?orderNo=${orderNo}`), 'order page offers 申请售后');
    await b.agent.get(`/after-sales/apply?orderNo=${orderNo}`).expect(200);

    const r = await request(b, { orderNo, reasonCode: 'quality', reasonText: '有划痕', photos: ['https://img.example.com/a.jpg', '/media/b.png'], items: [{ lineId: lineA.id }] });
    assert.equal(r.status, 'requested');
    assert.equal(r.amount, 3000);
    const listed = await t.http().get('/api/v1/admin/after-sales?status=requested').set(admin).expect(200);
    assert.ok(listed.body.items.some((x: { requestNo: string }) => x.requestNo === r.requestNo));
    await t.http().get('/admin/after-sales').set(admin).expect(200);
    await t.http().get(`/admin/after-sales/${r.requestNo}`).set(admin).expect(200);

    const done = await act(r.requestNo, 'approve');
    assert.equal(done.status, 'refunded');
    assert.equal(done.refund.status, 'succeeded');
    assert.deepEqual(done.timeline.map((e: { status: string }) => e.status), ['requested', 'approved', 'refunding', 'refunded']);
    const mine = await b.agent.get(`/api/v1/after-sales/${r.requestNo}`).expect(200);
    assert.equal(mine.body.status, 'refunded');
    assert.equal(mine.body.refund.amount, 3000);
    const html = await b.agent.get(`/after-sales/${r.requestNo}`).expect(200);
    assert.match(html.text, /退款成功/);
    assert.match((await b.agent.get('/after-sales').expect(200)).text, new RegExp(r.requestNo));

    const lines = await t.ds.getRepository(OrderLine).findBy({ orderId: lineA.orderId });
    assert.equal(lines.find((l) => l.id === lineA.id)!.refundedTotal, 3000);
    assert.equal(lines.find((l) => l.id === lineB.id)!.refundedTotal, 0, 'the other line is untouched');
    const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(order.status, 'paid');
    assert.equal(order.refundedTotal, 3000);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantA })).stock, 10, 'unshipped: stock returns');
  });

  it('return and refund: approve → buyer ships back → merchant confirms receipt → stock returns and refund is made', async () => {
    const { orderNo, lineA, variantA } = await twoLineOrder(t, b, 3000, 2000, 2);
    await request(b, { orderNo, type: 'return_and_refund', items: [{ lineId: lineA.id }] }, 409).then((e) => assert.equal(e.field, 'type'));
    await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF1000000001');
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantA })).stock, 8);
    const r = await request(b, { orderNo, type: 'return_and_refund', reasonCode: 'not_as_described', items: [{ lineId: lineA.id, quantity: 2 }] });
    const approved = await act(r.requestNo, 'approve');
    assert.equal(approved.status, 'awaiting_return');
    assert.ok(approved.dueAt, 'a return deadline is set');
    // the merchant may confirm receipt before the buyer enters a tracking number (handed over in person)
    const rec = await act(r.requestNo, 'receive');
    assert.equal(rec.status, 'refunded');
    assert.equal(rec.refund.amount, 6000);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantA })).stock, 10, 'goods came back: stock returns');

    // the usual path with a tracking number, on a second shipped order
    const second = await twoLineOrder(t, b, 3000, 2000, 1);
    await t.get(OrderService).ship(second.orderNo, 'admin:1', '顺丰速运', 'SF1000000002');
    const r2 = await request(b, { orderNo: second.orderNo, type: 'return_and_refund', items: [{ lineId: second.lineB.id }] });
    await act(r2.requestNo, 'approve');
    const bad = await b.agent.post(`/api/v1/after-sales/${r2.requestNo}/return-shipment`).send({ carrier: '顺丰', trackingNo: 'x' }).expect(400);
    assert.equal(bad.body.field, 'trackingNo');
    const shipped = await b.agent.post(`/api/v1/after-sales/${r2.requestNo}/return-shipment`).send({ carrier: '顺丰速运', trackingNo: 'SF2000000001' }).expect(200);
    assert.equal(shipped.body.status, 'returned');
    const received = await act(r2.requestNo, 'receive');
    assert.equal(received.status, 'refunded');
    assert.deepEqual(received.timeline.map((e: { status: string }) => e.status), ['requested', 'approved', 'awaiting_return', 'returned', 'received', 'refunding', 'refunded']);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: second.variantB })).stock, 10);
    const o = await t.ds.getRepository(Order).findOneByOrFail({ orderNo: second.orderNo });
    assert.equal(o.status, 'shipped');
  });

  it('partial refunds up to the full amount, then one more is refused; one open request per line', async () => {
    const { orderNo, lineA, lineB } = await twoLineOrder(t, b);
    const r1 = await request(b, { orderNo, items: [{ lineId: lineA.id, amount: 1000 }] });
    const dup = await request(b, { orderNo, items: [{ lineId: lineA.id, amount: 500 }] }, 409);
    assert.equal(dup.code, 'request_open');
    const over = await request(b, { orderNo, items: [{ lineId: lineB.id, amount: 2001 }] }, 400);
    assert.equal(over.field, 'items.0.amount');
    await act(r1.requestNo, 'approve');
    const r2 = await request(b, { orderNo, items: [{ lineId: lineA.id, amount: 1500 }] });
    await act(r2.requestNo, 'approve');
    const r3 = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    assert.equal(r3.amount, 500, 'default amount: what the line has left');
    await act(r3.requestNo, 'approve');
    const more = await request(b, { orderNo, items: [{ lineId: lineA.id, amount: 1 }] }, 409);
    assert.equal(more.code, 'nothing_to_refund');
    const line = await t.ds.getRepository(OrderLine).findOneByOrFail({ id: lineA.id });
    assert.equal(line.refundedTotal, 3000);
    const refunds = await t.ds.getRepository(Refund).findBy({ orderId: line.orderId });
    assert.deepEqual(refunds.map((x) => x.amount).sort((x, y) => x - y), [500, 1000, 1500]);
    // the whole order: the last line in full → the order becomes refunded
    const r4 = await request(b, { orderNo });
    assert.equal(r4.amount, 2000);
    await act(r4.requestNo, 'approve');
    const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(order.status, 'refunded');
    assert.equal(order.refundedTotal, order.paidTotal);
    await request(b, { orderNo }, 409);
  });

  it('concurrent approvals never refund beyond what was paid', async () => {
    const { orderNo, lineA, lineB } = await twoLineOrder(t, b);
    const ra = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    const rb = await request(b, { orderNo, items: [{ lineId: lineB.id }] });
    const results = await Promise.all([ra, ra, rb, rb].map((r) => t.http().post(`/api/v1/admin/after-sales/${r.requestNo}/approve`).set(admin).send({})));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 409, 409]);
    const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    const refunds = await t.ds.getRepository(Refund).findBy({ orderId: order.id });
    assert.equal(refunds.length, 2);
    assert.equal(refunds.reduce((s, r) => s + r.amount, 0), order.paidTotal);
    assert.equal(order.refundedTotal, order.paidTotal);
    assert.equal(order.status, 'refunded');

    // a line refunded elsewhere meanwhile: approving the request is refused and it stays with the merchant
    const other = await twoLineOrder(t, b);
    const rc = await request(b, { orderNo: other.orderNo, items: [{ lineId: other.lineA.id, amount: 2000 }] });
    await t.get(PaymentService).refundAmounts(other.orderNo, [{ lineId: other.lineA.id, amount: 1500 }], 'admin:1', 'goodwill');
    const refused = await t.http().post(`/api/v1/admin/after-sales/${rc.requestNo}/approve`).set(admin).send({}).expect(409);
    assert.equal(refused.body.code, 'refund_exceeds_line');
    const back = (await t.http().get(`/api/v1/admin/after-sales/${rc.requestNo}`).set(admin).expect(200)).body;
    assert.equal(back.status, 'requested');
    assert.equal((await t.ds.getRepository(OrderLine).findOneByOrFail({ id: other.lineA.id })).refundedTotal, 1500);
  });

  it('reject with a reason; the buyer sees it and may ask again', async () => {
    const { orderNo, lineA } = await twoLineOrder(t, b);
    const r = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    const noReason = await t.http().post(`/api/v1/admin/after-sales/${r.requestNo}/reject`).set(admin).send({}).expect(400);
    assert.equal(noReason.body.field, 'reason');
    await t.http().post(`/api/v1/admin/after-sales/${r.requestNo}/approve`).send({}).expect(401);
    const { cookie } = admin;
    await t.http().post(`/api/v1/admin/after-sales/${r.requestNo}/approve`).set({ cookie }).send({}).expect(403);
    const rejected = await act(r.requestNo, 'reject', { reason: '商品已使用，不支持退款' });
    assert.equal(rejected.status, 'rejected');
    const seen = (await b.agent.get(`/api/v1/after-sales/${r.requestNo}`).expect(200)).body;
    assert.equal(seen.rejectReason, '商品已使用，不支持退款');
    await act(r.requestNo, 'approve', {}, 409);
    const again = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    const cancelled = await b.agent.post(`/api/v1/after-sales/${again.requestNo}/cancel`).send({}).expect(200);
    assert.equal(cancelled.body.status, 'cancelled');
    await act(again.requestNo, 'approve', {}, 409);
  });

  it('a buyer sees only their own requests', async () => {
    const { orderNo, lineA } = await twoLineOrder(t, b);
    const r = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    const other = await buyer(t, '别人');
    await other.agent.get(`/api/v1/after-sales/${r.requestNo}`).expect(404);
    await other.agent.post(`/api/v1/after-sales/${r.requestNo}/cancel`).send({}).expect(404);
    await other.agent.get(`/after-sales/${r.requestNo}`).expect(404);
    await other.agent.get(`/api/v1/after-sales/eligibility?orderNo=${orderNo}`).expect(404);
    const theirs = await request(other, { orderNo, items: [{ lineId: lineA.id }] }, 404);
    assert.equal(theirs.field, 'orderNo');
    assert.deepEqual((await other.agent.get('/api/v1/after-sales').expect(200)).body.items, []);
    await t.http().get('/api/v1/after-sales').expect(401);
    await b.agent.post(`/api/v1/after-sales/${r.requestNo}/cancel`).send({}).expect(200);
  });

  it('bad inputs are 4xx naming the field', async () => {
    const { orderNo, lineA } = await twoLineOrder(t, b);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ orderNo, type: 'swap' }, 'type'],
      [{ orderNo, reasonCode: 'bored' }, 'reasonCode'],
      [{ orderNo, reasonCode: 'other' }, 'reasonText'],
      [{ orderNo, photos: ['javascript:alert(1)'] }, 'photos'],
      [{ orderNo, photos: ['http://insecure.example.com/a.jpg'] }, 'photos'],
      [{ orderNo, photos: ['//evil.example.com/a.jpg'] }, 'photos'],
      [{ orderNo, items: [{ lineId: lineA.id, amount: 0 }] }, 'items.0.amount'],
      [{ orderNo, items: [{ lineId: lineA.id, amount: 10.5 }] }, 'items.0.amount'],
      [{ orderNo, items: [{ lineId: 99999999 }] }, 'items.0.lineId'],
      [{ orderNo, items: [{ lineId: lineA.id }, { lineId: lineA.id }] }, 'items.1.lineId'],
      [{ orderNo, items: [] }, 'items'],
      [{ orderNo: 'bad no!' }, 'orderNo'],
      [{ orderNo, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await b.agent.post('/api/v1/after-sales').send({ type: 'refund_only', reasonCode: 'quality', ...body });
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(res.body.field, field, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    }
    await b.agent.get('/api/v1/after-sales/not-a-number').expect(404);
    await b.agent.get('/api/v1/after-sales?status=nope').expect(400);
    const placed = await b.agent.post('/api/v1/orders').send({ addressId: b.addressId, items: [{ variantId: lineA.variantId, quantity: 1 }] }).expect(201);
    const unpaid = await request(b, { orderNo: placed.body.orderNo }, 409);
    assert.equal(unpaid.field, 'orderNo');
  });

  it('timeouts: unanswered requests are auto-approved or escalated; returns never shipped back close', async () => {
    const service = t.get(AfterSalesService);
    const first = await twoLineOrder(t, b);
    const r1 = await request(b, { orderNo: first.orderNo, items: [{ lineId: first.lineA.id }] });
    assert.deepEqual((await service.runTimeouts(new Date(Date.now() + 47 * HOUR))).approved, 0, 'not yet due');
    const out = await service.runTimeouts(new Date(Date.now() + 49 * HOUR));
    assert.equal(out.approved, 1);
    const v1 = (await b.agent.get(`/api/v1/after-sales/${r1.requestNo}`).expect(200)).body;
    assert.equal(v1.status, 'refunded');
    assert.equal(v1.timeline[1].actor, 'system');

    await t.http().put('/api/v1/plugins/after-sales/settings').set(admin).send({ settings: { merchantResponseHours: 24, timeoutAction: 'escalate', returnShipDays: 3, returnAddress: '杭州市西湖区 售后部 0571-0000000' } }).expect(200);
    const r2 = await request(b, { orderNo: first.orderNo, items: [{ lineId: first.lineB.id }] });
    const out2 = await service.runTimeouts(new Date(Date.now() + 25 * HOUR));
    assert.equal(out2.escalated, 1);
    const v2 = (await t.http().get(`/api/v1/admin/after-sales/${r2.requestNo}`).set(admin).expect(200)).body;
    assert.equal(v2.status, 'escalated');
    assert.equal((await service.runTimeouts(new Date(Date.now() + 100 * HOUR))).escalated, 0, 'escalated once');
    assert.equal((await act(r2.requestNo, 'approve')).status, 'refunded', 'the merchant can still decide');

    const shippedOrder = await twoLineOrder(t, b);
    await t.get(OrderService).ship(shippedOrder.orderNo, 'admin:1', '顺丰速运', 'SF1000000003');
    const r3 = await request(b, { orderNo: shippedOrder.orderNo, type: 'return_and_refund', items: [{ lineId: shippedOrder.lineA.id }] });
    const approved = await act(r3.requestNo, 'approve');
    assert.match(approved.returnAddress, /售后部/);
    assert.equal((await service.runTimeouts(new Date(Date.now() + 2 * 24 * HOUR))).closed, 0);
    assert.equal((await service.runTimeouts(new Date(Date.now() + 4 * 24 * HOUR))).closed, 1);
    const v3 = (await b.agent.get(`/api/v1/after-sales/${r3.requestNo}`).expect(200)).body;
    assert.equal(v3.status, 'closed');
    assert.equal((await t.ds.getRepository(OrderLine).findOneByOrFail({ id: shippedOrder.lineA.id })).refundedTotal, 0);
    await t.http().put('/api/v1/plugins/after-sales/settings').set(admin).send({ settings: { merchantResponseHours: 48, timeoutAction: 'auto_approve', returnShipDays: 7, returnAddress: '' } }).expect(200);
  });

  it('pages are Chinese by default, English with ?lang=en', async () => {
    const { orderNo } = await twoLineOrder(t, b);
    const zh = await b.agent.get(`/after-sales/apply?orderNo=${orderNo}`).expect(200);
    assert.match(zh.text, /退货退款/);
    assert.match(zh.text, /<title>申请售后/);
    const en = await b.agent.get(`/after-sales/apply?orderNo=${orderNo}&lang=en`).expect(200);
    assert.match(en.text, /Return and refund/);
    assert.match(en.text, /No longer wanted/);
    await b.agent.get('/after-sales?lang=zh-CN').expect(200);
  });
});

describe('after-sales with distribution: commission of the refunded line is reversed', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-single,after-sales' } });
    admin = await adminHeaders(t);
    await createShipping(t, { freeFrom: 1 });
  });
  after(() => t.close());

  it('a partial refund reverses that share (half up), the rest of the line reverses it all; the other line keeps its commission', async () => {
    const sharer = await t.signIn('分销员');
    const res = await sharer.agent.post('/api/v1/distribution/apply').send({}).expect(200);
    const b = await buyer(t, '分销买家');
    await b.agent.post('/api/v1/distribution/bind').send({ code: res.body.referralCode }).expect(200);
    const { orderNo, lineA, lineB } = await twoLineOrder(t, b, 10005, 5000);
    await t.settle();
    const commissionOf = async (lineId: number) => t.ds.getRepository(Commission).findOneByOrFail({ orderLineId: lineId });
    const before = await commissionOf(lineA.id);
    const original = before.amount;
    const lineBCommission = (await commissionOf(lineB.id)).amount;
    assert.ok(original > 0 && lineBCommission > 0);
    const share = Math.floor((2 * original * 3335 + 10005) / (2 * 10005)); // half up

    const approve = (no: string) => t.http().post(`/api/v1/admin/after-sales/${no}/approve`).set(admin).send({}).expect(200);
    const r1 = await request(b, { orderNo, items: [{ lineId: lineA.id, amount: 3335 }] });
    await approve(r1.requestNo);
    await t.settle();
    let c = await commissionOf(lineA.id);
    assert.equal(c.amount, original - share, 'a third of the line refunded: a third of its commission reversed');
    assert.equal(c.status, 'frozen');
    assert.equal((await t.get(LedgerService).balances(sharer.memberId)).frozen, original - share + lineBCommission);

    // the same event again changes nothing (idempotent)
    const { CommissionService } = await import('../../distribution/services/commission.service.js');
    assert.equal(await t.get(CommissionService).onRefunded(lineA.orderId, [lineA.id]), 0);

    const r2 = await request(b, { orderNo, items: [{ lineId: lineA.id }] });
    assert.equal(r2.amount, 10005 - 3335);
    await approve(r2.requestNo);
    await t.settle();
    c = await commissionOf(lineA.id);
    assert.equal(c.status, 'reversed');
    assert.equal((await t.get(LedgerService).balances(sharer.memberId)).frozen, lineBCommission, 'only line B commission remains');
    const other = await commissionOf(lineB.id);
    assert.equal(other.status, 'frozen');
    assert.equal(other.amount, lineBCommission);
  });
});
