import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../core/common/paths.js';
import { loadConfig } from '../../core/config/app-config.js';
import { createApp } from '../../core/app/create-app.js';
import { TransactionRunner } from '../../core/database/transaction.js';
import { EventBus } from '../../core/events/event-bus.service.js';
import { EventDelivery } from '../../core/events/entities/event-delivery.entity.js';
import { OutboxEvent } from '../../core/events/entities/outbox-event.entity.js';
import { EventsJobs } from '../../core/events/events-jobs.js';
import { JobScheduler } from '../../core/jobs/job-scheduler.service.js';
import { OrderService } from '../../core/order/order.service.js';
import { PricingPipeline } from '../../core/pricing/pricing-pipeline.service.js';
import { MigrationRunner } from '../../core/database/migration-runner.js';
import { PluginRegistry } from '../../core/plugin/plugin-registry.js';
import { satisfies } from '../../core/plugin/semver.js';
import { pendingSchemaChanges } from '../../core/database/schema-drift.js';
import { createTestDatabase } from '../support/test-db.js';
import { addAddress, buy, createProduct, createShipping, startTestApp, type TestApp } from '../support/test-app.js';
import { adminHeaders } from '../fixtures/admin-auth.js';
import { FxNote } from '../fixtures/plugins/fx-base/fx-note.entity.js';
import { fxControl } from '../fixtures/plugins/fx-base/fx-base.module.js';

// Fixture plugins and a fixture theme that places the slots the fixtures fill.
process.env.THEMES_DIR = fromRoot('tests/fixtures/themes');
const FIXTURES = 'tests/fixtures/plugins';
const NO_FILE = join(tmpdir(), 'no-such-dir', 'mall.config.json');
const BASE_ENV = { PLUGINS_DIR: FIXTURES, THEME: 'fx-theme', MALL_CONFIG: NO_FILE };

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mall-config-')), 'mall.config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** Start-up must fail with a message matching `pattern`. */
async function startFails(env: Record<string, string>, pattern: RegExp): Promise<void> {
  const created = await createTestDatabase();
  try {
    const config = loadConfig({ SESSION_SECRET: 'test-secret-test-secret-test-secret', JOBS_ENABLED: 'false', ...BASE_ENV, ...env });
    config.database = created.db;
    await assert.rejects(createApp({ config, logger: false }), (err: Error) => {
      assert.match(err.message, pattern);
      return true;
    });
  } finally {
    await created.drop();
  }
}

async function notes(t: TestApp, kind: string, text?: string): Promise<number> {
  return t.ds.getRepository(FxNote).countBy({ kind, ...(text ? { text } : {}) });
}

describe('semver ranges used by manifests', () => {
  it('understands ^, ~, comparators, x-ranges, hyphens and ||', () => {
    assert.ok(satisfies('0.1.0', '^0.1.0'));
    assert.ok(!satisfies('0.2.0', '^0.1.0'));
    assert.ok(satisfies('1.4.2', '^1.2.0'));
    assert.ok(!satisfies('2.0.0', '^1.2.0'));
    assert.ok(satisfies('1.2.9', '~1.2.3') && !satisfies('1.3.0', '~1.2.3'));
    assert.ok(satisfies('0.5.0', '>=0.1.0 <1.0.0') && !satisfies('1.0.0', '>=0.1.0 <1.0.0'));
    assert.ok(satisfies('3.1.4', '1.x || 3.x') && !satisfies('2.0.0', '1.x || 3.x'));
    assert.ok(satisfies('1.5.0', '1.0.0 - 1.5.0') && !satisfies('1.5.1', '1.0.0 - 1.5.0'));
    assert.ok(satisfies('7.0.0', '*'));
    assert.ok(!satisfies('1.0.0-beta.1', '>=1.0.0'));
  });
});

