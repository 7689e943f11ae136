/**
 * `npm run bench`: storefront and API throughput on SQLite and MariaDB against a bare-render ceiling.
 *
 * For each database the mall runs as a child process (`node dist/core/main.js`, demo catalog) and
 * autocannon (in this process) measures the home page, a product page and the product API at 50
 * connections, BENCH_SECONDS (10) per measurement, BENCH_RUNS (3) interleaved runs; the median req/s
 * and p99 are reported with the child's peak RSS (VmHWM). The ceiling is a bare node:http server
 * rendering the same product page with the same compiled theme from an in-memory object.
 * Results go to docs/benchmarks.md (BENCH_OUT to write elsewhere).
 *
 * Environment: BENCH_SECONDS, BENCH_RUNS, BENCH_CONNECTIONS, BENCH_DBS (sqlite,mariadb),
 * BENCH_MYSQL_URL (default TEST_MYSQL_URL or mysql://root@127.0.0.1:3306/test), BENCH_OUT,
 * BENCH_NODE_OPTIONS (NODE_OPTIONS for the app only, e.g. "--max-semi-space-size=4"),
 * BENCH_APP_PLUGINS (PLUGINS for the app; default none). The plugin benchmarks (bench/plugins.ts)
 * keep their own section of the output file between <!-- plugins:start --> and <!-- plugins:end -->,
 * which this script carries over when it rewrites the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import autocannon, { type Result } from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { fromRoot } from '../core/common/paths.js';
import { DEMO_BANNER_URLS } from '../core/demo/seed-demo.js';
import type { CeilingInput } from './ceiling-server.js';

const SECONDS = positive('BENCH_SECONDS', 10);
const RUNS = positive('BENCH_RUNS', 3);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,mariadb').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const BENCH_DB_NAME = 'mall_bench';
const OUT = resolve(process.env.BENCH_OUT ?? fromRoot('docs/benchmarks.md'));
const PRODUCT_SLUG = 'cotton-crew-tee';
const TARGETS = { p99Ms: 50, ceilingShare: 0.5, rssMb: 200 };

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return n;
}

// ---- processes ----

interface Child {
  proc: ChildProcess;
  port: number;
  log: string[];
}

const children = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

function start(script: string, env: Record<string, string>, port: number): Child {
  const proc = spawn(process.execPath, [script], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('exit', () => children.delete(proc));
  return { proc, port, log };
}

async function waitReady(child: Child, path: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`process exited with ${child.proc.exitCode}:\n${child.log.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${child.port}${path}`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s:\n${child.log.join('')}`);
}

async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.proc.once('exit', () => r()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const peakRssMb = (pid: number) => procStatusMb(pid, 'VmHWM');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- measuring ----

interface Run {
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
  /** VmRSS of the server right after this measurement. */
  rssMb: number;
  /** The machine's 1-minute load average right after this measurement (other work on the machine shows here). */
  load: number;
}

interface Target {
  name: string;
  path: string;
  status: number;
  bytes: number;
  runs: Run[];
  note?: string;
}

function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const medianRps = (t: Target) => median(t.runs.map((r) => r.rps));
const medianP99 = (t: Target) => median(t.runs.map((r) => r.p99));

async function cannon(port: number, path: string, seconds: number): Promise<Result> {
  return autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration: seconds, timeout: 10 });
}

