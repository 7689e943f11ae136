import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, createShipping, type TestApp } from '../support/test-app.js';
import { CatalogService } from '../../core/catalog/catalog.service.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { OrderService } from '../../core/order/order.service.js';
import { art, DOCS_SCREENSHOT_DIR, launchChromium, PHONE, SCREENSHOT_DIR, SHAPES, watchErrors } from '../support/browser.js';
import { PluginSettingsStore } from '../../core/plugin/plugin-settings.store.js';
import { CommissionService } from '../../plugins/distribution/services/commission.service.js';

const OUT = SCREENSHOT_DIR;
const DOCS = DOCS_SCREENSHOT_DIR;


/**
 * The distribution journey at phone size in headless Chromium: A applies in the 推广中心, picks
 * products, opens the poster; B opens A's sub-shop link in a fresh browser, signs in, buys through the
 * sandbox; A's centre shows the frozen commission, the team and the commission line; after the refund
 * window A withdraws. Screenshots go to tests/output/screenshots (dist-*) and a set to docs/screenshots.
 */
describe('browser: social distribution (推广中心 → 小店 → 海报 → 下单 → 佣金 → 提现)', () => {
  let t: TestApp;
  let browser: Browser;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let base = '';
  let dir = '';
  let shotNo = 0;
  let code = '';
  let orderNo = '';
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const slugs = { tee: 'cotton-tee', mug: 'ceramic-mug', tea: 'oolong-gift-box', tote: 'canvas-tote', brew: 'cold-brew', pillow: 'latex-pillow' };

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    mkdirSync(DOCS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'mall-dist-browser-'));
    const configFile = join(dir, 'mall.config.json');
    writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode: 'single', withdrawMin: 100, withdrawFeeBp: 100, withdrawDailyLimit: 500000, refundWindowDays: 7 } } } }));
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-single', MALL_CONFIG: configFile, MEDIA_DIR: join(dir, 'media') } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    await createShipping(t);
    const catalog = t.get(CatalogService);
    const products = [
      { slug: slugs.tea, title: '高山乌龙茶 礼盒装 250g', subtitle: '台湾阿里山 · 清香型', sales: 318, images: [art('#f3efe4', '#b0894f', SHAPES.tin)], specNames: [], variants: [{ specValues: [], price: 12800, originalPrice: 16800, stock: 30 }] },
      { slug: slugs.tee, title: '纯棉短袖T恤 男女同款 宽松圆领打底衫', subtitle: '新疆长绒棉 · 亲肤透气不起球', sales: 1286, images: [art('#f6e8de', '#ffffff', SHAPES.tee)], specNames: ['颜色'], variants: [{ specValues: ['白色'], price: 5900, originalPrice: 7900, stock: 20 }, { specValues: ['雾蓝'], price: 6900, originalPrice: 8900, stock: 6 }] },
      { slug: slugs.mug, title: '手冲陶瓷马克杯 350ml 哑光釉', subtitle: '可进微波炉 · 送木质杯垫', sales: 642, images: [art('#e9f3ec', '#5c9e74', SHAPES.mug)], specNames: [], variants: [{ specValues: [], price: 3900, originalPrice: 4900, stock: 50 }] },
      { slug: slugs.tote, title: '加厚帆布托特包 大容量通勤', subtitle: '12 安帆布 · 内置拉链袋', sales: 205, images: [art('#efe9f6', '#8e74b8', SHAPES.bag)], specNames: [], variants: [{ specValues: [], price: 8900, stock: 15 }] },
      { slug: slugs.brew, title: '冷萃咖啡液 25ml×12 条', subtitle: '0 糖 0 脂 · 冷热皆宜', sales: 1530, images: [art('#f5ebe3', '#6f4a35', SHAPES.bottle)], specNames: [], variants: [{ specValues: [], price: 4500, originalPrice: 5900, stock: 40 }] },
      { slug: slugs.pillow, title: '天然乳胶枕 护颈助眠 成人单只装', subtitle: '泰国进口乳胶 · 透气抑菌', sales: 97, images: [art('#e6eef6', '#7a9cc6', SHAPES.pillow)], specNames: [], variants: [{ specValues: [], price: 19900, originalPrice: 29900, stock: 18 }] },
    ];
    const ids: Record<string, number> = {};
    for (const p of products) {
      const created = await catalog.createProduct({ ...p, isListed: true });
      await t.ds.getRepository(Product).update({ id: created.id }, { salesCount: p.sales });
      ids[p.slug] = created.id;
    }
    catalog.invalidate();
    // the brand requires every sub-shop to show its tea gift box
    await t.get(PluginSettingsStore).save('distribution', { requiredProductIds: [ids[slugs.tea]] });

    browser = await launchChromium();
    contextA = await browser.newContext(PHONE);
    contextB = await browser.newContext(PHONE);
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
    for (const page of [pageA, pageB]) watchErrors(page, pageErrors, consoleErrors);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A full-page and a phone-screen shot; `docs` also copies the screen shot to docs/screenshots/distribution-<docs>.png. */
  async function shot(page: Page, name: string, docs?: string): Promise<void> {
    await page.evaluate(() => document.fonts.ready);
    // a toast from the last action would cover the page in the picture
    await page.evaluate(() => document.getElementById('toast')?.setAttribute('hidden', ''));
    const prefix = join(OUT, `dist-${String(++shotNo).padStart(2, '0')}-${name}`);
    await page.screenshot({ path: `${prefix}.png`, fullPage: true, animations: 'disabled' });
    await page.screenshot({ path: `${prefix}-screen.png`, animations: 'disabled' });
    if (docs) copyFileSync(`${prefix}-screen.png`, join(DOCS, `distribution-${docs}.png`));
  }

  async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      assert.deepEqual(pageErrors, [], 'no script errors on the page');
      return result;
    } catch (err) {
      const file = join(OUT, `FAILED-dist-${name.replace(/[^\w-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      const extra = [pageErrors.length ? `script errors: ${pageErrors.join(' | ')}` : '', consoleErrors.length ? `console errors: ${consoleErrors.join(' | ')}` : ''].filter(Boolean).join('; ');
      throw new Error(`distribution step "${name}" failed at ${page.url()}: ${(err as Error).message}\n  screenshot: ${file}${extra ? `\n  ${extra}` : ''}`);
    }
  }

  async function text(page: Page, selector: string): Promise<string> {
    return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async function noHorizontalOverflow(page: Page): Promise<void> {
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px viewport`);
  }

  async function posterLoaded(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-poster-img]');
      return !!img && img.complete && img.naturalWidth === 750;
    }, undefined, { timeout: 20_000 });
  }

  async function signIn(page: Page, nickname: string): Promise<void> {
    await page.locator('input[name="nickname"]').fill(nickname);
    await page.locator('[data-sign-in-form] button[type="submit"]').click();
  }

  it('A becomes a distributor, picks products and opens the poster', async () => {
    await step(pageA, 'A signs in and finds 推广中心 in the member centre', async () => {
      await pageA.goto(`${base}/sign-in?next=/member`);
      await signIn(pageA, '推广员小王');
      await pageA.waitForURL(/\/member$/);
      const entry = pageA.locator('.member-menu a[href="/distribution"]');
      assert.ok((await entry.textContent())?.includes('推广中心'));
      assert.ok((await entry.textContent())?.includes('分享赚佣金'));
      await shot(pageA, 'member-menu', 'member-menu');
      await entry.click();
      await pageA.waitForURL(/\/distribution$/);
      await pageA.locator('[data-apply-form]').waitFor();
      assert.ok((await text(pageA, '.dist-apply-title')).includes('成为推广员'));
      assert.ok((await text(pageA, '[data-rule]')).includes('立即开通'));
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'centre-apply', 'apply');
    });

    await step(pageA, 'A applies (open enrolment) and sees the centre', async () => {
      await pageA.locator('[data-apply-form] input[name="shopName"]').fill('小王的好物小店');
      await pageA.locator('[data-apply-form] [data-apply]').click();
      await pageA.locator('#toast', { hasText: '开通成功' }).waitFor();
      await pageA.locator('[data-earnings]').waitFor();
      assert.equal(await text(pageA, '[data-total-earned]'), '0.00');
      code = (await text(pageA, '.dist-code')).replace('推广码', '').trim();
      assert.match(code, /^[A-Z0-9]{8}$/);
      assert.equal(await text(pageA, '[data-share-link]'), `http://mall.test/shop/${code}`);
      await noHorizontalOverflow(pageA);
    });

    await step(pageA, 'A picks products for the sub-shop', async () => {
      await pageA.goto(`${base}/distribution/shop`);
      const picked = pageA.locator('[data-pick-list="picked"]');
      assert.equal(await picked.locator('.dist-pick').count(), 1, 'the required product only');
      assert.ok((await picked.locator('.dist-pick-lock').textContent())?.includes('必选'));
      await pageA.locator('[data-pick-tab="all"]').click();
      for (const slug of [slugs.tee, slugs.mug, slugs.pillow]) {
        const row = pageA.locator(`[data-pick-list="all"] .dist-pick:has(a[href="/products/${slug}"])`);
        await row.locator('[data-toggle-pick]').click();
        await row.locator('[data-toggle-pick][data-picked="1"]').waitFor();
      }
      assert.equal(await picked.locator('.dist-pick').count(), 4);
      assert.equal(await text(pageA, '[data-pick-count]'), '共 4 件');
      await pageA.locator('[data-pick-search] input[name="q"]').fill('咖啡');
      await pageA.locator('[data-pick-search] button[type="submit"]').click();
      await pageA.locator('[data-pick-list="all"] .dist-pick', { hasText: '冷萃咖啡液' }).waitFor();
      assert.equal(await pageA.locator('[data-pick-list="all"] .dist-pick').count(), 1);
      await pageA.locator('[data-pick-list="all"] [data-toggle-pick]').click();
      await pageA.locator('[data-pick-list="all"] [data-toggle-pick][data-picked="1"]').waitFor();
      assert.equal(await picked.locator('.dist-pick').count(), 5);
      await pageA.locator('[data-pick-tab="picked"]').click();
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'shop-settings', 'shop-settings');
    });

    await step(pageA, 'A renames the shop', async () => {
      await pageA.locator('[data-shop-form] input[name="shopName"]').fill('小王的好物小店 · 精选');
      await pageA.locator('[data-shop-save]').click();
      await pageA.locator('#toast', { hasText: '已保存' }).waitFor();
      assert.equal(await text(pageA, '[data-preview-name]'), '小王的好物小店 · 精选');
    });

    await step(pageA, 'A opens the poster page: shop poster, then a product poster', async () => {
      await pageA.goto(`${base}/distribution`);
      await pageA.locator('.dist-tool[href="/distribution/poster"]').click();
      await pageA.waitForURL(/\/distribution\/poster$/);
      await posterLoaded(pageA);
      assert.equal(await text(pageA, '[data-share-link]'), `http://mall.test/shop/${code}`);
      assert.equal(await pageA.locator('.dist-choice').count(), 6, 'the shop + five products');
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'poster-shop', 'poster-shop');
      await pageA.locator('.dist-choice', { hasText: '纯棉短袖T恤' }).click();
      await pageA.waitForURL(/productId=\d+/);
      await posterLoaded(pageA);
      assert.equal(await text(pageA, '[data-share-link]'), `http://mall.test/products/${slugs.tee}?ref=${code}`);
      assert.ok(await pageA.locator('.dist-choice.is-active', { hasText: '纯棉短袖T恤' }).count());
      await shot(pageA, 'poster-product', 'poster');
    });

    await step(pageA, 'A sees 分享赚 on a product page', async () => {
      await pageA.goto(`${base}/products/${slugs.tea}`);
      const strip = pageA.locator('[data-share-product]');
      await strip.waitFor();
      assert.equal(await text(pageA, '[data-share-estimate]'), '预计赚 ¥12.80', 'L1 10% of ¥128.00');
      await shot(pageA, 'product-share', 'product-share');
      await strip.click();
      await pageA.waitForURL(/\/distribution\/poster\?productId=\d+/);
      await posterLoaded(pageA);
    });
  });

  it('B opens A\'s shop link in a fresh browser, signs in and buys; A earns', async () => {
    await step(pageB, 'B opens the sub-shop', async () => {
      await pageB.goto(`${base}/shop/${code}`);
      await pageB.locator('.product-card').first().waitFor();
      assert.equal(await text(pageB, '.dist-shop-name'), '小王的好物小店 · 精选');
      assert.equal(await pageB.locator('.product-card').count(), 5);
      const hrefs = await pageB.locator('.product-card').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
      assert.ok(hrefs.every((h) => h?.endsWith(`?ref=${code}`)), 'every product link carries the referral');
      assert.equal(hrefs[0], `/products/${slugs.tea}?ref=${code}`, 'the required product first');
      assert.equal(await pageB.locator('.dist-owner-bar').count(), 0);
      const cookies = await contextB.cookies();
      assert.equal(cookies.find((c) => c.name === 'mall_ref')?.value, code, 'the visit is remembered');
      await noHorizontalOverflow(pageB);
      await shot(pageB, 'shop', 'shop');
    });

    await step(pageB, 'B opens a product from the shop and buys it', async () => {
      await pageB.locator(`.product-card[href="/products/${slugs.tea}?ref=${code}"]`).click();
      await pageB.waitForURL(new RegExp(`/products/${slugs.tea}\\?ref=${code}$`));
      assert.equal(await text(pageB, '.product-price-row .price'), '¥128.00', "the brand's price");
      assert.equal(await pageB.locator('[data-share-product]').count(), 0, 'no 分享赚 for shoppers');
      await pageB.locator('.product-bar [data-open-sku="buy"]').click();
      await pageB.locator('#sku-sheet').waitFor({ state: 'visible' });
      await pageB.locator('#sku-sheet [data-sku-confirm="buy"]').click();
      await pageB.waitForURL(/\/sign-in\?next=/);
      await signIn(pageB, '好友小李');
      await pageB.waitForURL(/\/checkout\?variantId=\d+&quantity=1/);
      const form = pageB.locator('.address-new [data-address-form]');
      await form.locator('[name="recipientName"]').fill('李先生');
      await form.locator('[name="phone"]').fill('13900139000');
      await form.locator('[name="province"]').fill('广东省');
      await form.locator('[name="city"]').fill('深圳市');
      await form.locator('[name="district"]').fill('南山区');
      await form.locator('[name="detail"]').fill('科技园南区 8 栋 1203');
      await form.locator('button[type="submit"]').click();
      await pageB.locator('.address-pick .address-card').waitFor();
      await pageB.locator('[data-checkout-submit]').click();
      await pageB.waitForURL(/\/payments\/sandbox\/[\w-]+$/);
      orderNo = (await pageB.locator('[data-page="sandbox-pay"]').getAttribute('data-order-no')) ?? '';
      assert.equal(await text(pageB, '.pay-amount'), '¥128.00');
      await pageB.locator('[data-pay-confirm]').click();
      await pageB.waitForURL(new RegExp(`/orders/${orderNo}$`));
      assert.equal(await text(pageB, '.status-banner-title'), '待发货');
      await t.settle();
    });

    await step(pageA, 'A\'s centre shows the frozen commission', async () => {
      await pageA.goto(`${base}/distribution`);
      assert.equal(await text(pageA, '[data-balance="frozen"] strong'), '12.80');
      assert.equal(await text(pageA, '[data-total-earned]'), '12.80');
      assert.equal(await text(pageA, '[data-balance="available"] strong'), '0.00');
      assert.equal(await text(pageA, '.dist-tool[href="/distribution/team"] .badge'), '1');
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'centre', 'centre');
    });

    await step(pageA, 'A\'s commission list and team', async () => {
      await pageA.locator('.dist-tool[href="/distribution/orders"]').click();
      await pageA.waitForURL(/\/distribution\/orders$/);
      const line = pageA.locator('.dist-commission').first();
      assert.ok((await line.textContent())?.includes(orderNo));
      assert.ok((await line.textContent())?.includes('高山乌龙茶'));
      assert.equal(await text(pageA, '.dist-commission .dist-status'), '冻结中');
      assert.equal(await text(pageA, '.dist-commission [data-amount]'), '+¥12.80');
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'orders', 'orders');
      await pageA.goto(`${base}/distribution/team`);
      assert.equal(await text(pageA, '.dist-member-name'), '好友小李');
      assert.equal(await pageA.locator('[data-level-tab]').count(), 0, 'single-level: one level only');
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'team', 'team');
    });
  });

  it('after the refund window A withdraws with a live fee preview', async () => {
    await step(pageA, 'the order completes and the commission becomes available', async () => {
      await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF1002003004');
      const res = await contextB.request.post(`${base}/api/v1/orders/${orderNo}/confirm-receipt`, { headers: { 'content-type': 'application/json' }, data: {} });
      assert.equal(res.status(), 200);
      await t.settle();
      assert.equal(await t.get(CommissionService).unlockDue(new Date(Date.now() + 8 * 86_400_000)), 1);
    });

    await step(pageA, 'A requests a withdrawal', async () => {
      await pageA.goto(`${base}/distribution/withdraw`);
      assert.equal(await text(pageA, '[data-available]'), '12.80');
      const amount = pageA.locator('[data-withdraw-amount]');
      await amount.fill('1.234');
      await pageA.locator('[data-withdraw-submit]').click();
      assert.equal(await text(pageA, '[data-error-for="amount"]'), '请输入正确的金额，最多两位小数');
      await amount.fill('20');
      assert.equal(await text(pageA, '[data-error-for="amount"]'), '超出可提现金额');
      await amount.fill('10');
      assert.equal(await text(pageA, '[data-withdraw-fee]'), '¥0.10', '1% fee');
      assert.equal(await text(pageA, '[data-withdraw-net]'), '¥9.90');
      assert.equal(await text(pageA, '[data-error-for="amount"]'), '');
      await pageA.locator('[data-withdraw-submit]').click();
      await pageA.locator('#toast', { hasText: '提现申请已提交' }).waitFor();
      await pageA.locator('.dist-withdrawal').first().waitFor();
      assert.equal(await text(pageA, '[data-available]'), '2.80');
      assert.equal(await text(pageA, '.dist-withdrawal .dist-status'), '待审核');
      assert.ok((await text(pageA, '.dist-withdrawal')).includes('手续费 ¥0.10 · 到账 ¥9.90'));
      await pageA.locator('[data-withdraw-all]').click();
      assert.equal(await amount.inputValue(), '2.80');
      assert.equal(await text(pageA, '[data-withdraw-net]'), '¥2.77');
      await noHorizontalOverflow(pageA);
      await shot(pageA, 'withdraw', 'withdraw');
    });

    await step(pageA, 'the centre in English', async () => {
      await pageA.goto(`${base}/distribution?lang=en`);
      assert.ok((await text(pageA, '.dist-earnings-label')).includes('Total earned'));
      await shot(pageA, 'centre-en', 'centre-en');
      await pageA.goto(`${base}/distribution?lang=zh-CN`);
    });

    await step(pageB, 'an unknown shop is a friendly 404', async () => {
      const res = await pageB.goto(`${base}/shop/NOSUCH23`);
      assert.equal(res?.status(), 404);
      assert.equal(await text(pageB, '.empty-state-title'), '这家小店不存在或已关闭');
      await shot(pageB, 'shop-not-found');
    });

    assert.deepEqual(consoleErrors.filter((e) => !/status of 404/.test(e)), [], 'no console errors');
  });
});
