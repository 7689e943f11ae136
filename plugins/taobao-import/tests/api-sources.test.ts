import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { emulatorShop, startTopEmulator, type TopEmulator } from '../emulators/top-emulator.js';
import { startItemUrlEmulator, type ItemUrlEmulator } from '../emulators/item-url-emulator.js';
import type { ImportPreview, ImportView } from '../services/import.service.js';
import { waitForImport, workspace, type AdminHeaders } from './helpers.js';

const API = '/api/v1/admin/taobao-import';

describe('TOP API and item-URL imports against the emulators', () => {
  let t: TestApp;
  let headers: AdminHeaders;
  let top: TopEmulator;
  let collector: ItemUrlEmulator;
  let ws: ReturnType<typeof workspace>;

  const setSettings = (settings: Record<string, unknown>) => t.http().put('/api/v1/plugins/taobao-import/settings').set(headers).send({ settings }).expect(200);

  before(async () => {
    top = await startTopEmulator({
      appKey: '23456789', appSecret: 'top-secret-value', items: emulatorShop(45),
      sessions: { 'sess-ok': { nick: '测试小店' }, 'sess-old': { nick: '测试小店', expired: true } },
    });
    collector = await startItemUrlEmulator({
      key: 'collector-key',
      items: [
        {
          numIid: '800000000001', title: '链接采集宝贝 A', price: '66.00', quantity: 7, outerId: 'URL-A', categoryId: '162104', descriptionHtml: '<p>A<script>x()</script></p>', images: ['/img/url-a-0.jpg', '/img/url-a-1.jpg'],
          skus: [
            { price: '66.00', quantity: 3, outerId: 'URL-A-RED', props: [{ name: '颜色', value: '红色' }], image: '/img/url-a-red.jpg' },
            { price: '69.00', quantity: 4, outerId: 'URL-A-BLUE', props: [{ name: '颜色', value: '蓝色' }] },
          ],
        },
        { numIid: '800000000002', title: '链接采集宝贝 B', price: 12.5, quantity: 1, images: ['/img/url-b-0.jpg'] },
      ],
    });
    ws = workspace({ topGatewayUrl: top.url, topAppKey: '23456789', topAppSecret: 'top-secret-value', topSignMethod: 'hmac', topPageSize: 20, itemUrlProviderUrl: collector.url });
    t = await startTestApp({ env: ws.env });
    headers = await adminHeaders(t);
  });
  after(async () => {
    await t?.close();
    await top?.close();
    await collector?.close();
    ws?.remove();
  });

  it('explains an expired TOP session instead of failing silently', async () => {
    await setSettings({ topSession: 'sess-old' });
    const res = await t.http().post(`${API}/imports/top`).set(headers).send({}).expect(400);
    assert.match(res.body.message, /淘宝授权失效/);
    assert.match(res.body.message, /session \(SessionKey\) is missing, invalid or expired/);
    assert.match(res.body.message, /TOP 27 Invalid session \/ invalid-sessionkey: SessionKey已过期/);
  });

  it('imports the shop through TOP: paging, item details, a rate limit waited out, a missing item reported', async () => {
    await setSettings({ topSession: 'sess-ok' });
    const res = await t.http().post(`${API}/imports/top`).set(headers).send({}).expect(201);
    const preview = res.body.preview as ImportPreview;
    const id = (res.body.import as ImportView).id;
    assert.equal(preview.items, 45);
    assert.equal(preview.scanned, 10);
    assert.deepEqual(preview.categories.filter((c) => c.kind === 'shop').map((c) => [c.taobaoId, c.count]).sort(), [['2000', 15], ['2001', 15], ['2002', 15]]);
    assert.deepEqual(preview.sample[0].variants, ['白色 / M ¥29.90 ×8 [TOP-1-W-M]', '白色 / L ¥29.90 ×4 [TOP-1-W-L]', '经典黑 / M ¥29.90 ×0 [TOP-1-K-M]']);
    assert.ok(top.calls.every((c) => c.params.sign_method === 'hmac'), 'every call signed with the configured method');

    top.inject('taobao.items.onsale.get', 'rate-limit', 1);
    top.inject('taobao.item.seller.get', 'item-missing', 1, '700000000005');
    const before = top.calls.length;
    await t.http().post(`${API}/imports/${id}/start`).set(headers).send({ listing: 'as-taobao' }).expect(200);
    const done = await waitForImport(t, headers, id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.deepEqual([done.total, done.done, done.created, done.skipped, done.failed], [45, 45, 44, 1, 0]);
    const listCalls = top.calls.slice(before).filter((c) => c.method === 'taobao.items.onsale.get');
    assert.deepEqual(listCalls.map((c) => [c.params.page_no, c.params.page_size, c.error]), [['1', '20', 7], ['1', '20', null], ['2', '20', null], ['3', '20', null]]);
    const rows = await t.http().get(`${API}/imports/${id}/rows?outcome=skipped`).set(headers).expect(200);
    assert.equal(rows.body.items[0].numId, '700000000005');
    assert.match(rows.body.items[0].message, /商品不存在/);

    const p = await t.http().get('/api/v1/products/tb-700000000001').expect(200);
    assert.equal(p.body.subtitle, '官方正品');
    assert.deepEqual(p.body.variants.map((v: { specText: string; stock: number }) => [v.specText, v.stock]), [['白色 / M', 8], ['白色 / L', 4], ['经典黑 / M', 0]]);
    assert.equal(p.body.images.length, 2);
    assert.match(p.body.variants[0].imageUrl, /^\/media\/taobao\//, 'the prop image of 白色 was downloaded');
    assert.doesNotMatch(p.body.descriptionHtml, /script/);
    await t.http().get(p.body.images[0]).expect(200);
  });

  it('stops with a clear message when the session expires during an import, and resumes once it is renewed', async () => {
    const res = await t.http().post(`${API}/imports/top`).set(headers).send({ pageSize: 50 }).expect(201);
    const id = res.body.import.id as number;
    await setSettings({ topSession: 'sess-old' });
    await t.http().post(`${API}/imports/${id}/start`).set(headers).send({}).expect(200);
    const failed = await waitForImport(t, headers, id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!, /淘宝授权失效.*SessionKey已过期/);
    const page = await t.http().get(`/admin/taobao-import/${id}`).set('cookie', headers.cookie).expect(200);
    assert.match(page.text, /id="ti-resume"/);

    await setSettings({ topSession: 'sess-ok' });
    await t.http().post(`${API}/imports/${id}/resume`).set(headers).send({}).expect(200);
    const done = await waitForImport(t, headers, id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.deepEqual([done.created, done.updated, done.skipped], [1, 44, 0], 're-import: the 44 products are updated, the item missing before is created');
    assert.equal(await t.ds.getRepository(Product).count(), 45);
  });

  it('imports pasted item URLs through an item-URL provider', async () => {
    await t.http().post(`${API}/imports/item-urls`).set(headers).send({ urls: ['https://example.com/item?id=1'] }).expect(400);
    await setSettings({ itemUrlProviderKey: 'wrong-key' });
    const refused = await t.http().post(`${API}/imports/item-urls`).set(headers).send({ urls: ['https://item.taobao.com/item.htm?id=800000000001'] }).expect(400);
    assert.match(refused.body.message, /invalid API key.*check the provider key/);

    await setSettings({ itemUrlProviderKey: 'collector-key' });
    const urls = ['https://item.taobao.com/item.htm?spm=a1z10&id=800000000001', 'https://detail.tmall.com/item.htm?id=800000000002&skuId=1', 'https://item.taobao.com/item.htm?id=800000000099'];
    const res = await t.http().post(`${API}/imports/item-urls`).set(headers).send({ urls }).expect(201);
    assert.equal(res.body.preview.items, 3);
    assert.match(res.body.preview.sample[2].problem, /not found or no longer on sale/);
    const id = res.body.import.id as number;
    await t.http().post(`${API}/imports/${id}/start`).set(headers).send({}).expect(200);
    const done = await waitForImport(t, headers, id);
    assert.deepEqual([done.status, done.created, done.skipped], ['done', 2, 1]);
    const a = await t.http().get('/api/v1/products/tb-800000000001').expect(200);
    assert.deepEqual(a.body.specNames, ['颜色']);
    assert.deepEqual(a.body.variants.map((v: { specText: string; price: number }) => [v.specText, v.price]), [['红色', 6600], ['蓝色', 6900]]);
    assert.match(a.body.variants[0].imageUrl, /^\/media\/taobao\//);
    assert.equal(a.body.images.length, 2);
    const b = await t.http().get('/api/v1/products/tb-800000000002').expect(200);
    assert.equal(b.body.variants[0].price, 1250);
  });
});
