/**
 * Flash-sale benchmark (秒杀): 10,000 attempts from 2,000 members on 100 units at 64 connections,
 * on MariaDB, without and with the Redis gate, against the hot-row figures of ../shared/PERFORMANCE.md
 * measured again in the same run.
 *
 *   npm run build && node dist/plugins/flash-sale/bench/flash-bench.js      (standalone)
 *   import { runFlashBench } from '../plugins/flash-sale/bench/flash-bench.js' (from `npm run bench`)
 *
 * What runs:
 *  1. MariaDB alone (mysql2, pool = BENCH_FLASH_POOL, 32): a conditional UPDATE of one hot row; the same
 *     UPDATE + an order INSERT in one transaction (separate client calls: the "single-row transaction");
 *     the sold-out path (the UPDATE matches no row). And the Redis Lua check-and-decrement (ioredis).
 *  2. The mall as a child process (`node dist/core/main.js`, PLUGINS=flash-sale, JOBS_ENABLED=false,
 *     LOG_LEVEL=warn, DB_POOL_SIZE = the same pool), once without REDIS_URL and once with it:
 *     - plain HTTP throughput: GET /healthz; the cached /flash-sale page; a product page (rendered per request);
 *     - the rush: 10,000 POST /api/v1/flash-sale/items/:id/buy, each with the cookie of the next of
 *       2,000 members (per-member limit 1) on 100 units: attempts/s, p99, outcomes, orders created
 *       (must be exactly 100, checked in the database), the time to sell out, rejections/s after it;
 *     - sustained orders: 2,000 members each buying one of 2,000 units (every attempt an order).
 *  Targets (issue 7): sold-out rejections ≥ 50% of plain HTTP (/healthz) throughput; successful orders
 *  ≥ 80% of the database's single-row transaction rate.
 *
 * Environment: BENCH_MYSQL_URL (or TEST_MYSQL_URL; default mysql://root@127.0.0.1:3306/test),
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379; the gate run is skipped when it does not answer),
 * BENCH_FLASH_ATTEMPTS (10000), BENCH_FLASH_MEMBERS (2000), BENCH_FLASH_UNITS (100),
 * BENCH_FLASH_CONNECTIONS (64), BENCH_FLASH_POOL (32), BENCH_FLASH_SECONDS (5), BENCH_FLASH_OUT (a file
 * for the Markdown report; standalone only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannonModule from 'autocannon';
import { Redis } from 'ioredis';
import { createConnection, createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { fromRoot } from '../../../core/common/paths.js';
import { signValue } from '../../../core/auth/signed-cookie.js';

// ------------------------------------------------------------------ options and results

export interface FlashBenchOptions {
  mysqlUrl: string;
  redisUrl: string;
  attempts: number;
  members: number;
  units: number;
  connections: number;
  pool: number;
  seconds: number;
  log: (line: string) => void;
}

export interface Rate { perSecond: number; count: number; seconds: number; p99Ms?: number }

export interface RushResult {
  gate: 'none' | 'redis';
  attempts: number;
  seconds: number;
  attemptsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  created: number;
  soldOut: number;
  limitReached: number;
  other: Record<string, number>;
  ordersInDatabase: number;
  purchasesInDatabase: number;
  itemStockAfter: number;
  exact: boolean;
  /** From the start to the last successful order. */
  sellOutMs: number;
  ordersPerSecondInRush: number;
  /** Refusals answered after the last unit was sold, per second (includes draining the in-flight checkouts). */
  rejectionsPerSecond: number;
  /** Then `seconds` more of attempts on the sold-out item (every one refused): refusals/s and p99. */
  soldOutSteady: Rate;
}

export interface OrdersResult { gate: 'none' | 'redis'; orders: number; seconds: number; ordersPerSecond: number; p99Ms: number; failed: number; label: string }

export interface FlashBenchReport {
  startedAt: string;
  cores: number;
  pool: number;
  connections: number;
  database: { version: string; hotUpdate: Rate; transaction: Rate; soldOutUpdate: Rate };
  redisLua: Rate | null;
  http: Array<{ gate: 'none' | 'redis'; healthz: Rate; flashPage: Rate; productPage: Rate; pageRenders: string }>;
  rush: RushResult[];
  orders: OrdersResult[];
  /** The core checkout alone (POST /api/v1/orders spread over 64 variants: no hot row), for contrast. */
  coreOrders: OrdersResult[];
  targets: Array<{ target: string; gate: string; value: number; ratio: number; met: boolean }>;
  markdown: string;
}