describe('plugin host', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { ...BASE_ENV, PLUGINS: 'fx-dependent,fx-base', MALL_CONFIG: configFile({ plugins: { 'fx-base': { settings: { greeting: '您好' } } } }) } });
  });
  after(() => t.close());

  it('loads enabled plugins in dependency order and migrates each in its own group after core', async () => {
    assert.deepEqual(t.get(PluginRegistry).active().map((p) => p.id), ['fx-base', 'fx-dependent']);
    const applied = await new MigrationRunner(t.ds).appliedNames();
    assert.equal(applied[0].group, 'core');
    assert.deepEqual([...new Set(applied.map((a) => a.group))], ['core', 'fx-base']);
    // a plugin's provider injected another plugin's exported provider
    const res = await t.http().get('/api/v1/fx-dependent/greeting').expect(200);
    assert.equal(res.body.greeting, '您好', 'settings from mall.config.json override the manifest default');
  });

  it("a plugin's generated migrations match its entities (no schema drift)", async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], pending.up.join('\n'));
  });

  it('registers adjusters, subscribers, hooks, jobs, slots and namespaced helpers with the core registries', async () => {
    assert.ok(t.get(PricingPipeline).list().some((a) => a.id === 'fx-base:loud-discount'));
    const subscribers = t.get(EventBus).subscriberNames();
    assert.ok(subscribers.includes('fx-base:ping-recorder') && subscribers.includes('fx-base:flaky'));
    const jobs = t.get(JobScheduler).list();
    assert.ok(jobs.some((j) => j.name === 'fx-base:tick'));
    const drain = jobs.find((j) => j.name === EventsJobs.DRAIN_JOB);
    assert.equal(drain?.everySeconds, 5, 'core retries event deliveries every 5 s');
  });

  it('delivers events to subscribers only after commit: a rolled-back transaction delivers nothing', async () => {
    const runner = new TransactionRunner(t.ds);
    const bus = t.get(EventBus);
    await assert.rejects(runner.run(async (tx) => {
      await bus.publish(tx, 'fx.pinged', { text: 'rolled-back' });
      throw new Error('the change fails after publishing');
    }), /the change fails/);
    await t.settle();
    await bus.drainDue();
    assert.equal(await notes(t, 'delivered', 'rolled-back'), 0);
    assert.equal(await notes(t, 'in-tx', 'rolled-back'), 0, 'the in-transaction hook rolled back with the change');
    assert.equal(await t.ds.getRepository(OutboxEvent).countBy({ type: 'fx.pinged' }), 0);

    await runner.run((tx) => bus.publish(tx, 'fx.pinged', { text: 'committed' }));
    await t.settle();
    assert.equal(await notes(t, 'in-tx', 'committed'), 1);
    assert.equal(await notes(t, 'delivered', 'committed'), 1);
  });

  it('retries a failing subscriber with backoff until it succeeds, without re-running the others', async () => {
    fxControl.flakyFailures = 2;
    const bus = t.get(EventBus);
    await new TransactionRunner(t.ds).run((tx) => bus.publish(tx, 'fx.pinged', { text: 'retry-me' }));
    await t.settle();
    const deliveries = t.ds.getRepository(EventDelivery);
    const event = await t.ds.getRepository(OutboxEvent).findOneOrFail({ where: { type: 'fx.pinged' }, order: { id: 'DESC' } });
    let flaky = await deliveries.findOneByOrFail({ eventId: event.id, subscriber: 'fx-base:flaky' });
    assert.equal(flaky.status, 'pending');
    assert.equal(flaky.attempts, 1);
    assert.ok(flaky.nextAttemptAt.getTime() > Date.now(), 'the retry waits (backoff)');
    for (let i = 0; i < 5 && flaky.status === 'pending'; i++) {
      await deliveries.update({ id: flaky.id }, { nextAttemptAt: new Date(Date.now() - 1000) }); // time passes
      await bus.drainDue();
      flaky = await deliveries.findOneByOrFail({ id: flaky.id });
    }
    assert.equal(flaky.status, 'done');
    assert.equal(flaky.attempts, 3);
    assert.equal(await notes(t, 'flaky', 'retry-me'), 1);
    assert.equal(await notes(t, 'delivered', 'retry-me'), 1, 'the subscriber that succeeded first time ran once');
  });

  it('gives up after 10 attempts and marks the delivery dead', async () => {
    fxControl.flakyFailures = 100;
    const bus = t.get(EventBus);
    await new TransactionRunner(t.ds).run((tx) => bus.publish(tx, 'fx.pinged', { text: 'hopeless' }));
    await t.settle();
    const deliveries = t.ds.getRepository(EventDelivery);
    const event = await t.ds.getRepository(OutboxEvent).findOneOrFail({ where: { type: 'fx.pinged' }, order: { id: 'DESC' } });
    let flaky = await deliveries.findOneByOrFail({ eventId: event.id, subscriber: 'fx-base:flaky' });
    for (let i = 0; i < 12 && flaky.status === 'pending'; i++) {
      await deliveries.update({ id: flaky.id }, { nextAttemptAt: new Date(Date.now() - 1000) });
      await bus.drainDue();
      flaky = await deliveries.findOneByOrFail({ id: flaky.id });
    }
    assert.equal(flaky.status, 'dead');
    assert.equal(flaky.attempts, 10);
    fxControl.flakyFailures = 0;
  });

  it('runs a plugin job tick once when two instances share the database', async () => {
    const second = await startTestApp({ db: t.db, env: { ...BASE_ENV, PLUGINS: 'fx-base' } });
    try {
      const at = new Date();
      const claimed = await Promise.all([t.get(JobScheduler).runTick('fx-base:tick', at), second.get(JobScheduler).runTick('fx-base:tick', at)]);
      assert.equal(claimed.filter(Boolean).length, 1);
      assert.equal(await notes(t, 'tick'), 1);
    } finally {
      await second.close();
    }
  });

  it('renders slot contributions with namespaced helpers, and plugin pages through the theme', async () => {
    const product = await createProduct(t, { title: 'Slot mug' });
    const page = await t.http().get(`/products/${product.slug}`).expect(200);
    assert.match(page.text, /<span class="fx-badge">您好! Slot mug<\/span>/);
    const home = await t.http().get('/').expect(200);
    assert.match(home.text, /class="fx-top">你好，fx</);
    assert.doesNotMatch(page.text, /fx-top/, 'a loader returning null leaves its slot empty');

    const hello = await t.http().get('/fx-base/hello?lang=en').expect(200);
    assert.match(hello.text, /<main><h1 class="fx-hello">Hello, fx<\/h1>/, "the plugin's own template, inside the theme layout");
    const override = await t.http().get('/fx-base/override').expect(200);
    assert.match(override.text, /fx-override-theme/, 'a theme overrides templates/plugins/<id>/<name>.hbs');
  });

  it('lets an order transition hook veto a transition', async () => {
    await createShipping(t);
    const m = await t.signIn('veto');
    const addressId = await addAddress(m);
    const { variantIds } = await createProduct(t);
    const orderNo = await buy(m, addressId, [{ variantId: variantIds[0], quantity: 1 }]);
    fxControl.vetoShip = true;
    try {
      await assert.rejects(t.get(OrderService).ship(orderNo, 'admin:1', '顺丰', 'SF123456'), /fx-base refuses to ship/);
    } finally {
      fxControl.vetoShip = false;
    }
    await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰', 'SF123456');
  });

  it('GET /api/v1/plugins lists every installed folder with versions, state and dependency status (admin only)', async () => {
    await t.http().get('/api/v1/plugins').expect(401);
    const res = await t.http().get('/api/v1/plugins').set(await adminHeaders(t)).expect(200);
    const byId = new Map<string, Record<string, unknown>>((res.body.items as Array<Record<string, unknown>>).map((i) => [i.id as string, i]));
    assert.equal(res.body.coreVersion, '0.1.0');
    assert.equal(res.body.enabledSource, 'env');
    assert.equal(res.body.canToggle, false);
    for (const id of ['fx-base', 'fx-dependent', 'fx-missing-dep', 'fx-cycle-a', 'fx-future-core', 'fx-bad-manifest']) assert.ok(byId.has(id), id);
    assert.deepEqual({ version: byId.get('fx-base')!.version, active: byId.get('fx-base')!.active, enabled: byId.get('fx-base')!.enabled }, { version: '1.2.0', active: true, enabled: true });
    assert.deepEqual(byId.get('fx-dependent')!.dependencies, [{ id: 'fx-base', range: '^1.0.0', installedVersion: '1.2.0', status: 'ok' }]);
    assert.equal((byId.get('fx-missing-dep')!.dependencies as Array<{ status: string }>)[0].status, 'missing');
    assert.equal((byId.get('fx-wants-newer')!.dependencies as Array<{ status: string }>)[0].status, 'version_mismatch');
    assert.equal(byId.get('fx-future-core')!.compatible, false);
    assert.match(String(byId.get('fx-bad-manifest')!.problems), /version/);
    assert.deepEqual(byId.get('fx-base')!.dependents, ['fx-dependent']);

    const toggle = await t.http().post('/api/v1/plugins/fx-base/disable').set(await adminHeaders(t)).expect(409);
    assert.equal(toggle.body.code, 'plugins_managed_externally');
  });

  it('settings: generated admin form, validated saves that apply without restart, keys from mall.config.json locked', async () => {
    const headers = await adminHeaders(t);
    const form = await t.http().get('/admin/plugins/fx-base').set(headers).expect(200);
    for (const key of ['greeting', 'count', 'loud', 'mode', 'fee', 'extra']) assert.match(form.text, new RegExp(`data-setting="${key}"`));
    assert.match(form.text, /value="5.00"/, 'money shows as yuan');
    const list = await t.http().get('/admin/plugins').set(headers).expect(200);
    assert.match(list.text, /下次启动/);
    assert.match(list.text, /href="\/admin\/plugins"/, 'the admin menu links the plugin list');
    assert.match(list.text, /href="\/admin\/fx-base"[^>]*>.*测试页/, "and each plugin's adminMenu entries");
    const signedOut = await t.http().get('/admin/plugins').set('accept', 'text/html').expect(302);
    assert.match(String(signedOut.headers.location), /^\/admin\/login/);

    await t.http().put('/api/v1/plugins/fx-base/settings').set(headers).send({ settings: { count: 11 } }).expect(400);
    const bad = await t.http().put('/api/v1/plugins/fx-base/settings').set(headers).send({ settings: { count: 1, extra: { limit: 50 } } }).expect(400);
    assert.match(bad.body.message, /fx-base.*extra\.limit/);
    const locked = await t.http().put('/api/v1/plugins/fx-base/settings').set(headers).send({ settings: { greeting: 'hi' } }).expect(409);
    assert.equal(locked.body.code, 'setting_locked');
    await t.http().put('/api/v1/plugins/fx-base/settings').set({ cookie: headers.cookie }).send({ settings: { count: 2 } }).expect(403);

    // the adjuster reads the setting at checkout: before and after the save, no restart
    const m = await t.signIn('settings');
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 1000, stock: 10 }] });
    const before = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 3 }] }).expect(200);
    assert.equal(before.body.discountTotal, 0);
    const saved = await t.http().put('/api/v1/plugins/fx-base/settings').set(headers).send({ settings: { loud: true, fee: 1250 } }).expect(200);
    assert.equal(saved.body.values.fee, 1250);
    const afterSave = await m.agent.post('/api/v1/checkout/preview').send({ items: [{ variantId: variantIds[0], quantity: 3 }] }).expect(200);
    assert.equal(afterSave.body.discountTotal, 3);
    assert.deepEqual(afterSave.body.adjustments.find((a: { source: string }) => a.source === 'fx-base:loud-discount')?.amount, 3);
    await t.http().put('/api/v1/plugins/fx-base/settings').set(headers).send({ settings: { loud: false } }).expect(200);
  });
});

