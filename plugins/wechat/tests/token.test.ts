import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WechatCredential } from '../entities/credential.entity.js';
import { WechatApiClient } from '../services/wechat-api.client.js';
import { WechatConfigService } from '../services/wechat-config.service.js';
import { WechatTokenManager } from '../services/token-manager.service.js';
import { APP, startWorld, stopWorld, type WechatWorld } from './support.js';

/** One access_token for every instance: a lease in the database decides who refreshes. */
describe('the access-token manager: two app instances on one database', () => {
  let one: WechatWorld;
  let two: WechatWorld;

  before(async () => {
    one = await startWorld();
    two = await startWorld({ emulator: one.emu, appOptions: { db: one.t.db } });
  });
  after(async () => {
    await stopWorld(two, false);
    await stopWorld(one);
  });

  const stableFetches = () => one.emu.count('/cgi-bin/stable_token', true);

  it('concurrent first use on both instances fetches one token, shared by both', async () => {
    const a = one.t.get(WechatTokenManager);
    const b = two.t.get(WechatTokenManager);
    const tokens = await Promise.all([...Array.from({ length: 6 }, () => a.accessToken()), ...Array.from({ length: 6 }, () => b.accessToken())]);
    assert.equal(new Set(tokens).size, 1, 'everyone got the same token');
    assert.equal(stableFetches(), 1, 'WeChat was asked once');
    assert.equal(a.fetchCount.access_token + b.fetchCount.access_token, 1);
    const row = await one.t.ds.getRepository(WechatCredential).findOneByOrFail({ name: `access_token:${APP.appId}` });
    assert.doesNotMatch(row.value ?? '', new RegExp(tokens[0].slice(0, 16)), 'stored encrypted');
    assert.equal(row.leaseOwner, null, 'lease released');
  });

  it('40001 (token revoked): one re-fetch, and the other instance adopts the new token without fetching', async () => {
    one.emu.revokeTokens(APP.appId);
    const before = stableFetches();
    const user = one.emu.addUser(APP.appId, '令牌');
    const info = await two.t.get(WechatApiClient).getUser(user.openid);
    assert.equal(info.openid, user.openid);
    assert.equal(stableFetches(), before + 1, 'one re-fetch after 40001');
    assert.ok(one.emu.calls.some((c) => c.path === '/cgi-bin/user/info' && c.errcode === 40001));
    // instance one still holds the revoked token in memory: it sees 40001 too, and takes the stored new one
    await one.t.get(WechatApiClient).getUser(user.openid);
    assert.equal(stableFetches(), before + 1, 'no second fetch');
    assert.equal(await one.t.get(WechatTokenManager).accessToken(), await two.t.get(WechatTokenManager).accessToken());
  });

  it('42001 (expired) and 40014 (invalid) are recovered once too', async () => {
    one.emu.expireTokens(APP.appId);
    const before = stableFetches();
    await one.t.get(WechatApiClient).getUser(one.emu.addUser(APP.appId, '过期').openid);
    assert.equal(stableFetches(), before + 1);
    assert.ok(one.emu.calls.some((c) => c.path === '/cgi-bin/user/info' && c.errcode === 42001));
    // a token WeChat does not know at all
    await one.t.ds.getRepository(WechatCredential).update({ name: `access_token:${APP.appId}` }, { value: one.t.get(WechatConfigService).sealer().seal('garbage-token') });
    one.t.get(WechatTokenManager).reset();
    two.t.get(WechatTokenManager).reset();
    await two.t.get(WechatApiClient).getUser(one.emu.addUser(APP.appId, '无效').openid);
    assert.ok(one.emu.calls.some((c) => c.path === '/cgi-bin/user/info' && c.errcode === 40014));
    assert.equal(stableFetches(), before + 2);
  });

  it('a token that keeps failing is not fetched in a loop', async () => {
    one.emu.failNext('/cgi-bin/user/info', 40001, 'invalid credential', 5);
    const before = stableFetches();
    await assert.rejects(one.t.get(WechatApiClient).getUser('whoever'), /40001/);
    assert.ok(stableFetches() - before <= 1, 're-fetched at most once');
  });

  it('the jsapi_ticket is shared the same way', async () => {
    const before = one.emu.count('/cgi-bin/ticket/getticket', true);
    const tickets = await Promise.all([one.t.get(WechatTokenManager).jsapiTicket(), two.t.get(WechatTokenManager).jsapiTicket(), one.t.get(WechatTokenManager).jsapiTicket()]);
    assert.equal(new Set(tickets).size, 1);
    assert.equal(one.emu.count('/cgi-bin/ticket/getticket', true), before + 1);
    assert.ok(one.emu.isLiveTicket(APP.appId, tickets[0]));
  });

  it('refreshes ahead of expiry (the scheduled job), once across instances', async () => {
    const repo = one.t.ds.getRepository(WechatCredential);
    await repo.update({ name: `access_token:${APP.appId}` }, { refreshAt: new Date(Date.now() - 1000) });
    one.t.get(WechatTokenManager).reset();
    two.t.get(WechatTokenManager).reset();
    const before = stableFetches();
    await Promise.all([one.t.get(WechatTokenManager).refreshDue(), two.t.get(WechatTokenManager).refreshDue()]);
    assert.equal(stableFetches(), before + 1);
    const row = await repo.findOneByOrFail({ name: `access_token:${APP.appId}` });
    assert.ok(row.refreshAt!.getTime() > Date.now() + 60_000);
  });

  it('classic cgi-bin/token works as well', async () => {
    await one.t.ds.getRepository(WechatCredential).delete({ name: `access_token:${APP.appId}` });
    const config = one.t.get(WechatConfigService);
    await config.saveAccount({ tokenApi: 'classic' });
    one.t.get(WechatTokenManager).reset();
    const before = one.emu.count('/cgi-bin/token', true);
    assert.ok(await one.t.get(WechatTokenManager).accessToken());
    assert.equal(one.emu.count('/cgi-bin/token', true), before + 1);
  });
});