/** ../shared/PERFORMANCE.md, for reference next to this run's own figures. */
const REFERENCE = { hotUpdate: 7360, transaction: '1,990-2,540', soldOutUpdate: 11700, redisLua: 99400 };

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return n;
}

export function defaultFlashBenchOptions(): FlashBenchOptions {
  return {
    mysqlUrl: process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    attempts: num('BENCH_FLASH_ATTEMPTS', 10_000),
    members: num('BENCH_FLASH_MEMBERS', 2000),
    units: num('BENCH_FLASH_UNITS', 100),
    connections: num('BENCH_FLASH_CONNECTIONS', 64),
    pool: num('BENCH_FLASH_POOL', 32),
    seconds: num('BENCH_FLASH_SECONDS', 5),
    log: (line) => console.log(line),
  };
}

// ------------------------------------------------------------------ autocannon (typed locally)

interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest) => CannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: CannonRequest[];
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = autocannonModule as unknown as (opts: CannonOptions) => PromiseLike<CannonResult>;

/**
 * Runs autocannon; `seconds` is the time to the last response (autocannon notices that `amount` is
 * reached only at its next 1-second tick, which would round every short run up).
 */
async function cannon(opts: CannonOptions): Promise<CannonResult & { seconds: number }> {
  const t0 = performance.now();
  let last = t0;
  const requests = opts.requests?.map((req) => ({
    ...req,
    onResponse: (status: number, body: string) => {
      last = performance.now();
      req.onResponse?.(status, body);
    },
  }));
  const r = await autocannon({ timeout: 20, ...opts, ...(requests ? { requests } : {}) });
  const end = opts.amount && requests ? last : performance.now();
  return { ...r, seconds: (end - t0) / 1000 };
}

async function httpRate(port: number, path: string, connections: number, seconds: number): Promise<Rate> {
  const r = await cannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: seconds });
  const ok = r.statusCodeStats['200']?.count ?? 0;
  if (ok < r.requests.total * 0.99) throw new Error(`${path}: only ${ok} of ${r.requests.total} answered 200 (${JSON.stringify(r.statusCodeStats)})`);
  return { perSecond: r.requests.total / r.seconds, count: r.requests.total, seconds: r.seconds, p99Ms: r.latency.p99 };
}

// ------------------------------------------------------------------ the database alone

function mysqlOptions(url: string): { host: string; port: number; user: string; password: string; database?: string } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

async function admin(url: string, sql: string[]): Promise<string> {
  const conn = await createConnection({ ...mysqlOptions(url), connectTimeout: 5000 });
  try {
    for (const s of sql) await conn.query(s);
    const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
    return String(rows[0]?.v ?? '');
  } finally {
    await conn.end();
  }
}

