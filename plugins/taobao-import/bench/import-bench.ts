/**
 * Benchmark: a 10,000-item Taobao Assistant export with pictures (a zip of a UTF-16LE CSV and .tbi
 * files), uploaded and imported into a fresh mall, end to end through the plugin's services.
 *
 *   node dist/plugins/taobao-import/bench/import-bench.js [items] [mysql://root@127.0.0.1:3306/test]
 *
 * `runImportBench()` is what `npm run bench` calls. It returns the seconds spent reading the upload
 * (zip index, streaming CSV scan, preview) and importing (products, variants, pictures, results), and
 * the peak RSS of the process while doing so.
 */
import 'reflect-metadata';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { createApp } from '../../../core/app/create-app.js';
import { loadConfig } from '../../../core/config/app-config.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { ImportRunner } from '../services/import-runner.service.js';
import { ImportService } from '../services/import.service.js';
import { sampleShop, writeAssistantZip } from '../testing/fixtures.js';

export interface ImportBenchResult {
  items: number;
  database: 'sqlite' | 'mysql';
  zipMb: number;
  pictures: number;
  /** Generating the fixture (not part of the import). */
  generateSeconds: number;
  /** Upload to preview: zip index, streaming scan of every row, preview stored. */
  previewSeconds: number;
  /** Start to done: products, variants, pictures written to MEDIA_DIR, row results. */
  importSeconds: number;
  /** previewSeconds + importSeconds: what the merchant waits for after the upload. */
  seconds: number;
  itemsPerSecond: number;
  /** Highest RSS sampled every 50 ms during preview and import. */
  peakRssMb: number;
  /** The process's maximum resident set size (includes start-up and fixture generation). */
  maxRssMb: number;
  created: number;
  imagesDone: number;
  problems: number;
}

/** A throwaway MySQL/MariaDB database on the server of `base`; dropped by the returned function. */
async function throwawayDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(base);
  const server = { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  const name = `taobao_bench_${process.pid}_${Date.now().toString(36)}`;
  const c = await createConnection(server);
  await c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = await createConnection(server);
      await d.query(`DROP DATABASE IF EXISTS ${name}`);
      await d.end();
    },
  };
}

/**
 * `mysqlUrl`: a MySQL/MariaDB server (any database in the URL); the bench creates and drops its own
 * database there. Without it the bench runs on SQLite in a temp folder.
 */
export async function runImportBench(opts: { items?: number; mysqlUrl?: string; keep?: boolean } = {}): Promise<ImportBenchResult> {
  const n = opts.items ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-'));
  const media = join(dir, 'media');
  mkdirSync(media);
  const configFile = join(dir, 'mall.config.json');
  writeFileSync(configFile, JSON.stringify({ plugins: { 'taobao-import': { settings: { workDir: join(dir, 'work'), listing: 'listed' } } } }));

  const g0 = performance.now();
  const zip = join(dir, 'shop.zip');
  const items = sampleShop(n, { picturesPerItem: 2 });
  writeAssistantZip(zip, items, { baseName: '宝贝导出' });
  const pictures = items.reduce((s, i) => s + (i.pictures?.length ?? 0) + (i.propPictures?.length ?? 0), 0);
  const generateSeconds = (performance.now() - g0) / 1000;

  const mysql = opts.mysqlUrl ? await throwawayDatabase(opts.mysqlUrl) : null;
  const config = loadConfig({
    DATABASE_URL: mysql?.url ?? join(dir, 'bench.sqlite'),
    PLUGINS: 'taobao-import', MALL_CONFIG: configFile, MEDIA_DIR: media, JOBS_ENABLED: 'false',
    SESSION_SECRET: 'bench-secret-bench-secret-bench', LOG_LEVEL: 'error', CATALOG_CACHE_MS: '0',
  });
  let started: Awaited<ReturnType<typeof createApp>>;
  try {
    started = await createApp({ config, logger: ['error'] });
  } catch (err) {
    await mysql?.drop();
    throw err;
  }
  const { app, dataSource } = started;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const imports = app.get(ImportService);
    const runner = app.get(ImportRunner);
    // the upload route streams the body to a temp file in the work folder; start from there
    mkdirSync(join(dir, 'work'), { recursive: true });
    const tmp = join(dir, 'work', 'tmp-bench');
    copyFileSync(zip, tmp);

    const p0 = performance.now();
    const { view } = await imports.createFromUpload(tmp, '宝贝导出.zip', null);
    const previewSeconds = (performance.now() - p0) / 1000;

    const i0 = performance.now();
    await imports.start(view.id, {});
    let done = await imports.view(view.id);
    while (done.status === 'queued' || done.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      if (!runner.runningIds().length) await runner.kick();
      done = await imports.view(view.id);
    }
    const importSeconds = (performance.now() - i0) / 1000;
    if (done.status !== 'done') throw new Error(`import ended ${done.status}: ${done.error}`);
    const products = await dataSource.getRepository(Product).count();
    if (products !== done.created) throw new Error(`${products} products for ${done.created} created rows`);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      items: n,
      database: opts.mysqlUrl ? 'mysql' : 'sqlite',
      zipMb: Math.round((statSync(zip).size / 1024 / 1024) * 10) / 10,
      pictures,
      generateSeconds: round(generateSeconds),
      previewSeconds: round(previewSeconds),
      importSeconds: round(importSeconds),
      seconds: round(previewSeconds + importSeconds),
      itemsPerSecond: Math.round(n / (previewSeconds + importSeconds)),
      peakRssMb: Math.round(peak / 1024 / 1024),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      created: done.created,
      imagesDone: done.imagesDone,
      problems: done.skipped + done.failed,
    };
  } finally {
    clearInterval(sampler);
    await app.close();
    if (!opts.keep) await mysql?.drop();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function round(s: number): number {
  return Math.round(s * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const items = Number(process.argv[2] ?? 10_000);
  runImportBench({ items, mysqlUrl: process.argv[3] })
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
