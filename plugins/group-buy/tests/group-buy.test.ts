import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, createProduct, createShipping, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { OrderAdjustment } from '../../../core/order/entities/order-adjustment.entity.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { Refund } from '../../../core/payment/entities/refund.entity.js';
import { PaymentService } from '../../../core/payment/payment.service.js';
import { PricingPipeline } from '../../../core/pricing/pricing-pipeline.service.js';
import { pendingSchemaChanges } from '../../../core/database/schema-drift.js';
import { GroupBuyService } from '../group-buy.service.js';
import { GroupBuyItem } from '../entities/group-buy-item.entity.js';
import { GroupBuySeat } from '../entities/group-buy-seat.entity.js';
import { GroupBuyTeam } from '../entities/group-buy-team.entity.js';
import { activityProblems, seatPrice, virtualSuccess } from '../group-buy.rules.js';

const HOUR = 3600_000;
type Member = MemberAgent & { addressId: number };

describe('group-buy rules', () => {
  it('virtual success, seat price and activity checks', () => {
    assert.equal(virtualSuccess(2, 4, 50), true);
    assert.equal(virtualSuccess(1, 4, 50), false);
    assert.equal(virtualSuccess(3, 4, null), false, 'off by default');
    assert.equal(virtualSuccess(0, 2, 1), false, 'an empty team never succeeds');
    assert.equal(seatPrice({ groupPrice: 500, leaderPrice: 400 }, true), 400);
    assert.equal(seatPrice({ groupPrice: 500, leaderPrice: 400 }, false), 500);
    assert.equal(seatPrice({ groupPrice: 500, leaderPrice: null }, true), 500);
    const base = { teamSize: 2, teamHours: 24, startsAt: new Date(0), endsAt: new Date(1000), perMemberLimit: 1, items: [{ variantId: 1, groupPrice: 900, stock: 5 }] };
    const prices = new Map([[1, 1000]]);
    assert.deepEqual(activityProblems(base, prices), []);
    assert.equal(activityProblems({ ...base, teamSize: 101 }, prices)[0][0], 'teamSize');
    assert.equal(activityProblems({ ...base, items: [{ variantId: 1, groupPrice: 1000, stock: 5 }] }, prices)[0][0], 'items.0.groupPrice');
    assert.equal(activityProblems({ ...base, items: [{ variantId: 2, groupPrice: 10, stock: 5 }] }, prices)[0][0], 'items.0.variantId');
  });
});