/** `pool` workers, each on its own connection, run `op` until `seconds` have passed. */
async function loop(pool: Pool, workers: number, seconds: number, op: (c: PoolConnection, i: number) => Promise<void>): Promise<Rate> {
  const conns = await Promise.all(Array.from({ length: workers }, () => pool.getConnection()));
  let count = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(conns.map(async (c, w) => {
    let i = w;
    while (performance.now() < until) {
      await op(c, i);
      i += workers;
      count++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of conns) c.release();
  return { perSecond: count / elapsed, count, seconds: elapsed };
}

async function databaseAlone(o: FlashBenchOptions): Promise<FlashBenchReport['database']> {
  const db = 'mall_flashbench_raw';
  const version = await admin(o.mysqlUrl, [`DROP DATABASE IF EXISTS ${db}`, `CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
  const pool = createPool({ ...mysqlOptions(o.mysqlUrl), database: db, connectionLimit: o.pool });
  try {
    await pool.query('CREATE TABLE hot (id INT PRIMARY KEY, stock INT NOT NULL) ENGINE=InnoDB');
    await pool.query('CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT NOT NULL, member_id INT NOT NULL, quantity INT NOT NULL, amount INT NOT NULL, created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB');
    await pool.query('INSERT INTO hot VALUES (1, 1000000000), (2, 0)');
    const warm = await loop(pool, o.pool, 1, async (c) => { await c.query('UPDATE hot SET stock = stock - 1 WHERE id = 1 AND stock >= 1'); });
    void warm;
    const hotUpdate = await loop(pool, o.pool, o.seconds, async (c) => {
      await c.query('UPDATE hot SET stock = stock - 1 WHERE id = 1 AND stock >= 1');
    });
    o.log(`  MariaDB conditional UPDATE of one hot row, pool ${o.pool}: ${fmt(hotUpdate.perSecond)}/s`);
    const transaction = await loop(pool, o.pool, o.seconds, async (c, i) => {
      await c.beginTransaction();
      await c.query('UPDATE hot SET stock = stock - 1 WHERE id = 1 AND stock >= 1');
      await c.query('INSERT INTO orders (item_id, member_id, quantity, amount) VALUES (1, ?, 1, 3900)', [i]);
      await c.commit();
    });
    o.log(`  MariaDB same UPDATE + order INSERT in one transaction (separate calls): ${fmt(transaction.perSecond)}/s`);
    const soldOutUpdate = await loop(pool, o.pool, o.seconds, async (c) => {
      await c.query('UPDATE hot SET stock = stock - 1 WHERE id = 2 AND stock >= 1');
    });
    o.log(`  MariaDB sold-out path (the UPDATE matches no row): ${fmt(soldOutUpdate.perSecond)}/s`);
    return { version, hotUpdate, transaction, soldOutUpdate };
  } finally {
    await pool.end();
    await admin(o.mysqlUrl, [`DROP DATABASE IF EXISTS ${db}`]).catch(() => undefined);
  }
}

async function redisReachable(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function redisLua(o: FlashBenchOptions): Promise<Rate> {
  const r = new Redis(o.redisUrl);
  const key = `flash-sale:bench:${process.pid}`;
  try {
    await r.set(key, '1000000000', 'EX', 600);
    const script = "local v = tonumber(redis.call('GET', KEYS[1]) or '-1') if v >= tonumber(ARGV[1]) then redis.call('DECRBY', KEYS[1], ARGV[1]) return 1 end return 0";
    let count = 0;
    const t0 = performance.now();
    const until = t0 + Math.min(3, o.seconds) * 1000;
    await Promise.all(Array.from({ length: o.connections }, async () => {
      while (performance.now() < until) {
        await r.eval(script, 1, key, 1);
        count++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: count / seconds, count, seconds };
  } finally {
    await r.del(key).catch(() => undefined);
    r.disconnect();
  }
}

// ------------------------------------------------------------------ the mall

const SESSION_SECRET = 'flash-bench-session-secret-0123456789';
const ADMIN = { email: 'flash-bench@mall.local', password: 'flash-bench-password-1' };
const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface App { proc: ChildProcess; port: number; log: string[] }

async function startApp(env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  const proc = spawn(process.execPath, [fromRoot('dist/core/main.js')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 100) log.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`the mall exited with ${proc.exitCode}:\n${log.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.ok) return { proc, port, log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the mall did not answer /healthz within 120 s:\n${log.join('')}`);
}

async function stopApp(app: App): Promise<void> {
  if (app.proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => app.proc.once('exit', () => r()));
  app.proc.kill('SIGTERM');
  const timer = setTimeout(() => app.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function api(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body !== undefined ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function adminSession(port: number): Promise<Record<string, string>> {
  const res = await api(port, 'POST', '/api/v1/admin/session', ADMIN);
  if (res.status !== 200) throw new Error(`admin sign-in: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('mall_admin='))?.split(';')[0];
  if (!cookie) throw new Error('admin sign-in set no cookie');
  return { cookie, 'x-csrf-token': String(res.body.csrfToken) };
}

function must<T>(res: { status: number; body: Record<string, unknown> }, status: number, what: string): T {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

interface Shop { variantId: number; slug: string; spread: number[]; members: Array<{ cookie: string; body: string; addressId: number }> }

/** The product (admin API), and the members with their addresses (one multi-row INSERT each: 2,000 sign-ins would only measure sign-in). */
async function prepareShop(o: FlashBenchOptions, port: number, adminHeaders: Record<string, string>, dbUrl: string): Promise<Shop> {
  const product = must<{ id: number; slug: string; variants?: Array<{ id: number }> }>(await api(port, 'POST', '/api/v1/admin/products', {
    title: '秒杀测试商品 蓝牙耳机', images: [], specNames: [], variants: [{ specValues: [], price: 19900, stock: 1_000_000 }], isListed: true,
  }, adminHeaders), 201, 'create product');
  let variantId = product.variants?.[0]?.id;
  if (!variantId) {
    const found = must<{ items: Array<{ id: number; productId: number }> }>(await api(port, 'GET', '/api/v1/admin/flash-sale/variants?q=' + encodeURIComponent('秒杀测试商品'), undefined, adminHeaders), 200, 'find variant');
    variantId = found.items.find((v) => v.productId === product.id)?.id;
  }
  if (!variantId) throw new Error('the product has no variant id');
  const spreadProduct = must<{ variants?: Array<{ id: number }> }>(await api(port, 'POST', '/api/v1/admin/products', {
    title: '对照商品 普通下单', images: [], specNames: ['编号'], variants: Array.from({ length: 64 }, (_, i) => ({ specValues: [String(i + 1)], price: 3900, stock: 1_000_000 })), isListed: true,
  }, adminHeaders), 201, 'create the contrast product');
  const spread = (spreadProduct.variants ?? []).map((v) => v.id);
  const conn = await createConnection({ ...mysqlOptions(dbUrl), database: new URL(dbUrl).pathname.slice(1) });
  try {
    const tag = Date.now().toString(36);
    const rows = Array.from({ length: o.members }, (_, i) => [`bench-${tag}-${i}`, `抢购者${i}`, 'sandbox']);
    await conn.query('INSERT INTO member (openid, nickname, source) VALUES ?', [rows]);
    const [members] = await conn.query<RowDataPacket[]>('SELECT id FROM member WHERE openid LIKE ? ORDER BY id', [`bench-${tag}-%`]);
    const ids = members.map((m) => Number(m.id));
    await conn.query('INSERT INTO member_address (member_id, recipient_name, phone, province, city, district, detail, is_default) VALUES ?', [ids.map((id) => [id, '张三', '13800138000', '浙江省', '杭州市', '西湖区', '文三路 100 号', 1])]);
    const [addresses] = await conn.query<RowDataPacket[]>('SELECT id, member_id AS memberId FROM member_address WHERE member_id IN (?)', [ids]);
    const addressOf = new Map(addresses.map((a) => [Number(a.memberId), Number(a.id)]));
    return {
      variantId, slug: product.slug, spread,
      members: ids.map((id) => {
        const addressId = addressOf.get(id)!;
        return { cookie: `mall_member=${signValue(SESSION_SECRET, 'member', String(id))}`, body: JSON.stringify({ addressId, quantity: 1 }), addressId };
      }),
    };
  } finally {
    await conn.end();
  }
}

async function flashItem(port: number, adminHeaders: Record<string, string>, variantId: number, units: number, title: string): Promise<number> {
  const session = must<{ id: number }>(await api(port, 'POST', '/api/v1/admin/flash-sale/sessions', {
    title, kind: 'once', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), paymentTimeoutMinutes: 15,
  }, adminHeaders), 201, 'create session');
  const item = must<{ id: number }>(await api(port, 'POST', `/api/v1/admin/flash-sale/sessions/${session.id}/items`, { variantId, flashPrice: 3900, stock: units, perMemberLimit: 1 }, adminHeaders), 201, 'add item');
  return item.id;
}

async function dbCount(dbUrl: string, sql: string, params: unknown[]): Promise<number> {
  const conn = await createConnection({ ...mysqlOptions(dbUrl), database: new URL(dbUrl).pathname.slice(1) });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql, params);
    return Number(Object.values(rows[0] ?? { n: NaN })[0]);
  } finally {
    await conn.end();
  }
}

/** Attempts rotate through the members: attempt i carries member (i mod members)'s cookie and address. */
function buyRequests(shop: Shop, itemId: number, onResult: (status: number, body: string) => void): CannonRequest[] {
  let next = 0;
  return [{
    method: 'POST', path: `/api/v1/flash-sale/items/${itemId}/buy`, headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      const m = shop.members[next++ % shop.members.length];
      return { ...req, headers: { ...req.headers, cookie: m.cookie }, body: m.body };
    },
    onResponse: onResult,
  }];
}

async function rush(o: FlashBenchOptions, app: App, shop: Shop, adminHeaders: Record<string, string>, dbUrl: string, gate: 'none' | 'redis'): Promise<RushResult> {
  const itemId = await flashItem(app.port, adminHeaders, shop.variantId, o.units, `压测场 ${gate}`);
  const ordersBefore = await dbCount(dbUrl, 'SELECT COUNT(*) AS n FROM mall_order', []);
  const other: Record<string, number> = {};
  let created = 0;
  let soldOut = 0;
  let limitReached = 0;
  let lastCreated = 0;
  let afterSellOut = 0;
  let answered = 0;
  const marks: string[] = [];
  const t0 = performance.now();
  const r = await cannon({
    url: `http://127.0.0.1:${app.port}`, connections: o.connections, amount: o.attempts,
    requests: buyRequests(shop, itemId, (status, body) => {
      if (status === 201) {
        created++;
        lastCreated = performance.now();
        if (created === 1 || created === Math.ceil(o.units / 2)) marks.push(`order ${created} at ${(lastCreated - t0).toFixed(0)} ms`);
        answered++;
        return;
      }
      answered++;
      if (created >= o.units) afterSellOut++;
      const code = /"code":"([a-z_]+)"/.exec(body)?.[1] ?? String(status);
      if (code === 'flash_sold_out') soldOut++;
      else if (code === 'flash_limit_reached') limitReached++;
      else other[code] = (other[code] ?? 0) + 1;
    }),
  });
  const ordersInDatabase = (await dbCount(dbUrl, 'SELECT COUNT(*) AS n FROM mall_order', [])) - ordersBefore;
  const purchasesInDatabase = await dbCount(dbUrl, 'SELECT COUNT(*) AS n FROM flash_sale_purchase WHERE item_id = ? AND status = ?', [itemId, 'active']);
  const itemStockAfter = await dbCount(dbUrl, 'SELECT stock AS n FROM flash_sale_item WHERE id = ?', [itemId]);
  const sellOutMs = lastCreated ? lastCreated - t0 : NaN;
  let refusedSteady = 0;
  const steady = await cannon({
    url: `http://127.0.0.1:${app.port}`, connections: o.connections, duration: o.seconds,
    requests: buyRequests(shop, itemId, (status) => { if (status === 409) refusedSteady++; }),
  });
  if (refusedSteady < steady.requests.total * 0.99) throw new Error(`sold-out phase: only ${refusedSteady} of ${steady.requests.total} refused (${JSON.stringify(steady.statusCodeStats)})`);
  const afterSeconds = r.seconds - sellOutMs / 1000;
  const result: RushResult = {
    gate, attempts: r.requests.total, seconds: r.seconds, attemptsPerSecond: r.requests.total / r.seconds, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
    created, soldOut, limitReached, other: { ...other, ...(r.errors ? { socketErrors: r.errors } : {}) }, ordersInDatabase, purchasesInDatabase, itemStockAfter,
    exact: ordersInDatabase === o.units && purchasesInDatabase === o.units && created === o.units && itemStockAfter === 0,
    sellOutMs, ordersPerSecondInRush: created / (sellOutMs / 1000), rejectionsPerSecond: afterSeconds > 0 ? afterSellOut / afterSeconds : NaN,
    soldOutSteady: { perSecond: steady.requests.total / steady.seconds, count: steady.requests.total, seconds: steady.seconds, p99Ms: steady.latency.p99 },
  };
  o.log(`  rush (${gate === 'redis' ? 'Redis gate' : 'no gate'}): ${result.attempts} attempts in ${result.seconds.toFixed(2)} s = ${fmt(result.attemptsPerSecond)}/s, p99 ${result.p99Ms} ms; `
    + `${created} orders (database: ${ordersInDatabase} orders, ${purchasesInDatabase} purchases, stock left ${itemStockAfter}), ${soldOut} sold out, ${limitReached} over the limit${Object.keys(result.other).length ? `, other ${JSON.stringify(result.other)}` : ''}; `
    + `sold out after ${sellOutMs.toFixed(0)} ms (${marks.join(', ')}); ${fmt(result.rejectionsPerSecond)} refusals/s after that; then ${o.seconds} s on the sold-out item: ${fmt(result.soldOutSteady.perSecond)} refusals/s, p99 ${result.soldOutSteady.p99Ms} ms`);
  return result;
}

async function sustainedOrders(o: FlashBenchOptions, app: App, shop: Shop, adminHeaders: Record<string, string>, gate: 'none' | 'redis'): Promise<OrdersResult> {
  const n = shop.members.length;
  const itemId = await flashItem(app.port, adminHeaders, shop.variantId, n, `下单场 ${gate}`);
  let failed = 0;
  const codes: Record<string, number> = {};
  const r = await cannon({
    url: `http://127.0.0.1:${app.port}`, connections: o.connections, amount: n,
    requests: buyRequests(shop, itemId, (status, body) => {
      if (status === 201) return;
      failed++;
      const code = /"code":"([a-z_]+)"/.exec(body)?.[1] ?? String(status);
      codes[code] = (codes[code] ?? 0) + 1;
    }),
  });
  if (failed) o.log(`  (flash orders refused: ${JSON.stringify(codes)})`);
  const result: OrdersResult = { gate, orders: n - failed, seconds: r.seconds, ordersPerSecond: (n - failed) / r.seconds, p99Ms: r.latency.p99, failed, label: 'flash orders' };
  o.log(`  flash orders (${gate === 'redis' ? 'Redis gate' : 'no gate'}): ${result.orders} orders in ${r.seconds.toFixed(2)} s = ${fmt(result.ordersPerSecond)}/s, p99 ${r.latency.p99} ms${failed ? `, ${failed} failed` : ''}`);
  return result;
}

/** The same number of orders through the core checkout (POST /api/v1/orders) spread over 64 variants: no hot row at all. */
async function coreOrders(o: FlashBenchOptions, app: App, shop: Shop, gate: 'none' | 'redis'): Promise<OrdersResult> {
  const n = shop.members.length;
  let next = 0;
  let failed = 0;
  const codes: Record<string, number> = {};
  const r = await cannon({
    url: `http://127.0.0.1:${app.port}`, connections: o.connections, amount: n,
    requests: [{
      method: 'POST', path: '/api/v1/orders', headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const i = next++;
        const m = shop.members[i % n];
        return { ...req, headers: { ...req.headers, cookie: m.cookie }, body: JSON.stringify({ addressId: m.addressId, items: [{ variantId: shop.spread[i % shop.spread.length], quantity: 1 }] }) };
      },
      onResponse: (status, body) => {
        if (status === 201) return;
        failed++;
        const code = /"code":"([a-z_]+)"/.exec(body)?.[1] ?? String(status);
        codes[code] = (codes[code] ?? 0) + 1;
      },
    }],
  });
  if (failed) o.log(`  (core orders refused: ${JSON.stringify(codes)})`);
  const result: OrdersResult = { gate, orders: n - failed, seconds: r.seconds, ordersPerSecond: (n - failed) / r.seconds, p99Ms: r.latency.p99, failed, label: 'core checkout, no hot row' };
  o.log(`  core checkout for contrast (64 variants, no hot row): ${result.orders} orders in ${r.seconds.toFixed(2)} s = ${fmt(result.ordersPerSecond)}/s, p99 ${r.latency.p99} ms${failed ? `, ${failed} failed` : ''}`);
  return result;
}

/** JIT, pools and caches warm for the buy path: a throw-away item, one attempt per member for its units and as many again. */
async function warmUp(o: FlashBenchOptions, app: App, shop: Shop, adminHeaders: Record<string, string>): Promise<void> {
  const units = Math.min(300, shop.members.length);
  const itemId = await flashItem(app.port, adminHeaders, shop.variantId, units, '预热场');
  await cannon({ url: `http://127.0.0.1:${app.port}`, connections: o.connections, amount: Math.min(shop.members.length, units * 2), requests: buyRequests(shop, itemId, () => undefined) });
}

// ------------------------------------------------------------------ run

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
}

