import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../../../tests/support/test-app.js';
import { PluginSettingsStore } from '../../../core/plugin/plugin-settings.store.js';
import { DistributorService } from '../services/distributor.service.js';
import { PosterService } from '../services/poster.service.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** supertest collects a binary body as a Buffer only when told to. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** An attribute value as the browser reads it (Handlebars escapes & = ` ' " < >). */
function unescape(value: string): string {
  return value.replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Every href of the page's product cards. */
function productLinks(html: string): string[] {
  return [...html.matchAll(/<a class="product-card[^"]*" href="([^"]+)"/g)].map((m) => unescape(m[1]));
}

describe('distribution storefront pages (推广中心, 小店, 海报)', () => {
  let t: TestApp;
  let mediaDir: string;
  let A: MemberAgent;
  let B: MemberAgent;
  let code = '';
  const products: Record<'required' | 'picked' | 'other', { id: number; slug: string; variantIds: number[] }> = {} as never;

  const settings = (values: Record<string, string | number | boolean | number[]>) => t.get(PluginSettingsStore).save('distribution', values);

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mall-dist-pages-'));
    mediaDir = join(dir, 'media');
    const configFile = join(dir, 'mall.config.json');
    writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode: 'single', withdrawMin: 100, withdrawFeeBp: 100, refundWindowDays: 7 } } } }));
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-single', MALL_CONFIG: configFile, MEDIA_DIR: mediaDir } });
    // the test products' image (/media/test.svg), drawn on the posters
    mkdirSync(mediaDir, { recursive: true });
    writeFileSync(join(mediaDir, 'test.svg'), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#e9f3ec"/><rect x="18" y="20" width="26" height="28" rx="3" fill="#5c9e74"/></svg>`);
    await createShipping(t);
    products.required = await createProduct(t, { title: '品牌指定 热销保温杯', variants: [{ specValues: [], price: 6800, stock: 50 }] });
    products.picked = await createProduct(t, { title: '推广员精选 纯棉T恤', variants: [{ specValues: [], price: 10000, originalPrice: 12900, stock: 50 }] });
    products.other = await createProduct(t, { title: '没有被选的商品', variants: [{ specValues: [], price: 3900, stock: 50 }] });
    await settings({ requiredProductIds: [products.required.id] });
    A = await t.signIn('推广员小A');
    B = await t.signIn('顾客小B');
  });

  after(async () => {
    await t?.close();
    rmSync(join(mediaDir, '..'), { recursive: true, force: true });
  });

  it('the centre asks a signed-out visitor to sign in and shows a member the apply card', async () => {
    const anon = await t.http().get('/distribution').expect(302);
    assert.equal(anon.headers.location, '/sign-in?next=%2Fdistribution');
    const res = await A.agent.get('/distribution').expect(200);
    assert.match(res.headers['content-type'], /text\/html/);
    assert.ok(res.text.includes('成为推广员，分享赚佣金'));
    assert.ok(res.text.includes('data-apply-form'), 'open enrolment: an apply form');
    assert.ok(res.text.includes('提交申请后立即开通'));
    assert.ok(res.text.includes('<title>推广中心 - '), 'the page title');
  });

  it('the apply card follows the enrolment rule: spend threshold, approval pending, rejected with a reason', async () => {
    await settings({ enrolment: 'spend_threshold', spendThreshold: 19900 });
    let html = (await B.agent.get('/distribution').expect(200)).text;
    assert.ok(html.includes('累计消费满 ¥199.00'), 'states the threshold');
    assert.match(html, /data-remaining>再消费 ¥199\.00 即可成为推广员/);
    assert.ok(!html.includes('data-apply-form'), 'no apply form below the threshold');

    await settings({ enrolment: 'approval' });
    html = (await B.agent.get('/distribution').expect(200)).text;
    assert.ok(html.includes('由商家审核'));
    assert.equal((await B.agent.post('/api/v1/distribution/apply').send({}).expect(200)).body.status, 'pending');
    html = (await B.agent.get('/distribution').expect(200)).text;
    assert.ok(html.includes('申请审核中') && html.includes('data-status="pending"'));

    await t.get(DistributorService).reject(B.memberId, '资料不完整 <b>请补充</b>');
    html = (await B.agent.get('/distribution').expect(200)).text;
    assert.ok(html.includes('申请未通过'));
    assert.ok(html.includes('资料不完整 &lt;b&gt;请补充&lt;/b&gt;'), 'the reason, escaped');
    assert.ok(html.includes('重新申请'));
    await settings({ enrolment: 'open' });
  });

  it('a distributor sees earnings, tools and the share link', async () => {
    const applied = await A.agent.post('/api/v1/distribution/apply').send({ shopName: '小A的好物店' }).expect(200);
    assert.equal(applied.body.status, 'active');
    code = applied.body.referralCode;
    const html = (await A.agent.get('/distribution').expect(200)).text;
    assert.ok(html.includes('data-earnings'));
    for (const label of ['冻结中', '可提现', '已提现', '我的小店', '推广海报', '我的团队', '佣金明细', '申请提现']) assert.ok(html.includes(label), label);
    assert.ok(html.includes(`data-copy="http://mall.test/shop/${code}"`), 'share link with a copy button');
    assert.ok(html.includes(`推广码 ${code}`));
  });

  it('the sub-shop lists the required and picked products, linked with ?ref=<code>', async () => {
    await A.agent.post('/api/v1/distribution/shop/picks').send({ productId: products.picked.id }).expect(204);
    const res = await t.http().get(`/shop/${code}`).expect(200);
    assert.ok(res.text.includes('小A的好物店'));
    const links = productLinks(res.text);
    assert.deepEqual(links, [`/products/${products.required.slug}?ref=${code}`, `/products/${products.picked.slug}?ref=${code}`], 'required first, then picks; nothing else');
    assert.ok(res.text.includes('<span class="price-num">100.00</span>'), "the brand's price");
    assert.ok(res.text.includes('品牌官方直供'));
    // lower-case codes reach the same shop
    await t.http().get(`/shop/${code.toLowerCase()}`).expect(200);
  });

  it('an unknown or inactive code is a 404 page', async () => {
    const res = await t.http().get('/shop/NOPE2345').expect(404);
    assert.match(res.headers['content-type'], /text\/html/);
    assert.ok(res.text.includes('这家小店不存在或已关闭'));
    await t.http().get('/shop/no%3Cscript%3E').expect(404);
    // B's application was rejected: B has a code but no shop
    const rejected = await t.get(DistributorService).byMember(B.memberId);
    await t.http().get(`/shop/${rejected!.referralCode}`).expect(404);
  });

  it('opening a product through a ?ref= link binds the signed-in member to the distributor', async () => {
    await B.agent.get(`/products/${products.picked.slug}?ref=${code}`).expect(200);
    const me = await B.agent.get('/api/v1/distribution/me').expect(200);
    assert.equal(me.body.upline?.memberId, A.memberId);
  });

  it('a signed-out visitor keeps the referral in the mall_ref cookie and is bound after signing in', async () => {
    for (const [i, path] of [`/shop/${code}`, `/products/${products.required.slug}?ref=${code}`].entries()) {
      const visitor = request.agent(t.app.getHttpServer());
      const first = await visitor.get(path).expect(200);
      const cookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []).find((c) => c.startsWith('mall_ref='));
      assert.ok(cookie?.startsWith(`mall_ref=${code}`), `${path} sets mall_ref`);
      const signedIn = await visitor.post('/api/v1/sandbox/sign-in').send({ nickname: `访客${i}` }).expect(200);
      assert.equal((await visitor.get('/api/v1/distribution/me').expect(200)).body.upline?.memberId, A.memberId, `${path}: bound after sign-in`);
      assert.ok(signedIn.body.id);
    }
  });

  it('the member menu links to the centre, and the product page offers 分享赚 to distributors only', async () => {
    const member = (await A.agent.get('/member').expect(200)).text;
    assert.ok(member.includes('href="/distribution"') && member.includes('推广中心'));
    assert.ok(member.includes('可提现 ¥0.00'));
    const mine = (await A.agent.get(`/products/${products.picked.slug}`).expect(200)).text;
    assert.ok(mine.includes(`data-share-product="${products.picked.id}"`));
    assert.ok(mine.includes('预计赚 ¥10.00'), 'L1 10% of ¥100.00');
    const theirs = (await B.agent.get(`/products/${products.picked.slug}`).expect(200)).text;
    assert.ok(!theirs.includes('data-share-product'));
  });

  it('the poster is a PNG drawn once and then served from the cache', async () => {
    const posters = t.get(PosterService);
    const before = posters.drawnCount;
    const first = await A.agent.get(`/distribution/poster.png?productId=${products.picked.id}`).buffer(true).parse(binary).expect(200);
    assert.equal(first.headers['content-type'], 'image/png');
    const png = first.body as Buffer;
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG');
    assert.ok(png.length > 20_000 && png.length < 3_000_000, `a sane size (${png.length} bytes)`);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height], [750, 1260]);
    assert.equal(posters.drawnCount, before + 1);
    const files = readdirSync(join(mediaDir, 'posters')).filter((f) => f.endsWith('.png'));
    assert.equal(files.length, 1);
    const mtime = statSync(join(mediaDir, 'posters', files[0])).mtimeMs;

    const again = await A.agent.get(`/distribution/poster.png?productId=${products.picked.id}`).buffer(true).parse(binary).expect(200);
    assert.ok((again.body as Buffer).equals(png), 'the same poster');
    assert.equal(posters.drawnCount, before + 1, 'not drawn again');
    assert.equal(statSync(join(mediaDir, 'posters', files[0])).mtimeMs, mtime, 'the cached file is untouched');
    assert.ok(first.headers.etag);
    await A.agent.get(`/distribution/poster.png?productId=${products.picked.id}`).set('if-none-match', first.headers.etag).expect(304);

    // the page links the poster with its content hash, and that URL may be cached for good
    const page = (await A.agent.get(`/distribution/poster?productId=${products.picked.id}`).expect(200)).text;
    const found = /<img class="dist-poster-img" src="([^"]+)"/.exec(page)?.[1];
    const src = found ? unescape(found) : undefined;
    assert.ok(src?.startsWith(`/distribution/poster.png?productId=${products.picked.id}&v=`));
    const immutable = await A.agent.get(src!).expect(200);
    assert.match(String(immutable.headers['cache-control']), /immutable/);
    assert.ok(unescape(page).includes(`data-copy="http://mall.test/products/${products.picked.slug}?ref=${code}"`), "the product share link");

    // the whole shop has its own poster; a changed shop name makes a new one
    const shop = await A.agent.get('/distribution/poster.png').buffer(true).parse(binary).expect(200);
    assert.equal(shop.headers['content-type'], 'image/png');
    assert.equal(posters.drawnCount, before + 2);
    await A.agent.put('/api/v1/distribution/shop').send({ shopName: '小A的新店名' }).expect(200);
    await A.agent.get('/distribution/poster.png').buffer(true).parse(binary).expect(200);
    assert.equal(posters.drawnCount, before + 3, 'a new name, a new poster');
  });

  it('a member who is not a distributor gets no poster', async () => {
    await B.agent.get('/distribution/poster.png').expect(404);
    await t.http().get('/distribution/poster.png').expect(401);
    const page = await B.agent.get('/distribution/poster').expect(302);
    assert.equal(page.headers.location, '/distribution');
    await A.agent.get('/distribution/poster.png?productId=abc').expect(404);
    await A.agent.get('/distribution/poster.png?productId=999999').expect(404);
  });

  it('team, commission and withdraw pages follow a referred purchase', async () => {
    let team = (await A.agent.get('/distribution/team').expect(200)).text;
    assert.ok(team.includes('顾客小B') && team.includes('访客0'), 'bound members are in the team');
    assert.ok(!team.includes('data-level-tab'), 'single-level mode: no tabs for levels 2 and 3');
    assert.ok(team.includes('data-team-total>3<'));

    let orders = (await A.agent.get('/distribution/orders').expect(200)).text;
    assert.ok(orders.includes('还没有佣金'));

    const addressId = await addAddress(B);
    const orderNo = await buy(B, addressId, [{ variantId: products.picked.variantIds[0], quantity: 1 }]);
    await t.settle();
    orders = (await A.agent.get('/distribution/orders').expect(200)).text;
    assert.ok(orders.includes(`订单 ${orderNo}`));
    assert.ok(orders.includes('推广员精选 纯棉T恤'), 'the order line');
    assert.match(orders, /data-level="1" data-status="frozen"/);
    assert.ok(orders.includes('>L1<') && orders.includes('计佣金额 ¥100.00') && orders.includes('比例 10%'));
    assert.ok(orders.includes('+¥10.00') && orders.includes('冻结中'));

    const centre = (await A.agent.get('/distribution').expect(200)).text;
    assert.match(centre, /data-balance="frozen"><strong>10\.00<\/strong>/);

    const withdraw = (await A.agent.get('/distribution/withdraw').expect(200)).text;
    assert.ok(withdraw.includes('data-withdraw-form'));
    assert.ok(withdraw.includes('单笔最低提现 ¥1.00'));
    assert.ok(withdraw.includes('手续费：1%'));
    assert.ok(withdraw.includes('暂无提现记录'));
    const rules = JSON.parse(/<script type="application\/json" id="dist-withdraw-rules">([^<]+)<\/script>/.exec(withdraw)![1]) as Record<string, number>;
    assert.deepEqual(rules, { min: 100, feeBp: 100, feeFixed: 0, dailyLimit: 0, available: 0 });

    team = (await A.agent.get('/distribution/team?level=3').expect(200)).text;
    assert.ok(team.includes('顾客小B'), 'an unpaid level falls back to level 1');
  });

  it('the shop settings page shows picks, with required products locked', async () => {
    const html = (await A.agent.get('/distribution/shop').expect(200)).text;
    assert.ok(html.includes('data-shop-form'));
    const picked = html.slice(html.indexOf('data-pick-list="picked"'), html.indexOf('data-pick-panel="all"'));
    assert.ok(picked.includes('品牌指定 热销保温杯') && picked.includes('必选'), 'required product, locked');
    assert.ok(picked.includes(`data-toggle-pick="${products.picked.id}" data-picked="1"`), 'picked product, removable');
    assert.ok(!picked.includes('没有被选的商品'));
    const all = html.slice(html.indexOf('data-pick-list="all"'));
    assert.ok(all.includes(`data-toggle-pick="${products.other.id}" data-picked="0"`), 'the catalog offers the rest');
    await A.agent.delete(`/api/v1/distribution/shop/picks/${products.required.id}`).expect(409);
  });

  it('escapes what distributors type: a shop name with <script>', async () => {
    await A.agent.put('/api/v1/distribution/shop').send({ shopName: '<script>alert(1)</script>' }).expect(200);
    for (const path of [`/shop/${code}`, '/distribution/shop', '/distribution/poster']) {
      const html = (await A.agent.get(path).expect(200)).text;
      assert.ok(!html.includes('<script>alert(1)</script>'), `${path} must not carry the script`);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${path} shows the name as text`);
    }
    const poster = await A.agent.get('/distribution/poster.png').buffer(true).parse(binary).expect(200);
    assert.ok((poster.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE), 'the poster still draws (text is XML-escaped)');
  });

  it('pages speak English with ?lang=en', async () => {
    const html = (await A.agent.get('/distribution?lang=en').expect(200)).text;
    assert.ok(html.includes('<title>Promoter centre - '));
    assert.ok(html.includes('Total earned'));
    await A.agent.get('/distribution?lang=zh-CN').expect(200);
  });
});

describe('distribution pages in the multi-tier mode (三级分销)', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mall-dist-multi-'));
    const configFile = join(dir, 'mall.config.json');
    writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode: 'multi', levelsDeep: 2 } } } }));
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-multi', MALL_CONFIG: configFile, MEDIA_DIR: join(dir, 'media') } });
  });

  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the team page has a tab for each level the mode pays, with counts', async () => {
    const [A, B, C] = [await t.signIn('一级上级A'), await t.signIn('团队成员B'), await t.signIn('团队成员C')];
    const codeA = (await A.agent.post('/api/v1/distribution/apply').send({}).expect(200)).body.referralCode as string;
    await B.agent.get(`/shop/${codeA}`).expect(200);
    const codeB = (await B.agent.post('/api/v1/distribution/apply').send({}).expect(200)).body.referralCode as string;
    await C.agent.get(`/shop/${codeB}`).expect(200);

    const level1 = (await A.agent.get('/distribution/team').expect(200)).text;
    const tabs = [...level1.matchAll(/data-level-tab="(\d)">([^<]+)<em class="dist-tab-count">(\d+)<\/em>/g)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(tabs, [['1', '一级', '1'], ['2', '二级', '1']], 'levelsDeep 2: two tabs, never a third');
    assert.ok(level1.includes('团队成员B') && !level1.includes('团队成员C'));
    const level2 = (await A.agent.get('/distribution/team?level=2').expect(200)).text;
    assert.ok(level2.includes('团队成员C') && !level2.includes('团队成员B'));
    assert.match(level2, /class="tab is-active" href="\/distribution\/team\?level=2"/);
    assert.ok((await A.agent.get('/distribution').expect(200)).text.includes('最多 2 级'));
  });
});
