import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAddress, createProduct, createShipping, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { createTestDatabase } from '../../../tests/support/test-db.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { loadConfig } from '../../../core/config/app-config.js';
import { createApp } from '../../../core/app/create-app.js';
import { CatalogService } from '../../../core/catalog/catalog.service.js';
import { PricingPipeline } from '../../../core/pricing/pricing-pipeline.service.js';
import type { PricingContext } from '../../../core/pricing/pricing.types.js';
import { bestTier, nextTier, parseChinaTime, tierLabel, validateSpendAndSave, type SpendAndSaveSettings } from '../spend-and-save.rules.js';

const NO_FILE = '/nonexistent/mall.config.json';
const TIERS = [{ threshold: 19900, discount: 2000 }, { threshold: 29900, discount: 4000 }];
const valid: SpendAndSaveSettings = { tiers: TIERS, categoryIds: [], startsAt: '', endsAt: '' };

describe('spend-and-save rules', () => {
  it('picks the best tier reached, and the next one to aim for', () => {
    assert.equal(bestTier(TIERS, 19899), null);
    assert.deepEqual(bestTier(TIERS, 19900), TIERS[0]);
    assert.deepEqual(bestTier(TIERS, 50000), TIERS[1], 'only the best tier, never both');
    assert.deepEqual(nextTier(TIERS, 10000), TIERS[0]);
    assert.deepEqual(nextTier(TIERS, 20000), TIERS[1]);
    assert.equal(nextTier(TIERS, 30000), null);
    assert.equal(tierLabel({ threshold: 19950, discount: 2000 }), '满199.5减20');
  });

  it('validates tiers, categories and the time window, naming the setting', () => {
    assert.deepEqual(validateSpendAndSave(valid), []);
    assert.match(validateSpendAndSave({ ...valid, tiers: [{ threshold: 19900, discount: 19900 }] }).join(), /tiers\[0\]\.discount \(19900\) must be less than its threshold \(19900\)/);
    assert.match(validateSpendAndSave({ ...valid, tiers: [] }).join(), /tiers must be a non-empty list/);
    assert.match(validateSpendAndSave({ ...valid, tiers: [{ threshold: 100.5, discount: 1 }] }).join(), /tiers\[0\]\.threshold/);
    assert.match(validateSpendAndSave({ ...valid, categoryIds: [0] }).join(), /categoryIds/);
    assert.match(validateSpendAndSave({ ...valid, startsAt: '2026-12-01', endsAt: '2026-11-01' }).join(), /endsAt must be after startsAt/);
    assert.equal(parseChinaTime('2026-11-11 00:00')?.toISOString(), '2026-11-10T16:00:00.000Z', 'no offset means China time');
  });
});