async function probe(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** Warms every target up, then runs them round-robin RUNS times (noise spreads over all of them). */
async function measure(port: number, pid: number, targets: Target[], label: string): Promise<void> {
  const live = targets.filter((t) => t.status === 200);
  for (const t of live) await cannon(port, t.path, WARMUP_SECONDS);
  for (let run = 1; run <= RUNS; run++) {
    for (const t of live) {
      const r = await cannon(port, t.path, SECONDS);
      const result: Run = { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, non2xx: r.non2xx, errors: r.errors + r.timeouts, rssMb: procStatusMb(pid, 'VmRSS'), load: loadavg()[0] };
      t.runs.push(result);
      console.log(`  ${label} run ${run}/${RUNS} ${t.name.padEnd(14)} ${fmt(result.rps, 0).padStart(7)} req/s  p99 ${fmt(result.p99, 1).padStart(6)} ms  RSS ${fmt(result.rssMb, 0)} MB${result.non2xx || result.errors ? `  (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}`);
    }
  }
}

// ---- databases ----

interface DbRun {
  label: string;
  detail: string;
  targets: Target[];
  peakRssMb: number;
  /** VmHWM right after start-up and seeding, before any load. */
  startRssMb?: number;
  skipped?: string;
  productJson?: Record<string, unknown>;
  productHtml?: string;
}

async function mysqlAdmin(sql: string[]): Promise<string> {
  const base = new URL(MYSQL_BASE);
  const conn = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password), connectTimeout: 5000 });
  try {
    for (const s of sql) await conn.query(s);
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return String((rows as Array<{ v: string }>)[0]?.v ?? '');
  } finally {
    await conn.end();
  }
}

async function benchDatabase(kind: string): Promise<DbRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'mall-bench-'));
  let databaseUrl: string;
  let label: string;
  let detail: string;
  let cleanup = async () => {};
  if (kind === 'sqlite') {
    databaseUrl = join(tmp, 'mall.sqlite');
    label = 'SQLite';
    detail = 'better-sqlite3, WAL, file in a temp folder';
  } else if (kind === 'mariadb' || kind === 'mysql') {
    label = 'MariaDB';
    try {
      const version = await mysqlAdmin([`DROP DATABASE IF EXISTS ${BENCH_DB_NAME}`, `CREATE DATABASE ${BENCH_DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
      detail = `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version.replace(/-MariaDB.*$/i, '')} on 127.0.0.1, database ${BENCH_DB_NAME} (created and dropped by the bench), pool ${process.env.DB_POOL_SIZE ?? 20}`;
      if (!/mariadb/i.test(version)) label = 'MySQL';
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      return { label, detail: '', targets: [], peakRssMb: NaN, skipped: `not reachable at ${new URL(MYSQL_BASE).host}: ${(err as Error).message}` };
    }
    const url = new URL(MYSQL_BASE);
    url.pathname = `/${BENCH_DB_NAME}`;
    databaseUrl = url.toString();
    cleanup = async () => {
      await mysqlAdmin([`DROP DATABASE IF EXISTS ${BENCH_DB_NAME}`]);
    };
  } else {
    throw new Error(`BENCH_DBS: unknown database "${kind}" (sqlite, mariadb)`);
  }

  console.log(`\n== ${label} ==`);
  const port = await freePort();
  const app = start(fromRoot('dist/core/main.js'), {
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    PLUGINS: process.env.BENCH_APP_PLUGINS ?? '',
    MEDIA_DIR: join(tmp, 'media'),
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    ADMIN_EMAIL: 'bench@mall.local',
    ADMIN_PASSWORD: 'bench-password-123',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  }, port);
  try {
    await waitReady(app, '/healthz');
    const targets: Target[] = [
      { name: 'home page', path: '/', status: 0, bytes: 0, runs: [] },
      { name: 'product page', path: `/products/${PRODUCT_SLUG}`, status: 0, bytes: 0, runs: [] },
      { name: 'product API', path: `/api/v1/products/${PRODUCT_SLUG}`, status: 0, bytes: 0, runs: [] },
    ];
    for (const t of targets) {
      const res = await probe(port, t.path);
      t.status = res.status;
      t.bytes = Buffer.byteLength(res.body);
      if (res.status !== 200) t.note = `HTTP ${res.status}: not measured (${res.body.slice(0, 160).replace(/\s+/g, ' ')})`;
    }
    const productJson = targets[2].status === 200 ? (JSON.parse((await probe(port, targets[2].path)).body) as Record<string, unknown>) : undefined;
    const productHtml = targets[1].status === 200 ? (await probe(port, targets[1].path)).body : undefined;
    const startRss = peakRssMb(app.proc.pid!);
    await measure(port, app.proc.pid!, targets, label);
    const rss = peakRssMb(app.proc.pid!);
    console.log(`  ${label} peak RSS ${fmt(rss, 0)} MB (${fmt(startRss, 0)} MB after start-up and seeding)`);
    return { label, detail, targets, peakRssMb: rss, startRssMb: startRss, productJson, productHtml };
  } finally {
    await stop(app);
    await cleanup().catch((err: unknown) => console.error(`could not drop ${BENCH_DB_NAME}: ${(err as Error).message}`));
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- ceiling ----

interface CeilingRun {
  target: Target;
  peakRssMb: number;
  sameHtml: string;
}

async function benchCeiling(product: Record<string, unknown>, appHtml: string | undefined): Promise<CeilingRun> {
  console.log('\n== Ceiling (node:http + the same compiled theme, in-memory product) ==');
  const tmp = mkdtempSync(join(tmpdir(), 'mall-ceiling-'));
  const category = product.category as { slug: string } | null;
  const input: CeilingInput = {
    theme: 'default',
    settings: { homeBanners: DEMO_BANNER_URLS.join(',') },
    product,
    templates: [`product-${String(product.slug)}`, ...(category ? [`product-${category.slug}`] : []), 'product'],
    sandbox: true,
  };
  const file = join(tmp, 'input.json');
  writeFileSync(file, JSON.stringify(input));
  const port = await freePort();
  const server = start(fromRoot('dist/bench/ceiling-server.js'), { CEILING_INPUT: file }, port);
  const path = `/products/${PRODUCT_SLUG}`;
  try {
    await waitReady(server, path, 30_000);
    const res = await probe(server.port, path);
    const target: Target = { name: 'product page', path, status: res.status, bytes: Buffer.byteLength(res.body), runs: [] };
    let sameHtml = 'app page not available to compare';
    if (appHtml !== undefined) {
      sameHtml = appHtml === res.body
        ? 'byte-identical to the app\'s product page'
        : `differs from the app's page (${Buffer.byteLength(appHtml)} vs ${target.bytes} bytes; first difference at character ${firstDifference(appHtml, res.body)})`;
    }
    console.log(`  ceiling HTML: ${sameHtml}`);
    await measure(server.port, server.proc.pid!, [target], 'ceiling');
    return { target, peakRssMb: peakRssMb(server.proc.pid!), sameHtml };
  } finally {
    await stop(server);
    rmSync(tmp, { recursive: true, force: true });
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

// ---- report ----

function fmt(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function machine(): Array<[string, string]> {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  const autocannonVersion = (JSON.parse(readFileSync(fromRoot('node_modules/autocannon/package.json'), 'utf8')) as { version: string }).version;
  return [
    ['CPU', cpu],
    ['Cores', String(cpus().length)],
    ['Memory', `${fmt(totalmem() / 1024 ** 3, 1)} GB`],
    ['Node.js', process.version],
    ['OS', `Linux ${release()}`],
    ['Load generator', `autocannon ${autocannonVersion}, in the bench process (the server under test runs in its own process)`],
  ];
}

const met = (ok: boolean, detail: string) => `${ok ? '**met**' : '**not met**'} (${detail})`;

function report(dbs: DbRun[], ceiling: CeilingRun | null, started: Date, minutes: number): string {
  const ceilingRps = ceiling ? medianRps(ceiling.target) : NaN;
  const ratio = (rps: number) => (Number.isFinite(ceilingRps) && ceilingRps > 0 && Number.isFinite(rps) ? `${fmt((rps / ceilingRps) * 100, 0)}%` : '—');
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(`Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; the run took ${fmt(minutes, 1)} minutes.`);
  lines.push('Re-run it on your own hardware: numbers from different machines, or from different runs on a noisy machine, are not comparable; the ratios within one run are.', '');
  lines.push('## Machine', '', '| | |', '| --- | --- |', ...machine().map(([k, v]) => `| ${k} | ${v} |`), '');
  lines.push('## Method', '');
  lines.push(`- Each database: the mall runs as a child process (\`node dist/core/main.js\`, \`SEED_DEMO=true\` with the 40-product demo catalog, \`LOG_LEVEL=warn\`, \`JOBS_ENABLED=false\`, no plugins (\`BENCH_APP_PLUGINS\` to enable some), default catalog cache \`CATALOG_CACHE_MS=2000\`), visited by a signed-out shopper${process.env.BENCH_NODE_OPTIONS ? `; app started with \`NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}\`` : ''}.`);
  lines.push(`- autocannon, ${CONNECTIONS} connections, keep-alive, ${SECONDS} s per measurement after a ${WARMUP_SECONDS} s warm-up; ${RUNS} runs taken round-robin over the endpoints; the tables show the median req/s and the median of the runs' p99 latency.`);
  lines.push(`- Endpoints: home page \`/\`, product page \`/products/${PRODUCT_SLUG}\` (16 variants, 7 images), product API \`/api/v1/products/${PRODUCT_SLUG}\` (JSON).`);
  lines.push('- Peak RSS: `VmHWM` of the app process from `/proc/<pid>/status` after all its runs.');
  lines.push('- Ceiling: a bare `node:http` server (bench/ceiling-server.ts) that renders the same product page per request with the app\'s own compiled theme (`ThemeService.build` → `ThemeEngine.render`) from the product object held in memory (fetched once from the API): no framework, database, session or cache. "÷ ceiling" is each endpoint\'s req/s divided by the ceiling\'s product-page req/s.');
  lines.push('');
  lines.push(`## Ceiling`, '');
  if (ceiling) {
    lines.push('| page | req/s | p99 ms | peak RSS MB | HTML |', '| --- | ---: | ---: | ---: | --- |');
    lines.push(`| product page | ${fmt(ceilingRps, 0)} | ${fmt(medianP99(ceiling.target), 1)} | ${fmt(ceiling.peakRssMb, 0)} | ${ceiling.target.bytes} bytes, ${ceiling.sameHtml} |`, '');
  } else {
    lines.push('Not measured: the product page could not be fetched from the app.', '');
  }
  for (const db of dbs) {
    lines.push(`## ${db.label}`, '');
    if (db.skipped) {
      lines.push(`Skipped: ${db.skipped}.`, '');
      continue;
    }
    lines.push(db.detail, '');
    lines.push('| endpoint | req/s | p99 ms | ÷ ceiling | response bytes |', '| --- | ---: | ---: | ---: | ---: |');
    for (const t of db.targets) {
      if (t.status !== 200) lines.push(`| ${t.name} | — | — | — | ${t.note} |`);
      else lines.push(`| ${t.name} | ${fmt(medianRps(t), 0)} | ${fmt(medianP99(t), 1)} | ${ratio(medianRps(t))} | ${t.bytes} |`);
    }
    lines.push('', `Peak RSS of the app: **${fmt(db.peakRssMb, 0)} MB** under load (${fmt(db.startRssMb ?? NaN, 0)} MB after start-up, migrations and seeding, before the first request).`, '');
  }
  const measured = dbs.filter((d) => !d.skipped);
  if (measured.length) {
    lines.push('## Targets', '');
    lines.push(`| target | ${measured.map((d) => d.label).join(' | ')} |`, `| --- | ${measured.map(() => '---').join(' | ')} |`);
    const cell = (d: DbRun, f: (d: DbRun) => string) => f(d);
    lines.push(`| product page ≥ ${TARGETS.ceilingShare * 100}% of the ceiling | ${measured.map((d) => cell(d, (x) => {
      const page = x.targets[1];
      if (page.status !== 200 || !Number.isFinite(ceilingRps)) return '**not measured**';
      const share = medianRps(page) / ceilingRps;
      return met(share >= TARGETS.ceilingShare, `${fmt(share * 100, 0)}%`);
    })).join(' | ')} |`);
    lines.push(`| p99 < ${TARGETS.p99Ms} ms (all endpoints) | ${measured.map((d) => cell(d, (x) => {
      const live = x.targets.filter((t) => t.status === 200);
      if (live.length < x.targets.length) return `**not measured** (${x.targets.filter((t) => t.status !== 200).map((t) => t.name).join(', ')} failed)`;
      const worst = Math.max(...live.map(medianP99));
      return met(worst < TARGETS.p99Ms, `worst ${fmt(worst, 1)} ms`);
    })).join(' | ')} |`);
    lines.push(`| peak RSS < ${TARGETS.rssMb} MB | ${measured.map((d) => met(d.peakRssMb < TARGETS.rssMb, `${fmt(d.peakRssMb, 0)} MB`)).join(' | ')} |`, '');
  }
  lines.push('## Reading the numbers', '');
  lines.push(`- The load average column of "Every run" shows other work on the machine during a measurement: the bench itself accounts for about 2 (the server and autocannon each keep a core busy), so a clearly higher figure on this ${cpus().length}-core machine means other processes competed for the CPU and that run's numbers are low.`);
  lines.push('- autocannon shares the machine with the server under test: on a 2-core machine each gets about one core, so absolute req/s are lower than with a load generator on another host. The ceiling runs under the same conditions, which is why the ratio is the figure to compare.');
  lines.push('- Latency at 50 connections is mostly queueing: with 50 requests always in flight the mean latency is 50 ÷ (req/s) (Little\'s law), and p99 sits above it (garbage collection pauses, the catalog cache refreshing). A page that renders faster has a lower p99 for that reason alone: at 1,000 req/s the mean is already 50 ms.');
  lines.push('- Peak RSS is mostly garbage V8 has not collected yet: the old generation grows lazily under load (a heap snapshot taken under load, after the full GC it forces, held under 50 MB of live objects), on top of up to 3 × 16 MB of young generation and the code of every loaded module. Capping the heap shows the trade-off: `BENCH_NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=80" npm run bench`.');
  lines.push('- The catalog cache (`CATALOG_CACHE_MS`, 2 s) means the database is queried about once per 2 s per distinct read; the database columns therefore differ mainly in start-up and in what the driver keeps in memory, not in per-request cost.');
  lines.push('');
  lines.push('## Every run', '', '| database | endpoint | run | req/s | p50 ms | p99 ms | non-2xx | errors | RSS after, MB | load avg |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows: Array<[string, Target]> = [...(ceiling ? [['ceiling', ceiling.target] as [string, Target]] : []), ...measured.flatMap((d) => d.targets.map((t) => [d.label, t] as [string, Target]))];
  for (const [label, t] of rows) {
    t.runs.forEach((r, i) => lines.push(`| ${label} | ${t.name} | ${i + 1} | ${fmt(r.rps, 0)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.non2xx} | ${r.errors} | ${fmt(r.rssMb, 0)} | ${fmt(r.load, 2)} |`));
  }
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = Date.now();
  console.log(`bench: ${DBS.join(', ')}; ${CONNECTIONS} connections, ${SECONDS}s × ${RUNS} runs per endpoint`);
  const dbs: DbRun[] = [];
  let ceiling: CeilingRun | null = null;
  for (const kind of DBS) {
    const run = await benchDatabase(kind);
    dbs.push(run);
    if (run.skipped) console.log(`\n== ${run.label}: skipped (${run.skipped})`);
    // the ceiling is measured once, right after the first database that served the product
    if (!ceiling && run.productJson) ceiling = await benchCeiling(run.productJson, run.productHtml);
  }
  const minutes = (Date.now() - t0) / 60_000;
  const md = report(dbs, ceiling, started, minutes);
  mkdirSync(dirname(OUT), { recursive: true });
  // keep the plugin benchmarks' section (written by bench/plugins.ts) when rewriting the file
  const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  const pluginBlock = /<!-- plugins:start -->[\s\S]*<!-- plugins:end -->/.exec(previous)?.[0];
  writeFileSync(OUT, pluginBlock ? `${md.trimEnd()}\n\n${pluginBlock}\n` : md);
  console.log(`\n${md}\nwritten to ${OUT}`);
}

main().catch((err: unknown) => {
  console.error(err);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
