/**
 * Distribution benchmark: a team of 100,000 members and 10,000 paid orders, on SQLite and MariaDB.
 * Measures what the issue asks about: binding a new member into a large team (with the cycle check),
 * finding a buyer's uplines, computing commission per paid order, and counting a team by level.
 *
 *   npm run build && node dist/bench/distribution.js        (also run by `npm run bench`)
 *
 * BENCH_TEAM (100000), BENCH_ORDERS (10000), BENCH_DBS (sqlite,mariadb), BENCH_MYSQL_URL.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { loadConfig, type DatabaseConfig } from '../core/config/app-config.js';
import { createApp } from '../core/app/create-app.js';

const TEAM = Number(process.env.BENCH_TEAM ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const DISTRIBUTORS = 1000;
const BIND_SAMPLES = 2000;
const LOOKUP_SAMPLES = 10_000;

export interface DistributionBenchResult {
  database: string;
  teamSize: number;
  setupSeconds: number;
  bindMsPerMember: number;
  uplineLookupMs: number;
  commissionMsPerOrder: number;
  commissionsWritten: number;
  teamCountMs: number;
}

async function database(kind: string): Promise<{ db: DatabaseConfig; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mall-distbench-'));
    return { db: { kind: 'sqlite', url: join(dir, 'bench.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
  const opts = { host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) };
  const conn = await createConnection(opts);
  await conn.query('DROP DATABASE IF EXISTS mall_distbench');
  await conn.query('CREATE DATABASE mall_distbench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await conn.end();
  const url = new URL(base.toString());
  url.pathname = '/mall_distbench';
  return {
    db: { kind: 'mysql', url: url.toString() },
    drop: async () => {
      const c = await createConnection(opts);
      await c.query('DROP DATABASE IF EXISTS mall_distbench');
      await c.end();
    },
  };
}

async function insertChunks(ds: DataSource, table: string, columns: string[], rows: unknown[][], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const placeholders = part.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
    await ds.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${placeholders}`, part.flat());
  }
}

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

export async function benchDistribution(kind: string): Promise<DistributionBenchResult> {
  const { db, drop } = await database(kind);
  const configFile = join(mkdtempSync(join(tmpdir(), 'mall-distbench-cfg-')), 'mall.config.json');
  writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode: 'multi', levelsDeep: 3 } } } }));
  const config = loadConfig({ PLUGINS: 'distribution,distribution-multi', MALL_CONFIG: configFile, JOBS_ENABLED: 'false', SESSION_SECRET: 'bench-secret-bench-secret-0123' });
  config.database = db;
  const { app, dataSource: ds } = await createApp({ config, logger: ['error'] });
  const { ReferralBindingService } = await import('../plugins/distribution/services/referral-binding.service.js');
  const { CommissionService } = await import('../plugins/distribution/services/commission.service.js');
  const { DistributorService } = await import('../plugins/distribution/services/distributor.service.js');
  try {
    const t0 = performance.now();
    const now = stamp(new Date());
    // members 1..TEAM+BIND_SAMPLES
    const total = TEAM + BIND_SAMPLES;
    await insertChunks(ds, 'member', ['openid', 'nickname', 'source', 'created_at', 'updated_at'], Array.from({ length: total }, (_, i) => [`bench_${i + 1}`, `会员${i + 1}`, 'sandbox', now, now]));
    const [{ minId }] = (await ds.query('SELECT MIN(id) AS minId FROM member')) as Array<{ minId: number }>;
    const memberId = (i: number) => Number(minId) + i; // i is 0-based
    // the first DISTRIBUTORS members are distributors in a 10-ary tree; everyone else hangs below one of them
    await insertChunks(ds, 'dist_distributor', ['member_id', 'status', 'level_id', 'referral_code', 'shop_name', 'balance_version', 'created_at', 'updated_at'],
      Array.from({ length: DISTRIBUTORS }, (_, i) => [memberId(i), 'active', null, `B${String(i).padStart(7, '0')}`, `店${i}`, 0, now, now]));
    const chain = new Map<number, [number | null, number | null, number | null]>();
    const bindings: unknown[][] = [];
    for (let i = 1; i < TEAM; i++) {
      const parent = i < DISTRIBUTORS ? Math.floor((i - 1) / 10) : i % DISTRIBUTORS;
      const up = chain.get(parent) ?? [null, null, null];
      const mine: [number, number | null, number | null] = [memberId(parent), up[0], up[1]];
      if (i < DISTRIBUTORS) chain.set(i, mine);
      bindings.push([memberId(i), mine[0], mine[1], mine[2], now, i < DISTRIBUTORS ? 1 : 0, 'link', now, now]);
    }
    await insertChunks(ds, 'dist_binding', ['member_id', 'upline1_id', 'upline2_id', 'upline3_id', 'bound_at', 'locked', 'source', 'created_at', 'updated_at'], bindings);
    const setupSeconds = (performance.now() - t0) / 1000;

    // 1. binding new members into the team through the service (rules, cycle check, transaction)
    const bindingService = app.get(ReferralBindingService);
    let t = performance.now();
    for (let k = 0; k < BIND_SAMPLES; k++) {
      const outcome = await bindingService.bind(memberId(TEAM + k), memberId((k * 7919) % DISTRIBUTORS), 'link');
      if (outcome !== 'bound') throw new Error(`bind ${k}: ${outcome}`);
    }
    const bindMsPerMember = (performance.now() - t) / BIND_SAMPLES;

    // 2. upline lookup of random buyers
    t = performance.now();
    for (let k = 0; k < LOOKUP_SAMPLES; k++) await bindingService.bindingOf(memberId(DISTRIBUTORS + ((k * 104729) % (TEAM - DISTRIBUTORS))));
    const uplineLookupMs = (performance.now() - t) / LOOKUP_SAMPLES;

    // 3. commission for paid orders: orders, lines and snapshots in bulk, then the paid handler per order
    await insertChunks(ds, 'mall_order', ['order_no', 'member_id', 'status', 'items_total', 'discount_total', 'shipping_fee', 'payable_total', 'paid_total', 'refunded_total', 'recipient_name', 'recipient_phone', 'province', 'city', 'district', 'address_detail', 'buyer_note', 'paid_at', 'created_at', 'updated_at'],
      Array.from({ length: ORDERS }, (_, k) => [`B${String(k).padStart(19, '0')}`, memberId(DISTRIBUTORS + k), 'paid', 9900, 0, 0, 9900, 9900, 0, '张三', '13800138000', '浙江省', '杭州市', '西湖区', '文三路', '', now, now, now]));
    const orders = (await ds.query('SELECT id, member_id FROM mall_order ORDER BY id')) as Array<{ id: number; member_id: number }>;
    await insertChunks(ds, 'order_line', ['order_id', 'product_id', 'variant_id', 'title', 'spec_text', 'list_unit_price', 'unit_price', 'quantity', 'line_total', 'discount_allocated', 'payable_total', 'refunded_total', 'created_at', 'updated_at'],
      orders.map((o) => [o.id, 1, 1, '基准商品', '', 9900, 9900, 1, 9900, 0, 9900, 0, now, now]));
    const snapshots: unknown[][] = [];
    for (const o of orders) {
      const [b] = (await ds.query('SELECT upline1_id, upline2_id, upline3_id FROM dist_binding WHERE member_id = ?', [o.member_id])) as Array<{ upline1_id: number; upline2_id: number | null; upline3_id: number | null }>;
      snapshots.push([o.id, o.member_id, 'multi', JSON.stringify([b.upline1_id, b.upline2_id, b.upline3_id].filter((x) => x !== null)), '[]', 0, now, now]);
    }
    await insertChunks(ds, 'dist_order', ['order_id', 'buyer_id', 'mode', 'earners', 'excluded_line_ids', 'self_purchase', 'created_at', 'updated_at'], snapshots);
    const commissions = app.get(CommissionService);
    t = performance.now();
    let written = 0;
    for (const o of orders) written += await commissions.onPaid(o.id);
    const commissionMsPerOrder = (performance.now() - t) / ORDERS;

    // 4. team counts of the root distributor (the whole team sits below it)
    const distributors = app.get(DistributorService);
    t = performance.now();
    for (let k = 0; k < 50; k++) await distributors.team(memberId(k % 10), 1, 1, 20);
    const teamCountMs = (performance.now() - t) / 50;

    return { database: kind === 'sqlite' ? 'SQLite' : 'MariaDB', teamSize: TEAM, setupSeconds, bindMsPerMember, uplineLookupMs, commissionMsPerOrder, commissionsWritten: written, teamCountMs };
  } finally {
    await app.close();
    await drop();
  }
}

export function distributionMarkdown(results: DistributionBenchResult[]): string {
  const f = (n: number, d = 2) => n.toFixed(d);
  const rows = results.map((r) => `| ${r.database} | ${r.teamSize.toLocaleString('en')} | ${f(r.bindMsPerMember)} | ${f(r.uplineLookupMs, 3)} | ${f(r.commissionMsPerOrder)} (${f(1000 / r.commissionMsPerOrder, 0)}/s) | ${r.commissionsWritten.toLocaleString('en')} | ${f(r.teamCountMs)} |`);
  return [
    '## Distribution: a team of ' + (results[0]?.teamSize ?? TEAM).toLocaleString('en') + ' members and ' + ORDERS.toLocaleString('en') + ' paid orders',
    '',
    'A 10-ary tree of 1,000 distributors with the rest of the team bound below them (multi-tier mode, 3 levels paid).',
    'Binding goes through the service (rules, cycle check, one transaction); the upline lookup is what checkout does;',
    'commission is the `order.paid` handler, one order at a time (compute, write commission rows and ledger movements).',
    '',
    '| database | team | bind a new member (ms) | find a buyer\'s uplines (ms) | commission per paid order (ms) | commission rows | team page with level counts (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('distribution.js')) {
  const dbs = (process.env.BENCH_DBS ?? 'sqlite,mariadb').split(',').map((s) => s.trim()).filter(Boolean);
  const results: DistributionBenchResult[] = [];
  for (const kind of dbs) {
    console.log(`distribution bench on ${kind} …`);
    results.push(await benchDistribution(kind));
    console.log(JSON.stringify(results[results.length - 1]));
  }
  console.log(distributionMarkdown(results));
}
