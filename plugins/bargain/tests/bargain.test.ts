import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, createProduct, createShipping, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { OrderAdjustment } from '../../../core/order/entities/order-adjustment.entity.js';
import { PricingPipeline } from '../../../core/pricing/pricing-pipeline.service.js';
import type { PricingContext } from '../../../core/pricing/pricing.types.js';
import { pendingSchemaChanges } from '../../../core/database/schema-drift.js';
import { Bargain } from '../entities/bargain.entity.js';
import { BargainHelp } from '../entities/bargain-help.entity.js';
import { BargainService } from '../bargain.service.js';

const HOUR = 3600_000;
let seq = 0;

describe('bargain plugin', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'bargain' } });
    admin = await adminHeaders(t);
    await createShipping(t, { freeFrom: 1 });
  });
  after(() => t.close());

  async function settings(values: Record<string, unknown>) {
    const res = await t.http().put('/api/v1/plugins/bargain/settings').set(admin).send({ settings: values });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  async function activity(overrides: Record<string, unknown> = {}, price = 9900): Promise<{ id: number; variantId: number; productId: number; slug: string }> {
    const product = await createProduct(t, { variants: [{ specValues: [], price, stock: 50 }] });
    const body = {
      title: `砍价活动${++seq}`, variantId: product.variantIds[0], startPrice: price, floorPrice: 100, helpersNeeded: 5, durationMinutes: 1440,
      startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + 24 * HOUR).toISOString(), maxStartsPerMember: 2, maxHelpsPerDay: 50,
      ...overrides,
    };
    const res = await t.http().post('/api/v1/admin/bargain/activities').set(admin).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.id, variantId: product.variantIds[0], productId: product.id, slug: product.slug };
  }

  async function member(name: string): Promise<MemberAgent & { addressId: number }> {
    const m = await t.signIn(`${name}${++seq}`);
    return { ...m, addressId: await addAddress(m) };
  }

  async function start(m: MemberAgent, activityId: number) {
    const res = await m.agent.post(`/api/v1/bargain/activities/${activityId}/start`).send({});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; currentPrice: number; startPrice: number; floorPrice: number; initiatorCutAmount: number };
  }

  async function friends(n: number): Promise<MemberAgent[]> {
    return Promise.all(Array.from({ length: n }, () => t.signIn(`好友${++seq}`)));
  }

  function expectError(res: { status: number; body: { code?: string; field?: string } }, status: number, code: string, field?: string) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.code, code, JSON.stringify(res.body));
    if (field) assert.equal(res.body.field, field, JSON.stringify(res.body));
  }

  it('its migrations create exactly the tables its entities describe, on this database', async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], `run npm run migration:generate -- <Name> --plugin bargain. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('is off by default: member routes 403 and pages 404 with code bargain_disabled; the admin states the WeChat restriction next to the switch', async () => {
    const a = await activity();
    const m = await member('关闭时');
    expectError(await t.http().get('/api/v1/bargain/activities'), 403, 'bargain_disabled');
    expectError(await m.agent.post(`/api/v1/bargain/activities/${a.id}/start`).send({}), 403, 'bargain_disabled');
    const page = await t.http().get('/bargain');
    assert.equal(page.status, 404);
    assert.match(page.text, /bargain_disabled|not available/);
    expectError(await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: a.variantId, quantity: 1 }], options: { bargainId: 1 } }), 403, 'bargain_disabled');
    const product = await t.http().get(`/products/${a.slug}`);
    if (product.status === 200) assert.doesNotMatch(product.text, /发起砍价/);
    const adminPage = await t.http().get('/admin/bargain').set(admin).expect(200);
    assert.match(adminPage.text, /未开启/);
    assert.match(adminPage.text, /助力、砍价/);
    assert.doesNotMatch(adminPage.text, /Turn on\/off in the plugin settings/, 'zh-CN admin page is not bilingual');
    const adminEn = await t.http().get('/admin/bargain?lang=en').set(admin).expect(200);
    assert.match(adminEn.text, /Switch:/);
    assert.match(adminEn.text, /助力\/砍价/, 'the English warning names the campaigns as WeChat does');
    assert.doesNotMatch(adminEn.text, /未开启|新建砍价活动|还没有砍价活动|每人可发起次数/);
    const settingsPage = await t.http().get('/admin/plugins/bargain').set(admin).expect(200);
    assert.match(settingsPage.text, /开启砍价/);
    assert.match(settingsPage.text, /助力、砍价/, 'the warning is the help line of the switch');

    await settings({ enabled: true, burstPerMember: 1000, burstPerIp: 100000 });
    await t.http().get('/api/v1/bargain/activities').expect(200);
  });

  it('admin creates and edits activities; bad ones are clear 400s naming the field', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 5000, stock: 5 }] });
    const base = { title: '校验', variantId: variantIds[0], startPrice: 5000, floorPrice: 1000, helpersNeeded: 3, durationMinutes: 60, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString() };
    const post = (o: Record<string, unknown>) => t.http().post('/api/v1/admin/bargain/activities').set(admin).send({ ...base, ...o });
    expectError(await post({ floorPrice: 5000 }), 400, 'invalid_bargain_activity', 'floorPrice');
    expectError(await post({ startPrice: 5001 }), 400, 'invalid_bargain_activity', 'startPrice');
    expectError(await post({ helpersNeeded: 0 }), 400, 'validation_failed', 'helpersNeeded');
    expectError(await post({ helpersNeeded: 101 }), 400, 'validation_failed', 'helpersNeeded');
    expectError(await post({ floorPrice: 4998, helpersNeeded: 3, initiatorCut: true }), 400, 'invalid_bargain_activity', 'helpersNeeded');
    expectError(await post({ endsAt: new Date(Date.now() - HOUR).toISOString() }), 400, 'invalid_bargain_activity', 'endsAt');
    expectError(await post({ variantId: 99999999 }), 404, 'variant_not_found', 'variantId');
    await t.http().post('/api/v1/admin/bargain/activities').send(base).expect(401);
    await t.http().post('/api/v1/admin/bargain/activities').set({ cookie: admin.cookie }).send(base).expect(403);
    const created = await post({}).expect(201);
    assert.equal(created.body.buyMode, 'floor');
    const edited = await t.http().put(`/api/v1/admin/bargain/activities/${created.body.id}`).set(admin).send({ floorPrice: 2000, buyMode: 'any', earnsCommission: false });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual([edited.body.floorPrice, edited.body.buyMode, edited.body.earnsCommission], [2000, 'any', false]);
    expectError(await t.http().put(`/api/v1/admin/bargain/activities/${created.body.id}`).set(admin).send({ floorPrice: 6000 }), 400, 'invalid_bargain_activity', 'floorPrice');
    const list = await t.http().get('/api/v1/admin/bargain/activities').set(admin).expect(200);
    assert.ok(list.body.items.some((i: { id: number }) => i.id === created.body.id));
    assert.match((await t.http().get('/admin/bargain').set(admin).expect(200)).text, /校验/);
  });

  it('full flow: start → 5 friends → exactly the floor → buy at the floor with the commission flag → a second purchase is refused', async () => {
    const a = await activity({ startPrice: 9900, floorPrice: 990, helpersNeeded: 5, earnsCommission: false });
    const owner = await member('发起人');
    const b = await start(owner, a.id);
    assert.ok(b.initiatorCutAmount >= 1 && b.currentPrice === 9900 - b.initiatorCutAmount, 'the initiator takes a first cut');
    expectError(await owner.agent.post(`/api/v1/bargain/activities/${a.id}/start`).send({}), 409, 'bargain_in_progress', 'activityId');
    expectError(await owner.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}), 403, 'bargain_own_help', 'bargainId');
    const items = [{ variantId: a.variantId, quantity: 1 }];
    expectError(await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items, options: { bargainId: b.id } }), 409, 'bargain_not_at_floor', 'options.bargainId');
    await t.http().post(`/api/v1/bargain/bargains/${b.id}/help`).send({}).expect(401);

    const helpers = await friends(6);
    let price = b.currentPrice;
    for (const f of helpers.slice(0, 5)) {
      const res = await f.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({});
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(res.body.cutAmount >= 1);
      assert.equal(res.body.currentPrice, price - res.body.cutAmount);
      assert.ok(res.body.currentPrice >= 990);
      price = res.body.currentPrice;
    }
    assert.equal(price, 990, 'the last needed friend lands exactly on the floor');
    const view = (await t.http().get(`/api/v1/bargain/bargains/${b.id}`).expect(200)).body;
    assert.equal(view.state, 'floor');
    assert.equal(view.helpers.length, 5);
    assert.equal(view.initiatorCutAmount + view.helpers.reduce((s: number, h: { cutAmount: number }) => s + h.cutAmount, 0), 9900 - 990);
    expectError(await helpers[5].agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}), 409, 'bargain_complete', 'bargainId');
    expectError(await helpers[0].agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}), 409, 'bargain_already_helped', 'bargainId');

    expectError(await owner.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: a.variantId, quantity: 2 }], options: { bargainId: b.id } }), 409, 'bargain_quantity_limit', 'items.0.quantity');
    const stranger = await member('路人');
    expectError(await stranger.agent.post('/api/v1/checkout/preview').send({ items, options: { bargainId: b.id } }), 404, 'bargain_not_found', 'options.bargainId');
    const preview = await owner.agent.post('/api/v1/checkout/preview').send({ items, options: { bargainId: b.id } }).expect(200);
    assert.equal(preview.body.itemsTotal, 990);

    const placed = await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items, options: { bargainId: b.id } });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.itemsTotal, 990);
    const adj = await t.ds.getRepository(OrderAdjustment).findOneByOrFail({ orderId: placed.body.id, source: 'bargain:price' });
    assert.deepEqual([adj.kind, adj.amount, adj.data?.bargainId, adj.data?.earnsCommission], ['price', 990, b.id, false]);
    const row = await t.ds.getRepository(Bargain).findOneByOrFail({ id: b.id });
    assert.deepEqual([row.status, row.orderId], ['ordered', placed.body.id]);
    expectError(await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items, options: { bargainId: b.id } }), 409, 'bargain_already_bought', 'options.bargainId');

    // an unpaid order that closes gives the bargain back; it can then be bought once more
    await owner.agent.post(`/api/v1/orders/${placed.body.orderNo}/cancel`).send({}).expect(200);
    assert.equal((await t.ds.getRepository(Bargain).findOneByOrFail({ id: b.id })).status, 'open');
    const again = await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items, options: { bargainId: b.id } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal((await t.ds.getRepository(OrderAdjustment).findOneByOrFail({ orderId: again.body.id, source: 'bargain:price' })).data?.earnsCommission, false);
  });

  it('concurrent helps of one friend count once', async () => {
    const a = await activity({ helpersNeeded: 10 });
    const owner = await member('并发');
    const b = await start(owner, a.id);
    const [f] = await friends(1);
    const results = await Promise.all(Array.from({ length: 8 }, () => f.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({})));
    assert.equal(results.filter((r) => r.status === 201).length, 1, results.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', '));
    for (const r of results.filter((x) => x.status !== 201)) assert.deepEqual([r.status, r.body.code], [409, 'bargain_already_helped']);
    const row = await t.ds.getRepository(Bargain).findOneByOrFail({ id: b.id });
    assert.equal(row.helpCount, 1);
    assert.equal(await t.ds.getRepository(BargainHelp).countBy({ bargainId: b.id }), 1);
    // and many different friends at once each take their own place in the plan
    const many = await friends(6);
    const res = await Promise.all(many.map((x) => x.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({})));
    assert.ok(res.every((r) => r.status === 201), res.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', '));
    const after = await t.ds.getRepository(Bargain).findOneByOrFail({ id: b.id });
    const helps = await t.ds.getRepository(BargainHelp).find({ where: { bargainId: b.id }, order: { seq: 'ASC' } });
    assert.deepEqual(helps.map((h) => h.seq), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(after.currentPrice, helps[6].priceAfter);
    assert.equal(after.currentPrice, b.currentPrice - helps.reduce((s, h) => s + h.cutAmount, 0));
  });

  it('help after expiry and buying an expired bargain are refused', async () => {
    const a = await activity({ buyMode: 'any' });
    const owner = await member('过期');
    const b = await start(owner, a.id);
    await t.ds.getRepository(Bargain).update({ id: b.id }, { expiresAt: new Date(Date.now() - 60_000) });
    const [f] = await friends(1);
    expectError(await f.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}), 409, 'bargain_expired', 'bargainId');
    expectError(await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items: [{ variantId: a.variantId, quantity: 1 }], options: { bargainId: b.id } }), 409, 'bargain_expired', 'options.bargainId');
    assert.equal((await t.get(BargainService).bargain(b.id)).state, 'expired');
  });

  it('"buy at any moment": the member buys at the current price before the floor', async () => {
    const a = await activity({ buyMode: 'any', helpersNeeded: 20, initiatorCut: false });
    const owner = await member('随时买');
    const b = await start(owner, a.id);
    assert.equal(b.currentPrice, 9900, 'no initiator cut');
    const [f] = await friends(1);
    const help = await f.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}).expect(201);
    const placed = await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items: [{ variantId: a.variantId, quantity: 1 }], options: { bargainId: b.id } });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.itemsTotal, help.body.currentPrice);
    assert.equal((await t.ds.getRepository(OrderAdjustment).findOneByOrFail({ orderId: placed.body.id, source: 'bargain:price' })).data?.earnsCommission, true);
  });

  it('a bargain price never stacks with another activity price', async () => {
    const pipeline = t.get(PricingPipeline);
    const fake = (id: string, priority: number, flag: string) => ({
      id, stage: 'line-price' as const, priority, exclusiveGroup: 'activity-price',
      adjust: (ctx: PricingContext) => (ctx.options[flag] ? ctx.lines.map((l) => ({ kind: 'price' as const, label: '假活动价', amount: 1, lineIndex: l.index, data: { earnsCommission: true } })) : []),
    });
    pipeline.register(fake('fake-activity:early', 10, 'fakeEarly'));
    pipeline.register(fake('fake-activity:late', 50, 'fakeLate'));
    const a = await activity({ buyMode: 'any', helpersNeeded: 3 });
    const owner = await member('叠加');
    const b = await start(owner, a.id);
    const items = [{ variantId: a.variantId, quantity: 1 }];
    // another activity priced the line first: the bargain refuses rather than combining, and the bargain stays open
    expectError(await owner.agent.post('/api/v1/orders').send({ addressId: owner.addressId, items, options: { bargainId: b.id, fakeEarly: true } }), 409, 'bargain_price_conflict', 'options.bargainId');
    assert.equal((await t.ds.getRepository(Bargain).findOneByOrFail({ id: b.id })).status, 'open');
    // the bargain priced the line first: the later activity price is ignored, one price adjustment only
    const preview = await owner.agent.post('/api/v1/checkout/preview').send({ items, options: { bargainId: b.id, fakeLate: true } }).expect(200);
    const prices = preview.body.adjustments.filter((x: { kind: string }) => x.kind === 'price');
    assert.deepEqual(prices.map((x: { source: string; amount: number }) => [x.source, x.amount]), [['bargain:price', b.currentPrice]]);
    assert.equal(preview.body.itemsTotal, b.currentPrice);
  });

  it('rate limits: the per-activity and per-day help limits, and a burst limit → 429', async () => {
    const a = await activity({ maxHelpsPerDay: 1 });
    const [o1, o2] = [await member('限频甲'), await member('限频乙')];
    const [b1, b2] = [await start(o1, a.id), await start(o2, a.id)];
    const [f] = await friends(1);
    await f.agent.post(`/api/v1/bargain/bargains/${b1.id}/help`).send({}).expect(201);
    expectError(await f.agent.post(`/api/v1/bargain/bargains/${b2.id}/help`).send({}), 429, 'bargain_help_daily_limit', 'bargainId');

    await settings({ helpsPerDay: 1 });
    const other = await activity();
    const b3 = await start(o1, other.id);
    expectError(await f.agent.post(`/api/v1/bargain/bargains/${b3.id}/help`).send({}), 429, 'bargain_help_daily_limit');
    await settings({ helpsPerDay: 10 });

    await settings({ burstPerMember: 3 });
    try {
      const [script] = await friends(1);
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push((await script.agent.post(`/api/v1/bargain/bargains/${b3.id}/help`).send({})).body.code ?? 'ok');
      assert.deepEqual(codes, ['ok', 'bargain_already_helped', 'bargain_already_helped', 'bargain_rate_limited', 'bargain_rate_limited']);
      const limited = await script.agent.post(`/api/v1/bargain/bargains/${b3.id}/help`).send({});
      assert.equal(limited.status, 429);
    } finally {
      await settings({ burstPerMember: 1000 });
    }
  });

  it('per-member start limit', async () => {
    const a = await activity({ maxStartsPerMember: 1, buyMode: 'any' });
    const m = await member('发起上限');
    const b = await start(m, a.id);
    await t.ds.getRepository(Bargain).update({ id: b.id }, { expiresAt: new Date(Date.now() - 1000) });
    expectError(await m.agent.post(`/api/v1/bargain/activities/${a.id}/start`).send({}), 409, 'bargain_start_limit', 'activityId');
  });

  it('storefront: product slot, activity page, bargain page with progress and 帮砍一刀, checkout carries the option', async () => {
    const a = await activity({ title: '好友帮砍测试' });
    const owner = await member('页面');
    const product = await owner.agent.get(`/products/${a.slug}`);
    assert.equal(product.status, 200);
    assert.match(product.text, /发起砍价/);
    assert.match(product.text, new RegExp(`data-bargain-start="${a.id}"`));
    assert.match((await t.http().get('/bargain').expect(200)).text, /好友帮砍测试/);
    assert.match((await owner.agent.get(`/bargain/activities/${a.id}`).expect(200)).text, /发起砍价/);
    const b = await start(owner, a.id);
    const [f] = await friends(1);
    const friendPage = await f.agent.get(`/bargain/${b.id}`).expect(200);
    assert.match(friendPage.text, /帮砍一刀/);
    assert.match(friendPage.text, /bargain-progress-bar/);
    assert.match(friendPage.text, /data-countdown/);
    await f.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}).expect(201);
    const ownerPage = await owner.agent.get(`/bargain/${b.id}`).expect(200);
    assert.match(ownerPage.text, /data-bargain-helper/);
    assert.match(ownerPage.text, /邀请好友帮砍/);
    assert.doesNotMatch(ownerPage.text, /data-bargain-help=/);
    const checkout = await owner.agent.get(`/checkout?variantId=${a.variantId}&quantity=1&bargainId=${b.id}`).expect(200);
    assert.match(checkout.text, /data-checkout-option="bargainId"/);
    await t.http().get('/bargain/999999').expect(404);
  });

  it('storefront pages follow ?lang=en: English text from locales/en.json, no Chinese left from the templates', async () => {
    const a = await activity({ title: 'Bargain EN test' });
    const owner = await t.signIn(`owner${++seq}`);
    const friend = await t.signIn(`friend${++seq}`);
    /** The plugin template's part of the page, without user data (product titles are Chinese test data). */
    const own = (html: string, from: string, to = '</main>') => {
      const start = html.indexOf(from);
      assert.ok(start >= 0, `${from} not on the page`);
      return html.slice(start, html.indexOf(to, start) + to.length).replace(/测试商品 \d+/g, '');
    };
    const han = /[\u3400-\u9fff\uff00-\uffef]/;

    const product = await owner.agent.get(`/products/${a.slug}?lang=en`).expect(200);
    const cta = own(product.text, 'class="bargain-cta"', '</script>');
    assert.match(cta, /Bargain · as low as/);
    assert.match(cta, /Start a bargain/);
    assert.doesNotMatch(cta, han);

    const activityPage = own((await owner.agent.get(`/bargain/activities/${a.id}?lang=en`).expect(200)).text, '<main class="page bargain-activity"');
    assert.match(activityPage, /Start a bargain/);
    assert.match(activityPage, /Up to 2 bargains per member/);
    assert.doesNotMatch(activityPage, han);

    const b = await start(owner, a.id);
    const friendPage = await friend.agent.get(`/bargain/${b.id}?lang=en`).expect(200);
    assert.match(friendPage.text, /<title>[^<]*· Bargain/);
    const friendMain = own(friendPage.text, '<main class="page bargain-page"');
    assert.match(friendMain, /Cut the price/);
    assert.match(friendMain, /Needs <strong>\d+<\/strong> more friends/);
    assert.doesNotMatch(friendMain, han);
    await friend.agent.post(`/api/v1/bargain/bargains/${b.id}/help`).send({}).expect(201);

    const ownerMain = own((await owner.agent.get(`/bargain/${b.id}?lang=en`).expect(200)).text, '<main class="page bargain-page"');
    assert.match(ownerMain, /Invite friends to help/);
    assert.match(ownerMain, /Cut ¥\d+\.\d\d/);
    assert.doesNotMatch(ownerMain, han);

    // activity titles are the merchant's text (earlier tests name them in Chinese)
    const list = own((await owner.agent.get('/bargain?lang=en').expect(200)).text, '<main class="page bargain-list"').replace(/<p class="bargain-item-title">[^<]*<\/p>/g, '');
    assert.match(list, /My bargains/);
    assert.match(list, /In progress/);
    assert.doesNotMatch(list, han);

    // the language is remembered in the cookie; ?lang=zh-CN switches back to today's Chinese
    assert.match((await owner.agent.get(`/bargain/${b.id}`).expect(200)).text, /Invite friends to help/);
    assert.match((await owner.agent.get(`/bargain/${b.id}?lang=zh-CN`).expect(200)).text, /邀请好友帮砍/);
  });
});
