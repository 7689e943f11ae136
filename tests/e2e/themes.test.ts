import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { fromRoot } from '../../core/common/paths.js';
import { CatalogService } from '../../core/catalog/catalog.service.js';
import { Setting } from '../../core/settings/entities/setting.entity.js';
import { ThemeService } from '../../core/theme/theme.service.js';
import { ThemeInvalidError } from '../../core/theme/theme-checker.js';
import { startTestApp, createProduct, type TestApp } from '../support/test-app.js';

// The themes folder is a temporary copy of themes/ plus the fixtures, read by ThemeService at start-up.
const THEMES = mkdtempSync(join(tmpdir(), 'mall-e2e-themes-'));
for (const name of readdirSync(fromRoot('themes'))) cpSync(fromRoot('themes', name), join(THEMES, name), { recursive: true });
for (const name of readdirSync(fromRoot('tests/fixtures/themes')).filter((n) => n.startsWith('fx-'))) cpSync(fromRoot('tests/fixtures/themes', name), join(THEMES, name), { recursive: true });
process.env.THEMES_DIR = THEMES;

const OWNER = { email: 'owner@themes.test', password: 'theme-owner-password-1' };
type Agent = ReturnType<typeof request.agent>;

describe('themes: inheritance, activation without restart, the checker gate and the admin', () => {
  let t: TestApp;
  let admin: Agent;
  let csrf: string;

  const html = async (path: string, status = 200) => {
    const res = await t.http().get(path).set('accept', 'text/html');
    assert.equal(res.status, status, `${path}: ${res.status} ${String(res.text).slice(0, 300)}`);
    return res.text;
  };
  const activate = (name: string) => t.get(ThemeService).setActive(name);

  before(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password } });
    const catalog = t.get(CatalogService);
    const teas = await catalog.createCategory({ name: '茶叶', slug: 'fx-teas' });
    await createProduct(t, { title: '特别款', slug: 'fx-special', categoryId: teas.id });
    await createProduct(t, { title: '普通茶', slug: 'fx-other', categoryId: teas.id });
    await createProduct(t, { title: '无分类商品', slug: 'fx-plain' });
    admin = request.agent(t.app.getHttpServer());
    csrf = (await admin.post('/api/v1/admin/session').send(OWNER).expect(200)).body.csrfToken;
  });
  after(async () => {
    await t?.close();
    rmSync(THEMES, { recursive: true, force: true });
  });

  describe('inheritance through the chain fx-leaf → fx-child → default', () => {
    before(() => activate('fx-leaf'));

    it('uses the child\'s template, partial, locale strings and asset, and inherits everything else', async () => {
      const page = await html('/');
      assert.ok(page.includes('fx-home'), 'home.hbs of fx-child');
      assert.ok(page.includes('子主题商店欢迎你'), 'fx.hello of fx-child, with brandName from fx-child\'s settings defaults');
      assert.ok(page.includes('FX-BANNER'), 'a setting only fx-child declares');
      assert.ok(page.includes('<div class="fx-section-head">FX-SECTION</div>'), 'partial of fx-child');
      assert.ok(page.includes('<span class="price-num">12.50</span>'), 'price partial of default');
      assert.ok(page.includes('<span>子首页</span>') && page.includes('<span>分类</span>'), 'layout of default with fx-child\'s nav.home');
      const en = await html('/?lang=en');
      assert.ok(en.includes('Welcome to 子主题商店') && en.includes('<span>Child home</span>'));

      const css = /href="(\/themes\/fx-leaf\/assets\/css\/app\.css\?v(?:=|&#x3D;)([0-9a-f]{10}))"/.exec(page);
      assert.ok(css, 'stylesheet URL names the active theme and carries a content hash');
      const childCss = readFileSync(join(THEMES, 'fx-child/assets/css/app.css'));
      assert.equal(css[2], createHash('sha256').update(childCss).digest('hex').slice(0, 10), 'hash of fx-child\'s file, which hides default\'s');
      const served = await t.http().get(css[1].replace('&#x3D;', '=')).expect(200);
      assert.match(served.text, /fx-child overrides the default stylesheet/);
      assert.match(String(served.headers['cache-control']), /immutable/);
      await t.http().get('/themes/fx-leaf/assets/js/app.js').expect(200);
      await t.http().get('/themes/fx-leaf/assets/img/fx.svg').expect(200);
      await t.http().get('/themes/fx-leaf/assets/img/nothing.svg').expect(404);
      await t.http().get('/themes/default/assets/css/app.css').expect(404);
    });

    it('looks product templates up by candidates: product-<slug> → product-<category> → product, each through the chain', async () => {
      assert.match(await html('/products/fx-special'), /fx-slug-template" data-page="product">特别款</);
      assert.match(await html('/products/fx-other'), /fx-category-template" data-page="product">普通茶 · 茶叶</);
      const plain = await html('/products/fx-plain');
      assert.ok(plain.includes('product-info') && !plain.includes('fx-category-template'), 'product.hbs of default');
      const category = await html('/category/fx-teas');
      assert.ok(category.includes('data-page="category"') && category.includes('特别款'), 'category.hbs of default');
    });
  });

  describe('activation', () => {
    it('switches theme without a restart: the next request renders the new theme', async () => {
      await activate('tea-house');
      const tea = await html('/');
      assert.ok(tea.includes('th-home') && /\/themes\/tea-house\/assets\/css\/theme\.css/.test(tea));
      assert.equal(tea.split('css/theme.css').length, 2, 'the stylesheet is linked once');
      assert.ok(tea.includes('山茶集') && tea.includes('寒夜客来茶当酒'));
      await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ active: 'default' }).expect(200);
      const plain = await html('/');
      assert.ok(plain.includes('/themes/default/assets/css/app.css') && !plain.includes('theme.css') && !plain.includes('th-home'));
    });

    it('another instance on the same database follows within its 5 s refresh', async () => {
      const other = await startTestApp({ db: t.db, env: { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password } });
      try {
        assert.ok((await other.http().get('/').set('accept', 'text/html')).text.includes('/themes/default/'));
        await activate('tea-house');
        const started = Date.now();
        let seen = false;
        while (!seen && Date.now() - started < 8000) {
          seen = (await other.http().get('/').set('accept', 'text/html')).text.includes('/themes/tea-house/');
          if (!seen) await new Promise((r) => setTimeout(r, 400));
        }
        assert.ok(seen, 'the second instance renders tea-house');
      } finally {
        await other.close();
        await activate('default');
      }
    });

    it('refuses a theme with errors, with the checker report, and keeps the active theme', async () => {
      await assert.rejects(activate('fx-broken'), (err: unknown) => {
        assert.ok(err instanceof ThemeInvalidError);
        assert.equal(err.status, 409);
        assert.equal(err.code, 'theme_invalid');
        assert.equal(err.report.errors, 11);
        assert.match(err.message, /^theme "fx-broken" has 11 error\(s\): THEME-MANIFEST-003 fx-broken\/theme\.json "version" "1\.0" is not MAJOR\.MINOR\.PATCH; /);
        return true;
      });
      const api = await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ active: 'fx-broken' }).expect(409);
      assert.equal(api.body.code, 'theme_invalid');
      assert.ok(api.body.report.findings.some((f: { code: string; line?: number }) => f.code === 'THEME-SYNTAX-001' && f.line === 2));
      assert.ok(api.body.report.findings.every((f: { help?: string; level?: string }) => f.help && f.level));
      const form = await admin.post('/admin/themes/activate').type('form').set('accept', 'text/html').send({ _csrf: csrf, name: 'fx-broken' }).expect(409);
      assert.match(form.text, /THEME-SYNTAX-001/);
      assert.match(form.text, /fx-broken\/templates\/broken\.hbs:2/);
      assert.match(form.text, /未能启用/);
      await assert.rejects(activate('fx-lost-parent'), ThemeInvalidError);
      assert.ok((await html('/')).includes('/themes/default/'), 'still the default theme');
      await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ active: 'no-such-theme' }).expect(404);
    });
  });

  describe('admin page and API', () => {
    it('needs an admin session, and a CSRF token to change anything', async () => {
      const page = await t.http().get('/admin/themes').set('accept', 'text/html').expect(302);
      assert.match(String(page.headers.location), /^\/admin\/login\?next=/);
      await t.http().get('/api/v1/admin/themes').expect(401);
      const noToken = await admin.put('/api/v1/admin/themes').send({ active: 'tea-house' }).expect(403);
      assert.equal(noToken.body.code, 'csrf_failed');
      await admin.post('/admin/themes/activate').type('form').send({ name: 'tea-house' }).expect(403);
      assert.ok((await html('/')).includes('/themes/default/'));
    });

    it('lists installed themes with version, parent, screenshot and check result, and the active theme\'s settings', async () => {
      const res = await admin.get('/api/v1/admin/themes').expect(200);
      assert.equal(res.body.active, 'default');
      const tea = res.body.themes.find((x: { name: string }) => x.name === 'tea-house');
      assert.deepEqual({ ...tea, description: undefined }, {
        name: 'tea-house', version: '1.0.0', parent: 'default', description: undefined, active: false,
        screenshot: '/admin/themes/tea-house/screenshot.png', check: { ok: true, errors: 0, warnings: 0 },
      });
      assert.deepEqual(res.body.themes.find((x: { name: string }) => x.name === 'fx-broken').check, { ok: false, errors: 11, warnings: 9 });
      assert.equal(res.body.settings.theme, 'default');
      assert.equal(res.body.settings.specs.primaryColor.type, 'color');
      assert.equal(res.body.settings.values.primaryColor, '#ee0a24');

      const page = await admin.get('/admin/themes').set('accept', 'text/html').expect(200);
      for (const s of ['主题', 'tea-house', 'default', '使用中', 'name="primaryColor"', 'type="color"', 'type="checkbox" id="setting-showSales"', '/admin/themes/tea-house/screenshot.png', '/admin/assets/admin.css']) {
        assert.ok(page.text.includes(s), `page shows ${s}`);
      }
      const shot = await admin.get('/admin/themes/tea-house/screenshot.png').expect(200);
      assert.equal(shot.headers['content-type'], 'image/png');
      await admin.get('/admin/themes/fx-child/screenshot.png').set('accept', 'text/html').expect(404);
      const report = await admin.get('/admin/themes?report=fx-broken').set('accept', 'text/html').expect(200);
      assert.match(report.text, /THEME-MANIFEST-003/);
      const en = await admin.get('/admin/themes?lang=en').set('accept', 'text/html').expect(200);
      assert.match(en.text, /Installed themes/);
      await admin.get('/admin/themes?lang=zh-CN').set('accept', 'text/html').expect(200);
    });

    it('saves the settings form (only values that differ from the defaults) and the storefront uses them at once', async () => {
      const form = {
        _csrf: csrf, brandName: '测试茶铺', tagline: '', primaryColor: '#123456', accentColor: '#FF8917', logo: '', homeBanners: '',
      }; // showSales unticked → false
      const saved = await admin.post('/admin/themes/settings').type('form').set('accept', 'text/html').send(form).expect(303);
      assert.equal(saved.headers.location, '/admin/themes?ok=saved');
      const row = await t.ds.getRepository(Setting).findOneByOrFail({ key: 'theme.settings.default' });
      assert.deepEqual(JSON.parse(row.value), { brandName: '测试茶铺', primaryColor: '#123456', showSales: false });
      const home = await html('/');
      assert.ok(home.includes('测试茶铺') && home.includes('--primary: #123456'));
      const flash = await admin.get('/admin/themes?ok=saved').set('accept', 'text/html').expect(200);
      assert.match(flash.text, /主题设置已保存/);
      assert.match(flash.text, /value="测试茶铺"/);

      const bad = await admin.post('/admin/themes/settings').type('form').set('accept', 'text/html').send({ ...form, primaryColor: 'red', logo: 'javascript:alert(1)' }).expect(400);
      assert.match(bad.text, /请填写 #rrggbb 格式的颜色/);
      assert.match(bad.text, /请填写以 https:\/\/ 或 \/ 开头的图片地址/);
      assert.deepEqual(JSON.parse((await t.ds.getRepository(Setting).findOneByOrFail({ key: 'theme.settings.default' })).value).primaryColor, '#123456');
    });

    it('PUT saves settings by JSON, checked by type', async () => {
      const ok = await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ settings: { brandName: 'API 茶铺', showSales: true } }).expect(200);
      assert.equal(ok.body.settings.values.brandName, 'API 茶铺');
      assert.equal(ok.body.settings.values.primaryColor, '#123456', 'other saved values are kept');
      assert.ok((await html('/')).includes('API 茶铺'));
      const wrongType = await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ settings: { showSales: 'yes' } }).expect(400);
      assert.equal(wrongType.body.code, 'invalid_setting');
      assert.equal(wrongType.body.field, 'settings.showSales');
      const unknown = await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ settings: { nope: 1 } }).expect(400);
      assert.equal(unknown.body.field, 'settings.nope');
      await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ theme: 'x' }).expect(400);

      const both = await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ active: 'tea-house', settings: { sealText: '山', headingStyle: 'sans' } }).expect(200);
      assert.equal(both.body.active, 'tea-house');
      assert.equal(both.body.settings.values.headingStyle, 'sans');
      const tea = await html('/');
      assert.ok(tea.includes('<span class="th-seal" aria-hidden="true">山</span>'));
      assert.ok(tea.includes('--th-heading: var(--font);'));
      await admin.put('/api/v1/admin/themes').set('x-csrf-token', csrf).send({ settings: { headingStyle: 'comic' } }).expect(400);
      await activate('default');
    });
  });
});