describe('plugin start-up checks', () => {
  it('a missing dependency stops start-up, naming the plugin', () => startFails({ PLUGINS: 'fx-missing-dep' }, /Plugin "fx-missing-dep" depends on "fx-nowhere", which is not installed/));
  it('a dependency that is installed but not enabled stops start-up', () => startFails({ PLUGINS: 'fx-dependent' }, /Plugin "fx-dependent" depends on "fx-base", which is not enabled/));
  it('a dependency outside the required version range stops start-up', () => startFails({ PLUGINS: 'fx-base,fx-wants-newer' }, /Plugin "fx-wants-newer" depends on "fx-base" \^2\.0\.0, but "fx-base" 1\.2\.0 is installed/));
  it('a dependency cycle stops start-up', () => startFails({ PLUGINS: 'fx-cycle-a,fx-cycle-b' }, /dependency cycle: "fx-cycle-a" → "fx-cycle-b" → "fx-cycle-a"/));
  it('an incompatible core version stops start-up', () => startFails({ PLUGINS: 'fx-future-core' }, /Plugin "fx-future-core" 1\.0\.0 is incompatible with this core: it supports core ">=9\.0\.0", but core is 0\.1\.0/));
  it('an invalid manifest stops start-up', () => startFails({ PLUGINS: 'fx-bad-manifest' }, /Plugin "fx-bad-manifest" has an invalid manifest .*"version" must be a semver version.*settings\.n\.default must be a whole number/));
  it('an enabled plugin that is not installed stops start-up', () => startFails({ PLUGINS: 'fx-nope' }, /Plugin "fx-nope" is enabled but not installed/));
  it('settings outside the schema stop start-up', () => startFails({ PLUGINS: 'fx-base', MALL_CONFIG: configFile({ plugins: { 'fx-base': { settings: { count: 50 } } } }) }, /Plugin "fx-base" has invalid settings: count must be at most 10/));
  it("settings failing the plugin's own validation stop start-up", () => startFails({ PLUGINS: 'fx-base', MALL_CONFIG: configFile({ plugins: { 'fx-base': { settings: { count: 1, extra: { limit: 99 } } } } }) }, /Plugin "fx-base" has invalid settings: extra\.limit \(99\)/));
  it('a misspelt setting in mall.config.json stops start-up', () => startFails({ PLUGINS: 'fx-base', MALL_CONFIG: configFile({ plugins: { 'fx-base': { settings: { greting: 'x' } } } }) }, /Plugin "fx-base" has invalid settings: mall\.config\.json sets "greting"/));
  it('mall.config.json can enable plugins', async () => {
    const t = await startTestApp({ env: { ...BASE_ENV, MALL_CONFIG: configFile({ plugins: { 'fx-base': { enabled: true }, 'fx-dependent': { enabled: false } } }) } });
    try {
      assert.deepEqual(t.get(PluginRegistry).active().map((p) => p.id), ['fx-base']);
    } finally {
      await t.close();
    }
  });
});

