import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { addAddress, buy, createProduct, createShipping, type MemberAgent } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { OrderService } from '../../../core/order/order.service.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { EventDelivery } from '../../../core/events/entities/event-delivery.entity.js';
import { EventBus } from '../../../core/events/event-bus.service.js';
import { WechatConfigEntry } from '../entities/config-entry.entity.js';
import { WechatTemplateMessage } from '../entities/template-message.entity.js';
import { jsSdkSignature } from '../services/wechat-crypto.js';
import { APP, localPath, startWorld, stopWorld, type WechatWorld } from './support.js';

const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

describe('shoppers inside WeChat, notifications and the merchant\'s admin', () => {
  let w: WechatWorld;
  let admin: Record<string, string>;
  let shopper: MemberAgent;
  let openid: string;

  before(async () => {
    w = await startWorld({ messageMode: 'safe' });
    admin = await adminHeaders(w.t);
  });
  after(() => stopWorld(w));

  /** Walks one OAuth round trip: mall → emulator consent (as `as`) → mall callback. Returns the callback's answer. */
  async function consent(agent: ReturnType<typeof request.agent>, authorizeUrl: string, as: string) {
    assert.ok(authorizeUrl.startsWith(`${w.emu.baseUrl}/connect/oauth2/authorize?`), authorizeUrl);
    assert.ok(authorizeUrl.endsWith('#wechat_redirect'));
    const res = await fetch(`${authorizeUrl.split('#')[0]}&as=${encodeURIComponent(as)}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const callback = res.headers.get('location')!;
    assert.ok(callback.startsWith('http://mall.test/wechat/oauth/callback?'), callback);
    return { callback: localPath(callback), answer: await agent.get(localPath(callback)) };
  }

  it('a WeChat browser that must sign in is sent through web OAuth instead of the sandbox sign-in page', async () => {
    const cart = await w.t.http().get('/cart').set('user-agent', WECHAT_UA);
    assert.equal(cart.status, 302);
    const signIn = await w.t.http().get(cart.headers.location).set('user-agent', WECHAT_UA);
    assert.equal(signIn.status, 302);
    assert.equal(signIn.headers.location, '/wechat/oauth/start?next=%2Fcart');
    assert.equal((await w.t.http().get('/sign-in?next=%2Fcart')).status, 200, 'ordinary browsers still see the sign-in page');
  });

  it('OAuth sign-in: silent snsapi_base, then snsapi_userinfo once for the nickname; the member is created once', async () => {
    const user = w.emu.addUser(APP.appId, '微信小王');
    openid = user.openid;
    const agent = request.agent(w.t.app.getHttpServer());
    const start = await agent.get('/wechat/oauth/start?next=%2Fcart');
    assert.equal(start.status, 302);
    assert.match(start.headers.location, /scope=snsapi_base/);
    const first = await consent(agent, start.headers.location, user.openid);
    assert.equal(first.answer.status, 302);
    assert.match(first.answer.headers.location, /scope=snsapi_userinfo/, 'asks for the profile once');
    const second = await consent(agent, first.answer.headers.location, user.openid);
    assert.equal(second.answer.status, 302);
    assert.equal(second.answer.headers.location, '/cart');
    const members = await w.t.ds.getRepository(Member).findBy({ openid: user.openid });
    assert.equal(members.length, 1);
    assert.equal(members[0].nickname, '微信小王');
    assert.equal(members[0].source, 'wechat');
    assert.equal(members[0].unionid, user.unionid);
    assert.ok(members[0].avatarUrl);
    assert.equal((await agent.get('/cart')).status, 200, 'signed in');

    // the same callback again (a reload): the code was used (40163) — the member is already signed in
    const replay = await agent.get(second.callback);
    assert.equal(replay.status, 302);
    assert.equal(replay.headers.location, '/cart');
    assert.equal(await w.t.ds.getRepository(Member).countBy({ openid: user.openid }), 1);
    assert.ok(w.emu.calls.some((c) => c.path === '/sns/oauth2/access_token' && c.errcode === 40163));
    shopper = { memberId: members[0].id, agent };

    // a second visit: silent, no new member, no profile prompt
    const again = request.agent(w.t.app.getHttpServer());
    const s2 = await again.get('/wechat/oauth/start?next=%2Forders');
    const r2 = await consent(again, s2.headers.location, user.openid);
    assert.equal(r2.answer.headers.location, '/orders');
    assert.equal(await w.t.ds.getRepository(Member).countBy({ openid: user.openid }), 1);
  });

  it('a forged or stale callback never signs anyone in', async () => {
    const stranger = request.agent(w.t.app.getHttpServer());
    const code = w.emu.issueCode(APP.appId, openid, 'snsapi_base');
    const res = await stranger.get(`/wechat/oauth/callback?code=${code}&state=forged`);
    assert.equal(res.status, 302);
    assert.match(res.headers.location, /^\/wechat\/oauth\/start/);
    assert.equal((await stranger.get('/member')).status, 302, 'still not signed in');
  });

  it('JS-SDK config: a signature over the live jsapi_ticket and the exact page URL', async () => {
    const url = 'http://mall.test/products/tea?ref=AB12';
    const cfg = (await w.t.http().get('/api/v1/wechat/js-config').query({ url: `${url}#section` }).expect(200)).body;
    assert.equal(cfg.appId, APP.appId);
    assert.ok(cfg.jsApiList.includes('updateAppMessageShareData'));
    const ticket = [...(w.emu as unknown as { tickets: Map<string, unknown> }).tickets.keys()].find((t) => w.emu.isLiveTicket(APP.appId, t))!;
    assert.equal(cfg.signature, jsSdkSignature({ jsapi_ticket: ticket, noncestr: cfg.nonceStr, timestamp: cfg.timestamp, url }));
    await w.t.http().get('/api/v1/wechat/js-config').query({ url: 'https://evil.example/x' }).expect(400);
    const fetched = w.emu.count('/cgi-bin/ticket/getticket');
    await w.t.http().get('/api/v1/wechat/js-config').query({ url }).expect(200);
    assert.equal(w.emu.count('/cgi-bin/ticket/getticket'), fetched, 'the ticket is cached');
  });

  it('template messages: order paid reaches the emulator; a failure is retried from the outbox; unconfigured kinds are skipped', async () => {
    await w.emu.subscribe(APP.appId, openid);
    await request(w.t.app.getHttpServer()).put('/api/v1/admin/wechat/content').set(admin).send({ templates: { orderPaid: 'TPL_PAID_001', orderShipped: 'TPL_SHIP_001' } }).expect(200);
    await createShipping(w.t);
    const product = await createProduct(w.t, { variants: [{ specValues: [], price: 12_800, stock: 5 }] });
    const orderNo = await buy(shopper, await addAddress(shopper), [{ variantId: product.variantIds[0], quantity: 1 }]);
    await w.t.settle();
    const sent = w.emu.templateMessages.find((m) => m.templateId === 'TPL_PAID_001' && m.data.keyword1.value === orderNo);
    assert.ok(sent, 'the order-paid template message reached WeChat');
    assert.equal(sent!.touser, openid);
    assert.equal(sent!.url, `http://mall.test/orders/${orderNo}`);
    assert.equal(sent!.data.keyword2.value, '¥128.00');
    const row = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: `order.paid:${await orderId(orderNo)}` });
    assert.equal(row.status, 'sent');

    // WeChat is busy once: the subscriber throws, the event bus retries later
    w.emu.failNext('/cgi-bin/message/template/send', -1, 'system error');
    await w.t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF1234567890');
    await w.t.settle();
    const key = `order.shipped:${await orderId(orderNo)}`;
    let shipped = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: key });
    assert.equal(shipped.status, 'pending');
    assert.match(shipped.lastError ?? '', /-1/);
    await w.t.ds.getRepository(EventDelivery).update({ subscriber: 'wechat:order-notifications', status: 'pending' }, { nextAttemptAt: new Date(Date.now() - 1000) });
    await w.t.get(EventBus).drainDue();
    shipped = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: key });
    assert.equal(shipped.status, 'sent');
    assert.equal(shipped.attempts, 2);
    assert.ok(w.emu.templateMessages.some((m) => m.templateId === 'TPL_SHIP_001' && m.data.keyword3.value === 'SF1234567890'));

    // no template id for orderPaid any more: skipped with a reason, nothing sent
    await request(w.t.app.getHttpServer()).put('/api/v1/admin/wechat/content').set(admin).send({ templates: { orderPaid: '', orderShipped: 'TPL_SHIP_001' } }).expect(200);
    const before = w.emu.templateMessages.length;
    const second = await buy(shopper, await addAddress(shopper), [{ variantId: product.variantIds[0], quantity: 1 }]);
    await w.t.settle();
    const skipped = await w.t.ds.getRepository(WechatTemplateMessage).findOneByOrFail({ eventKey: `order.paid:${await orderId(second)}` });
    assert.equal(skipped.status, 'skipped');
    assert.match(skipped.lastError ?? '', /no template id/);
    assert.equal(w.emu.templateMessages.length, before);
    const list = (await request(w.t.app.getHttpServer()).get('/api/v1/admin/wechat/template-messages').set(admin).expect(200)).body.items;
    assert.ok(list.some((m: { status: string }) => m.status === 'sent') && list.some((m: { status: string }) => m.status === 'skipped'));
  });

  async function orderId(orderNo: string): Promise<number> {
    return (await w.t.ds.getRepository(Order).findOneByOrFail({ orderNo })).id;
  }

  it('menu: edited in admin, synced to WeChat with absolute links; campaign QR codes', async () => {
    const http = () => request(w.t.app.getHttpServer());
    const current = (await http().get('/api/v1/admin/wechat/menu').set(admin).expect(200)).body;
    assert.deepEqual(current.menu.button.map((b: { name: string }) => b.name), ['进入商城', '我的订单'], 'defaults without distribution');
    await http().put('/api/v1/admin/wechat/menu').set(admin).send({ menu: { button: [{ type: 'view', name: '这个名字实在是太长了超出限制', url: '/' }] } }).expect(400);
    const menu = { button: [{ type: 'view', name: '进入商城', url: '/' }, { name: '服务', sub_button: [{ type: 'view', name: '我的订单', url: '/orders' }, { type: 'click', name: '联系客服', key: 'CONTACT' }] }] };
    await http().put('/api/v1/admin/wechat/menu').set(admin).send({ menu }).expect(200);
    const synced = (await http().post('/api/v1/admin/wechat/menu/sync').set(admin).expect(200)).body;
    assert.equal(synced.ok, true);
    const remote = w.app.menu as { button: Array<{ url?: string; sub_button?: Array<{ url?: string; key?: string }> }> };
    assert.equal(remote.button[0].url, 'http://mall.test/');
    assert.equal(remote.button[1].sub_button![0].url, 'http://mall.test/orders');
    assert.equal(remote.button[1].sub_button![1].key, 'CONTACT');

    const qr = (await http().post('/api/v1/admin/wechat/qrcodes').set(admin).send({ scene: 'spring_sale', permanent: false }).expect(200)).body;
    assert.equal(qr.permanent, false);
    assert.ok(new Date(qr.expiresAt).getTime() > Date.now() + 29 * 86_400_000);
    assert.equal(w.emu.qrcodes.get(qr.ticket)?.actionName, 'QR_STR_SCENE');
  });

  it('admin: server URL shown, secrets never sent back and stored encrypted, checks explained in plain words', async () => {
    const http = () => request(w.t.app.getHttpServer());
    const page = await http().get('/admin/wechat').set(admin).expect(200);
    assert.match(page.text, /http:\/\/mall\.test\/wechat/);
    assert.match(page.text, /已设置/);
    assert.doesNotMatch(page.text, new RegExp(APP.secret));
    const overview = (await http().get('/api/v1/admin/wechat').set(admin).expect(200)).body;
    assert.equal(overview.serverUrl, 'http://mall.test/wechat');
    assert.deepEqual(overview.secrets, { appSecret: true, token: true, encodingAesKey: true });
    assert.equal(overview.sources.appSecret, 'env');
    assert.doesNotMatch(JSON.stringify(overview), new RegExp(`${APP.secret}|${APP.encodingAesKey}|${APP.token}`));

    await http().put('/api/v1/admin/wechat/account').set(admin).send({ appSecret: 'saved-in-admin-secret', token: 'bad token!' }).expect(400);
    await http().put('/api/v1/admin/wechat/account').set(admin).send({ appSecret: 'saved-in-admin-secret' }).expect(200);
    const stored = await w.t.ds.getRepository(WechatConfigEntry).findOneByOrFail({ key: 'appSecret' });
    assert.equal(stored.isSecret, true);
    assert.doesNotMatch(stored.value, /saved-in-admin-secret/);

    assert.equal((await http().post('/api/v1/admin/wechat/check').set(admin).expect(200)).body.ok, true);
    w.emu.updateApp(APP.appId, { secret: 'rotated-secret-value' });
    const wrong = (await http().post('/api/v1/admin/wechat/check').set(admin).expect(200)).body;
    assert.equal(wrong.ok, false);
    assert.equal(wrong.errcode, 40125);
    assert.match(wrong.message, /AppSecret 不正确/);
    w.emu.updateApp(APP.appId, { secret: APP.secret, ipWhitelist: ['10.1.2.3'] });
    const ip = (await http().post('/api/v1/admin/wechat/check').set(admin).expect(200)).body;
    assert.equal(ip.errcode, 40164);
    assert.match(ip.message, /IP 白名单/);
    w.emu.app(APP.appId).ipWhitelist = null;
  });
});
