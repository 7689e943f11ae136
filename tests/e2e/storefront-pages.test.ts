import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../support/test-app.js';
import { CatalogService } from '../../core/catalog/catalog.service.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { SlotRegistry, KNOWN_SLOTS } from '../../core/theme/slot-registry.js';

const XSS_TITLE = '<script>alert("x")</script>坏标题';

/** Every storefront page of the default theme renders, escapes shop data and places the known slots. */
describe('storefront pages (default theme)', () => {
  let t: TestApp;
  let buyer: MemberAgent;
  let shirt: { id: number; slug: string; variantIds: number[] };
  let xss: { id: number; slug: string; variantIds: number[] };
  let paidOrderNo: string;
  let pendingOrderNo: string;
  let paymentNo: string;
  const categorySlug = 'clothing';

  before(async () => {
    t = await startTestApp();
    // Every known slot gets a marker, so the test can see where the theme places them.
    const slots = t.get(SlotRegistry);
    for (const slot of KNOWN_SLOTS) slots.add({ pluginId: 'probe', slot, template: `<i class="probe">SLOT[${slot}]{{slot.n}}</i>`, load: () => ({ n: '' }) });
    await createShipping(t);
    const catalog = t.get(CatalogService);
    const clothing = await catalog.createCategory({ name: '服饰', slug: categorySlug });
    await catalog.createCategory({ name: 'T恤', slug: 'tees', parentId: clothing.id });
    await catalog.createCategory({ name: '家居', slug: 'home-goods' });
    shirt = await createProduct(t, {
      title: '纯棉短袖T恤', subtitle: '亲肤透气', slug: 'cotton-tee', categoryId: clothing.id, isFeatured: true,
      descriptionHtml: '<p>面料<strong>100%棉</strong></p><script>alert(1)</script>',
      specNames: ['颜色', '尺码'],
      variants: [
        { specValues: ['白色', 'M'], price: 5900, originalPrice: 7900, stock: 5 },
        { specValues: ['黑色', 'L'], price: 6900, stock: 0 },
      ],
    });
    xss = await createProduct(t, { title: XSS_TITLE, subtitle: '<img src=x onerror=alert(2)>', slug: 'xss-product', categoryId: clothing.id, variants: [{ specValues: [], price: 4900, stock: 10 }] });
    buyer = await t.signIn('页面买家');
    const addressId = await addAddress(buyer);
    paidOrderNo = await buy(buyer, addressId, [{ variantId: shirt.variantIds[0], quantity: 1 }]);
    const placed = await buyer.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: xss.variantIds[0], quantity: 1 }] }).expect(201);
    pendingOrderNo = placed.body.orderNo;
    paymentNo = (await buyer.agent.post(`/api/v1/orders/${pendingOrderNo}/payments`).send({}).expect(200)).body.paymentNo;
    await buyer.agent.post('/api/v1/cart/items').send({ variantId: shirt.variantIds[0], quantity: 2 }).expect(201);
  });
  after(() => t?.close());

  async function page(path: string, agent?: MemberAgent, status = 200): Promise<string> {
    const res = await (agent ? agent.agent : t.http()).get(path).set('accept', 'text/html');
    assert.equal(res.status, status, `${path} answered ${res.status}: ${String(res.text).slice(0, 300)}`);
    assert.match(String(res.headers['content-type']), /text\/html/, `${path} is HTML`);
    const html = res.text;
    // ("=" in attributes comes out as &#x3D; from Handlebars escaping; browsers read it back as "=")
    assert.ok(/<meta name="viewport"/.test(html), `${path} has a viewport`);
    assert.ok(/\/themes\/default\/assets\/css\/app\.css\?v(=|&#x3D;)[0-9a-f]+/.test(html), `${path} links the hashed stylesheet`);
    assert.ok(/\/themes\/default\/assets\/js\/app\.js\?v(=|&#x3D;)[0-9a-f]+/.test(html), `${path} loads the script`);
    assert.ok(/<script type="application\/json" id="i18n">/.test(html), `${path} exposes locale strings to scripts`);
    // (error pages are rendered synchronously by the exception filter, without slot data)
    if (status < 400) assert.ok(html.includes('SLOT[head]') && html.includes('SLOT[footer]'), `${path} places the head and footer slots`);
    assert.ok(!html.includes('{{'), `${path} has no unrendered handlebars`);
    return html;
  }

  function i18nBlock(html: string): Record<string, string> {
    const m = /<script type="application\/json" id="i18n">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(m, 'i18n block present');
    return JSON.parse(m[1]) as Record<string, string>;
  }

  it('home: brand, search, categories, featured and best sellers, tab bar, slots', async () => {
    const html = await page('/');
    assert.ok(html.includes('微商城'), 'brand name from the theme settings');
    assert.ok(html.includes('action="/search"'), 'search bar');
    assert.ok(html.includes('href="/category/clothing"') && html.includes('服饰'), 'category grid');
    assert.ok(html.includes('为你推荐') && html.includes('热销榜单'), 'featured and best-seller sections');
    assert.ok(html.includes('href="/products/cotton-tee"') && html.includes('纯棉短袖T恤'), 'product card');
    assert.ok(html.includes('¥</span><span class="price-num">59.00'), 'price in yuan from fen');
    assert.ok(html.includes('<s class="price-original">¥79.00</s>'), 'original price struck through');
    for (const label of ['首页', '分类', '购物车', '我的']) assert.ok(html.includes(`<span>${label}</span>`), `tab bar has ${label}`);
    assert.ok(html.includes('SLOT[home.top]') && html.includes('SLOT[home.sections]'), 'home slots');
    assert.ok(html.includes('style="--primary: #ee0a24; --accent: #ff8917;"'), 'brand colours as CSS variables');
    const strings = i18nBlock(html);
    assert.equal(strings['errors.insufficient_stock'], '库存不足，请减少购买数量');
    assert.equal(strings['errors.sign_in_required'], '请先登录');
  });

  it('escapes HTML in product titles everywhere', async () => {
    for (const path of ['/', `/category/${categorySlug}`, '/search?q=%E5%9D%8F', `/products/${xss.slug}`]) {
      const html = await page(path);
      assert.ok(!html.includes('<script>alert("x")</script>'), `${path} must not contain the raw title`);
      assert.ok(!html.includes('<img src=x onerror'), `${path} must not contain the raw subtitle`);
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;坏标题'), `${path} shows the escaped title`);
    }
    const product = await page(`/products/${xss.slug}`);
    assert.ok(product.includes('<title>&lt;script&gt;'), 'escaped in <title>');
    const cart = await page('/orders', buyer);
    assert.ok(!cart.includes('<script>alert("x")</script>') && cart.includes('&lt;script&gt;'), 'escaped in the order list');
  });

  it('categories: left list and right grid', async () => {
    const html = await page('/categories');
    assert.ok(html.includes('data-cat-tab="0"') && html.includes('服饰') && html.includes('家居'), 'top-level list');
    assert.ok(html.includes('href="/category/tees"') && html.includes('T恤'), 'children in the grid');
  });

  it('category and search: grid, sort tabs, counts, empty state', async () => {
    const html = await page(`/category/${categorySlug}?sort=price_asc`);
    assert.ok(html.includes('<h1>服饰</h1>'), 'category name');
    assert.ok(html.includes('共 2 件商品'), 'count');
    for (const label of ['综合', '销量', '价格', '新品']) assert.ok(html.includes(label), `sort tab ${label}`);
    assert.ok(/name="sort" value="price_desc" class="sort-tab sort-tab-price is-active"/.test(html), 'price tab active and toggles to descending');
    assert.ok(html.includes('href="/category/tees"'), 'sub-category chips');
    const found = await page('/search?q=%E7%9F%AD%E8%A2%96');
    assert.ok(found.includes('纯棉短袖T恤') && found.includes('共 1 件商品'));
    assert.ok(found.includes('<input type="hidden" name="q" value="短袖">'), 'sort keeps the keyword');
    const none = await page('/search?q=nothing-like-this');
    assert.ok(none.includes('没有找到相关商品'), 'empty state');
  });

  it('product: gallery, price, specs, variants for the script, sanitized description, actions, slots', async () => {
    const html = await page(`/products/${shirt.slug}`);
    assert.ok(html.includes('<h1 class="product-title">纯棉短袖T恤</h1>'));
    assert.ok(html.includes('亲肤透气'), 'subtitle');
    assert.ok(html.includes('class="gallery-track"'), 'gallery');
    assert.ok(html.includes('data-spec-value="白色"') && html.includes('data-spec-value="L"'), 'spec values');
    assert.ok(html.includes('加入购物车') && html.includes('立即购买'), 'action bar');
    assert.ok(html.includes('<p>面料<strong>100%棉</strong></p>'), 'sanitized description is rendered as HTML');
    assert.ok(!html.includes('<script>alert(1)</script>'), 'description scripts were removed on write');
    const variants = JSON.parse(/<script type="application\/json" id="product-variants">([\s\S]*?)<\/script>/.exec(html)![1]) as Array<{ id: number; stock: number }>;
    assert.deepEqual(variants.map((v) => v.id), shirt.variantIds);
    assert.deepEqual(variants.map((v) => v.stock), [4, 0], 'stock after the paid order');
    for (const slot of ['product.price', 'product.actions', 'product.after-description']) assert.ok(html.includes(`SLOT[${slot}]`), slot);
  });

  it('unknown product: themed 404 page for browsers, JSON for the API', async () => {
    const html = await page('/products/no-such-thing', undefined, 404);
    assert.ok(html.includes('商品不存在或已下架'), 'themed message');
    assert.ok(html.includes('product_not_found'), 'error code shown');
    assert.ok(html.includes('href="/"'), 'a way back home');
    const api = await t.http().get('/api/v1/products/no-such-thing').set('accept', 'text/html,application/json').expect(404);
    assert.equal(api.body.code, 'product_not_found');
    const route = await page('/no/such/page', undefined, 404);
    assert.ok(route.includes('页面不存在'));
  });

  it('signed-out visitors are sent to sign in (with next) for member pages', async () => {
    for (const path of ['/cart', '/checkout', '/orders', '/member', '/member/addresses', `/orders/${paidOrderNo}`]) {
      const res = await t.http().get(path).set('accept', 'text/html');
      assert.equal(res.status, 302, path);
      assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(path)}`);
    }
    const html = await page('/sign-in?next=%2Fcart');
    assert.ok(html.includes('data-next="/cart"') && html.includes('沙箱登录') && html.includes('name="nickname"'));
    const evil = await page('/sign-in?next=%2F%2Fevil.example');
    assert.ok(evil.includes('data-next="/"'), 'no open redirect');
  });

  it('cart: lines, selection, steppers, total and checkout button', async () => {
    const html = await page('/cart', buyer);
    assert.ok(html.includes('纯棉短袖T恤') && html.includes('白色 / M'));
    assert.ok(html.includes('data-line-check') && html.includes('data-stepper') && html.includes('data-line-remove'));
    assert.ok(html.includes('¥</span><span class="price-num">118.00'), 'selected total');
    assert.ok(html.includes('结算(2)'));
    assert.ok(html.includes('SLOT[cart.summary]'));
  });

  it('cart: lines that can no longer be bought are shown and cannot be selected', async () => {
    const gone = await createProduct(t, { title: '即将下架的商品' });
    const sold = await createProduct(t, { title: '库存紧张的商品', variants: [{ specValues: [], price: 1000, stock: 1 }] });
    const m = await t.signIn('问题购物车');
    await m.agent.post('/api/v1/cart/items').send({ variantId: gone.variantIds[0], quantity: 1 }).expect(201);
    await m.agent.post('/api/v1/cart/items').send({ variantId: sold.variantIds[0], quantity: 1 }).expect(201);
    await t.get(CatalogService).setListed(gone.id, false);
    await t.ds.getRepository(ProductVariant).update({ id: sold.variantIds[0] }, { stock: 0 });
    const html = await page('/cart', m);
    assert.ok(html.includes('商品已下架') && html.includes('已售罄'), 'problems shown');
    assert.equal((html.match(/data-line-check role="checkbox" aria-checked="false" aria-label="[^"]*" disabled/g) ?? []).length, 2, 'both lines unselectable');
    assert.ok(html.includes('结算(0)'));
  });

  it('checkout: address, lines, breakdown with free shipping, submit', async () => {
    const html = await page('/checkout', buyer);
    assert.ok(html.includes('张三') && html.includes('13800138000') && html.includes('文三路'), 'default address');
    assert.ok(html.includes('商品金额') && html.includes('¥118.00'), 'items total');
    assert.ok(html.includes('包邮'), 'free shipping from ¥99');
    assert.ok(html.includes('提交订单'));
    assert.ok(html.includes('SLOT[checkout.summary]'));
    const buyNow = await page(`/checkout?variantId=${xss.variantIds[0]}&quantity=1`, buyer);
    assert.ok(buyNow.includes(`{"variantId":${xss.variantIds[0]},"quantity":1}`), 'buy-now items for the script');
    assert.ok(buyNow.includes('+¥8.00'), 'shipping fee below the free threshold');
    const fresh = await t.signIn('没有地址的人');
    const emptyCart = await page('/checkout', fresh);
    assert.ok(emptyCart.includes('暂时无法下单'), 'problem shown');
    assert.ok(/data-checkout-submit[^>]* disabled/.test(emptyCart), 'submit disabled');
    const noAddress = await page(`/checkout?variantId=${shirt.variantIds[0]}&quantity=1`, fresh);
    assert.ok(noAddress.includes('data-address-form') && noAddress.includes('手机号码'), 'inline address form');
  });

  it('orders, order detail, sandbox cashier', async () => {
    const list = await page('/orders', buyer);
    assert.ok(list.includes(paidOrderNo) && list.includes(pendingOrderNo));
    assert.ok(list.includes('待发货') && list.includes('待付款'), 'status labels');
    assert.ok(list.includes('去支付') && list.includes('取消订单'), 'actions');
    const paid = await page('/orders?status=paid', buyer);
    assert.ok(paid.includes(paidOrderNo) && !paid.includes(`data-order-no="${pendingOrderNo}"`));
    const detail = await page(`/orders/${paidOrderNo}`, buyer);
    assert.ok(detail.includes('<h1 class="status-banner-title">待发货</h1>'));
    assert.ok(detail.includes(paidOrderNo) && detail.includes('下单时间') && detail.includes('付款时间'));
    assert.ok(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(detail), 'dates formatted');
    assert.ok(detail.includes('SLOT[order.detail]'));
    const pending = await page(`/orders/${pendingOrderNo}`, buyer);
    assert.ok(/data-deadline="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00"/.test(pending), 'countdown deadline');
    assert.ok(pending.includes('data-order-action="pay"') && pending.includes('data-order-action="cancel"'));
    const cashier = await page(`/payments/sandbox/${paymentNo}`, buyer);
    assert.ok(cashier.includes('沙箱支付 — 不会真实扣款') && cashier.includes('确认支付') && cashier.includes('¥</span>57.00'));
    const stranger = await t.signIn('路人');
    await page(`/orders/${paidOrderNo}`, stranger, 404);
  });

  it('member centre and addresses', async () => {
    const html = await page('/member', buyer);
    assert.ok(html.includes('页面买家'), 'nickname');
    assert.ok(html.includes('href="/orders?status=pending_payment"') && html.includes('<em class="badge">1</em>'), 'order shortcuts with counts');
    assert.ok(html.includes('收货地址') && html.includes('退出登录') && html.includes('?lang=en'));
    assert.ok(html.includes('SLOT[member.menu]'));
    const addresses = await page('/member/addresses', buyer);
    assert.ok(addresses.includes('张三') && addresses.includes('默认地址') && addresses.includes('新增收货地址'));
  });

  it('English locale by ?lang=en, remembered in a cookie', async () => {
    const res = await t.http().get(`/products/${shirt.slug}?lang=en`).set('accept', 'text/html').expect(200);
    assert.ok(res.text.includes('<html lang="en"'));
    assert.ok(res.text.includes('Add to cart') && res.text.includes('Buy now'));
    assert.match(String(res.headers['set-cookie']), /mall_lang=en/);
    const strings = i18nBlock(res.text);
    assert.equal(strings['errors.sign_in_required'], 'Please sign in first');
    const home = await t.http().get('/').set('cookie', 'mall_lang=en').expect(200);
    assert.ok(home.text.includes('Best sellers'));
  });
});