describe('enabling and disabling plugins', () => {
  it('the admin enables plugins for the next start; dependencies are enforced both ways', async () => {
    const created = await createTestDatabase();
    const env = { ...BASE_ENV };
    try {
      const a = await startTestApp({ db: created.db, env });
      const h = await adminHeaders(a);
      assert.equal(a.get(PluginRegistry).active().length, 0);
      const early = await a.http().post('/api/v1/plugins/fx-dependent/enable').set(h).expect(409);
      assert.equal(early.body.code, 'dependency_disabled');
      await a.http().post('/api/v1/plugins/fx-future-core/enable').set(h).expect(409);
      const on = await a.http().post('/api/v1/plugins/fx-base/enable').set(h).expect(200);
      assert.deepEqual({ enabled: on.body.enabled, active: on.body.active, restartRequired: on.body.restartRequired }, { enabled: true, active: false, restartRequired: true });
      await a.http().post('/api/v1/plugins/fx-dependent/enable').set(h).expect(200);
      await a.close();

      const b = await startTestApp({ db: created.db, env });
      assert.deepEqual(b.get(PluginRegistry).active().map((p) => p.id), ['fx-base', 'fx-dependent'], 'the enabled set applies at the next start');
      const refused = await b.http().post('/api/v1/plugins/fx-base/disable').set(await adminHeaders(b)).expect(409);
      assert.equal(refused.body.code, 'plugin_required');
      await b.close();
    } finally {
      await created.drop();
    }
  });

  it('disabling a plugin keeps its tables and data; enabling it again finds them', async () => {
    const created = await createTestDatabase();
    try {
      const on = await startTestApp({ db: created.db, env: { ...BASE_ENV, PLUGINS: 'fx-base' } });
      await on.ds.getRepository(FxNote).insert([{ kind: 'keep', text: 'one' }, { kind: 'keep', text: 'two' }]);
      await on.close();

      const off = await startTestApp({ db: created.db, env: { ...BASE_ENV, PLUGINS: '' } });
      assert.equal(off.get(PluginRegistry).isActive('fx-base'), false);
      await off.http().get('/api/v1/fx-base/settings').expect(404);
      const rows = (await off.ds.query(`SELECT COUNT(*) AS n FROM fx_note WHERE kind = 'keep'`)) as Array<{ n: number | string }>;
      assert.equal(Number(rows[0].n), 2, 'the table and rows are still there while the plugin is off');
      await off.close();

      const again = await startTestApp({ db: created.db, env: { ...BASE_ENV, PLUGINS: 'fx-base' } });
      assert.equal(await again.ds.getRepository(FxNote).countBy({ kind: 'keep' }), 2);
      const fxMigrations = (await new MigrationRunner(again.ds).appliedNames()).filter((m) => m.group === 'fx-base');
      assert.equal(fxMigrations.length, 1, 'migrations are not re-applied');
      await again.close();
    } finally {
      await created.drop();
    }
  });
});
