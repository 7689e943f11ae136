import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { WechatFollower } from '../entities/follower.entity.js';
import { WechatInboundMessage } from '../entities/inbound-message.entity.js';
import { WechatInboundService, WechatMessageHandlers } from '../services/inbound.service.js';
import { WechatConfigService } from '../services/wechat-config.service.js';
import { encryptMessage, messageSignature, serverSignature } from '../services/wechat-crypto.js';
import { buildWechatXml, field } from '../services/wechat-xml.js';
import { APP, startWorld, stopWorld, type WechatWorld } from './support.js';

describe('the /wechat server endpoint against the emulator', () => {
  let w: WechatWorld;
  const seen: string[] = [];
  let slowMs = 0;

  before(async () => {
    w = await startWorld({ messageMode: 'compatible' });
    await w.t.get(WechatConfigService).saveContent({
      welcomeMessage: '欢迎光临小店',
      keywordReplies: [{ keyword: '客服', match: 'exact', reply: '客服电话 400-000-0000' }, { keyword: '发货', match: 'contains', reply: '48 小时内发货' }, { keyword: 'MENU_HELP', match: 'exact', reply: '菜单帮助' }],
    });
    // a plugin's handler: sees every message once, replies to "ping"
    w.t.get(WechatMessageHandlers).register({
      name: 'test:recorder', priority: 5,
      handle: async (m) => {
        seen.push(`${m.msgType}:${m.event ?? m.content ?? ''}`);
        if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
        return m.content === 'ping' ? { type: 'text', content: 'pong' } : null;
      },
    });
  });
  after(() => stopWorld(w));

  const inboundRows = () => w.t.ds.getRepository(WechatInboundMessage).count();

  it('GET handshake: echoes echostr for a right signature, refuses a wrong one', async () => {
    const ok = await w.emu.handshake(APP.appId);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, ok.echostr);
    const bad = await w.emu.handshake(APP.appId, { tamper: true });
    assert.equal(bad.status, 403);
    assert.notEqual(bad.body, bad.echostr);
  });

  it('plain mode: a signed text message gets its keyword reply', async () => {
    const user = w.emu.addUser(APP.appId, '明文用户');
    const r = await w.emu.text(APP.appId, user.openid, '客服', { mode: 'plain' });
    assert.equal(r.status, 200);
    assert.equal(field(r.reply!, 'MsgType'), 'text');
    assert.equal(field(r.reply!, 'Content'), '客服电话 400-000-0000');
    assert.equal(field(r.reply!, 'ToUserName'), user.openid);
    assert.equal(field(r.reply!, 'FromUserName'), w.app.originalId);
  });

  it('safe mode: the message is decrypted and the reply comes back encrypted and signed', async () => {
    const user = w.emu.addUser(APP.appId, '密文用户');
    const r = await w.emu.text(APP.appId, user.openid, '什么时候发货？', { mode: 'safe' });
    assert.equal(r.status, 200);
    assert.equal(r.replyError, undefined);
    assert.match(r.body, /<Encrypt>/);
    assert.doesNotMatch(r.body, /48 小时/, 'the reply is not readable on the wire');
    assert.equal(field(r.reply!, 'Content'), '48 小时内发货');
    const ping = await w.emu.text(APP.appId, user.openid, 'ping', { mode: 'safe' });
    assert.equal(field(ping.reply!, 'Content'), 'pong', 'a plugin handler with a lower priority answers first');
  });

  it('refuses a tampered msg_signature, a wrong signature and a message for another appid — and nothing runs', async () => {
    const user = w.emu.addUser(APP.appId, '篡改');
    const before = seen.length;
    const rows = await inboundRows();
    assert.equal((await w.emu.text(APP.appId, user.openid, '客服', { mode: 'safe', tamper: 'msg_signature' })).status, 403);
    assert.equal((await w.emu.text(APP.appId, user.openid, '客服', { mode: 'plain', tamper: 'signature' })).status, 403);
    assert.equal((await w.emu.text(APP.appId, user.openid, '客服', { mode: 'safe', tamper: 'appid' })).status, 403);
    assert.equal(seen.length, before);
    assert.equal(await inboundRows(), rows);
  });

  it('refuses bad XML, a DTD and an oversized body — and nothing runs', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const q = `timestamp=${ts}&nonce=1&signature=${serverSignature(APP.token, ts, '1')}`;
    const post = (body: string) => w.t.http().post(`/wechat?${q}`).set('content-type', 'text/xml').send(body);
    const before = seen.length;
    const rows = await inboundRows();
    assert.equal((await post('<xml><ToUserName>x</xml>')).status, 400);
    assert.equal((await post('<!DOCTYPE xml [<!ENTITY a "a">]><xml><ToUserName>&a;</ToUserName></xml>')).status, 400);
    assert.equal((await post('<xml><ToUserName>gh</ToUserName></xml>')).status, 400, 'required fields missing');
    assert.equal((await post(`<xml><Content>${'x'.repeat(70 * 1024)}</Content></xml>`)).status, 413);
    assert.equal((await w.t.http().post(`/wechat?${q}`).set('content-type', 'application/json').send({ a: 1 })).status, 400);
    // a well-formed encrypted body whose inner XML is broken
    const enc = encryptMessage(APP.encodingAesKey, APP.appId, '<xml><broken>');
    const sq = `timestamp=${ts}&nonce=2&encrypt_type=aes&msg_signature=${messageSignature(APP.token, ts, '2', enc)}`;
    assert.equal((await w.t.http().post(`/wechat?${sq}`).set('content-type', 'text/xml').send(buildWechatXml({ ToUserName: 'gh', Encrypt: enc }))).status, 400);
    assert.equal(seen.length, before);
    assert.equal(await inboundRows(), rows);
  });

  it('WeChat\'s retries are handled once: same MsgId, and an event by FromUserName + CreateTime', async () => {
    const user = w.emu.addUser(APP.appId, '重试');
    const before = seen.length;
    const first = await w.emu.text(APP.appId, user.openid, 'ping', { msgId: '9100000000000000001' });
    const again = await w.emu.text(APP.appId, user.openid, 'ping', { msgId: '9100000000000000001' });
    assert.equal(field(first.reply!, 'Content'), 'pong');
    assert.equal(field(again.reply!, 'Content'), 'pong', 'a retry after the answer gets the same reply');
    assert.equal(seen.length - before, 1, 'handlers ran once');
    const createTime = Math.floor(Date.now() / 1000) - 5;
    await w.emu.click(APP.appId, user.openid, 'MENU_HELP', { createTime });
    const retried = await w.emu.click(APP.appId, user.openid, 'MENU_HELP', { createTime });
    assert.equal(field(retried.reply!, 'Content'), '菜单帮助');
    assert.equal(seen.filter((s) => s === 'event:CLICK').length, 1);
  });

  it('a slow handler: WeChat times out and retries; the mall still handles the message once', async () => {
    const user = w.emu.addUser(APP.appId, '慢');
    const before = seen.length;
    slowMs = 900;
    try {
      const r = await w.emu.text(APP.appId, user.openid, '慢消息', { timeoutMs: 300, retries: 3, msgId: '9100000000000000002' });
      assert.ok(r.attempts >= 2, 'the emulator retried after its time-out');
      await new Promise((res) => setTimeout(res, 1000));
      await w.t.get(WechatInboundService).settle();
    } finally {
      slowMs = 0;
    }
    assert.equal(seen.length - before, 1);
    const row = await w.t.ds.getRepository(WechatInboundMessage).findOneByOrFail({ dedupeKey: 'msg:9100000000000000002' });
    assert.equal(row.status, 'done');
  });

  it('answers "success" when the handlers exceed the reply budget, and lets them finish', async () => {
    const inbound = w.t.get(WechatInboundService);
    const user = w.emu.addUser(APP.appId, '预算');
    inbound.replyBudgetMs = 100;
    slowMs = 400;
    try {
      const r = await w.emu.text(APP.appId, user.openid, 'ping', { msgId: '9100000000000000003' });
      assert.equal(r.body, 'success');
      await inbound.settle();
    } finally {
      inbound.replyBudgetMs = 4500;
      slowMs = 0;
    }
    assert.equal((await w.t.ds.getRepository(WechatInboundMessage).findOneByOrFail({ dedupeKey: 'msg:9100000000000000003' })).status, 'done');
  });

  it('events: subscribe (welcome, member created), SCAN, CLICK, VIEW, unsubscribe', async () => {
    const user = w.emu.addUser(APP.appId, '新粉丝');
    const sub = await w.emu.subscribe(APP.appId, user.openid);
    assert.equal(field(sub.reply!, 'Content'), '欢迎光临小店');
    const member = await w.t.ds.getRepository(Member).findOneByOrFail({ openid: user.openid });
    assert.equal(member.source, 'wechat');
    assert.equal((await w.t.ds.getRepository(WechatFollower).findOneByOrFail({ openid: user.openid })).subscribed, true);
    const click = await w.emu.click(APP.appId, user.openid, 'MENU_HELP');
    assert.equal(field(click.reply!, 'Content'), '菜单帮助');
    const view = await w.emu.view(APP.appId, user.openid, `${w.mallUrl}/orders`);
    assert.equal(view.body, 'success');
    await w.emu.unsubscribe(APP.appId, user.openid);
    const follower = await w.t.ds.getRepository(WechatFollower).findOneByOrFail({ openid: user.openid });
    assert.equal(follower.subscribed, false);
    assert.ok(follower.unsubscribedAt);
    assert.equal(await w.t.ds.getRepository(Member).countBy({ openid: user.openid }), 1);
    assert.ok(seen.includes('event:VIEW') && seen.includes('event:unsubscribe'));
  });

  it('safe mode refuses plain pushes', async () => {
    await w.t.get(WechatConfigService).saveAccount({ messageMode: 'safe' });
    process.env.WECHAT_MESSAGE_MODE = '';
    const config = w.t.get(WechatConfigService) as unknown as { env: Record<string, string | undefined> };
    const saved = config.env.messageMode;
    delete config.env.messageMode; // let the admin's choice apply (the environment would win)
    w.t.get(WechatConfigService).invalidate();
    try {
      const user = w.emu.addUser(APP.appId, '安全');
      assert.equal((await w.emu.text(APP.appId, user.openid, '客服', { mode: 'plain' })).status, 403);
      assert.equal((await w.emu.text(APP.appId, user.openid, '客服', { mode: 'safe' })).status, 200);
    } finally {
      config.env.messageMode = saved;
      w.t.get(WechatConfigService).invalidate();
    }
  });
});
