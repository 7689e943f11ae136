import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../../../tests/support/test-app.js';
import { fromRoot } from '../../../core/common/paths.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { OrderService } from '../../../core/order/order.service.js';
import { CommissionService } from '../services/commission.service.js';
import { LedgerService } from '../services/ledger.service.js';
import { Commission } from '../entities/commission.entity.js';
import { Distributor } from '../entities/distributor.entity.js';
import { DistributorLevel } from '../entities/distributor-level.entity.js';
import { LedgerEntry } from '../entities/ledger-entry.entity.js';
import { PartnerPrice } from '../entities/partner-price.entity.js';
import { ProductRate } from '../entities/product-rate.entity.js';
import { Withdrawal } from '../entities/withdrawal.entity.js';
import { csvField, csvLine, csvText } from '../admin/csv.js';
import { parsePercent, formatPercent } from '../admin/admin-forms.js';

const OWNER = { email: 'owner@dist.test', password: 'owner-pass-123' };
type Agent = ReturnType<typeof request.agent>;

interface Person extends MemberAgent {
  name: string;
  code?: string;
}

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'page carries a _csrf field');
  return m[1];
}

/** Minimal RFC 4180 reader, to check what a spreadsheet program would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

describe('distribution admin', () => {
  let t: TestApp;
  let api: Agent;
  let csrf: string;
  /** Signed in through the HTML login form (cookie only); page forms carry _csrf. */
  let browser: Agent;
  const people: Record<string, Person> = {};
  let productId: number;
  let variantId: number;
  let addressId: number;

  const json = (method: 'post' | 'put', path: string, body: object = {}) => api[method](path).set('x-csrf-token', csrf).send(body);
  const status = async (memberId: number) => (await t.ds.getRepository(Distributor).findOneByOrFail({ memberId })).status;

  async function page(agent: Agent, path: string): Promise<{ html: string; token: string }> {
    const res = await agent.get(path).set('accept', 'text/html').expect(200);
    return { html: res.text, token: csrfFrom(res.text) };
  }

  async function apply(p: Person): Promise<void> {
    const res = await p.agent.post('/api/v1/distribution/apply').send({ shopName: `${p.name}的小店` }).expect(200);
    assert.equal(res.body.status, 'pending', 'enrolment by approval');
    p.code = res.body.referralCode;
  }

  before(async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'mall-dist-admin-')), 'mall.config.json');
    writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode: 'multi', levelsDeep: 3, enrolment: 'approval', refundWindowDays: 7, withdrawMin: 100, partnerPriceEnabled: true } } } }));
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-multi', MALL_CONFIG: configFile, ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password } });
    await createShipping(t);
    api = request.agent(t.app.getHttpServer());
    csrf = (await api.post('/api/v1/admin/session').send(OWNER).expect(200)).body.csrfToken;
    browser = request.agent(t.app.getHttpServer());
    const login = await browser.get('/admin/login').expect(200);
    await browser.post('/admin/login').type('form').send({ _csrf: csrfFrom(login.text), email: OWNER.email, password: OWNER.password, next: '/admin' }).expect(303);
    for (const name of ['阿强', '宝玲', '春花', '大伟', '二丫']) people[name] = { ...(await t.signIn(name)), name };
    const product = await createProduct(t, { title: '分销测试 明前龙井 250g', variants: [{ specValues: [], price: 10000, stock: 100 }] });
    productId = product.id;
    variantId = product.variantIds[0];
  });
  after(() => t?.close());

  it('is admin-only: pages redirect to the login, the API answers 401', async () => {
    const res = await t.http().get('/admin/distribution/distributors').set('accept', 'text/html').expect(302);
    assert.match(res.headers.location, /^\/admin\/login\?next=%2Fadmin%2Fdistribution%2Fdistributors/);
    for (const path of ['/admin/distribution/withdrawals', '/admin/distribution/ledger.csv', '/admin/distribution/levels']) await t.http().get(path).set('accept', 'text/html').expect(302);
    const api401 = await t.http().get('/api/v1/admin/distribution/distributors').expect(401);
    assert.equal(api401.body.code, 'admin_sign_in_required');
    await t.http().post('/api/v1/admin/distribution/levels').send({ name: 'x', rank: 5, rates: [{ type: 'percent', value: 100 }] }).expect(401);
    // a member session is not an admin session
    await people['阿强'].agent.get('/api/v1/admin/distribution/withdrawals').expect(401);
  });

  it('approval queue: pending first; approve, reject (reason required), disable and enable with illegal moves refused', async () => {
    const { 阿强: a, 宝玲: b, 春花: c } = people;
    for (const p of [a, b, c]) await apply(p);
    const list = await api.get('/api/v1/admin/distribution/distributors').expect(200);
    assert.equal(list.body.total, 3);
    assert.ok(list.body.items.every((d: { status: string }) => d.status === 'pending'));
    const summary = await api.get('/api/v1/admin/distribution/summary').expect(200);
    assert.equal(summary.body.distributors.pending, 3);

    // CSRF: a write without the token changes nothing
    const noToken = await api.post(`/api/v1/admin/distribution/distributors/${a.memberId}/approve`).send({}).expect(403);
    assert.equal(noToken.body.code, 'csrf_failed');
    const wrongToken = await api.post(`/api/v1/admin/distribution/distributors/${a.memberId}/approve`).set('x-csrf-token', 'forged').send({}).expect(403);
    assert.equal(wrongToken.body.code, 'csrf_failed');
    const formNoToken = await browser.post(`/admin/distribution/distributors/${a.memberId}/approve`).type('form').send({}).expect(403);
    assert.equal(formNoToken.status, 403);
    assert.equal(await status(a.memberId), 'pending', 'nothing changed without the CSRF token');

    // the queue page lists the applications with the pending badge and search works on nickname
    const queue = await page(browser, '/admin/distribution/distributors?status=pending');
    assert.match(queue.html, /阿强/);
    assert.match(queue.html, /待审核/);
    assert.match(queue.html, /class="dist-count"[^>]*>3</);
    const search = await api.get('/api/v1/admin/distribution/distributors').query({ q: '宝玲' }).expect(200);
    assert.deepEqual(search.body.items.map((d: { memberId: number }) => d.memberId), [b.memberId]);
    const byCode = await api.get('/api/v1/admin/distribution/distributors').query({ q: c.code!.toLowerCase() }).expect(200);
    assert.deepEqual(byCode.body.items.map((d: { memberId: number }) => d.memberId), [c.memberId]);

    // approve through the page form (redirects back with a flash)
    const approved = await browser.post(`/admin/distribution/distributors/${a.memberId}/approve`).type('form').send({ _csrf: queue.token, back: '/admin/distribution/distributors?status=pending' }).expect(303);
    assert.equal(approved.headers.location, '/admin/distribution/distributors?status=pending&ok=approved');
    assert.equal(await status(a.memberId), 'active');
    const flash = await page(browser, approved.headers.location);
    assert.match(flash.html, /已通过申请/);
    assert.doesNotMatch(flash.html, /阿强/, 'approved applications leave the queue');

    // reject needs a reason: the form comes back with 400 naming the field
    const noReason = await browser.post(`/admin/distribution/distributors/${b.memberId}/reject`).type('form').set('accept', 'text/html').send({ _csrf: queue.token, reason: '  ' }).expect(400);
    assert.equal(noReason.headers['x-error-field'], 'reason');
    assert.match(noReason.text, /give the applicant a reason/);
    const noReasonApi = await json('post', `/api/v1/admin/distribution/distributors/${b.memberId}/reject`, {}).expect(400);
    assert.equal(noReasonApi.body.field, 'reason');
    assert.equal(await status(b.memberId), 'pending');
    const rejected = await json('post', `/api/v1/admin/distribution/distributors/${b.memberId}/reject`, { reason: '资料不完整' }).expect(200);
    assert.equal(rejected.body.status, 'rejected');
    assert.equal(rejected.body.rejectReason, '资料不完整');

    // illegal transitions are 409, unknown ids 404, bad ids 400
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${b.memberId}/approve`).expect(409)).body.code, 'not_pending');
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${a.memberId}/enable`).expect(409)).body.code, 'not_disabled');
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${b.memberId}/disable`).expect(409)).body.code, 'not_active');
    assert.equal((await json('post', '/api/v1/admin/distribution/distributors/999999/approve').expect(404)).body.code, 'distributor_not_found');
    assert.equal((await json('post', '/api/v1/admin/distribution/distributors/abc/approve').expect(400)).body.field, 'memberId');
    await browser.get('/admin/distribution/distributors/999999').set('accept', 'text/html').expect(404);
    const conflictPage = await browser.post(`/admin/distribution/distributors/${b.memberId}/approve`).type('form').set('accept', 'text/html').send({ _csrf: queue.token }).expect(409);
    assert.equal(conflictPage.headers['x-error-code'], 'not_pending');

    // disable stops earning; enable brings the distributor back
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${a.memberId}/disable`).expect(200)).body.status, 'disabled');
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${a.memberId}/disable`).expect(409)).body.code, 'not_active');
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${a.memberId}/enable`).expect(200)).body.status, 'active');
    assert.equal((await json('post', `/api/v1/admin/distribution/distributors/${c.memberId}/approve`).expect(200)).body.status, 'active');

    // all: pending first is gone now, so the list is by newest; filters by status
    const active = await api.get('/api/v1/admin/distribution/distributors').query({ status: 'active' }).expect(200);
    assert.deepEqual(active.body.items.map((d: { memberId: number }) => d.memberId).sort(), [a.memberId, c.memberId].sort());
    await api.get('/api/v1/admin/distribution/distributors').query({ status: 'nope' }).expect(400);
  });

  it('levels: percent with at most two decimals, never more than three tiers, exactly one default', async () => {
    const page1 = await page(browser, '/admin/distribution/levels/new');
    assert.equal((page1.html.match(/name="rates\.\d\.value"/g) ?? []).length, 3, 'the form offers three tiers, never more');

    // bad rate through the form: 400, the field named, the values kept
    const bad = await browser.post('/admin/distribution/levels').type('form').set('accept', 'text/html')
      .send({ _csrf: page1.token, name: '高级', rank: '1', 'rates.0.type': 'percent', 'rates.0.value': '10.555', 'rates.1.type': 'percent', 'rates.1.value': '5', 'rates.2.type': 'fixed', 'rates.2.value': '1.50' }).expect(400);
    assert.equal(bad.headers['x-error-field'], 'rates.0.value');
    assert.match(bad.text, /id="rates\.0\.value" name="rates\.0\.value" value="10\.555"/);
    assert.match(bad.text, /不是有效比例/);
    // …and through the API: a non-integer basis-point value
    const badApi = await json('post', '/api/v1/admin/distribution/levels', { name: '高级', rank: 1, rates: [{ type: 'percent', value: 1055.5 }] }).expect(400);
    assert.equal(badApi.body.field, 'rates.0.value');
    const tooHigh = await json('post', '/api/v1/admin/distribution/levels', { name: '高级', rank: 1, rates: [{ type: 'percent', value: 10001 }] }).expect(400);
    assert.equal(tooHigh.body.field, 'rates.0.value');

    // four tiers are refused, by the API and by a crafted form
    const four = await json('post', '/api/v1/admin/distribution/levels', { name: '四级', rank: 7, rates: [1000, 500, 200, 100].map((value) => ({ type: 'percent', value })) }).expect(400);
    assert.equal(four.body.field, 'rates');
    const fourForm = await browser.post('/admin/distribution/levels').type('form').set('accept', 'text/html')
      .send({ _csrf: page1.token, name: '四级', rank: '7', 'rates.0.value': '10', 'rates.1.value': '5', 'rates.2.value': '2', 'rates.3.type': 'percent', 'rates.3.value': '1' }).expect(400);
    assert.equal(fourForm.headers['x-error-field'], 'rates');
    assert.equal(await t.ds.getRepository(DistributorLevel).countBy({ name: '四级' }), 0);

    // a good level through the form: 10.5% → 1050 bp, ¥1.50 → 150 fen, sales ¥2,000 → 200000 fen
    const ok = await browser.post('/admin/distribution/levels').type('form')
      .send({ _csrf: page1.token, name: '高级', rank: '1', 'rates.0.type': 'percent', 'rates.0.value': '10.5', 'rates.1.type': 'percent', 'rates.1.value': '5', 'rates.2.type': 'fixed', 'rates.2.value': '1.50', upgradeTeamSize: '10', upgradeSales: '2000' }).expect(303);
    assert.equal(ok.headers.location, '/admin/distribution/levels?ok=level_created');
    const senior = await t.ds.getRepository(DistributorLevel).findOneByOrFail({ name: '高级' });
    assert.deepEqual(senior.rates, [{ type: 'percent', value: 1050 }, { type: 'percent', value: 500 }, { type: 'fixed', value: 150 }]);
    assert.equal(senior.upgradeTeamSize, 10);
    assert.equal(senior.upgradeSales, 200000);
    assert.equal(senior.isDefault, false);
    const edit = await page(browser, `/admin/distribution/levels/${senior.id}/edit`);
    assert.match(edit.html, /name="rates\.0\.value" value="10\.5"/);
    assert.match(edit.html, /name="rates\.2\.value" value="1\.50"/);

    // unique rank and name
    assert.equal((await json('post', '/api/v1/admin/distribution/levels', { name: '合伙人', rank: 1, rates: [{ type: 'percent', value: 1500 }] }).expect(409)).body.field, 'rank');
    assert.equal((await json('post', '/api/v1/admin/distribution/levels', { name: '高级', rank: 3, rates: [{ type: 'percent', value: 1500 }] }).expect(409)).body.field, 'name');

    // exactly one default: making 合伙人 the default moves it; un-defaulting the default is refused
    const partner = await json('post', '/api/v1/admin/distribution/levels', { name: '合伙人', rank: 2, rates: [{ type: 'percent', value: 1500 }, { type: 'percent', value: 800 }], isDefault: true }).expect(201);
    assert.equal(await t.ds.getRepository(DistributorLevel).countBy({ isDefault: true }), 1);
    assert.equal((await t.ds.getRepository(DistributorLevel).findOneByOrFail({ isDefault: true })).id, partner.body.id);
    const undefault = await json('put', `/api/v1/admin/distribution/levels/${partner.body.id}`, { name: '合伙人', rank: 2, rates: [{ type: 'percent', value: 1500 }], isDefault: false }).expect(409);
    assert.equal(undefault.body.field, 'isDefault');
    const normal = await t.ds.getRepository(DistributorLevel).findOneByOrFail({ name: '普通' });
    await json('put', `/api/v1/admin/distribution/levels/${normal.id}`, { name: '普通', rank: 0, rates: normal.rates, isDefault: true }).expect(200);
    const defaults = await t.ds.getRepository(DistributorLevel).findBy({ isDefault: true });
    assert.deepEqual(defaults.map((l) => l.name), ['普通']);
    await json('put', '/api/v1/admin/distribution/levels/999999', { name: 'x', rank: 50, rates: [{ type: 'percent', value: 1 }] }).expect(404);

    // change a distributor's level; an unknown level is 404
    const { 春花: c } = people;
    const set = await json('put', `/api/v1/admin/distribution/distributors/${c.memberId}/level`, { levelId: senior.id }).expect(200);
    assert.equal(set.body.levelName, '高级');
    assert.equal((await json('put', `/api/v1/admin/distribution/distributors/${c.memberId}/level`, { levelId: 999999 }).expect(404)).body.field, 'levelId');
    const levels = await api.get('/api/v1/admin/distribution/levels').expect(200);
    assert.equal(levels.body.items.find((l: { name: string }) => l.name === '高级').distributorCount, 1);
    const levelsPage = await page(browser, '/admin/distribution/levels');
    assert.match(levelsPage.html, /10\.5%/);
    assert.match(levelsPage.html, /¥1\.50\/件/);
  });

  it('product rates and partner prices: a partner price must be lower than the variant price', async () => {
    const equal = await json('put', `/api/v1/admin/distribution/products/${productId}/partner-prices`, { prices: [{ variantId, price: 10000 }] }).expect(400);
    assert.equal(equal.body.field, 'prices.0.price');
    assert.equal(equal.body.code, 'partner_price_not_lower');
    assert.equal((await json('put', `/api/v1/admin/distribution/products/${productId}/partner-prices`, { prices: [{ variantId, price: 12000 }] }).expect(400)).body.field, 'prices.0.price');
    assert.equal(await t.ds.getRepository(PartnerPrice).count(), 0);
    const ok = await json('put', `/api/v1/admin/distribution/products/${productId}/partner-prices`, { prices: [{ variantId, price: 8800 }] }).expect(200);
    assert.equal(ok.body.variants[0].partnerPrice, 8800);
    const other = await createProduct(t, { variants: [{ specValues: [], price: 500, stock: 1 }] });
    assert.equal((await json('put', `/api/v1/admin/distribution/products/${productId}/partner-prices`, { prices: [{ variantId: other.variantIds[0], price: 100 }] }).expect(404)).body.field, 'prices.0.variantId');
    await json('put', '/api/v1/admin/distribution/products/999999/partner-prices', { prices: [] }).expect(404);

    // the page form: ¥100.00 is not lower than ¥100.00 → 400 naming the field, nothing saved
    const form = await page(browser, `/admin/distribution/products/${productId}`);
    assert.match(form.html, /name="prices\.0\.price" value="88\.00"/);
    const bad = await browser.post(`/admin/distribution/products/${productId}/partner-prices`).type('form').set('accept', 'text/html')
      .send({ _csrf: form.token, 'prices.0.variantId': String(variantId), 'prices.0.price': '100.00' }).expect(400);
    assert.equal(bad.headers['x-error-field'], 'prices.0.price');
    assert.equal((await t.ds.getRepository(PartnerPrice).findOneByOrFail({ variantId })).price, 8800);
    // removing it through the form
    await browser.post(`/admin/distribution/products/${productId}/partner-prices`).type('form').send({ _csrf: form.token, 'prices.0.variantId': String(variantId), 'prices.0.price': '' }).expect(303);
    assert.equal(await t.ds.getRepository(PartnerPrice).count(), 0);

    // override rates: for every level, and one level; bad value named
    const senior = await t.ds.getRepository(DistributorLevel).findOneByOrFail({ name: '高级' });
    const badRates = await json('put', `/api/v1/admin/distribution/products/${productId}/rates`, { overrides: [{ levelId: null, rates: [{ type: 'percent', value: 20000 }] }] }).expect(400);
    assert.equal(badRates.body.field, 'overrides.0.rates.0.value');
    assert.equal((await json('put', `/api/v1/admin/distribution/products/${productId}/rates`, { overrides: [{ levelId: 999999, rates: [{ type: 'percent', value: 100 }] }] }).expect(404)).body.field, 'overrides.0.levelId');
    // the form: row 0 = every level, then one row per level (普通, 高级, 合伙人 by rank)
    const scopes = ['', ...(await t.ds.getRepository(DistributorLevel).find({ order: { rank: 'ASC' } })).map((l) => String(l.id))];
    const seniorRow = scopes.indexOf(String(senior.id));
    const body: Record<string, string> = { _csrf: form.token };
    scopes.forEach((levelId, k) => (body[`overrides.${k}.levelId`] = levelId));
    Object.assign(body, { 'overrides.0.enabled': 'on', 'overrides.0.rates.0.type': 'percent', 'overrides.0.rates.0.value': '8', [`overrides.${seniorRow}.enabled`]: 'on', [`overrides.${seniorRow}.rates.0.type`]: 'percent', [`overrides.${seniorRow}.rates.0.value`]: '12.345' });
    const badForm = await browser.post(`/admin/distribution/products/${productId}/rates`).type('form').set('accept', 'text/html').send(body).expect(400);
    assert.equal(badForm.headers['x-error-field'], `overrides.${seniorRow}.rates.0.value`);
    body[`overrides.${seniorRow}.rates.0.value`] = '12.34';
    await browser.post(`/admin/distribution/products/${productId}/rates`).type('form').send(body).expect(303);
    const rows = await t.ds.getRepository(ProductRate).find({ where: { productId }, order: { id: 'ASC' } });
    assert.deepEqual(rows.map((r) => [r.levelId, r.rates[0]]), [[null, { type: 'percent', value: 800 }], [senior.id, { type: 'percent', value: 1234 }]]);
    // back to the level rates for this product
    await json('put', `/api/v1/admin/distribution/products/${productId}/rates`, { overrides: [] }).expect(200);
    assert.equal(await t.ds.getRepository(ProductRate).countBy({ productId }), 0);
  });

  it('team tree: one level at a time with each member\'s own team size; the upline chain L1-L3', async () => {
    // 阿强 ← 大伟 ← 二丫: 大伟 binds to 阿强, applies, is approved; 二丫 binds to 大伟
    const { 阿强: a, 大伟: d, 二丫: e } = people;
    assert.equal((await d.agent.post('/api/v1/distribution/bind').send({ code: a.code }).expect(200)).body.outcome, 'bound');
    await apply(d);
    await json('post', `/api/v1/admin/distribution/distributors/${d.memberId}/approve`).expect(200);
    assert.equal((await e.agent.post('/api/v1/distribution/bind').send({ code: d.code }).expect(200)).body.outcome, 'bound');

    const top = await api.get(`/api/v1/admin/distribution/distributors/${a.memberId}/team`).expect(200);
    assert.equal(top.body.total, 1);
    assert.deepEqual(top.body.items.map((n: { memberId: number; childCount: number; status: string }) => [n.memberId, n.childCount, n.status]), [[d.memberId, 1, 'active']]);
    const next = await api.get(`/api/v1/admin/distribution/distributors/${d.memberId}/team`).expect(200);
    assert.deepEqual(next.body.items.map((n: { memberId: number; childCount: number; status: string | null }) => [n.memberId, n.childCount, n.status]), [[e.memberId, 0, null]]);
    await api.get(`/api/v1/admin/distribution/distributors/${a.memberId}/team`).query({ page: 0 }).expect(400);
    await api.get('/api/v1/admin/distribution/distributors/999999/team').expect(404);

    const detail = await api.get(`/api/v1/admin/distribution/distributors/${d.memberId}`).expect(200);
    assert.deepEqual(detail.body.team, { l1: 1, l2: 0, l3: 0 });
    assert.deepEqual(detail.body.uplines.map((u: { level: number; memberId: number }) => [u.level, u.memberId]), [[1, a.memberId]]);
    assert.deepEqual((await api.get(`/api/v1/admin/distribution/distributors/${a.memberId}`).expect(200)).body.team, { l1: 1, l2: 1, l3: 0 });

    const html = await page(browser, `/admin/distribution/distributors/${a.memberId}`);
    assert.match(html.html, /data-team-tree/);
    assert.match(html.html, new RegExp(`data-expand="${d.memberId}"`));
    assert.match(html.html, /大伟/);
    assert.match(html.html, /一级 1 · 二级 1 · 三级 0/);
    const en = await page(browser, `/admin/distribution/distributors/${d.memberId}?lang=en`);
    assert.match(en.html, /Uplines/);
    assert.match(en.html, /阿强/);
    await browser.get('/admin/distribution/distributors?lang=zh-CN').expect(200);
  });

  it('withdrawals: approve, reject (funds return) and mark paid move the balances to the fen', async () => {
    const { 阿强: a, 大伟: d } = people;
    addressId = await addAddress(d);
    // 大伟 (bound to 阿强) buys ¥100: 阿强 earns L1 10% = ¥10, frozen; completed + window closed → available
    const orderNo = await buy(d, addressId, [{ variantId, quantity: 1 }]);
    await t.settle();
    await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF100200300');
    await d.agent.post(`/api/v1/orders/${orderNo}/confirm-receipt`).expect(200);
    await t.settle();
    await t.get(CommissionService).unlockDue(new Date(Date.now() + 8 * 86_400_000));
    const ledger = t.get(LedgerService);
    assert.equal((await ledger.balances(a.memberId)).available, 1000);

    const w = async (amount: number) => (await a.agent.post('/api/v1/distribution/withdrawals').send({ amount }).expect(201)).body.withdrawalNo as string;
    const [w1, w2, w3] = [await w(300), await w(300), await w(200)];
    assert.deepEqual(await ledger.balances(a.memberId), { frozen: 0, available: 200, withdrawing: 800, withdrawn: 0 });

    // the queue: pending first, with the distributor's balances
    const queue = await api.get('/api/v1/admin/distribution/withdrawals').expect(200);
    assert.equal(queue.body.total, 3);
    assert.ok(queue.body.items.every((x: { status: string }) => x.status === 'pending'));
    assert.equal(queue.body.items[0].balances.available, 200);

    // CSRF refused, nothing changed
    await api.post(`/api/v1/admin/distribution/withdrawals/${w1}/approve`).send({}).expect(403);
    assert.equal((await t.ds.getRepository(Withdrawal).findOneByOrFail({ withdrawalNo: w1 })).status, 'pending');

    // approve (offline) → approved, money still "withdrawing"; mark paid → withdrawn
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w1}/approve`, { channel: 'wechat' }).expect(400)).body.field, 'channel');
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w1}/approve`, {}).expect(200)).body.status, 'approved');
    assert.deepEqual(await ledger.balances(a.memberId), { frozen: 0, available: 200, withdrawing: 800, withdrawn: 0 });
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w1}/approve`, {}).expect(409)).body.code, 'not_pending');
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w1}/paid`, { providerRef: 'BANK-001' }).expect(200)).body.status, 'paid');
    assert.deepEqual(await ledger.balances(a.memberId), { frozen: 0, available: 200, withdrawing: 500, withdrawn: 300 });

    // reject: reason required; the amount returns to available
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w2}/reject`, { reason: '' }).expect(400)).body.field, 'reason');
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w2}/reject`, { reason: '账户信息有误' }).expect(200)).body.status, 'rejected');
    assert.deepEqual(await ledger.balances(a.memberId), { frozen: 0, available: 500, withdrawing: 200, withdrawn: 300 });
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w2}/reject`, { reason: '再次' }).expect(409)).body.code, 'illegal_transition');
    assert.equal((await json('post', `/api/v1/admin/distribution/withdrawals/${w3}/paid`, {}).expect(409)).body.code, 'illegal_transition');
    assert.equal((await json('post', '/api/v1/admin/distribution/withdrawals/W404/approve', {}).expect(404)).body.code, 'withdrawal_not_found');
    assert.equal((await json('post', '/api/v1/admin/distribution/withdrawals/bad!no/approve', {}).expect(400)).body.field, 'withdrawalNo');

    // the page: approve and mark paid W3 through the forms; a reject without reason re-renders with 400
    const list = await page(browser, '/admin/distribution/withdrawals');
    assert.match(list.html, /待审核/);
    assert.match(list.html, new RegExp(w3));
    const noReason = await browser.post(`/admin/distribution/withdrawals/${w3}/reject`).type('form').set('accept', 'text/html').send({ _csrf: list.token, reason: '', back: '/admin/distribution/withdrawals' }).expect(400);
    assert.equal(noReason.headers['x-error-field'], 'reason');
    assert.match(noReason.text, new RegExp(`提现单 ${w3} 操作失败`));
    const approved = await browser.post(`/admin/distribution/withdrawals/${w3}/approve`).type('form').send({ _csrf: list.token, channel: 'offline', back: '/admin/distribution/withdrawals' }).expect(303);
    assert.equal(approved.headers.location, '/admin/distribution/withdrawals?ok=withdrawal_approved');
    const paid = await browser.post(`/admin/distribution/withdrawals/${w3}/paid`).type('form').send({ _csrf: list.token, providerRef: '', back: '/admin/distribution/withdrawals?status=approved' }).expect(303);
    assert.equal(paid.headers.location, '/admin/distribution/withdrawals?status=approved&ok=withdrawal_paid');
    assert.deepEqual(await ledger.balances(a.memberId), { frozen: 0, available: 500, withdrawing: 0, withdrawn: 500 });

    // a new request goes to the top of the queue, before paid and rejected ones
    const w4 = await w(100);
    const queue2 = await api.get('/api/v1/admin/distribution/withdrawals').expect(200);
    assert.equal(queue2.body.items[0].withdrawalNo, w4);
    assert.deepEqual(queue2.body.items.map((x: { status: string }) => x.status), ['pending', 'paid', 'rejected', 'paid']);
    const rejectedPage = await page(browser, '/admin/distribution/withdrawals?status=rejected');
    assert.match(rejectedPage.html, /账户信息有误/);

    // every cent traceable: balances equal what the commissions say
    const commissions = await t.ds.getRepository(Commission).findBy({ distributorMemberId: a.memberId });
    const b = await ledger.balances(a.memberId);
    assert.equal(b.available + b.withdrawing + b.withdrawn, commissions.filter((c) => c.status === 'available').reduce((s, c) => s + c.amount, 0));
  });

  it('ledger: filters with totals, and the CSV export (BOM, header, RFC 4180 quoting, yuan and fen)', async () => {
    const { 阿强: a } = people;
    // a WeChat nickname may hold anything, commas and quotes included
    await t.ds.getRepository(Member).update({ id: a.memberId }, { nickname: '王,"小"强' });
    const all = await api.get('/api/v1/admin/distribution/ledger').query({ memberId: a.memberId }).expect(200);
    const entries = await t.ds.getRepository(LedgerEntry).findBy({ distributorMemberId: a.memberId });
    assert.equal(all.body.total, entries.length);
    assert.equal(all.body.totals.count, entries.length);
    assert.equal(all.body.totals.buckets.available, (await t.get(LedgerService).balances(a.memberId)).available);
    const earned = await api.get('/api/v1/admin/distribution/ledger').query({ memberId: a.memberId, kind: 'commission_earned' }).expect(200);
    assert.equal(earned.body.total, 1);
    assert.equal(earned.body.totals.buckets.frozen, 1000);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    assert.equal((await api.get('/api/v1/admin/distribution/ledger').query({ memberId: a.memberId, from: today, to: today }).expect(200)).body.total, entries.length);
    assert.equal((await api.get('/api/v1/admin/distribution/ledger').query({ memberId: a.memberId, from: '2000-01-01', to: '2000-01-02' }).expect(200)).body.total, 0);
    assert.equal((await api.get('/api/v1/admin/distribution/ledger').query({ from: '2026-02-30' }).expect(400)).body.field, 'from');
    assert.equal((await api.get('/api/v1/admin/distribution/ledger').query({ from: '2026-03-02', to: '2026-03-01' }).expect(400)).body.field, 'to');
    assert.equal((await api.get('/api/v1/admin/distribution/ledger').query({ kind: 'nope' }).expect(400)).body.field, 'kind');

    const html = await page(browser, `/admin/distribution/ledger?distributor=${a.code}`);
    assert.match(html.html, /佣金入账/);
    assert.match(html.html, new RegExp(`href="/admin/distribution/ledger\\.csv\\?distributor&#x3D;${a.code}"`));
    const badFilter = await browser.get('/admin/distribution/ledger?distributor=NOSUCH99').set('accept', 'text/html').expect(400);
    assert.equal(badFilter.headers['x-error-field'], 'distributor');

    const res = await browser.get('/admin/distribution/ledger.csv').query({ distributor: String(a.memberId) }).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    assert.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition'], /attachment; filename="distribution-ledger-\d{8}\.csv"/);
    const bytes = res.body as Buffer;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const text = bytes.toString('utf8').slice(1);
    assert.ok(text.endsWith('\r\n'));
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], ['流水ID', '时间(北京时间)', '分销员会员ID', '昵称', '推广码', '类型', '类型代码', '账户', '金额(元)', '金额(分)', '关联单据', '备注']);
    assert.equal(rows.length - 1, entries.length);
    assert.ok(rows.every((r) => r.length === rows[0].length), 'every row has every column');
    assert.ok(text.includes('"王,""小""强"'), 'a value with a comma and quotes is quoted, quotes doubled');
    const earnedRow = rows.find((r) => r[6] === 'commission_earned')!;
    assert.deepEqual([earnedRow[2], earnedRow[3], earnedRow[4], earnedRow[5], earnedRow[7], earnedRow[8], earnedRow[9]], [String(a.memberId), '王,"小"强', a.code, '佣金入账（冻结）', '冻结中', '10.00', '1000']);
    const requested = rows.filter((r) => r[6] === 'withdrawal_requested' && r[7] === '可提现').map((r) => [r[8], r[9]]);
    assert.deepEqual(requested, [['-1.00', '-100'], ['-2.00', '-200'], ['-3.00', '-300'], ['-3.00', '-300']], 'newest first, negative out of available');
    assert.equal(res.headers['x-export-truncated'], 'false');
    // bad filter: 400 naming the field, never a 500
    assert.equal((await browser.get('/admin/distribution/ledger.csv').query({ from: 'yesterday' }).expect(400)).body.field, 'from');
  });

  it('odd input is answered with 4xx, never a 500', async () => {
    const ok = await browser.get('/admin/distribution/distributors?q=a&q=b&status=active&status=x&page=-1&page=abc').set('accept', 'text/html');
    assert.equal(ok.status, 200);
    assert.equal((await browser.get('/admin/distribution/ledger?kind=commission_earned&kind=nope').set('accept', 'text/html')).status, 400);
    assert.equal((await browser.get('/admin/distribution/ledger.csv?distributor=%3Cscript%3E')).status, 400);
    assert.equal((await browser.get('/admin/distribution/products/0').set('accept', 'text/html')).status, 400);
    assert.equal((await browser.get('/admin/distribution/levels/99999/edit').set('accept', 'text/html')).status, 404);
    assert.equal((await browser.get('/admin/distribution/assets/..%2F..%2Fmanifest.json')).status, 404);
    const token = (await page(browser, '/admin/distribution/withdrawals')).token;
    assert.equal((await browser.post('/admin/distribution/withdrawals/W404/approve').type('form').set('accept', 'text/html').send({ _csrf: token })).status, 404);
    assert.equal((await browser.post('/admin/distribution/levels').type('form').set('accept', 'text/html').send(`_csrf=${token}&name=a&name=b&rank=99&rates.0.value=1`)).status, 303, 'a repeated field takes its last value');
    assert.equal((await browser.post(`/admin/distribution/distributors/${people['阿强'].memberId}/level`).type('form').set('accept', 'text/html').send({ _csrf: token, levelId: 'x' })).headers['x-error-field'], 'levelId');
    for (const [path, body, field] of [
      ['/api/v1/admin/distribution/levels', { name: 'x', rank: 50, rates: 'x' }, 'rates'],
      ['/api/v1/admin/distribution/levels', { name: 'x', rank: 50, rates: [{ type: 'tiered', value: 1 }] }, 'rates.0.type'],
      ['/api/v1/admin/distribution/levels', { name: 'x', rank: 50, rates: [{ type: 'percent', value: 1 }], extra: 1 }, 'extra'],
      [`/api/v1/admin/distribution/distributors/${people['阿强'].memberId}/reject`, { reason: 'x'.repeat(201) }, 'reason'],
    ] as const) {
      const res = await json('post', path, body).expect(400);
      assert.equal(res.body.field, field, path);
    }
    assert.equal((await json('put', `/api/v1/admin/distribution/products/${productId}/partner-prices`, { prices: [{ variantId: '1', price: 1 }] }).expect(400)).body.field, 'prices.0.variantId');
    assert.equal((await api.get('/api/v1/admin/distribution/withdrawals?status=a&status=b')).status, 400);
    assert.equal((await api.post('/api/v1/admin/distribution/levels').set('x-csrf-token', csrf).set('content-type', 'application/json').send('{"name":')).status, 400);
  });

  it('csv and form helpers', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvText('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
    assert.equal(csvText('-1'), `'-1`);
    assert.equal(csvLine(['a', 1, '']), 'a,1,\r\n');
    assert.equal(parsePercent('10.5'), 1050);
    assert.equal(parsePercent('10.55'), 1055);
    assert.equal(parsePercent('10.555'), null);
    assert.equal(parsePercent('abc'), null);
    assert.equal(formatPercent(1050), '10.5');
    assert.equal(formatPercent(1000), '10');
    assert.equal(formatPercent(5), '0.05');
  });

  it('the generated settings page shows the WeChat rule next to the mode switch', async () => {
    const res = await browser.get('/admin/plugins/distribution').set('accept', 'text/html').expect(200);
    const mode = res.text.indexOf('id="s-mode"');
    const help = res.text.indexOf('微信平台规则限制多级分销');
    assert.ok(mode > 0 && help > mode && help < res.text.indexOf('id="s-levelsDeep"'), 'the help follows the mode field');
    assert.match(res.text, /WeChat&#x27;s platform rules restrict multi-level commission/);
    // and our pages link to it
    assert.match((await page(browser, '/admin/distribution/distributors')).html, /href="\/admin\/plugins\/distribution"/);
  });

  it('screenshots of the list, the withdrawal queue and a distributor (phone and desktop)', async (ctx) => {
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (process.env.TEST_DB === 'mariadb' || !existsSync(chromiumPath)) {
      ctx.skip('screenshots are taken once, on SQLite with Chromium');
      return;
    }
    const pw = await import('playwright-core').catch(() => null);
    if (!pw) {
      ctx.skip('playwright-core is not installed');
      return;
    }
    const { chromium } = pw;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // a fuller picture: one more pending application and a second withdrawal waiting
    await t.ds.getRepository(Member).update({ id: people['阿强'].memberId }, { nickname: '王小强' });
    const extra = { ...(await t.signIn('小林同学')), name: '小林同学' };
    await apply(extra);
    const docs = fromRoot('docs/screenshots');
    const review = fromRoot('tests/output/screenshots');
    mkdirSync(docs, { recursive: true });
    mkdirSync(review, { recursive: true });
    const browserApp = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const errors: string[] = [];
    try {
      for (const [device, options] of [
        ['desktop', { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 }],
        ['phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
      ] as const) {
        const context = await browserApp.newContext({ ...options, locale: 'zh-CN' });
        const p = await context.newPage();
        p.on('pageerror', (err) => errors.push(err.message));
        await p.goto(`${base}/admin/login?next=/admin/distribution/distributors`);
        await p.fill('input[name=email]', OWNER.email);
        await p.fill('input[name=password]', OWNER.password);
        await Promise.all([p.waitForURL(/\/admin\/distribution\/distributors/), p.click('button[type=submit]')]);
        await p.evaluate(() => document.fonts.ready);
        await p.screenshot({ path: join(docs, `distribution-admin-distributors-${device}.png`), fullPage: device === 'desktop' });
        await p.goto(`${base}/admin/distribution/withdrawals`);
        await p.screenshot({ path: join(docs, `distribution-admin-withdrawals-${device}.png`), fullPage: device === 'desktop' });
        await p.goto(`${base}/admin/distribution/distributors/${people['阿强'].memberId}`);
        // open the first team level through the JSON API, as a merchant would
        await p.click(`[data-expand="${people['大伟'].memberId}"]`);
        await p.waitForSelector(`li[data-member="${people['二丫'].memberId}"]`);
        if (device === 'desktop') {
          // one tall viewport rather than a stitched full page, so the fixed side navigation reaches the bottom
          await p.setViewportSize({ width: 1366, height: await p.evaluate(() => document.documentElement.scrollHeight) });
        }
        await p.screenshot({ path: join(docs, `distribution-admin-distributor-${device}.png`), fullPage: true });
        // the other pages, for review only (tests/output is not committed)
        for (const [name, path] of [['ledger', '/admin/distribution/ledger'], ['levels', '/admin/distribution/levels'], ['level-form', '/admin/distribution/levels/new'], ['product', `/admin/distribution/products/${productId}`], ['en', `/admin/distribution/distributors/${people['阿强'].memberId}?lang=en`]]) {
          await p.goto(`${base}${path}`);
          await p.screenshot({ path: join(review, `distribution-admin-${name}-${device}.png`), fullPage: true });
        }
        await p.goto(`${base}/admin/distribution/distributors?lang=zh-CN`);
        await context.close();
      }
    } finally {
      await browserApp.close();
    }
    assert.deepEqual(errors, [], 'no script errors on the pages');
  });
});
