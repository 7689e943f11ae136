import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, createShipping, type TestApp } from '../support/test-app.js';
import { CatalogService } from '../../core/catalog/catalog.service.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { art, DOCS_SCREENSHOT_DIR, launchChromium, PHONE, SCREENSHOT_DIR, SHAPES, watchErrors } from '../support/browser.js';

const OUT = SCREENSHOT_DIR;
const DOCS = DOCS_SCREENSHOT_DIR;


/**
 * The whole shopper journey in headless Chromium at phone size: home → product → variant → 立即购买 →
 * sandbox sign-in → checkout with a new address → 提交订单 → sandbox cashier → 确认支付 → paid order.
 * Screenshots of every step go to tests/output/screenshots; a representative set to docs/screenshots.
 */
describe('browser: buy flow in the default theme', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let shotNo = 0;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const slugs = { tee: 'cotton-tee', mug: 'ceramic-mug', tea: 'oolong-gift-box' };

  before(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    mkdirSync(DOCS, { recursive: true });
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    await createShipping(t);
    const catalog = t.get(CatalogService);
    const clothing = await catalog.createCategory({ name: '服饰', slug: 'clothing' });
    const tees = await catalog.createCategory({ name: 'T恤', slug: 'tees', parentId: clothing.id });
    const bags = await catalog.createCategory({ name: '包袋', slug: 'bags', parentId: clothing.id });
    const home = await catalog.createCategory({ name: '家居', slug: 'home-living' });
    const tea = await catalog.createCategory({ name: '茶饮', slug: 'tea' });
    await catalog.createCategory({ name: '零食', slug: 'snacks' });
    const products = [
      {
        slug: slugs.tee, title: '纯棉短袖T恤 男女同款 宽松圆领打底衫', subtitle: '新疆长绒棉 · 亲肤透气不起球', categoryId: tees.id, isFeatured: true, sales: 1286,
        images: [art('#f6e8de', '#ffffff', SHAPES.tee), art('#2f3542', '#f1f2f6', SHAPES.tee), art('#dfe9f5', '#7a9cc6', SHAPES.tee)],
        descriptionHtml: '<p>精选<strong>新疆长绒棉</strong>，230g 重磅面料，挺括有型，洗后不变形。</p><p>尺码：M 适合 160-170cm，L 适合 170-178cm，XL 适合 178-185cm。</p>',
        specNames: ['颜色', '尺码'],
        variants: [
          { specValues: ['白色', 'M'], price: 5900, originalPrice: 7900, stock: 20 },
          { specValues: ['白色', 'L'], price: 5900, originalPrice: 7900, stock: 12 },
          { specValues: ['白色', 'XL'], price: 6500, originalPrice: 8500, stock: 0 },
          { specValues: ['黑色', 'M'], price: 5900, originalPrice: 7900, stock: 8 },
          { specValues: ['黑色', 'L'], price: 5900, originalPrice: 7900, stock: 3 },
          { specValues: ['雾蓝', 'L'], price: 6900, originalPrice: 8900, stock: 6 },
        ],
      },
      { slug: slugs.mug, title: '手冲陶瓷马克杯 350ml 哑光釉', subtitle: '可进微波炉 · 送木质杯垫', categoryId: home.id, isFeatured: true, sales: 642, images: [art('#e9f3ec', '#5c9e74', SHAPES.mug)], specNames: [], variants: [{ specValues: [], price: 3900, originalPrice: 4900, stock: 50 }] },
      { slug: slugs.tea, title: '高山乌龙茶 礼盒装 250g', subtitle: '台湾阿里山 · 清香型', categoryId: tea.id, isFeatured: true, sales: 318, images: [art('#f3efe4', '#b0894f', SHAPES.tin)], specNames: [], variants: [{ specValues: [], price: 12800, originalPrice: 16800, stock: 30 }] },
      { slug: 'canvas-tote', title: '加厚帆布托特包 大容量通勤', subtitle: '12 安帆布 · 内置拉链袋', categoryId: bags.id, isFeatured: true, sales: 205, images: [art('#efe9f6', '#8e74b8', SHAPES.bag)], specNames: ['颜色'], variants: [{ specValues: ['米白'], price: 8900, stock: 15 }, { specValues: ['墨绿'], price: 8900, stock: 9 }] },
      { slug: 'cold-brew', title: '冷萃咖啡液 25ml×12 条', subtitle: '0 糖 0 脂 · 冷热皆宜', categoryId: tea.id, sales: 1530, images: [art('#f5ebe3', '#6f4a35', SHAPES.bottle)], specNames: [], variants: [{ specValues: [], price: 4500, originalPrice: 5900, stock: 0 }] },
      { slug: 'latex-pillow', title: '天然乳胶枕 护颈助眠 成人单只装', subtitle: '泰国进口乳胶 · 透气抑菌', categoryId: home.id, sales: 97, images: [art('#e6eef6', '#ffffff', SHAPES.pillow)], specNames: [], variants: [{ specValues: [], price: 19900, originalPrice: 29900, stock: 18 }] },
    ];
    for (const p of products) {
      const created = await catalog.createProduct({ ...p, isListed: true });
      await t.ds.getRepository(Product).update({ id: created.id }, { salesCount: p.sales });
    }
    catalog.invalidate();

    browser = await launchChromium();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    watchErrors(page, pageErrors, consoleErrors);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Saves a full-page shot and a phone-screen shot; `docs` also copies the screen shot to docs/screenshots/default-<docs>.png. */
  async function shot(name: string, docs?: string): Promise<void> {
    await page.evaluate(() => document.fonts.ready);
    const prefix = join(OUT, `${String(++shotNo).padStart(2, '0')}-${name}`);
    await page.screenshot({ path: `${prefix}.png`, fullPage: true, animations: 'disabled' });
    await page.screenshot({ path: `${prefix}-screen.png`, animations: 'disabled' });
    if (docs) copyFileSync(`${prefix}-screen.png`, join(DOCS, `default-${docs}.png`));
  }

  /** Runs one step of the journey; a failure names the step, the URL, a screenshot and any script errors. */
  async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      assert.deepEqual(pageErrors, [], 'no script errors on the page');
      return result;
    } catch (err) {
      const file = join(OUT, `FAILED-${name.replace(/[^\w-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      const extra = [pageErrors.length ? `script errors: ${pageErrors.join(' | ')}` : '', consoleErrors.length ? `console errors: ${consoleErrors.join(' | ')}` : ''].filter(Boolean).join('; ');
      throw new Error(`buy flow step "${name}" failed at ${page.url()}: ${(err as Error).message}\n  screenshot: ${file}${extra ? `\n  ${extra}` : ''}`);
    }
  }

  async function text(selector: string): Promise<string> {
    return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async function noHorizontalOverflow(): Promise<void> {
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px viewport`);
  }

  it('buys a T-shirt: home → product → variant → 立即购买 → sign in → checkout → sandbox pay → 待发货', async () => {
    await step('open the home page', async () => {
      await page.goto(`${base}/`);
      await page.locator('.product-card').first().waitFor();
      assert.equal(await text('.home-brand-name'), '微商城');
      assert.ok((await page.locator('.cat-grid-item').count()) >= 4, 'category grid');
      assert.ok((await text('.product-grid')).includes('纯棉短袖T恤'), 'featured product card');
      await noHorizontalOverflow();
      await shot('home', 'home');
    });

    await step('browse a category', async () => {
      await page.goto(`${base}/categories`);
      await page.locator('.categories-side-item').first().waitFor();
      await shot('categories', 'categories');
      await page.locator('.categories-side-item', { hasText: '茶饮' }).click();
      await page.locator('[data-cat-panel]:not([hidden]) .categories-hero', { hasText: '茶饮' }).waitFor();
      await page.goto(`${base}/category/clothing`);
      assert.ok((await text('.list-title')).includes('服饰'));
      await page.locator('.sort-tab', { hasText: '销量' }).click();
      await page.waitForURL(/sort=sales/);
      assert.equal(await text('.sort-tab.is-active'), '销量');
      await noHorizontalOverflow();
      await shot('category', 'category');
    });

    await step('open the product from the home page', async () => {
      await page.goto(`${base}/`);
      await page.locator(`.product-card[href="/products/${slugs.tee}"]`).first().click();
      await page.waitForURL(`**/products/${slugs.tee}`);
      assert.ok((await text('.product-title')).includes('纯棉短袖T恤'));
      assert.equal(await text('.product-price-row .price'), '¥59.00');
      await noHorizontalOverflow();
      await shot('product', 'product');
    });

    await step('choose a variant in the spec sheet', async () => {
      await page.locator('.product-bar [data-open-sku="buy"]').click();
      const sheet = page.locator('#sku-sheet');
      await sheet.waitFor({ state: 'visible' });
      await sheet.locator('[data-spec-value="白色"]').click();
      assert.ok(await sheet.locator('[data-spec-value="XL"]').evaluate((el) => el.classList.contains('is-disabled')), '白色 / XL has no stock and is disabled');
      await sheet.locator('[data-spec-value="黑色"]').click();
      await sheet.locator('[data-spec-value="L"]').click();
      assert.equal(await text('#sku-sheet [data-sku-price]'), '¥59.00');
      assert.equal(await text('#sku-sheet [data-sku-stock]'), '库存 3 件');
      await sheet.locator('[data-step="1"]').click();
      await sheet.locator('[data-step="1"]').click();
      assert.equal(await sheet.locator('[data-qty]').inputValue(), '3');
      assert.ok(await sheet.locator('[data-step="1"]').isDisabled(), 'quantity is capped by the stock of 3');
      await sheet.locator('[data-step="-1"]').click();
      await sheet.locator('[data-spec-value="白色"]').click();
      await sheet.locator('[data-spec-value="M"]').click();
      assert.equal(await text('#sku-sheet [data-sku-selected]'), '已选：白色 / M');
      assert.equal(await sheet.locator('[data-qty]').inputValue(), '2');
      await shot('product-spec-sheet', 'product-sku');
    });

    await step('立即购买 sends a signed-out shopper to sign in', async () => {
      await page.locator('#sku-sheet [data-sku-confirm="buy"]').click();
      await page.waitForURL(/\/sign-in\?next=/);
      assert.ok(decodeURIComponent(page.url()).includes('/checkout?variantId='), 'next keeps the buy-now checkout');
      await shot('sign-in', 'sign-in');
    });

    await step('sandbox sign-in returns to checkout', async () => {
      await page.locator('input[name="nickname"]').fill('微信用户小林');
      await page.locator('[data-sign-in-form] button[type="submit"]').click();
      await page.waitForURL(/\/checkout\?variantId=\d+&quantity=2/);
      await page.locator('.address-new [data-address-form]').waitFor();
      await shot('checkout-no-address');
    });

    await step('add an address at checkout (a bad phone number is refused first)', async () => {
      const form = page.locator('.address-new [data-address-form]');
      await form.locator('[name="recipientName"]').fill('林小姐');
      await form.locator('[name="phone"]').fill('1380013');
      await form.locator('[name="province"]').fill('浙江省');
      await form.locator('[name="city"]').fill('杭州市');
      await form.locator('[name="district"]').fill('西湖区');
      await form.locator('[name="detail"]').fill('文三路 100 号 2 幢 301 室');
      await form.locator('button[type="submit"]').click();
      await form.locator('[data-error-for="phone"]', { hasText: '请输入正确的 11 位手机号码' }).waitFor();
      await shot('checkout-address-error');
      await form.locator('[name="phone"]').fill('13800138000');
      await form.locator('button[type="submit"]').click();
      await page.locator('.address-pick .address-card').waitFor();
      assert.ok((await text('.address-pick')).includes('林小姐'));
      assert.ok((await text('.breakdown')).includes('¥118.00'), 'items total for 2 × ¥59.00');
      assert.ok((await text('.breakdown')).includes('包邮'), 'free shipping from ¥99');
      await noHorizontalOverflow();
      await shot('checkout');
    });

    let orderNo = '';
    await step('提交订单 opens the sandbox cashier', async () => {
      await page.locator('[data-checkout-note]').fill('请用纸箱包装');
      await page.locator('[data-checkout-submit]').click();
      await page.waitForURL(/\/payments\/sandbox\/[\w-]+$/);
      orderNo = (await page.locator('[data-page="sandbox-pay"]').getAttribute('data-order-no')) ?? '';
      assert.match(orderNo, /^\d{22}$/);
      assert.equal(await text('.pay-amount'), '¥118.00');
      assert.ok((await text('.pay-notice')).includes('沙箱支付 — 不会真实扣款'));
      await shot('sandbox-pay', 'sandbox-pay');
    });

    await step('确认支付 shows the paid order as 待发货', async () => {
      await page.locator('[data-pay-confirm]').click();
      await page.waitForURL(new RegExp(`/orders/${orderNo}$`));
      assert.equal(await text('.status-banner-title'), '待发货');
      const info = await text('.info-list');
      assert.ok(info.includes(orderNo) && info.includes('付款时间') && info.includes('请用纸箱包装'));
      assert.ok((await text('.order-lines')).includes('白色 / M'));
      await noHorizontalOverflow();
      await shot('order-paid', 'order');
    });
  });

  it('cart, member centre and order list work for the signed-in shopper', async () => {
    await step('add two products to the cart', async () => {
      await page.goto(`${base}/products/${slugs.mug}`);
      await page.locator('.product-bar [data-open-sku="cart"]').click();
      await page.locator('#sku-sheet [data-step="1"]').click();
      await page.locator('#sku-sheet [data-sku-confirm="cart"]').click();
      await page.locator('#toast', { hasText: '已加入购物车' }).waitFor();
      assert.equal(await text('.product-bar [data-cart-badge]'), '2');
      await page.goto(`${base}/products/${slugs.tea}`);
      await page.locator('.product-bar [data-open-sku="cart"]').click();
      await page.locator('#sku-sheet [data-sku-confirm="cart"]').click();
      await page.locator('#toast', { hasText: '已加入购物车' }).waitFor();
    });

    await step('the cart selects lines, changes quantities and totals', async () => {
      await page.goto(`${base}/cart`);
      await page.locator('.cart-line').first().waitFor();
      assert.equal(await page.locator('.cart-line').count(), 2);
      assert.equal(await text('[data-cart-total]'), '¥206.00', '2 × ¥39.00 + ¥128.00');
      const tea = page.locator('.cart-line', { hasText: '乌龙茶' });
      await tea.locator('[data-line-check]').click();
      await page.locator('[data-cart-checkout]', { hasText: '结算(2)' }).waitFor();
      assert.equal(await text('[data-cart-total]'), '¥78.00');
      await tea.locator('[data-line-check]').click();
      await page.locator('[data-cart-checkout]', { hasText: '结算(3)' }).waitFor();
      const mug = page.locator('.cart-line', { hasText: '马克杯' });
      await mug.locator('[data-step="1"]').click();
      await page.locator('[data-cart-checkout]', { hasText: '结算(4)' }).waitFor();
      assert.equal(await text('[data-cart-total]'), '¥245.00');
      await noHorizontalOverflow();
      await shot('cart', 'cart');
    });

    await step('结算 opens checkout for the selected lines', async () => {
      await page.locator('[data-cart-checkout]').click();
      await page.waitForURL(/\/checkout$/);
      assert.ok((await text('.address-pick')).includes('林小姐'), 'the saved address is used');
      assert.ok((await text('.breakdown')).includes('¥245.00'));
      await shot('checkout-from-cart', 'checkout');
    });

    await step('an unpaid order counts down and can be cancelled', async () => {
      await page.locator('[data-checkout-submit]').click();
      await page.waitForURL(/\/payments\/sandbox\//);
      await page.locator('[data-pay-cancel]').click();
      await page.waitForURL(/\/orders\/\d{22}$/);
      assert.equal(await text('.status-banner-title'), '待付款');
      await page.locator('[data-countdown]', { hasText: /剩余 \d+:\d\d(:\d\d)? 自动关闭/ }).waitFor();
      assert.equal(await page.locator('.cart-line').count(), 0);
      await shot('order-pending', 'order-pending');
      await page.locator('.order-bar [data-order-action="cancel"]').click();
      await page.locator('#dialog [data-dialog-ok]').click();
      await page.locator('.status-banner-title', { hasText: '已关闭' }).waitFor();
      assert.equal(await text('.status-banner-desc'), '您已取消订单');
      await shot('order-cancelled');
    });

    await step('member centre', async () => {
      await page.goto(`${base}/member`);
      assert.equal(await text('.member-name'), '微信用户小林');
      assert.ok((await text('.shortcut-grid')).includes('待发货'));
      assert.equal(await text('.shortcut[href="/orders?status=paid"] .badge'), '1');
      await noHorizontalOverflow();
      await shot('member', 'member');
    });

    await step('order list', async () => {
      await page.goto(`${base}/orders`);
      await page.locator('.order-card').first().waitFor();
      assert.ok((await text('.order-list')).includes('待发货'), 'the paid order is listed as 待发货');
      assert.ok((await text('.order-list')).includes('已关闭'), 'the cancelled order is listed as 已关闭');
      await shot('orders', 'orders');
    });

    await step('address book', async () => {
      await page.goto(`${base}/member/addresses`);
      await page.locator('.address-item').first().waitFor();
      assert.ok((await text('.address-item')).includes('林小姐'));
      await page.locator('[data-address-add]').click();
      await page.locator('#address-sheet').waitFor({ state: 'visible' });
      await shot('addresses-add');
      await page.locator('#address-sheet [data-sheet-close]').first().click();
    });
  });

  it('English pages and the error page', async () => {
    await step('English product page', async () => {
      await page.goto(`${base}/?lang=en`);
      assert.ok((await text('.home-section .section-title')).length > 0);
      assert.ok((await text('.tabbar')).includes('Home'));
      await shot('home-en', 'home-en');
      await page.goto(`${base}/products/${slugs.tee}`);
      assert.ok((await text('.product-bar')).includes('Add to cart'), 'the language is remembered');
      await shot('product-en', 'product-en');
      await page.goto(`${base}/?lang=zh-CN`);
    });

    await step('404 page', async () => {
      const res = await page.goto(`${base}/products/no-such-product`);
      assert.equal(res?.status(), 404);
      assert.equal(await text('.empty-state-title'), '商品不存在或已下架');
      await shot('not-found');
    });

    await step('no horizontal overflow at 375px and 414px', async () => {
      for (const width of [375, 414]) {
        await page.setViewportSize({ width, height: 812 });
        for (const path of ['/', '/categories', '/category/clothing', `/products/${slugs.tee}`, '/cart', '/checkout', '/orders', '/member', '/member/addresses', '/search?q=%E8%8C%B6']) {
          await page.goto(`${base}${path}`);
          await noHorizontalOverflow().catch((err: Error) => { throw new Error(`${path} at ${width}px: ${err.message}`); });
        }
      }
      await page.setViewportSize({ width: 390, height: 844 });
    });

    assert.deepEqual(consoleErrors.filter((e) => !/status of 404/.test(e)), [], 'no console errors');
  });
});