describe('spend-and-save plugin', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let m: MemberAgent;

  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'spend-and-save,coupons', MALL_CONFIG: NO_FILE } });
    admin = await adminHeaders(t);
    await createShipping(t, { freeFrom: 1 });
    m = await t.signIn('满减');
  });
  after(() => t.close());

  async function preview(items: Array<{ variantId: number; quantity: number }>, options?: Record<string, string>) {
    const res = await m.agent.post('/api/v1/checkout/preview').send({ items, ...(options ? { options } : {}) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { discountTotal: number; itemsTotal: number; payableTotal: number; adjustments: Array<{ source: string; kind: string; label: string; amount: number }> };
  }

  async function settings(values: Partial<SpendAndSaveSettings>, status = 200) {
    const res = await t.http().put('/api/v1/plugins/spend-and-save/settings').set(admin).send({ settings: values });
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  }

  it('no discount below the first threshold; the best tier reached applies once', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 9950, stock: 50 }] });
    const v = variantIds[0];
    assert.equal((await preview([{ variantId: v, quantity: 1 }])).discountTotal, 0);
    const at199 = await preview([{ variantId: v, quantity: 2 }]); // ¥199.00
    assert.equal(at199.discountTotal, 2000);
    assert.deepEqual(at199.adjustments.filter((a) => a.kind === 'discount').map((a) => [a.source, a.label, a.amount]), [['spend-and-save:tiers', '满199减20', 2000]]);
    const at398 = await preview([{ variantId: v, quantity: 4 }]);
    assert.equal(at398.discountTotal, 4000, '满299减40 only, not both tiers');
  });

  it('a placed order keeps the adjustment and spreads the discount over its lines', async () => {
    const addressId = await addAddress(m);
    const a = await createProduct(t, { variants: [{ specValues: [], price: 10000, stock: 5 }] });
    const b = await createProduct(t, { variants: [{ specValues: [], price: 20000, stock: 5 }] });
    const placed = await m.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: a.variantIds[0], quantity: 1 }, { variantId: b.variantIds[0], quantity: 1 }] }).expect(201);
    assert.equal(placed.body.discountTotal, 4000);
    assert.deepEqual(placed.body.lines.map((l: { discountAllocated: number }) => l.discountAllocated).sort((x: number, y: number) => x - y), [1333, 2667]);
    assert.ok(placed.body.adjustments.some((x: { source: string; label: string }) => x.source === 'spend-and-save:tiers' && x.label === '满299减40'));
  });

  it('only products in the chosen categories (and their sub-categories) count toward the threshold', async () => {
    const catalog = t.get(CatalogService);
    const food = await catalog.createCategory({ name: '食品', slug: 'sas-food' });
    const snacks = await catalog.createCategory({ name: '零食', slug: 'sas-snacks', parentId: food.id });
    const tools = await catalog.createCategory({ name: '工具', slug: 'sas-tools' });
    await settings({ categoryIds: [food.id] });
    try {
      const snack = await createProduct(t, { categoryId: snacks.id, variants: [{ specValues: [], price: 10000, stock: 10 }] });
      const tool = await createProduct(t, { categoryId: tools.id, variants: [{ specValues: [], price: 15000, stock: 10 }] });
      const mixed = await preview([{ variantId: snack.variantIds[0], quantity: 1 }, { variantId: tool.variantIds[0], quantity: 1 }]);
      assert.equal(mixed.itemsTotal, 25000);
      assert.equal(mixed.discountTotal, 0, 'only ¥100 of the ¥250 is eligible');
      const two = await preview([{ variantId: snack.variantIds[0], quantity: 2 }]);
      assert.equal(two.discountTotal, 2000, 'a sub-category of an eligible category is eligible');
    } finally {
      await settings({ categoryIds: [] });
    }
  });

  it('activity prices never stack, and lines whose activity price excludes order discounts do not count', async () => {
    const flash = await createProduct(t, { variants: [{ specValues: [], price: 25000, stock: 10 }] });
    const plain = await createProduct(t, { variants: [{ specValues: [], price: 19900, stock: 10 }] });
    const target = flash.variantIds[0];
    const pipeline = t.get(PricingPipeline);
    const priceFor = (id: string, priority: number, price: number, allowsOrderDiscounts: boolean) => ({
      id, stage: 'line-price' as const, priority, exclusiveGroup: id,
      adjust: (ctx: PricingContext) => ctx.lines.filter((l) => l.variantId === target).map((l) => ({ kind: 'price' as const, label: id, amount: price, lineIndex: l.index, allowsOrderDiscounts })),
    });
    pipeline.register(priceFor('test:flash-sale', 10, 15000, false));
    pipeline.register(priceFor('test:group-buy', 20, 10000, true));
    const res = await preview([{ variantId: target, quantity: 1 }, { variantId: plain.variantIds[0], quantity: 1 }]);
    const prices = res.adjustments.filter((a) => a.kind === 'price');
    assert.deepEqual(prices.map((a) => [a.source, a.amount]), [['test:flash-sale', 15000]], 'the first activity price owns the line; the second never stacks');
    assert.equal(res.itemsTotal, 15000 + 19900);
    // ¥349 of items, but the flash-sale line is excluded: ¥199 eligible → 满199减20, not 满299减40
    assert.equal(res.discountTotal, 2000);
  });

  it('runs only inside its time window', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 20000, stock: 10 }] });
    const items = [{ variantId: variantIds[0], quantity: 1 }];
    await settings({ endsAt: '2020-01-01 00:00' });
    assert.equal((await preview(items)).discountTotal, 0, 'ended');
    await settings({ endsAt: '', startsAt: '2999-01-01T00:00:00+08:00' });
    assert.equal((await preview(items)).discountTotal, 0, 'not started');
    await settings({ startsAt: '2020-01-01', endsAt: '2999-01-01' });
    assert.equal((await preview(items)).discountTotal, 2000, 'running');
    await settings({ startsAt: '', endsAt: '' });
  });

  it('the generated admin page edits the tiers; bad tiers are refused and good ones apply at once', async () => {
    const page = await t.http().get('/admin/plugins/spend-and-save').set(admin).expect(200);
    assert.match(page.text, /data-setting="tiers"/);
    assert.match(page.text, /满减档位/);
    const bad = await settings({ tiers: [{ threshold: 10000, discount: 10000 }] }, 400);
    assert.match(bad.message, /spend-and-save.*tiers\[0\]\.discount \(10000\) must be less than its threshold/);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 10000, stock: 10 }] });
    assert.equal((await preview([{ variantId: variantIds[0], quantity: 1 }])).discountTotal, 0);
    await settings({ tiers: [{ threshold: 10000, discount: 1000 }] });
    assert.equal((await preview([{ variantId: variantIds[0], quantity: 1 }])).discountTotal, 1000, 'no restart needed');
    await settings({ tiers: TIERS });
  });

  it('combines with a coupon: spend-and-save first, then the coupon on what is left', async () => {
    const created = await t.http().post('/api/v1/admin/coupons').set(admin).send({
      code: 'SAS10', name: '满减叠加券', type: 'fixed', amount: 1000, minSpend: 18000,
      validFrom: new Date(Date.now() - 3600_000).toISOString(), validTo: new Date(Date.now() + 86_400_000).toISOString(), totalQuantity: 10,
    }).expect(201);
    await m.agent.post(`/api/v1/coupons/${created.body.id}/claim`).send({}).expect(201);
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 20000, stock: 10 }] });
    const both = await preview([{ variantId: variantIds[0], quantity: 1 }], { couponCode: 'SAS10' });
    assert.deepEqual(both.adjustments.filter((a) => a.kind === 'discount').map((a) => [a.source, a.amount]), [['spend-and-save:tiers', 2000], ['coupons:coupon', 1000]]);
    assert.equal(both.payableTotal, 17000);
  });

  it('shows its tiers by the product price and how much more to add in the cart', async () => {
    const { slug, variantIds } = await createProduct(t, { title: '满减商品', variants: [{ specValues: [], price: 9900, stock: 10 }] });
    const product = await t.http().get(`/products/${slug}`).expect(200);
    assert.match(product.text, /满199减20/);
    assert.match(product.text, /满299减40/);
    const shopper = await t.signIn('购物车');
    await shopper.agent.post('/api/v1/cart/items').send({ variantId: variantIds[0], quantity: 1 }).expect(201);
    const cart = await shopper.agent.get('/cart').expect(200);
    assert.match(cart.text, /再买¥100\.00可减¥20\.00/);
    await shopper.agent.post('/api/v1/cart/items').send({ variantId: variantIds[0], quantity: 2 }).expect(201);
    const cart2 = await shopper.agent.get('/cart').expect(200);
    assert.match(cart2.text, /已享满199减¥20\.00，再买¥2\.00可减¥40\.00/, '¥297 in the cart');
  });
});

describe('spend-and-save start-up', () => {
  it('invalid tiers in mall.config.json stop start-up, naming the plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sas-'));
    const file = join(dir, 'mall.config.json');
    writeFileSync(file, JSON.stringify({ plugins: { 'spend-and-save': { enabled: true, settings: { tiers: [{ threshold: 19900, discount: 20000 }] } } } }));
    const created = await createTestDatabase();
    try {
      const config = loadConfig({ SESSION_SECRET: 'test-secret-test-secret-test-secret', JOBS_ENABLED: 'false', MALL_CONFIG: file });
      config.database = created.db;
      await assert.rejects(createApp({ config, logger: false }), /Plugin "spend-and-save" has invalid settings: tiers\[0\]\.discount \(20000\) must be less than its threshold \(19900\)/);
    } finally {
      await created.drop();
    }
  });
});
