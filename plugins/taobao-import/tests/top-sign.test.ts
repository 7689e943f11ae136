import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { signTopRequest, topSignBase, topTimestamp, parseTopTimestamp } from '../sources/top/top-sign.js';
import { describeTopError, TopApiError, TopClient } from '../sources/top/top-client.js';
import { emulatorShop, startTopEmulator, type TopEmulator } from '../emulators/top-emulator.js';

/**
 * The example of the platform's signing document ("API调用方法详解"): app_key 12345678, secret
 * helloworld, taobao.item.seller.get with fields num_iid,title,nick,price,num, num_iid 11223344,
 * session test, timestamp 2016-01-01 12:00:00 → sign 66987CB115214E59E6EC978214934FB8 (md5).
 */
const OFFICIAL = {
  params: {
    method: 'taobao.item.seller.get', app_key: '12345678', session: 'test', timestamp: '2016-01-01 12:00:00', format: 'json', v: '2.0',
    sign_method: 'md5', fields: 'num_iid,title,nick,price,num', num_iid: '11223344',
  },
  secret: 'helloworld',
  base: 'app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0',
  sign: '66987CB115214E59E6EC978214934FB8',
};

describe('TOP request signing', () => {
  it('matches the official md5 example', () => {
    assert.equal(topSignBase(OFFICIAL.params), OFFICIAL.base);
    assert.equal(signTopRequest(OFFICIAL.params, OFFICIAL.secret, 'md5'), OFFICIAL.sign);
    // the documented formula, independently: MD5(secret + base + secret), upper-case hex
    assert.equal(createHash('md5').update(OFFICIAL.secret + OFFICIAL.base + OFFICIAL.secret).digest('hex').toUpperCase(), OFFICIAL.sign);
  });

  it('hmac (HMAC-MD5) and hmac-sha256 sign the same sorted string, keyed with the secret', () => {
    const params = { ...OFFICIAL.params, sign_method: 'hmac' };
    const base = OFFICIAL.base.replace('sign_methodmd5', 'sign_methodhmac');
    assert.equal(topSignBase(params), base);
    assert.equal(signTopRequest(params, OFFICIAL.secret, 'hmac'), createHmac('md5', OFFICIAL.secret).update(base).digest('hex').toUpperCase());
    assert.equal(signTopRequest(params, OFFICIAL.secret, 'hmac'), 'D56D7858309C31B6251083A874D48273');
    const p256 = { ...OFFICIAL.params, sign_method: 'hmac-sha256' };
    assert.equal(signTopRequest(p256, OFFICIAL.secret, 'hmac-sha256'), createHmac('sha256', OFFICIAL.secret).update(topSignBase(p256)).digest('hex').toUpperCase());
  });

  it('leaves out sign and empty parameters, and sorts in ASCII order', () => {
    assert.equal(topSignBase({ foo: '1', bar: '2', foo_bar: '3', foobar: '4', sign: 'X', empty: '', Zed: 'z' }), 'Zedzbar2foo1foo_bar3foobar4');
  });

  it('writes timestamps in China time', () => {
    assert.equal(topTimestamp(new Date('2016-01-01T04:00:00Z')), '2016-01-01 12:00:00');
    assert.equal(parseTopTimestamp('2016-01-01 12:00:00')?.toISOString(), '2016-01-01T04:00:00.000Z');
    assert.equal(parseTopTimestamp('2016-01-01T12:00:00'), null);
  });

  it('maps error_response to messages a merchant can act on', () => {
    const e = describeTopError('taobao.items.onsale.get', { code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey', sub_msg: 'SessionKey已过期' });
    assert.equal(e.kind, 'session');
    assert.ok(e.fatal);
    assert.match(e.message, /session .*expired.*authorise the app/i);
    assert.match(e.message, /TOP 27 Invalid session \/ invalid-sessionkey: SessionKey已过期/);
    assert.equal(describeTopError('x', { code: 11, msg: 'Insufficient ISV Permissions' }).kind, 'permission');
    const limited = describeTopError('x', { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 3 more seconds' });
    assert.equal(limited.kind, 'rate-limit');
    assert.equal(limited.retryAfterMs, 3000);
    assert.equal(describeTopError('x', { code: 15, msg: 'Remote service error', sub_code: 'isv.item-not-exist' }).kind, 'item');
    assert.equal(describeTopError('x', { code: 25, msg: 'Invalid Signature' }).kind, 'signature');
  });
});

describe('TOP gateway emulator checks signatures as the platform does', () => {
  let emu: TopEmulator;
  const client = (over: Partial<ConstructorParameters<typeof TopClient>[0]> = {}) =>
    new TopClient({ gatewayUrl: emu.url, appKey: 'app-1', appSecret: 's3cret', session: 'good', signMethod: 'md5', retryBaseMs: 10, ...over });

  before(async () => {
    emu = await startTopEmulator({ appKey: 'app-1', appSecret: 's3cret', sessions: { good: { nick: '小店' }, old: { nick: '小店', expired: true } }, items: emulatorShop(3), forbiddenMethods: [] });
  });
  after(() => emu.close());

  it('accepts md5, hmac and hmac-sha256 signed calls and answers in the official shape', async () => {
    for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
      const res = await client({ signMethod }).call<{ total_results: number; items: { item: Array<{ num_iid: number; title: string }> } }>('taobao.items.onsale.get', { fields: 'num_iid,title', page_no: 1, page_size: 2 });
      assert.equal(res.total_results, 3, signMethod);
      assert.equal(res.items.item.length, 2);
      assert.deepEqual(Object.keys(res.items.item[0]).sort(), ['num_iid', 'title']);
    }
  });

  it('refuses a wrong secret, a tampered parameter, an old timestamp and an expired session', async () => {
    await assert.rejects(client({ appSecret: 'wrong' }).call('taobao.items.onsale.get', { fields: 'num_iid' }), (e: TopApiError) => e.kind === 'signature' && /TOP 25/.test(e.message));
    const c = client();
    const params = c.signedParams('taobao.item.seller.get', { fields: 'num_iid', num_iid: '700000000001' });
    const tampered = new URLSearchParams({ ...params, num_iid: '700000000002' });
    const raw = await (await fetch(emu.url, { method: 'POST', body: tampered, headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } })).json() as { error_response: { code: number; msg: string; request_id: string } };
    assert.equal(raw.error_response.code, 25);
    assert.equal(raw.error_response.msg, 'Invalid Signature');
    assert.ok(raw.error_response.request_id);
    const stale = c.signedParams('taobao.items.onsale.get', { fields: 'num_iid' }, new Date(Date.now() - 11 * 60_000));
    const staleRes = await (await fetch(`${emu.url}?${new URLSearchParams(stale)}`)).json() as { error_response: { code: number } };
    assert.equal(staleRes.error_response.code, 31);
    await assert.rejects(client({ session: 'old' }).call('taobao.items.onsale.get', { fields: 'num_iid' }), (e: TopApiError) => e.kind === 'session' && e.fatal && /已过期/.test(e.message));
    await assert.rejects(client({ session: 'nope' }).call('taobao.items.onsale.get', { fields: 'num_iid' }), (e: TopApiError) => e.kind === 'session');
    await assert.rejects(client({ appKey: 'other' }).call('taobao.items.onsale.get', { fields: 'num_iid' }), (e: TopApiError) => e.kind === 'app-key');
  });

  it('retries a rate-limited call, and reports missing permissions and missing items', async () => {
    emu.inject('taobao.item.seller.get', 'rate-limit', 1);
    const res = await client({ maxWaitMs: 20 }).call<{ item: { title: string } }>('taobao.item.seller.get', { fields: 'num_iid,title', num_iid: '700000000002' });
    assert.equal(res.item.title, '开放平台宝贝 2');
    assert.deepEqual(emu.calls.slice(-2).map((c) => c.error), [7, null]);
    await assert.rejects(client().call('taobao.item.seller.get', { fields: 'num_iid', num_iid: '1' }), (e: TopApiError) => e.kind === 'item' && !e.fatal && /不存在/.test(e.message));
    emu.options.forbiddenMethods = ['taobao.item.seller.get'];
    try {
      await assert.rejects(client().call('taobao.item.seller.get', { fields: 'num_iid', num_iid: '700000000001' }), (e: TopApiError) => e.kind === 'permission' && /may not call taobao\.item\.seller\.get/.test(e.message));
    } finally {
      emu.options.forbiddenMethods = [];
    }
  });
});
