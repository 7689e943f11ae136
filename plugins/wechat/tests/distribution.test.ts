import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProduct } from '../../../tests/support/test-app.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { WechatMenuService } from '../services/menu.service.js';
import { APP, startWorld, stopWorld, type WechatWorld } from './support.js';

/** Journey 4: a distributor's parametric QR code; whoever scans follows and is bound to them. */
describe('wechat with distribution: QR scenes bind the scanner through the distribution plugin', () => {
  let w: WechatWorld;
  let code: string;
  let ticket: string;

  before(async () => {
    w = await startWorld({ plugins: 'distribution,distribution-single,wechat' });
  });
  after(() => stopWorld(w));

  const bindingOf = async (memberId: number): Promise<number | null> => {
    const rows = (await w.t.ds.query('SELECT upline1_id AS u FROM dist_binding WHERE member_id = ?', [memberId])) as Array<{ u: number }>;
    return rows[0] ? Number(rows[0].u) : null;
  };

  it('a distributor gets a permanent QR code with scene ref_<code>, cached', async () => {
    const a = await w.t.signIn('分销员甲');
    code = (await a.agent.post('/api/v1/distribution/apply').send({}).expect(200)).body.referralCode;
    const qr = (await a.agent.get('/api/v1/me/wechat/qrcode').expect(200)).body;
    assert.equal(qr.scene, `ref_${code}`);
    assert.equal(qr.permanent, true);
    assert.match(qr.imageUrl, /\/cgi-bin\/showqrcode\?ticket=/);
    ticket = qr.ticket;
    const created = w.emu.count('/cgi-bin/qrcode/create');
    const again = (await a.agent.get('/api/v1/me/wechat/qrcode').expect(200)).body;
    assert.equal(again.ticket, ticket);
    assert.equal(w.emu.count('/cgi-bin/qrcode/create'), created, 'served from the cache');
    const img = await fetch(qr.imageUrl);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.equal(w.emu.qrcodes.get(ticket)?.sceneStr, `ref_${code}`);
    assert.equal(w.emu.qrcodes.get(ticket)?.actionName, 'QR_LIMIT_STR_SCENE');
    const b = await w.t.signIn('不是分销员');
    assert.equal((await b.agent.get('/api/v1/me/wechat/qrcode')).status, 409);
  });

  it('a new follower scanning the code (subscribe with qrscene_ref_…) becomes a member bound to the distributor', async () => {
    const distributorId = (await w.t.ds.query('SELECT member_id AS m FROM dist_distributor WHERE referral_code = ?', [code]) as Array<{ m: number }>)[0].m;
    const fan = w.emu.addUser(APP.appId, '扫码新粉');
    const r = await w.emu.scan(APP.appId, fan.openid, ticket);
    assert.equal(r.status, 200);
    const member = await w.t.ds.getRepository(Member).findOneByOrFail({ openid: fan.openid });
    assert.equal(await bindingOf(member.id), Number(distributorId));
  });

  it('an existing follower scanning (SCAN event) is bound by the same rules', async () => {
    const fan = w.emu.addUser(APP.appId, '老粉');
    await w.emu.subscribe(APP.appId, fan.openid);
    const member = await w.t.ds.getRepository(Member).findOneByOrFail({ openid: fan.openid });
    assert.equal(await bindingOf(member.id), null);
    const r = await w.emu.scan(APP.appId, fan.openid, ticket);
    assert.equal(r.status, 200);
    assert.ok(await bindingOf(member.id), 'bound after SCAN');
  });

  it('share cards carry the distributor\'s referral code; the default menu includes 推广中心', async () => {
    const a = await w.t.signIn('分销员甲');
    const product = await createProduct(w.t, { title: '龙井 250g', subtitle: '明前特级' });
    const html = (await a.agent.get(`/products/${product.slug}`).expect(200)).text;
    const json = /<script type="application\/json" id="wechat-share">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(json, 'the share card is on the page');
    const share = JSON.parse(json!);
    assert.equal(share.title, '龙井 250g');
    assert.equal(share.desc, '明前特级');
    assert.equal(share.ref, code);
    assert.equal(share.link, `http://mall.test/products/${product.slug}?ref=${code}`);
    assert.match(html, /微信分享卡片预览/, 'the sandbox shows a preview of the card');
    const anonymous = JSON.parse(/id="wechat-share">([^<]*)</.exec((await w.t.http().get(`/products/${product.slug}`)).text)![1]);
    assert.equal(anonymous.ref, null);
    assert.deepEqual(w.t.get(WechatMenuService).defaultMenu().button.map((b) => b.name), ['进入商城', '我的订单', '推广中心']);
  });
});
