import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { seedDemo, demoFiles, DEMO_BANNER_URLS } from '../../core/demo/seed-demo.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Category } from '../../core/catalog/entities/category.entity.js';
import { ShippingTemplate } from '../../core/shipping/entities/shipping-template.entity.js';
import { Setting } from '../../core/settings/entities/setting.entity.js';

/** A raw GET, so the path reaches the server exactly as written (no client-side ".." normalising). */
function rawGet(server: http.Server, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const send = () => {
      const { port } = server.address() as AddressInfo;
      const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      });
      req.on('error', reject);
      req.end();
    };
    if (server.listening) send();
    else server.listen(0, '127.0.0.1', send);
  });
}

describe('demo catalog seed and /media', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mall-media-'));
    // a file next to the media folder that no request may reach
    writeFileSync(join(dir, 'secret.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><!-- secret --></svg>');
    t = await startTestApp({ env: { MEDIA_DIR: join(dir, 'media') } });
  });
  after(async () => {
    if (t) await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds an empty database with a browsable catalog', async () => {
    const result = await seedDemo(t.app);
    assert.equal(result.seeded, true);

    const listed = await t.ds.getRepository(Product).findBy({ isListed: true });
    assert.ok(listed.length >= 30, `expected at least 30 listed products, got ${listed.length}`);
    assert.ok(listed.some((p) => p.isFeatured), 'some products are featured');
    assert.ok(listed.some((p) => p.salesCount > 0), 'products carry sales counts');

    const variants = await t.ds.getRepository(ProductVariant).find();
    for (const p of listed) {
      const own = variants.filter((v) => v.productId === p.id);
      assert.ok(own.length >= 2, `${p.slug} has variants by spec`);
      assert.ok(p.specNames.length >= 1, `${p.slug} has spec names`);
      assert.ok(p.images.length >= 3, `${p.slug} has several images`);
      assert.ok(p.images.every((u) => u.startsWith('/media/demo/')), `${p.slug} images are demo media`);
      assert.match(p.descriptionHtml, /<img src="\/media\/demo\//, `${p.slug} description shows pictures`);
      assert.ok(own.every((v) => v.skuCode && v.price > 0), `${p.slug} variants have SKU codes and prices`);
    }
    assert.ok(variants.some((v) => v.stock === 0), 'some variants are sold out');
    assert.ok(variants.some((v) => v.originalPrice !== null && v.originalPrice > v.price), 'some variants have an original price');

    const categories = await t.ds.getRepository(Category).find();
    const roots = categories.filter((c) => c.parentId === null);
    assert.ok(roots.length >= 6 && roots.length <= 8, `6-8 top-level categories, got ${roots.length}`);
    assert.ok(categories.some((c) => c.parentId !== null), 'a two-level tree');

    const templates = await t.ds.getRepository(ShippingTemplate).find();
    assert.equal(templates.length, 1);
    assert.deepEqual([templates[0].firstItemFee, templates[0].additionalItemFee, templates[0].freeFrom, templates[0].isDefault], [800, 200, 9900, true]);

    const themeSettings = await t.ds.getRepository(Setting).findOneBy({ key: 'theme.settings.default' });
    assert.ok(themeSettings, 'home banners are stored for the default theme');
    assert.deepEqual(JSON.parse(themeSettings.value), { homeBanners: DEMO_BANNER_URLS.join(',') });

    // the API shows a seeded product with its variants
    const detail = await t.http().get(`/api/v1/products/${listed[0].slug}`).expect(200);
    assert.ok(detail.body.variants.length >= 2);
  });

  it('serves every seeded picture from /media as SVG', async () => {
    const products = await t.ds.getRepository(Product).find();
    const variants = await t.ds.getRepository(ProductVariant).find();
    const categories = await t.ds.getRepository(Category).find();
    const urls = new Set<string>([
      ...products.flatMap((p) => p.images),
      ...variants.map((v) => v.imageUrl).filter((u): u is string => !!u),
      ...categories.map((c) => c.imageUrl).filter((u): u is string => !!u),
      ...DEMO_BANNER_URLS,
    ]);
    assert.ok(urls.size > 100);
    for (const url of urls) {
      const res = await t.http().get(url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers['content-type'], 'image/svg+xml', url);
      assert.match(res.headers['cache-control'] ?? '', /max-age=\d+/);
      const body = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.text ?? res.body);
      assert.match(body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, url);
    }
    // the pictures are generated deterministically: the same bytes on every seed
    const again1 = demoFiles();
    const again2 = demoFiles();
    assert.deepEqual([...again1], [...again2]);
    const served = await t.http().get('/media/demo/cotton-crew-tee-1.svg').buffer(true);
    assert.equal(Buffer.isBuffer(served.body) ? served.body.toString('utf8') : served.text, again1.get('cotton-crew-tee-1.svg'));

    const banner = await t.http().get(DEMO_BANNER_URLS[0]);
    const again = await t.http().get(DEMO_BANNER_URLS[0]).set('if-none-match', String(banner.headers.etag));
    assert.equal(again.status, 304);
  });

  it('seeding again creates nothing new', async () => {
    const count = async () => Promise.all([Product, ProductVariant, Category, ShippingTemplate, Setting].map((e) => t.ds.getRepository(e).count()));
    const before = await count();
    // a lost picture (e.g. a fresh media volume) is written again; nothing else changes
    rmSync(join(dir, 'media', 'demo', 'glaze-mug-2.svg'));
    const result = await seedDemo(t.app);
    assert.equal(result.seeded, false);
    assert.equal(result.images, 1);
    assert.deepEqual(await count(), before);
    await t.http().get('/media/demo/glaze-mug-2.svg').expect(200);
    assert.equal((await seedDemo(t.app)).images, 0);
  });

  it('refuses paths that leave the media folder', async () => {
    const server = t.app.getHttpServer() as http.Server;
    const attempts = [
      '/media/../package.json',
      '/media/%2e%2e/package.json',
      '/media/..%2fpackage.json',
      '/media/%2e%2e%2fpackage.json',
      '/media/..%2fsecret.svg',
      '/media/%2e%2e%2fsecret.svg',
      '/media/demo/..%2f..%2fsecret.svg',
      '/media/demo/%2e%2e/%2e%2e/secret.svg',
      '/media/..%5csecret.svg',
      '/media/%2fetc%2fpasswd',
      '/media/demo/banner-1.svg%00.png',
    ];
    try {
      for (const path of attempts) {
        const res = await rawGet(server, path);
        assert.ok(res.status === 400 || res.status === 404, `${path} → ${res.status}`);
        assert.doesNotMatch(res.body, /secret|"name": "wechat-mall"/, path);
      }
      assert.equal((await rawGet(server, '/media/demo/no-such-file.svg')).status, 404);
      assert.equal((await rawGet(server, '/media/demo/banner-1.svg')).status, 200);
    } finally {
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
