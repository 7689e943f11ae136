import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, buy, createProduct, createShipping, type MemberAgent } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { EventDelivery } from '../../../core/events/entities/event-delivery.entity.js';
import { EventBus } from '../../../core/events/event-bus.service.js';
import { CommissionService } from '../../distribution/services/commission.service.js';
import { WithdrawalService } from '../../distribution/services/withdrawal.service.js';
import { WechatTemplateMessage } from '../entities/template-message.entity.js';
import { APP, startWorld, stopWorld, type WechatWorld } from './support.js';

const HOUR = 3600_000;

interface Person extends MemberAgent {
  openid: string | null;
  addressId: number;
}

/**
 * Template messages of the other plugins' events: group formed (group-buy), commission earned and
 * withdrawal paid (distribution) — each from the outbox, after commit, with its delivery in admin.
 */
describe('wechat template messages for group-buy and distribution events', () => {
  let w: WechatWorld;
  let admin: Record<string, string>;
  let seq = 0;
  const http = () => w.t.http();
  const TEMPLATES = { orderPaid: 'TPL_PAID', orderShipped: 'TPL_SHIP', groupFormed: 'TPL_GROUP', commissionEarned: 'TPL_COMMISSION', withdrawalPaid: 'TPL_WITHDRAWAL' };

  before(async () => {
    w = await startWorld({ plugins: 'distribution,distribution-single,group-buy,wechat' });
    admin = await adminHeaders(w.t);
    await createShipping(w.t, { freeFrom: 1 });
    await http().put('/api/v1/admin/wechat/content').set(admin).send({ templates: TEMPLATES }).expect(200);
  });
  after(() => stopWorld(w));

  /** A member who follows the account and signed in through WeChat (openid), or an ordinary sandbox member. */
  async function person(name: string, wechat = true): Promise<Person> {
    const m = await w.t.signIn(`${name}${++seq}`);
    let openid: string | null = null;
    if (wechat) {
      openid = w.emu.addUser(APP.appId, name).openid;
      await w.t.ds.getRepository(Member).update({ id: m.memberId }, { openid, source: 'wechat' });
      assert.equal((await w.emu.subscribe(APP.appId, openid)).status, 200);
    }
    return { ...m, openid, addressId: await addAddress(m) };
  }

  const rows = (kind: string) => w.t.ds.getRepository(WechatTemplateMessage).find({ where: { kind }, order: { id: 'ASC' } });
  const inbox = (templateId: string, openid: string) => w.emu.templateMessages.filter((m) => m.templateId === templateId && m.touser === openid);

  let distributor: Person;
  let buyer: Person;

  it('a commission earned on a paid order reaches the distributor in WeChat (after commit, from the outbox)', async () => {
    distributor = await person('分销员');
    const code = (await distributor.agent.post('/api/v1/distribution/apply').send({}).expect(200)).body.referralCode as string;
    buyer = await person('买家', false);
    assert.equal((await buyer.agent.post('/api/v1/distribution/bind').send({ code }).expect(200)).body.outcome, 'bound');
    const product = await createProduct(w.t, { variants: [{ specValues: [], price: 10_000, stock: 10 }] });
    const orderNo = await buy(buyer, buyer.addressId, [{ variantId: product.variantIds[0], quantity: 1 }]);
    await w.t.settle();

    const got = inbox('TPL_COMMISSION', distributor.openid!);
    assert.equal(got.length, 1, 'one message for the distributor');
    assert.equal(got[0].data.keyword1.value, orderNo);
    assert.equal(got[0].data.keyword2.value, '¥10.00', 'L1 10% of ¥100');
    assert.equal(got[0].url, 'http://mall.test/distribution/orders');
    const [row] = await rows('commissionEarned');
    assert.equal(row.status, 'sent');
    assert.equal(row.memberId, distributor.memberId);
    assert.equal(row.openid, distributor.openid);
    assert.equal(row.attempts, 1);

    // the buyer has no WeChat openid: their order-paid message is skipped with the reason
    const paid = (await rows('orderPaid')).find((r) => r.memberId === buyer.memberId)!;
    assert.equal(paid.status, 'skipped');
    assert.match(paid.lastError ?? '', /openid/);

    // the event redelivered (or onPaid run again) sends nothing twice
    const order = await w.t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    assert.equal(await w.t.get(CommissionService).onPaid(order.id), 0);
    await w.t.settle();
    assert.equal(inbox('TPL_COMMISSION', distributor.openid!).length, 1);
    assert.equal((await rows('commissionEarned')).length, 1);
  });

  it('a withdrawal marked paid reaches the distributor; WeChat failing once is retried by the outbox', async () => {
    const commissions = w.t.get(CommissionService);
    const order = await w.t.ds.getRepository(Order).findOneByOrFail({ memberId: buyer.memberId });
    await commissions.onCompleted(order.id);
    assert.ok((await commissions.unlockDue(new Date(Date.now() + 8 * 86_400_000))) > 0);
    const withdrawals = w.t.get(WithdrawalService);
    const wd = await withdrawals.request(distributor.memberId, 1000);
    await withdrawals.approve(wd.withdrawalNo, 'offline');

    w.emu.failNext('/cgi-bin/message/template/send', -1, 'system error');
    await withdrawals.markPaid(wd.withdrawalNo);
    await w.t.settle();
    const key = `distribution.withdrawal_paid:${wd.withdrawalNo}`;
    let row = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: key });
    assert.equal(row.status, 'pending', 'a temporary failure leaves it pending');
    assert.match(row.lastError ?? '', /-1/);
    assert.equal(inbox('TPL_WITHDRAWAL', distributor.openid!).length, 0);
    const admin1 = (await http().get('/api/v1/admin/wechat/template-messages').query({ status: 'pending' }).set(admin).expect(200)).body.items;
    assert.ok(admin1.some((m: { eventKey: string; lastError: string }) => m.eventKey === key && /-1/.test(m.lastError)), 'admin sees it pending with the error');

    await w.t.ds.getRepository(EventDelivery).update({ subscriber: 'wechat:distribution-notifications', status: 'pending' }, { nextAttemptAt: new Date(Date.now() - 1000) });
    await w.t.get(EventBus).drainDue();
    row = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: key });
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.ok(row.sentAt);
    const got = inbox('TPL_WITHDRAWAL', distributor.openid!);
    assert.equal(got.length, 1);
    assert.equal(got[0].data.keyword1.value, wd.withdrawalNo);
    assert.equal(got[0].data.keyword2.value, '¥10.00');
    assert.equal(got[0].data.keyword3.value, '¥10.00');
  });

  it('a formed group notifies every paid member of the team', async () => {
    const product = await createProduct(w.t, { variants: [{ specValues: [], price: 10_000, stock: 20 }] });
    const res = await http().post('/api/v1/admin/group-buy/activities').set(admin).send({
      name: '两人拼团', productId: product.id, teamSize: 2, teamHours: 24, perMemberLimit: 1,
      startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
      items: [{ variantId: product.variantIds[0], groupPrice: 6000, stock: 20 }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const place = async (m: Person, options: Record<string, unknown>) => {
      const placed = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items: [{ variantId: product.variantIds[0], quantity: 1 }], options });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const pay = await m.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({}).expect(200);
      await m.agent.post(`/payments/sandbox/${pay.body.paymentNo}/confirm`).send({}).expect(200);
      return { orderNo: placed.body.orderNo as string, orderId: placed.body.id as number };
    };
    const leader = await person('团长');
    const mate = await person('团员');
    const first = await place(leader, { groupBuyActivityId: res.body.id });
    await w.t.settle();
    assert.equal(inbox('TPL_GROUP', leader.openid!).length, 0, 'not formed yet');
    const teamId = Number(((await w.t.ds.query('SELECT team_id AS t FROM group_buy_seat WHERE order_id = ?', [first.orderId])) as Array<{ t: number }>)[0].t);
    const second = await place(mate, { groupBuyTeamId: teamId });
    await w.t.settle();

    for (const [m, orderNo] of [[leader, first.orderNo], [mate, second.orderNo]] as const) {
      const got = inbox('TPL_GROUP', m.openid!);
      assert.equal(got.length, 1, `member ${m.memberId} was told`);
      assert.equal(got[0].data.keyword1.value, orderNo);
      assert.equal(got[0].data.keyword2.value, '2 人成团');
      assert.equal(got[0].url, `http://mall.test/orders/${orderNo}`);
    }
    const formed = (await rows('groupFormed')).filter((r) => r.eventKey.startsWith(`group-buy.formed:${teamId}:`));
    assert.deepEqual(formed.map((r) => r.status), ['sent', 'sent']);
  });

  it('a kind without a template id is skipped with a log and nothing is sent', async () => {
    await http().put('/api/v1/admin/wechat/content').set(admin).send({ templates: { ...TEMPLATES, commissionEarned: '' } }).expect(200);
    const before = w.emu.templateMessages.length;
    const product = await createProduct(w.t, { variants: [{ specValues: [], price: 5_000, stock: 10 }] });
    await buy(buyer, buyer.addressId, [{ variantId: product.variantIds[0], quantity: 1 }]);
    await w.t.settle();
    const last = (await rows('commissionEarned')).at(-1)!;
    assert.equal(last.status, 'skipped');
    assert.match(last.lastError ?? '', /no template id configured for commissionEarned/);
    assert.equal(w.emu.templateMessages.filter((m) => m.templateId === 'TPL_COMMISSION').length, 1);
    assert.equal(w.emu.templateMessages.length, before, 'the buyer has no openid: nothing else was sent either');
    await http().put('/api/v1/admin/wechat/content').set(admin).send({ templates: { bogus: 'X' } }).expect(400);
  });

  it('admin lists the deliveries with status, attempts, error and time, filtered', async () => {
    const list = async (query: Record<string, string>) => (await http().get('/api/v1/admin/wechat/template-messages').query(query).set(admin).expect(200)).body.items as Array<{ kind: string; status: string; attempts: number; lastError: string | null; createdAt: string; memberId: number }>;
    const all = await list({});
    for (const kind of ['commissionEarned', 'withdrawalPaid', 'groupFormed', 'orderPaid']) assert.ok(all.some((m) => m.kind === kind), kind);
    const sent = await list({ status: 'sent' });
    assert.ok(sent.length > 0 && sent.every((m) => m.status === 'sent' && m.attempts >= 1 && m.createdAt));
    const withdrawal = await list({ kind: 'withdrawalPaid' });
    assert.deepEqual(withdrawal.map((m) => [m.status, m.attempts]), [['sent', 2]]);
    const skipped = await list({ status: 'skipped', kind: 'commissionEarned' });
    assert.equal(skipped.length, 1);
    assert.match(skipped[0].lastError ?? '', /no template id/);
    const mine = await list({ memberId: String(distributor.memberId) });
    assert.ok(mine.length >= 3 && mine.every((m) => m.memberId === distributor.memberId));
    await http().get('/api/v1/admin/wechat/template-messages').query({ status: 'lost' }).set(admin).expect(400);
    await http().get('/api/v1/admin/wechat/template-messages').expect(401);

    const page = (await http().get('/admin/wechat').query({ kind: 'withdrawalPaid' }).set(admin).expect(200)).text;
    assert.match(page, /distribution\.withdrawal_paid:W/);
    assert.doesNotMatch(page, /group-buy\.formed:/, 'filtered by kind');
    assert.match(page, /id="wx-tpl-commission"/);
    const failedOnly = (await http().get('/admin/wechat').query({ status: 'skipped' }).set(admin).expect(200)).text;
    assert.match(failedOnly, /no template id configured for commissionEarned/);
  });
});