export async function runFlashBench(overrides: Partial<FlashBenchOptions> = {}): Promise<FlashBenchReport> {
  const o = { ...defaultFlashBenchOptions(), ...overrides };
  const startedAt = new Date().toISOString();
  o.log(`flash-sale bench: ${o.attempts} attempts, ${o.members} members, ${o.units} units, ${o.connections} connections, pool ${o.pool}`);
  o.log('== MariaDB alone ==');
  const database = await databaseAlone(o);
  const redisUp = await redisReachable(o.redisUrl);
  const lua = redisUp ? await redisLua(o) : null;
  if (lua) o.log(`  Redis Lua check-and-decrement (ioredis, ${o.connections} in flight): ${fmt(lua.perSecond)}/s`);
  else o.log(`  Redis not reachable at ${o.redisUrl}: the gate run is skipped`);

  const dbName = 'mall_flashbench';
  const dbUrl = (() => { const u = new URL(o.mysqlUrl); u.pathname = `/${dbName}`; return u.toString(); })();
  await admin(o.mysqlUrl, [`DROP DATABASE IF EXISTS ${dbName}`, `CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
  const http: FlashBenchReport['http'] = [];
  const rushes: RushResult[] = [];
  const orders: OrdersResult[] = [];
  const core: OrdersResult[] = [];
  let shop: Shop | null = null;
  try {
    for (const gate of (redisUp ? ['none', 'redis'] : ['none']) as Array<'none' | 'redis'>) {
      o.log(`== the mall, ${gate === 'redis' ? `Redis gate (${o.redisUrl})` : 'no Redis gate'} ==`);
      const app = await startApp({
        DATABASE_URL: dbUrl, PLUGINS: 'flash-sale', JOBS_ENABLED: 'false', LOG_LEVEL: 'warn', SESSION_SECRET, DB_POOL_SIZE: String(o.pool),
        ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SANDBOX: 'true', MALL_CONFIG: '/nonexistent/mall.config.json', ...(gate === 'redis' ? { REDIS_URL: o.redisUrl } : {}),
      });
      try {
        const adminHeaders = await adminSession(app.port);
        shop ??= await prepareShop(o, app.port, adminHeaders, dbUrl);
        // warm-up: JIT, pools, caches
        await cannon({ url: `http://127.0.0.1:${app.port}/healthz`, connections: o.connections, duration: 1 });
        await cannon({ url: `http://127.0.0.1:${app.port}/flash-sale`, connections: o.connections, duration: 1 });
        const healthz = await httpRate(app.port, '/healthz', o.connections, o.seconds);
        const rendersBefore = await fetch(`http://127.0.0.1:${app.port}/flash-sale`).then((r) => r.headers.get('x-flash-page'));
        const flashPage = await httpRate(app.port, '/flash-sale', o.connections, o.seconds);
        const productPage = await httpRate(app.port, `/products/${shop.slug}`, o.connections, o.seconds);
        o.log(`  GET /healthz ${fmt(healthz.perSecond)}/s (p99 ${healthz.p99Ms} ms); GET /flash-sale (cached) ${fmt(flashPage.perSecond)}/s (p99 ${flashPage.p99Ms} ms); GET /products/… (rendered per request) ${fmt(productPage.perSecond)}/s`);
        http.push({ gate, healthz, flashPage, productPage, pageRenders: `cache ${rendersBefore ?? '?'} before the run` });
        await warmUp(o, app, shop, adminHeaders);
        rushes.push(await rush(o, app, shop, adminHeaders, dbUrl, gate));
        orders.push(await sustainedOrders(o, app, shop, adminHeaders, gate));
        core.push(await coreOrders(o, app, shop, gate));
      } finally {
        await stopApp(app);
      }
    }
  } finally {
    await admin(o.mysqlUrl, [`DROP DATABASE IF EXISTS ${dbName}`]).catch(() => undefined);
  }

  const targets: FlashBenchReport['targets'] = [];
  for (const r of rushes) {
    const h = http.find((x) => x.gate === r.gate)!;
    const ratio = r.soldOutSteady.perSecond / h.healthz.perSecond;
    targets.push({ target: 'sold-out refusals ≥ 50% of plain HTTP (/healthz)', gate: r.gate, value: r.soldOutSteady.perSecond, ratio, met: ratio >= 0.5 });
  }
  for (const x of orders) {
    const ratio = x.ordersPerSecond / database.transaction.perSecond;
    targets.push({ target: 'successful orders ≥ 80% of the single-row transaction rate', gate: x.gate, value: x.ordersPerSecond, ratio, met: ratio >= 0.8 });
  }
  for (const r of rushes) targets.push({ target: `exactly ${o.units} orders, never oversold`, gate: r.gate, value: r.ordersInDatabase, ratio: r.ordersInDatabase / o.units, met: r.exact });
  const report: FlashBenchReport = { startedAt, cores: cpus().length, pool: o.pool, connections: o.connections, database, redisLua: lua, http, rush: rushes, orders, coreOrders: core, targets, markdown: '' };
  report.markdown = markdown(report, o);
  return report;
}