describe('group-buy plugin', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let svc: GroupBuyService;
  let seq = 0;
  /** variant ids the fake activity adjusters price (a rival "activity-price" adjuster before and after group buy). */
  const fakeBefore = new Set<number>();
  const fakeAfter = new Set<number>();

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'group-buy,spend-and-save' } });
    admin = await adminHeaders(t);
    svc = t.get(GroupBuyService);
    await createShipping(t, { freeFrom: 1 });
    const pipeline = t.get(PricingPipeline);
    for (const [id, priority, set] of [['fake:before', 10, fakeBefore], ['fake:after', 90, fakeAfter]] as const) {
      pipeline.register({
        id, stage: 'line-price', priority, exclusiveGroup: 'activity-price',
        adjust: (ctx) => ctx.lines.filter((l) => set.has(l.variantId)).map((l) => ({ kind: 'price' as const, label: id, amount: l.listUnitPrice - 100, lineIndex: l.index })),
      });
    }
  });
  after(() => t.close());

  async function member(name: string): Promise<Member> {
    const m = await t.signIn(`${name}${++seq}`);
    return { ...m, addressId: await addAddress(m) };
  }

  async function activity(overrides: Record<string, unknown> = {}, variant: { price?: number; stock?: number } = {}) {
    const product = await createProduct(t, { variants: [{ specValues: [], price: variant.price ?? 10000, stock: variant.stock ?? 50 }] });
    const body = {
      name: `拼团${++seq}`, productId: product.id, teamSize: 2, teamHours: 24,
      startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + 48 * HOUR).toISOString(), perMemberLimit: 1,
      items: [{ variantId: product.variantIds[0], groupPrice: 6000, stock: 20 }],
      ...overrides,
    };
    const res = await t.http().post('/api/v1/admin/group-buy/activities').set(admin).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.id as number, variantId: product.variantIds[0], productId: product.id, slug: product.slug };
  }

  function place(m: Member, variantId: number, options: Record<string, unknown>) {
    return m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items: [{ variantId, quantity: 1 }], options });
  }

  async function pay(m: Member, orderNo: string): Promise<string> {
    const start = await m.agent.post(`/api/v1/orders/${orderNo}/payments`).send({});
    assert.equal(start.status, 200, JSON.stringify(start.body));
    const confirm = await m.agent.post(`/payments/sandbox/${start.body.paymentNo}/confirm`).send({});
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
    return confirm.body.outcome as string;
  }

  /** A leader opens a team and pays; returns the team id. */
  async function openTeam(a: { id: number; variantId: number }, leader?: Member): Promise<{ teamId: number; leader: Member; orderNo: string }> {
    const m = leader ?? (await member('团长'));
    const res = await place(m, a.variantId, { groupBuyActivityId: a.id });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await pay(m, res.body.orderNo);
    const seat = await t.ds.getRepository(GroupBuySeat).findOneByOrFail({ orderId: res.body.id });
    return { teamId: seat.teamId, leader: m, orderNo: res.body.orderNo };
  }

  async function join(teamId: number, variantId: number, name = '团员'): Promise<{ m: Member; orderNo: string }> {
    const m = await member(name);
    const res = await place(m, variantId, { groupBuyTeamId: teamId });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await pay(m, res.body.orderNo);
    return { m, orderNo: res.body.orderNo };
  }

  const team = (id: number) => t.ds.getRepository(GroupBuyTeam).findOneByOrFail({ id });
  const orderStatus = async (orderNo: string) => (await t.ds.getRepository(Order).findOneByOrFail({ orderNo })).status;
  const ship = (orderNo: string) => t.http().post(`/api/v1/admin/orders/${orderNo}/ship`).set(admin).send({ carrier: '顺丰速运', trackingNo: `SF${Date.now()}${++seq}` });

  it('its migrations create exactly the tables its entities describe, on this database', async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], `run npm run migration:generate -- <Name> --plugin group-buy. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('bad activity inputs and bad checkout options are clear 4xx', async () => {
    const product = await createProduct(t, { variants: [{ specValues: [], price: 10000, stock: 5 }] });
    const other = await createProduct(t);
    const base = { name: '坏', productId: product.id, teamSize: 2, teamHours: 24, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString(), items: [{ variantId: product.variantIds[0], groupPrice: 5000, stock: 5 }] };
    const post = (body: Record<string, unknown>) => t.http().post('/api/v1/admin/group-buy/activities').set(admin).send({ ...base, ...body });
    for (const [body, field] of [
      [{ teamSize: 1 }, 'teamSize'], [{ teamSize: 101 }, 'teamSize'], [{ teamHours: 0 }, 'teamHours'],
      [{ items: [{ variantId: product.variantIds[0], groupPrice: 10000, stock: 5 }] }, 'items.0.groupPrice'],
      [{ items: [{ variantId: other.variantIds[0], groupPrice: 100, stock: 5 }] }, 'items.0.variantId'],
      [{ items: [{ variantId: product.variantIds[0], groupPrice: 5000, leaderPrice: 6000, stock: 5 }] }, 'items.0.leaderPrice'],
      [{ endsAt: new Date(Date.now() - HOUR).toISOString() }, 'endsAt'],
      [{ virtualSuccessPercent: 0 }, 'virtualSuccessPercent'],
    ] as const) {
      const res = await post(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(String(res.body.field), new RegExp(`^${field.replace(/\./g, '\\.')}`), JSON.stringify(res.body));
    }
    assert.equal((await post({ productId: 99999999 })).status, 404);
    await t.http().post('/api/v1/admin/group-buy/activities').send(base).expect(401);

    const a = await activity();
    const m = await member('乱填');
    const both = await place(m, a.variantId, { groupBuyActivityId: a.id, groupBuyTeamId: 1 });
    assert.deepEqual([both.status, both.body.code], [400, 'invalid_group_buy_option']);
    assert.equal((await place(m, a.variantId, { groupBuyActivityId: -1 })).status, 400);
    assert.equal((await place(m, a.variantId, { groupBuyTeamId: 99999999 })).status, 404);
    const wrong = await place(m, other.variantIds[0], { groupBuyActivityId: a.id });
    assert.deepEqual([wrong.status, wrong.body.code], [409, 'not_in_activity']);
    const twoItems = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items: [{ variantId: a.variantId, quantity: 1 }, { variantId: other.variantIds[0], quantity: 1 }], options: { groupBuyActivityId: a.id } });
    assert.deepEqual([twoItems.status, twoItems.body.code], [400, 'group_buy_single_item']);
    // per-member limit 1: a second team of the same activity is refused while the first seat is held
    assert.equal((await place(m, a.variantId, { groupBuyActivityId: a.id })).status, 201);
    const limit = await place(m, a.variantId, { groupBuyActivityId: a.id });
    assert.deepEqual([limit.status, limit.body.code], [409, 'member_limit']);
    // a team whose leader has not paid cannot be joined
    const pendingTeam = await t.ds.getRepository(GroupBuyTeam).findOneByOrFail({ leaderMemberId: m.memberId, activityId: a.id });
    const early = await place(await member('早到'), a.variantId, { groupBuyTeamId: pendingTeam.id });
    assert.deepEqual([early.status, early.body.code], [409, 'team_not_open']);
  });

  it('a team forms when the last seat is paid; shipping is refused before (409) and allowed after; two seats in one team are refused', async () => {
    const a = await activity({ teamSize: 3, items: [] }).catch(() => null);
    assert.equal(a, null, 'an activity needs variants');
    const act = await activity({ teamSize: 3 });
    const { teamId, leader, orderNo: leaderOrder } = await openTeam(act);
    const opened = await team(teamId);
    assert.deepEqual([opened.status, opened.paidCount, opened.seatsTaken], ['open', 1, 1]);
    assert.ok(opened.expiresAt && opened.expiresAt.getTime() > Date.now() + 23 * HOUR);

    const refused = await ship(leaderOrder);
    assert.deepEqual([refused.status, refused.body.code], [409, 'group_not_formed']);
    const twice = await place(leader, act.variantId, { groupBuyTeamId: teamId });
    assert.equal(twice.status, 409);
    assert.ok(['already_in_team', 'member_limit'].includes(twice.body.code), twice.body.code);

    // the product page lists the open team; the team page shows seats, countdown and share
    const productPage = await t.http().get(`/products/${act.slug}`).expect(200);
    assert.match(productPage.text, new RegExp(`href="/group-buy/teams/${teamId}"`));
    assert.match(productPage.text, /去参团/);
    assert.match(productPage.text, /拼团价/);
    const page = await t.http().get(`/group-buy/teams/${teamId}`).expect(200);
    assert.match(page.text, /data-group-buy-deadline="\d{4}-/);
    assert.match(page.text, /data-group-buy-share/);
    assert.match(page.text, /还差 <em>2<\/em> 人/);
    await t.http().get('/group-buy').expect(200);
    await t.http().get(`/group-buy/activities/${act.id}`).expect(200);

    const j1 = await join(teamId, act.variantId);
    const again = await place(j1.m, act.variantId, { groupBuyTeamId: teamId });
    assert.equal(again.status, 409);
    assert.equal((await team(teamId)).status, 'open');
    const j2 = await join(teamId, act.variantId);
    await t.settle();
    const formed = await team(teamId);
    assert.deepEqual([formed.status, formed.paidCount, formed.virtual], ['formed', 3, false]);
    for (const no of [leaderOrder, j1.orderNo, j2.orderNo]) assert.equal((await ship(no)).status, 200);
    const late = await place(await member('迟到'), act.variantId, { groupBuyTeamId: teamId });
    assert.deepEqual([late.status, late.body.code], [409, 'team_full']);
    const view = await t.http().get(`/api/v1/group-buy/teams/${teamId}`).expect(200);
    assert.equal(view.body.seats.length, 3);
    assert.equal(view.body.seats[0].isLeader, true);
  });

  it('N+3 joiners racing for the last N-1 seats of an N team: exactly N paid seats, the rest refused', async () => {
    const N = 4;
    const act = await activity({ teamSize: N });
    const { teamId } = await openTeam(act);
    const joiners = await Promise.all(Array.from({ length: N + 3 }, (_, i) => member(`抢座${i}`)));
    const placed = await Promise.all(joiners.map((m) => place(m, act.variantId, { groupBuyTeamId: teamId })));
    const won = placed.filter((r) => r.status === 201);
    assert.equal(won.length, N - 1, placed.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', '));
    for (const r of placed.filter((x) => x.status !== 201)) assert.deepEqual([r.status, r.body.code], [409, 'team_full']);
    await Promise.all(placed.map((r, i) => (r.status === 201 ? pay(joiners[i], r.body.orderNo) : null)));
    await t.settle();
    const formed = await team(teamId);
    assert.deepEqual([formed.status, formed.paidCount, formed.seatsTaken], ['formed', N, N]);
    assert.equal(await t.ds.getRepository(GroupBuySeat).countBy({ teamId, status: 'paid' }), N);
    const item = await t.ds.getRepository(GroupBuyItem).findOneByOrFail({ activityId: act.id });
    assert.equal(item.stockLeft, 20 - N, 'losers took no activity stock');
  });

  it('a payment for a seat that lost (team no longer open) is refunded at once', async () => {
    const act = await activity({ teamSize: 3 });
    const { teamId } = await openTeam(act);
    const m = await member('晚付');
    const res = await place(m, act.variantId, { groupBuyTeamId: teamId });
    assert.equal(res.status, 201);
    await t.ds.getRepository(GroupBuyTeam).update({ id: teamId }, { status: 'failed' }); // as if it failed while the member paid
    await pay(m, res.body.orderNo);
    await t.settle();
    assert.equal(await orderStatus(res.body.orderNo), 'refunded');
    assert.equal((await t.ds.getRepository(GroupBuySeat).findOneByOrFail({ orderId: res.body.id })).status, 'refunded');
  });

  it('a team that times out refunds every paid order through the provider, closes unpaid ones and restores stock', async () => {
    const act = await activity({ teamSize: 4 }, { stock: 30 });
    const { teamId, orderNo: o1 } = await openTeam(act);
    const { orderNo: o2 } = await join(teamId, act.variantId);
    const unpaid = await member('未付');
    const pending = await place(unpaid, act.variantId, { groupBuyTeamId: teamId });
    assert.equal(pending.status, 201);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: act.variantId })).stock, 27);
    assert.equal((await t.ds.getRepository(GroupBuyItem).findOneByOrFail({ activityId: act.id })).stockLeft, 17);
    await t.ds.getRepository(GroupBuyTeam).update({ id: teamId }, { expiresAt: new Date(Date.now() - 1000) });
    const result = await svc.expireDue();
    assert.ok(result.failed >= 1 && result.refunded >= 2, JSON.stringify(result));
    await t.settle();
    assert.equal((await team(teamId)).status, 'failed');
    for (const no of [o1, o2]) {
      assert.equal(await orderStatus(no), 'refunded');
      const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo: no });
      const refund = await t.ds.getRepository(Refund).findOneByOrFail({ orderId: order.id });
      assert.equal(refund.amount, order.paidTotal);
    }
    assert.equal(await orderStatus(pending.body.orderNo), 'closed');
    assert.equal(await t.ds.getRepository(GroupBuySeat).countBy({ teamId, status: 'refunded' }), 2);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: act.variantId })).stock, 30, 'variant stock back');
    assert.equal((await t.ds.getRepository(GroupBuyItem).findOneByOrFail({ activityId: act.id })).stockLeft, 20, 'activity stock back');
    const view = await t.http().get(`/api/v1/group-buy/teams/${teamId}`).expect(200);
    assert.equal(view.body.seats.length, 0, 'refunded members left the team');
    assert.deepEqual(await svc.expireDue(), { formed: 0, failed: 0, refunded: 0 }, 'running again does nothing');
  });

  it('virtual success completes a team at least X% full at timeout; below X% it fails', async () => {
    const act = await activity({ teamSize: 4, virtualSuccessPercent: 50 });
    const { teamId, orderNo } = await openTeam(act);
    await join(teamId, act.variantId);
    const low = await openTeam(act);
    await t.ds.getRepository(GroupBuyTeam).update({ id: teamId }, { expiresAt: new Date(Date.now() - 1000) });
    await t.ds.getRepository(GroupBuyTeam).update({ id: low.teamId }, { expiresAt: new Date(Date.now() - 1000) });
    await svc.expireDue();
    await t.settle();
    const done = await team(teamId);
    assert.deepEqual([done.status, done.virtual], ['formed', true]);
    assert.equal((await ship(orderNo)).status, 200);
    const view = await t.http().get(`/api/v1/group-buy/teams/${teamId}`).expect(200);
    assert.equal(view.body.seats.length, 4, 'virtual members fill the empty seats');
    assert.equal((await team(low.teamId)).status, 'failed');
    assert.equal(await orderStatus(low.orderNo), 'refunded');
  });

  it('a refunded member leaves the team: the seat frees up and the formed team never shows them', async () => {
    const act = await activity({ teamSize: 3 });
    const { teamId } = await openTeam(act);
    const j1 = await join(teamId, act.variantId);
    await t.get(PaymentService).refundOrder(j1.orderNo, 'admin:1', '买家申请退款');
    await t.settle();
    const after1 = await team(teamId);
    assert.deepEqual([after1.status, after1.paidCount, after1.seatsTaken], ['open', 1, 1]);
    assert.equal((await t.ds.getRepository(GroupBuySeat).findOneByOrFail({ teamId, memberId: j1.m.memberId })).status, 'refunded');
    await join(teamId, act.variantId);
    await join(teamId, act.variantId);
    await t.settle();
    const formed = await team(teamId);
    assert.deepEqual([formed.status, formed.paidCount], ['formed', 3]);
    const view = await t.http().get(`/api/v1/group-buy/teams/${teamId}`).expect(200);
    assert.equal(view.body.seats.length, 3);
    assert.ok(!view.body.seats.some((s: { memberId: number }) => s.memberId === j1.m.memberId));
    const page = await t.http().get(`/group-buy/teams/${teamId}`).expect(200);
    assert.doesNotMatch(page.text, new RegExp(`data-seat-member="${j1.m.memberId}"`));
  });

  it('a cancelled unpaid seat frees the seat and returns the activity stock', async () => {
    const act = await activity({ teamSize: 2 });
    const { teamId } = await openTeam(act);
    const m = await member('取消');
    const res = await place(m, act.variantId, { groupBuyTeamId: teamId });
    assert.equal((await team(teamId)).seatsTaken, 2);
    await m.agent.post(`/api/v1/orders/${res.body.orderNo}/cancel`).send({}).expect(200);
    await t.settle();
    assert.equal((await team(teamId)).seatsTaken, 1);
    assert.equal((await t.ds.getRepository(GroupBuyItem).findOneByOrFail({ activityId: act.id })).stockLeft, 19);
    await join(teamId, act.variantId);
    await t.settle();
    assert.equal((await team(teamId)).status, 'formed');
  });

  it('the group price never stacks with another activity price', async () => {
    const act = await activity();
    const m = await member('叠价');
    fakeBefore.add(act.variantId);
    const clash = await place(m, act.variantId, { groupBuyActivityId: act.id });
    fakeBefore.delete(act.variantId);
    assert.deepEqual([clash.status, clash.body.code], [409, 'activity_price_conflict']);
    assert.equal(await t.ds.getRepository(GroupBuyTeam).countBy({ activityId: act.id }), 0, 'nothing reserved');
    fakeAfter.add(act.variantId);
    const ok = await place(m, act.variantId, { groupBuyActivityId: act.id });
    fakeAfter.delete(act.variantId);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const prices = ok.body.adjustments.filter((a: { kind: string }) => a.kind === 'price');
    assert.deepEqual(prices.map((a: { source: string; amount: number }) => [a.source, a.amount]), [['group-buy:price', 6000]]);
    assert.equal(ok.body.lines[0].unitPrice, 6000);
  });

  it('per-activity switches: coupons/spend-and-save on top, and the commission flag on the price adjustment', async () => {
    // spend-and-save defaults: 满199减20; group price ¥250 on a ¥300 variant
    const off = await activity({ items: undefined, allowOrderDiscounts: false, earnsCommission: false }, { price: 30000 }).catch(() => null);
    assert.equal(off, null);
    const product = await createProduct(t, { variants: [{ specValues: [], price: 30000, stock: 10 }] });
    const mk = async (allowOrderDiscounts: boolean, earnsCommission: boolean, leaderPrice?: number) => {
      const res = await t.http().post('/api/v1/admin/group-buy/activities').set(admin).send({
        name: `开关${++seq}`, productId: product.id, teamSize: 2, teamHours: 1, startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString(),
        allowOrderDiscounts, earnsCommission, items: [{ variantId: product.variantIds[0], groupPrice: 25000, leaderPrice, stock: 5 }],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as number;
    };
    const noDiscounts = await mk(false, false);
    const withDiscounts = await mk(true, true, 24000);
    const m = await member('开关');
    const items = [{ variantId: product.variantIds[0], quantity: 1 }];
    const p1 = await m.agent.post('/api/v1/checkout/preview').send({ items, options: { groupBuyActivityId: noDiscounts } }).expect(200);
    assert.deepEqual([p1.body.itemsTotal, p1.body.discountTotal], [25000, 0]);
    const p2 = await m.agent.post('/api/v1/checkout/preview').send({ items, options: { groupBuyActivityId: withDiscounts } }).expect(200);
    assert.deepEqual([p2.body.itemsTotal, p2.body.discountTotal], [24000, 2000], 'leader price, and 满199减20 on top');
    const placed = await place(m, product.variantIds[0], { groupBuyActivityId: noDiscounts });
    assert.equal(placed.status, 201);
    const adj = await t.ds.getRepository(OrderAdjustment).findOneByOrFail({ orderId: placed.body.id, source: 'group-buy:price' });
    assert.equal(adj.data?.earnsCommission, false);
    const m2 = await member('计佣');
    const placed2 = await place(m2, product.variantIds[0], { groupBuyActivityId: withDiscounts });
    const adj2 = await t.ds.getRepository(OrderAdjustment).findOneByOrFail({ orderId: placed2.body.id, source: 'group-buy:price' });
    assert.equal(adj2.data?.earnsCommission, true);
    // edit: the admin turns discounts off; the JSON API and admin page show it
    const edited = await t.http().put(`/api/v1/admin/group-buy/activities/${withDiscounts}`).set(admin).send({
      name: '改', productId: product.id, teamSize: 5, teamHours: 2, startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString(),
      allowOrderDiscounts: false, items: [{ variantId: product.variantIds[0], groupPrice: 25000, stock: 8 }],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual([edited.body.teamSize, edited.body.allowOrderDiscounts, edited.body.items[0].stock, edited.body.items[0].stockLeft], [5, false, 8, 7]);
    await t.http().get('/admin/group-buy').set(admin).expect(200);
    await t.http().get(`/admin/group-buy/${withDiscounts}`).set(admin).expect(200);
  });

  it('storefront pages follow ?lang=en: English text from locales/en.json, no Chinese left from the templates', async () => {
    const act = await activity({ name: 'EN group', teamSize: 3 });
    const leader = await member('leader');
    const { teamId } = await openTeam(act, leader);
    /** The plugin template's part of the page, without user data (test products and earlier activities have Chinese names). */
    const own = (html: string, from: string, to: string) => {
      const start = html.indexOf(from);
      assert.ok(start >= 0, `${from} not on the page`);
      return html.slice(start, html.indexOf(to, start) + to.length).replace(/测试商品 \d+|拼团\d+/g, '');
    };
    const han = /[\u3400-\u9fff\uff00-\uffef]/;

    const product = (await t.http().get(`/products/${act.slug}?lang=en`).expect(200)).text;
    const price = own(product, '<div class="group-buy-price"', '</div>');
    assert.match(price, /Team of 3/);
    assert.match(price, /Group price/);
    assert.doesNotMatch(price, han);
    const teams = own(product, '<section class="group-buy-teams"', '</script>');
    assert.match(teams, /1 teams are forming/);
    assert.match(teams, /Needs <em>2<\/em> more/);
    assert.match(teams, />Join</);
    assert.doesNotMatch(teams, han);

    const teamPage = own((await t.http().get(`/group-buy/teams/${teamId}?lang=en`).expect(200)).text, '<main class="page group-buy-team"', '</main>');
    assert.match(teamPage, /Needs <em>2<\/em> more to form the team/);
    assert.match(teamPage, /Invite friends to join/);
    assert.match(teamPage, /data-share-title="\[2 more needed\] EN group group price ¥60.00"/);
    assert.match(teamPage, /Sign in to join/);
    assert.doesNotMatch(teamPage, han);

    const openPage = own((await leader.agent.get(`/group-buy/activities/${act.id}?lang=en`).expect(200)).text, '<main class="page group-buy-team"', '</main>');
    assert.match(openPage, /Open a team/);
    assert.match(openPage, /Open teams/);
    assert.doesNotMatch(openPage, han);

    // activity names are the merchant's text (earlier tests name them in Chinese)
    const list = own((await t.http().get('/group-buy?lang=en').expect(200)).text, '<main class="page group-buy-list"', '</main>').replace(/<span class="muted">[^<]*<\/span>/g, '');
    assert.match(list, /<h2 class="card-title">Group buys<\/h2>/);
    assert.match(list, /Open a team/);
    assert.doesNotMatch(list, han);
    assert.match((await t.http().get('/group-buy').expect(200)).text, /<h2 class="card-title">拼团<\/h2>/);

    const adminEn = await t.http().get(`/admin/group-buy/${act.id}?lang=en`).set(admin).expect(200);
    assert.match(adminEn.text, /Edit activity #\d+/);
    assert.match(adminEn.text, /Team time limit \(hours\)/);
    assert.doesNotMatch(adminEn.text, /编辑活动|成团人数|暂无/);
    const adminZh = await t.http().get('/admin/group-buy?lang=zh-CN').set(admin).expect(200);
    assert.match(adminZh.text, /新建活动/);
    assert.doesNotMatch(adminZh.text, /New activity/);
  });
});
