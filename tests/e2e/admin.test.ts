import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../support/test-app.js';
import { fromRoot } from '../../core/common/paths.js';
import { AdminUsersService } from '../../core/admin/admin-users.service.js';
import { AdminViews } from '../../core/admin/admin-views.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Category } from '../../core/catalog/entities/category.entity.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { ShippingTemplate } from '../../core/shipping/entities/shipping-template.entity.js';

const OWNER = { email: 'owner@shop.test', password: 'owner-pass-123' };

type Agent = ReturnType<typeof request.agent>;

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'page carries a _csrf field');
  return m[1];
}

function setCookie(res: request.Response, name: string): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).find((c) => c.startsWith(`${name}=`));
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fromRoot('dist/core/admin/admin-create-cli.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: fromRoot() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('admin back office', () => {
  let t: TestApp;
  /** Signed in through the HTML form. */
  let browser: Agent;
  /** Signed in through the JSON API, with its CSRF token. */
  let api: Agent;
  let csrf: string;
  let buyer: MemberAgent;
  let addressId: number;

  async function formSignIn(email = OWNER.email, password = OWNER.password): Promise<{ agent: Agent; res: request.Response }> {
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/admin/login').expect(200);
    const res = await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(page.text), email, password, next: '/admin' });
    return { agent, res };
  }

  async function page(agent: Agent, path: string): Promise<{ html: string; token: string }> {
    const res = await agent.get(path).set('accept', 'text/html').expect(200);
    return { html: res.text, token: csrfFrom(res.text) };
  }

  const variantStock = async (id: number) => (await t.ds.getRepository(ProductVariant).findOneByOrFail({ id })).stock;

  before(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password } });
    await createShipping(t);
    const signed = await formSignIn();
    assert.equal(signed.res.status, 303);
    browser = signed.agent;
    api = request.agent(t.app.getHttpServer());
    const session = await api.post('/api/v1/admin/session').send(OWNER).expect(200);
    csrf = session.body.csrfToken;
    buyer = await t.signIn('Buyer');
    addressId = await addAddress(buyer);
  });
  after(() => t.close());

  describe('sign-in', () => {
    it('the form signs in with a strict, httpOnly cookie and lands on the dashboard', async () => {
      const { agent, res } = await formSignIn();
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/admin');
      const cookie = setCookie(res, 'mall_admin');
      assert.ok(cookie, 'sets mall_admin');
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.match(cookie, /Max-Age=43200/);
      assert.doesNotMatch(cookie, /Secure/i, 'not secure on an http PUBLIC_URL');
      const dash = await agent.get('/admin').expect(200);
      assert.match(dash.headers['content-type'], /text\/html/);
      assert.match(dash.text, /今日订单/);
      assert.match(dash.text, /owner@shop\.test/);
    });

    it('a wrong password re-renders the form with 401 and sets no session', async () => {
      const { res } = await formSignIn(OWNER.email, 'wrong-password');
      assert.equal(res.status, 401);
      assert.equal(setCookie(res, 'mall_admin'), undefined);
      assert.match(res.text, /邮箱或密码错误/);
      assert.match(res.text, /value="owner@shop\.test"/, 'the e-mail is kept');
    });

    it('the login form needs its CSRF token', async () => {
      const res = await t.http().post('/admin/login').type('form').send({ email: OWNER.email, password: OWNER.password });
      assert.equal(res.status, 403);
      assert.equal(setCookie(res, 'mall_admin'), undefined);
    });

    it('JSON sign-in returns a CSRF token; wrong credentials are 401', async () => {
      const bad = await t.http().post('/api/v1/admin/session').send({ email: OWNER.email, password: 'nope-nope' }).expect(401);
      assert.equal(bad.body.code, 'invalid_credentials');
      const badShape = await t.http().post('/api/v1/admin/session').send({ email: 'not-an-email', password: 'x' }).expect(400);
      assert.equal(badShape.body.field, 'email');
      const ok = await t.http().post('/api/v1/admin/session').send(OWNER).expect(200);
      assert.equal(typeof ok.body.csrfToken, 'string');
      assert.equal(ok.body.admin.email, OWNER.email);
      assert.ok(setCookie(ok, 'mall_admin'));
    });

    it('after 5 failures for an e-mail within 15 minutes answers 429, even to the right password', async () => {
      const locked = { email: 'locked@shop.test', password: 'locked-pass-1' };
      await t.get(AdminUsersService).create(locked.email, locked.password);
      for (let i = 0; i < 5; i++) {
        const r = await t.http().post('/api/v1/admin/session').send({ email: locked.email, password: `wrong-${i}` });
        assert.equal(r.status, 401, `attempt ${i + 1}`);
      }
      const sixth = await t.http().post('/api/v1/admin/session').send(locked).expect(429);
      assert.equal(sixth.body.code, 'too_many_attempts');
      assert.ok(Number(sixth.headers['retry-after']) > 0);
      const viaForm = await formSignIn(locked.email, locked.password);
      assert.equal(viaForm.res.status, 429);
      assert.equal(setCookie(viaForm.res, 'mall_admin'), undefined);
      // other accounts are unaffected
      await t.http().post('/api/v1/admin/session').send(OWNER).expect(200);
    });

    it('sign-out clears the cookie', async () => {
      const { agent } = await formSignIn();
      const { token } = await page(agent, '/admin');
      const out = await agent.post('/admin/logout').type('form').send({ _csrf: token }).expect(303);
      assert.match(String(setCookie(out, 'mall_admin')), /mall_admin=;/);
      const after = await agent.get('/admin').expect(302);
      assert.match(after.headers.location, /^\/admin\/login/);
    });

    it('English via ?lang=en', async () => {
      const res = await browser.get('/admin?lang=en').expect(200);
      assert.match(res.text, /Orders today/);
      assert.match(res.text, /<html lang="en">/);
      const zh = await browser.get('/admin?lang=zh-CN').expect(200);
      assert.match(zh.text, /今日订单/);
    });
  });

  it('modules can add navigation entries to the admin layout', async () => {
    t.get(AdminViews).addNavItem({ key: 'demo-plugin', href: '/admin/plugins/demo', label: { 'zh-CN': '演示插件', en: 'Demo plugin' } });
    assert.match((await browser.get('/admin').expect(200)).text, /href="\/admin\/plugins\/demo"[^>]*>.*演示插件/);
    assert.match((await browser.get('/admin?lang=en').expect(200)).text, /Demo plugin/);
    await browser.get('/admin?lang=zh-CN').expect(200);
  });

  describe('guard', () => {
    it('pages redirect to the login page when signed out', async () => {
      for (const path of ['/admin', '/admin/products', '/admin/orders', '/admin/products/new']) {
        const res = await t.http().get(path).expect(302);
        assert.equal(res.headers.location, `/admin/login?next=${encodeURIComponent(path)}`);
      }
      const post = await t.http().post('/admin/products/1/delist').type('form').send({ _csrf: 'x' }).expect(303);
      assert.match(post.headers.location, /^\/admin\/login/);
    });

    it('the API answers 401 JSON when signed out or with a forged cookie', async () => {
      const res = await t.http().get('/api/v1/admin/products').expect(401);
      assert.equal(res.body.code, 'admin_sign_in_required');
      const forged = await t.http().get('/api/v1/admin/orders').set('cookie', 'mall_admin=1-abc.xyz.forged').expect(401);
      assert.equal(forged.body.code, 'admin_sign_in_required');
      // a member session is no admin session
      await buyer.agent.get('/api/v1/admin/products').expect(401);
    });

    it('the login page sends a signed-in admin on; next= cannot leave the admin', async () => {
      const res = await browser.get('/admin/login?next=//evil.example/').expect(302);
      assert.equal(res.headers.location, '/admin');
    });
  });

  describe('CSRF', () => {
    it('API writes without or with a wrong x-csrf-token are 403 and change nothing', async () => {
      const before = await t.ds.getRepository(Product).count();
      const body = { title: 'CSRF 测试', images: [], specNames: [], variants: [{ specValues: [], price: 100, stock: 1 }] };
      const missing = await api.post('/api/v1/admin/products').send(body).expect(403);
      assert.equal(missing.body.code, 'csrf_failed');
      const wrong = await api.post('/api/v1/admin/products').set('x-csrf-token', `${csrf}x`).send(body).expect(403);
      assert.equal(wrong.body.code, 'csrf_failed');
      assert.equal(await t.ds.getRepository(Product).count(), before);
    });

    it('form posts without, or with another session\'s, _csrf are 403 and change nothing', async () => {
      const p = await createProduct(t);
      const missing = await browser.post(`/admin/products/${p.id}/delist`).type('form').send({}).expect(403);
      assert.equal(missing.body.code, 'csrf_failed');
      const other = await browser.post(`/admin/products/${p.id}/delist`).type('form').send({ _csrf: csrf }).expect(403);
      assert.equal(other.body.code, 'csrf_failed');
      assert.equal((await t.ds.getRepository(Product).findOneByOrFail({ id: p.id })).isListed, true);
      const html = await browser.post(`/admin/products/${p.id}/delist`).set('accept', 'text/html').type('form').send({}).expect(403);
      assert.match(html.headers['content-type'], /text\/html/);
    });
  });

  describe('products', () => {
    it('a form with a bad price re-renders with the field named and the values kept', async () => {
      const { token } = await page(browser, '/admin/products/new');
      const before = await t.ds.getRepository(Product).count();
      const res = await browser.post('/admin/products').type('form').send({
        _csrf: token, title: '手工茶杯', subtitle: '景德镇', specNames: '颜色', images: 'https://img.example/cup.jpg',
        'variants.0.specValues': '白色', 'variants.0.price': '12.345', 'variants.0.stock': '5',
        'variants.1.specValues': '青色', 'variants.1.price': '15', 'variants.1.stock': 'abc',
      }).expect(400);
      assert.match(res.text, /variants\.0\.price/);
      assert.match(res.text, /12\.345/);
      assert.match(res.text, /value="手工茶杯"/);
      assert.match(res.text, /value="青色"/);
      assert.match(res.text, /“abc” 不是有效的整数/);
      assert.equal(await t.ds.getRepository(Product).count(), before);
    });

    it('creates a product with variants through the form (yuan → fen)', async () => {
      const { token } = await page(browser, '/admin/products/new');
      const res = await browser.post('/admin/products').type('form').send({
        _csrf: token, title: '手工茶杯', subtitle: '景德镇', specNames: '颜色，容量', images: 'https://img.example/cup.jpg\n/media/cup-2.jpg',
        descriptionHtml: '<p>好杯子</p><script>alert(1)</script>', isListed: 'on',
        'variants.0.specValues': '白色 / 200ml', 'variants.0.price': '12.5', 'variants.0.originalPrice': '20', 'variants.0.stock': '5', 'variants.0.skuCode': 'CUP-W', 'variants.0.weightGrams': '300',
        'variants.1.specValues': '青色/300ml', 'variants.1.price': '15.00', 'variants.1.stock': '8',
        'variants.2.specValues': '', 'variants.2.price': '', 'variants.2.stock': '',
      }).expect(303);
      const m = /^\/admin\/products\/(\d+)\/edit\?ok=created$/.exec(res.headers.location);
      assert.ok(m, res.headers.location);
      const id = Number(m[1]);
      const product = await t.ds.getRepository(Product).findOneByOrFail({ id });
      assert.deepEqual(product.specNames, ['颜色', '容量']);
      assert.deepEqual(product.images, ['https://img.example/cup.jpg', '/media/cup-2.jpg']);
      assert.equal(product.isListed, true);
      assert.doesNotMatch(product.descriptionHtml, /script/);
      const variants = await t.ds.getRepository(ProductVariant).find({ where: { productId: id }, order: { sortOrder: 'ASC' } });
      assert.deepEqual(variants.map((v) => [v.specValues, v.price, v.originalPrice, v.stock, v.skuCode, v.weightGrams]), [
        [['白色', '200ml'], 1250, 2000, 5, 'CUP-W', 300],
        [['青色', '300ml'], 1500, null, 8, null, 0],
      ]);
      const edit = await browser.get(`/admin/products/${id}/edit?ok=created`).expect(200);
      assert.match(edit.text, /value="12\.50"/);
      assert.match(edit.text, /已创建/);
      // edit: change a price through the form
      const token2 = csrfFrom(edit.text);
      await browser.post(`/admin/products/${id}`).type('form').send({
        _csrf: token2, title: '手工茶杯 二代', specNames: '颜色, 容量', images: 'https://img.example/cup.jpg', isListed: 'on',
        'variants.0.specValues': '白色 / 200ml', 'variants.0.price': '11.80', 'variants.0.stock': '5',
        'variants.1.specValues': '青色 / 300ml', 'variants.1.price': '15', 'variants.1.stock': '8',
      }).expect(303);
      const updated = await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variants[0].id });
      assert.equal(updated.price, 1180, 'same variant row updated in place');
      assert.equal((await t.ds.getRepository(Product).findOneByOrFail({ id })).title, '手工茶杯 二代');
    });

    it('a form naming an unknown category is refused with the field', async () => {
      const { token } = await page(browser, '/admin/products/new');
      const res = await browser.post('/admin/products').type('form').send({
        _csrf: token, title: 'X', categoryId: '999999', 'variants.0.price': '1', 'variants.0.stock': '1',
      }).expect(404);
      assert.match(res.text, /categoryId|分类/);
      const bad = await browser.post('/admin/products').type('form').send({ _csrf: token, title: 'X', images: 'javascript:alert(1)', 'variants.0.price': '1', 'variants.0.stock': '1' }).expect(400);
      assert.match(bad.text, /图片 #1/);
    });

    it('creates, reads, updates, lists and delists through the API; a bad price is 400 naming the field', async () => {
      const bad = await api.post('/api/v1/admin/products').set('x-csrf-token', csrf).send({ title: 'API 商品', images: [], specNames: [], variants: [{ specValues: [], price: '12.345', stock: 1 }] }).expect(400);
      assert.equal(bad.body.field, 'variants.0.price');
      const fraction = await api.post('/api/v1/admin/products').set('x-csrf-token', csrf).send({ title: 'API 商品', images: [], specNames: [], variants: [{ specValues: [], price: 12.345, stock: 1 }] }).expect(400);
      assert.equal(fraction.body.field, 'variants.0.price');
      const unknown = await api.post('/api/v1/admin/products').set('x-csrf-token', csrf).send({ title: 'API 商品', images: [], specNames: [], variants: [{ specValues: [], price: 100, stock: 1 }], hack: 1 }).expect(400);
      assert.equal(unknown.body.field, 'hack');
      const created = await api.post('/api/v1/admin/products').set('x-csrf-token', csrf)
        .send({ title: 'API 商品', images: ['https://img.example/a.jpg'], specNames: ['尺码'], variants: [{ specValues: ['S'], price: 9900, stock: 3 }, { specValues: ['M'], price: 10900, stock: 2, weightGrams: 250 }] })
        .expect(201);
      const id = created.body.id as number;
      assert.equal(created.body.isListed, false);
      assert.equal(created.body.variants[1].weightGrams, 250);
      await t.http().get(`/api/v1/products/${id}`).expect(404);
      const listed = await api.post(`/api/v1/admin/products/${id}/list`).set('x-csrf-token', csrf).expect(200);
      assert.deepEqual(listed.body, { id, isListed: true });
      await t.http().get(`/api/v1/products/${id}`).expect(200);
      await api.post(`/api/v1/admin/products/${id}/delist`).set('x-csrf-token', csrf).expect(200);
      await t.http().get(`/api/v1/products/${id}`).expect(404);
      const got = await api.get(`/api/v1/admin/products/${id}`).expect(200);
      assert.equal(got.body.title, 'API 商品');
      const put = await api.put(`/api/v1/admin/products/${id}`).set('x-csrf-token', csrf)
        .send({ title: 'API 商品 改', images: [], specNames: ['尺码'], variants: [{ specValues: ['S'], price: 9500, stock: 3 }] }).expect(200);
      assert.equal(put.body.variants.length, 1);
      assert.equal(put.body.minPrice, 9500);
      const list = await api.get('/api/v1/admin/products?status=delisted&q=API').expect(200);
      assert.ok(list.body.items.some((p: { id: number }) => p.id === id));
      await api.get('/api/v1/admin/products/999999').expect(404);
      const notNumber = await api.get('/api/v1/admin/products/abc').expect(400);
      assert.equal(notNumber.body.field, 'id');
      await api.post('/api/v1/admin/products/999999/list').set('x-csrf-token', csrf).expect(404);
      const badQuery = await api.get('/api/v1/admin/products?status=gone').expect(400);
      assert.equal(badQuery.body.field, 'status');
    });

    it('the list page searches, filters and lists/delists with CSRF', async () => {
      const p = await createProduct(t, { title: '竹编收纳篮' });
      const list = await page(browser, '/admin/products?q=竹编');
      assert.match(list.html, /竹编收纳篮/);
      assert.match(list.html, /下架/);
      const res = await browser.post(`/admin/products/${p.id}/delist`).type('form').send({ _csrf: list.token, back: '/admin/products?q=竹编' }).expect(303);
      assert.equal(res.headers.location, `/admin/products?q=${encodeURIComponent('竹编')}&ok=delisted`);
      assert.equal((await t.ds.getRepository(Product).findOneByOrFail({ id: p.id })).isListed, false);
      const delisted = await browser.get(`/admin/products?status=delisted&q=${encodeURIComponent('竹编')}`).expect(200);
      assert.match(delisted.text, /竹编收纳篮/);
      const listedOnly = await browser.get(`/admin/products?status=listed&q=${encodeURIComponent('竹编')}`).expect(200);
      assert.doesNotMatch(listedOnly.text, /竹编收纳篮/);
      await browser.post(`/admin/products/${p.id}/list`).type('form').send({ _csrf: list.token, back: 'https://evil.example/' }).expect(303).expect('location', '/admin?ok=listed');
      assert.equal((await t.ds.getRepository(Product).findOneByOrFail({ id: p.id })).isListed, true);
    });

    it('escapes what merchants and imports typed; serves its own assets', async () => {
      await createProduct(t, { title: '<img src=x onerror=alert(1)>' });
      const list = await browser.get('/admin/products').expect(200);
      assert.doesNotMatch(list.text, /<img src=x/);
      assert.match(list.text, /&lt;img src&#x3D;x onerror&#x3D;alert\(1\)&gt;/);
      assert.equal(list.headers['cache-control'], 'no-store');
      const css = /href="\/admin\/assets\/admin\.css\?v(?:=|&#x3D;)([0-9a-f]+)"/.exec(list.text);
      assert.ok(css, 'hashed stylesheet link');
      const asset = await t.http().get(`/admin/assets/admin.css?v=${css[1]}`).expect(200);
      assert.match(asset.headers['content-type'], /text\/css/);
      assert.match(asset.headers['cache-control'], /immutable/);
      await t.http().get('/admin/assets/admin.module.ts').expect(404);
    });
  });

  describe('categories', () => {
    it('creates through API and form; refuses a cycle', async () => {
      const parent = await api.post('/api/v1/admin/categories').set('x-csrf-token', csrf).send({ name: '茶具', slug: 'tea' }).expect(201);
      const child = await api.post('/api/v1/admin/categories').set('x-csrf-token', csrf).send({ name: '茶杯', slug: 'cups', parentId: parent.body.id }).expect(201);
      const cycle = await api.put(`/api/v1/admin/categories/${parent.body.id}`).set('x-csrf-token', csrf).send({ name: '茶具', parentId: child.body.id }).expect(400);
      assert.equal(cycle.body.code, 'category_cycle');
      assert.equal(cycle.body.field, 'parentId');
      const self = await api.put(`/api/v1/admin/categories/${parent.body.id}`).set('x-csrf-token', csrf).send({ name: '茶具', parentId: parent.body.id }).expect(400);
      assert.equal(self.body.code, 'category_cycle');
      assert.equal((await t.ds.getRepository(Category).findOneByOrFail({ id: parent.body.id })).parentId, null);
      const dup = await api.post('/api/v1/admin/categories').set('x-csrf-token', csrf).send({ name: '重复', slug: 'tea' }).expect(409);
      assert.equal(dup.body.field, 'slug');
      await api.put('/api/v1/admin/categories/999999').set('x-csrf-token', csrf).send({ name: 'x' }).expect(404);
      const tree = await api.get('/api/v1/admin/categories').expect(200);
      const ids = tree.body.map((c: { id: number }) => c.id);
      assert.ok(ids.indexOf(parent.body.id) < ids.indexOf(child.body.id));
      assert.equal(tree.body.find((c: { id: number }) => c.id === child.body.id).depth, 1);

      const { token } = await page(browser, '/admin/categories');
      await browser.post('/admin/categories').type('form').send({ _csrf: token, name: '茶叶', parentId: String(parent.body.id), sortOrder: '2', isVisible: 'on' }).expect(303).expect('location', '/admin/categories?ok=created');
      const made = await t.ds.getRepository(Category).findOneByOrFail({ name: '茶叶' });
      assert.equal(made.parentId, parent.body.id);
      const empty = await browser.post('/admin/categories').type('form').send({ _csrf: token, name: '' }).expect(400);
      assert.match(empty.text, /名称/);
      const formCycle = await browser.post(`/admin/categories/${parent.body.id}`).type('form').send({ _csrf: token, name: '茶具', parentId: String(made.id), isVisible: 'on' }).expect(400);
      assert.match(formCycle.text, /cannot be moved under itself/);
      const page2 = await browser.get('/admin/categories').expect(200);
      assert.match(page2.text, /茶杯/);
    });
  });

  describe('orders', () => {
    it('ships a paid order; a bad tracking number is 400; a pending order is 409', async () => {
      const p = await createProduct(t, { variants: [{ specValues: [], price: 5000, stock: 10 }] });
      const orderNo = await buy(buyer, addressId, [{ variantId: p.variantIds[0], quantity: 2 }]);
      const bad = await api.post(`/api/v1/admin/orders/${orderNo}/ship`).set('x-csrf-token', csrf).send({ carrier: '顺丰速运', trackingNo: 'bad no!' }).expect(400);
      assert.equal(bad.body.field, 'trackingNo');
      const detail = await api.get(`/api/v1/admin/orders/${orderNo}`).expect(200);
      assert.equal(detail.body.status, 'paid');
      assert.deepEqual(detail.body.actions, ['ship', 'refund']);
      const shipped = await api.post(`/api/v1/admin/orders/${orderNo}/ship`).set('x-csrf-token', csrf).send({ carrier: '顺丰速运', trackingNo: 'SF1234567890' }).expect(200);
      assert.equal(shipped.body.status, 'shipped');
      assert.equal(shipped.body.trackingNo, 'SF1234567890');
      assert.ok(shipped.body.history.some((h: { actor: string; toStatus: string }) => h.toStatus === 'shipped' && /^admin:\d+$/.test(h.actor)));
      const again = await api.post(`/api/v1/admin/orders/${orderNo}/ship`).set('x-csrf-token', csrf).send({ carrier: '顺丰速运', trackingNo: 'SF1234567890' }).expect(409);
      assert.equal(again.body.code, 'illegal_transition');

      const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: p.variantIds[0], quantity: 1 }] }).expect(201);
      const pending = await api.post(`/api/v1/admin/orders/${placed.body.orderNo}/ship`).set('x-csrf-token', csrf).send({ carrier: '顺丰速运', trackingNo: 'SF0000000001' }).expect(409);
      assert.equal(pending.body.code, 'illegal_transition');
      await api.post('/api/v1/admin/orders/20990101000000000000/ship').set('x-csrf-token', csrf).send({ carrier: '顺丰速运', trackingNo: 'SF0000000001' }).expect(404);
    });

    it('ships through the order page form, re-rendering a bad tracking number', async () => {
      const p = await createProduct(t);
      const orderNo = await buy(buyer, addressId, [{ variantId: p.variantIds[0], quantity: 1 }]);
      const { html, token } = await page(browser, `/admin/orders/${orderNo}`);
      assert.match(html, new RegExp(orderNo));
      assert.match(html, /张三/);
      assert.match(html, /确认发货/);
      const bad = await browser.post(`/admin/orders/${orderNo}/ship`).type('form').send({ _csrf: token, carrier: '中通快递', trackingNo: '12' }).expect(400);
      assert.match(bad.text, /trackingNo must be 4-64/);
      assert.match(bad.text, /value="中通快递"/);
      await browser.post(`/admin/orders/${orderNo}/ship`).type('form').send({ _csrf: token, carrier: '中通快递', trackingNo: 'ZT7700112233' }).expect(303).expect('location', `/admin/orders/${orderNo}?ok=shipped`);
      const order = await t.ds.getRepository(Order).findOneByOrFail({ orderNo });
      assert.equal(order.status, 'shipped');
      assert.equal(order.carrier, '中通快递');
      const twice = await browser.post(`/admin/orders/${orderNo}/ship`).type('form').send({ _csrf: token, carrier: '中通快递', trackingNo: 'ZT7700112233' }).expect(409);
      assert.match(twice.text, /cannot become shipped/);
    });

    it('cancels an unpaid order (stock returns); refuses to cancel a paid one', async () => {
      const p = await createProduct(t, { variants: [{ specValues: [], price: 3000, stock: 6 }] });
      const v = p.variantIds[0];
      const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: v, quantity: 2 }] }).expect(201);
      await buyer.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({}).expect(200);
      assert.equal(await variantStock(v), 4);
      const cancelled = await api.post(`/api/v1/admin/orders/${placed.body.orderNo}/cancel`).set('x-csrf-token', csrf).expect(200);
      assert.equal(cancelled.body.status, 'closed');
      assert.equal(cancelled.body.closeReason, 'merchant_cancelled');
      assert.equal(await variantStock(v), 6);
      await api.post(`/api/v1/admin/orders/${placed.body.orderNo}/cancel`).set('x-csrf-token', csrf).expect(409);

      const paid = await buy(buyer, addressId, [{ variantId: v, quantity: 1 }]);
      const refused = await api.post(`/api/v1/admin/orders/${paid}/cancel`).set('x-csrf-token', csrf).expect(409);
      assert.equal(refused.body.code, 'illegal_transition');

      // through the page
      const placed2 = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: v, quantity: 1 }] }).expect(201);
      const { token } = await page(browser, `/admin/orders/${placed2.body.orderNo}`);
      await browser.post(`/admin/orders/${placed2.body.orderNo}/cancel`).type('form').send({ _csrf: token }).expect(303);
      assert.equal((await t.ds.getRepository(Order).findOneByOrFail({ orderNo: placed2.body.orderNo })).status, 'closed');
    });

    it('refunds a paid order (stock returns) and a shipped one (stock stays out)', async () => {
      const p = await createProduct(t, { variants: [{ specValues: [], price: 2000, stock: 10 }] });
      const v = p.variantIds[0];
      const paid = await buy(buyer, addressId, [{ variantId: v, quantity: 3 }]);
      assert.equal(await variantStock(v), 7);
      const noReason = await api.post(`/api/v1/admin/orders/${paid}/refund`).set('x-csrf-token', csrf).send({}).expect(400);
      assert.equal(noReason.body.field, 'reason');
      const refunded = await api.post(`/api/v1/admin/orders/${paid}/refund`).set('x-csrf-token', csrf).send({ reason: '缺货' }).expect(200);
      assert.equal(refunded.body.order.status, 'refunded');
      assert.equal(refunded.body.refund.amount, refunded.body.order.paidTotal);
      assert.equal(await variantStock(v), 10);
      const twice = await api.post(`/api/v1/admin/orders/${paid}/refund`).set('x-csrf-token', csrf).send({ reason: '再退' }).expect(409);
      assert.ok(['illegal_transition', 'nothing_to_refund'].includes(twice.body.code));

      const shipped = await buy(buyer, addressId, [{ variantId: v, quantity: 1 }]);
      await api.post(`/api/v1/admin/orders/${shipped}/ship`).set('x-csrf-token', csrf).send({ carrier: 'EMS', trackingNo: 'EM123456789CN' }).expect(200);
      const { token } = await page(browser, `/admin/orders/${shipped}`);
      await browser.post(`/admin/orders/${shipped}/refund`).type('form').send({ _csrf: token, reason: '买家拒收' }).expect(303);
      assert.equal((await t.ds.getRepository(Order).findOneByOrFail({ orderNo: shipped })).status, 'refunded');
      assert.equal(await variantStock(v), 9, 'shipped goods do not come back into stock');

      const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: v, quantity: 1 }] }).expect(201);
      const unpaid = await api.post(`/api/v1/admin/orders/${placed.body.orderNo}/refund`).set('x-csrf-token', csrf).send({ reason: 'x' }).expect(409);
      assert.equal(unpaid.body.code, 'illegal_transition');
    });

    it('lists and searches orders; unknown orders are 404', async () => {
      const list = await api.get('/api/v1/admin/orders?status=refunded').expect(200);
      assert.ok(list.body.total >= 2);
      assert.ok(list.body.items.every((o: { status: string }) => o.status === 'refunded'));
      const byPhone = await api.get('/api/v1/admin/orders?q=13800138000&pageSize=5').expect(200);
      assert.ok(byPhone.body.total > 0);
      assert.equal(byPhone.body.items.length, Math.min(5, byPhone.body.total));
      const badStatus = await api.get('/api/v1/admin/orders?status=lost').expect(400);
      assert.equal(badStatus.body.field, 'status');
      await api.get('/api/v1/admin/orders/NOPE123').expect(404);
      const html = await browser.get('/admin/orders?status=refunded').expect(200);
      assert.match(html.text, /已退款/);
      const search = await browser.get(`/admin/orders?q=${encodeURIComponent('张三')}`).expect(200);
      assert.match(search.text, /张三/);
      const missing = await browser.get('/admin/orders/NOPE123').set('accept', 'text/html').expect(404);
      assert.match(missing.text, /找不到/);
    });
  });

  describe('shipping and dashboard', () => {
    it('edits the default shipping template in yuan', async () => {
      const { html, token } = await page(browser, '/admin/shipping');
      assert.match(html, /value="8\.00"/);
      const bad = await browser.post('/admin/shipping').type('form').send({ _csrf: token, name: '默认运费', firstItemFee: '8.005', additionalItemFee: '2', freeFrom: '' }).expect(400);
      assert.match(bad.text, /8\.005/);
      await browser.post('/admin/shipping').type('form').send({ _csrf: token, name: '默认运费', firstItemFee: '10', additionalItemFee: '3.50', freeFrom: '' }).expect(303);
      const tpl = await t.ds.getRepository(ShippingTemplate).findOneByOrFail({ isDefault: true });
      assert.deepEqual([tpl.firstItemFee, tpl.additionalItemFee, tpl.freeFrom], [1000, 350, null]);
      const viaApi = await api.put('/api/v1/admin/shipping').set('x-csrf-token', csrf).send({ firstItemFee: 800, additionalItemFee: 200, freeFrom: 9900 }).expect(200);
      assert.equal(viaApi.body.freeFrom, 9900);
      assert.equal(await t.ds.getRepository(ShippingTemplate).count(), 1);
    });

    it('the dashboard shows today\'s orders, awaiting shipment, products and low stock', async () => {
      const p = await createProduct(t, { title: '限量香薰', variants: [{ specValues: [], price: 8800, stock: 3 }] });
      const orderNo = await buy(buyer, addressId, [{ variantId: p.variantIds[0], quantity: 1 }]);
      const res = await browser.get('/admin').expect(200);
      assert.match(res.text, /限量香薰/, 'low-stock variant listed');
      assert.match(res.text, new RegExp(orderNo), 'awaiting shipment listed');
      assert.match(res.text, /¥\d+\.\d{2}/);
    });
  });

  describe('npm run admin:create', () => {
    it('creates an owner, and refuses a bad e-mail, a short password or an existing e-mail', async () => {
      const env = { DATABASE_URL: t.db.url, LOG_LEVEL: 'error' };
      const badEmail = await runCli(['not-an-email', 'long-enough-pw'], env);
      assert.equal(badEmail.code, 1);
      assert.match(badEmail.stderr, /not an e-mail address/);
      const shortPw = await runCli(['cli@shop.test', 'short'], env);
      assert.equal(shortPw.code, 1);
      assert.match(shortPw.stderr, /at least 8 characters/);
      const ok = await runCli(['CLI@shop.test', 'cli-pass-123'], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Admin account created: cli@shop\.test/);
      await t.http().post('/api/v1/admin/session').send({ email: 'cli@shop.test', password: 'cli-pass-123' }).expect(200);
      const dup = await runCli(['cli@shop.test', 'other-pass-123'], env);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already exists/);
    });
  });
});