function markdown(r: FlashBenchReport, o: FlashBenchOptions): string {
  const gateName = (g: string) => (g === 'redis' ? 'Redis gate' : 'no gate');
  const L: string[] = [];
  L.push('## Flash sale (秒杀)', '');
  L.push(`${o.attempts.toLocaleString('en-US')} attempts from ${o.members.toLocaleString('en-US')} members on ${o.units} units (per-member limit 1), ${o.connections} connections, MariaDB ${r.database.version.replace(/-MariaDB.*$/i, '')}, pool ${r.pool}, ${r.cores} cores; started ${r.startedAt}. `
    + 'The app runs as a child process (`PLUGINS=flash-sale`, `JOBS_ENABLED=false`, `LOG_LEVEL=warn`); autocannon runs in the bench process on the same machine. Compare ratios within this run, not absolute figures across runs.', '');
  L.push('### The database alone, this run (and ../shared/PERFORMANCE.md)', '');
  L.push('| what | this run | PERFORMANCE.md |', '| --- | ---: | ---: |');
  L.push(`| conditional UPDATE of one hot row, pool ${r.pool} | ${fmt(r.database.hotUpdate.perSecond)}/s | ${fmt(REFERENCE.hotUpdate)}/s |`);
  L.push(`| same + order INSERT in one transaction, separate calls (single-row transaction) | ${fmt(r.database.transaction.perSecond)}/s | ${REFERENCE.transaction}/s |`);
  L.push(`| sold-out path (UPDATE matches no row) | ${fmt(r.database.soldOutUpdate.perSecond)}/s | ${fmt(REFERENCE.soldOutUpdate)}/s |`);
  L.push(`| Redis Lua check-and-decrement (ioredis) | ${r.redisLua ? `${fmt(r.redisLua.perSecond)}/s` : 'not measured (no Redis)'} | ${fmt(REFERENCE.redisLua)}/s |`, '');
  L.push('### The mall', '');
  L.push('| | ' + r.rush.map((x) => gateName(x.gate)).join(' | ') + ' |', '| --- | ' + r.rush.map(() => '---:').join(' | ') + ' |');
  const row = (label: string, f: (i: number) => string) => L.push(`| ${label} | ${r.rush.map((_, i) => f(i)).join(' | ')} |`);
  row('GET /healthz (plain HTTP + `SELECT 1`)', (i) => `${fmt(r.http[i].healthz.perSecond)}/s`);
  row('GET /flash-sale (cached page)', (i) => `${fmt(r.http[i].flashPage.perSecond)}/s, p99 ${r.http[i].flashPage.p99Ms} ms`);
  row('GET /products/… (rendered per request, for contrast)', (i) => `${fmt(r.http[i].productPage.perSecond)}/s`);
  row('rush: attempts/s (all 10,000)', (i) => `${fmt(r.rush[i].attemptsPerSecond)}/s`);
  row('rush: latency p50 / p99', (i) => `${r.rush[i].p50Ms} / ${r.rush[i].p99Ms} ms`);
  row('rush: orders (201) / sold out / over limit', (i) => `${r.rush[i].created} / ${r.rush[i].soldOut} / ${r.rush[i].limitReached}${Object.keys(r.rush[i].other).length ? ` / other ${JSON.stringify(r.rush[i].other)}` : ''}`);
  row('rush: orders in the database / stock left', (i) => `**${r.rush[i].ordersInDatabase}** / ${r.rush[i].itemStockAfter}`);
  row('rush: sold out after', (i) => `${fmt(r.rush[i].sellOutMs)} ms (${fmt(r.rush[i].ordersPerSecondInRush)} orders/s)`);
  row('rush: refusals/s after sell-out (in-flight checkouts draining)', (i) => `${fmt(r.rush[i].rejectionsPerSecond)}/s`);
  row(`sold out, ${o.seconds} s more attempts: refusals/s, p99`, (i) => `${fmt(r.rush[i].soldOutSteady.perSecond)}/s, p99 ${r.rush[i].soldOutSteady.p99Ms} ms`);
  row(`flash orders: ${o.members.toLocaleString('en-US')} members each buying 1 of ${o.members.toLocaleString('en-US')} units`, (i) => r.orders[i] ? `${fmt(r.orders[i].ordersPerSecond)}/s, p99 ${r.orders[i].p99Ms} ms` : '—');
  row('core checkout, same load, 64 variants, no hot row (contrast)', (i) => r.coreOrders[i] ? `${fmt(r.coreOrders[i].ordersPerSecond)}/s, p99 ${r.coreOrders[i].p99Ms} ms` : '—');
  row('flash orders ÷ core checkout', (i) => r.orders[i] && r.coreOrders[i] ? `${fmt((r.orders[i].ordersPerSecond / r.coreOrders[i].ordersPerSecond) * 100)}%` : '—');
  L.push('', '### Targets', '');
  L.push('| target | gate | value | ratio | |', '| --- | --- | ---: | ---: | --- |');
  for (const t of r.targets) L.push(`| ${t.target} | ${gateName(t.gate)} | ${fmt(t.value)} | ${fmt(t.ratio * 100)}% | ${t.met ? '**met**' : '**not met**'} |`);
  L.push('');
  return L.join('\n');
}

// ------------------------------------------------------------------ standalone

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const c of children) c.kill('SIGKILL');
      process.exit(130);
    });
  }
  const report = await runFlashBench();
  console.log(`\n${report.markdown}`);
  if (process.env.BENCH_FLASH_OUT) writeFileSync(process.env.BENCH_FLASH_OUT, report.markdown);
  process.exit(report.rush.every((x) => x.exact) ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  });
}
