/**
 * The plugin part of `npm run bench`, run after bench/run.ts (core storefront): distribution (a team
 * of 100,000 and 10,000 paid orders), Taobao import (10,000 items with pictures) and the flash-sale
 * rush (10,000 attempts on 100 units, with and without the Redis gate). Writes its section into
 * docs/benchmarks.md between the markers below, replacing the previous one.
 *
 * BENCH_PLUGINS (distribution,taobao-import,flash-sale) picks which run; BENCH_DBS (sqlite,mariadb).
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromRoot } from '../core/common/paths.js';
import { benchDistribution, distributionMarkdown, type DistributionBenchResult } from './distribution.js';

const START = '<!-- plugins:start -->';
const END = '<!-- plugins:end -->';
const OUT = resolve(process.env.BENCH_OUT ?? fromRoot('docs/benchmarks.md'));
const which = (process.env.BENCH_PLUGINS ?? 'distribution,taobao-import,flash-sale').split(',').map((s) => s.trim());
const dbs = (process.env.BENCH_DBS ?? 'sqlite,mariadb').split(',').map((s) => s.trim()).filter(Boolean);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function main(): Promise<void> {
  const sections: string[] = [`# Plugins`, '', `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, same machine as above.`, ''];
  if (which.includes('distribution')) {
    const results: DistributionBenchResult[] = [];
    for (const kind of dbs) {
      console.log(`distribution on ${kind} …`);
      results.push(await benchDistribution(kind));
    }
    sections.push(distributionMarkdown(results));
  }
  if (which.includes('taobao-import')) {
    const { runImportBench } = await import('../plugins/taobao-import/bench/import-bench.js');
    const rows: string[] = [];
    for (const kind of dbs) {
      console.log(`taobao import on ${kind} …`);
      const r = await runImportBench({ items: Number(process.env.BENCH_IMPORT_ITEMS ?? 10_000), mysqlUrl: kind === 'mariadb' ? mysqlUrl : undefined });
      rows.push(`| ${kind === 'sqlite' ? 'SQLite' : 'MariaDB'} | ${r.items.toLocaleString('en')} | ${r.pictures.toLocaleString('en')} | ${r.zipMb.toFixed(1)} | ${r.previewSeconds.toFixed(1)} | ${r.importSeconds.toFixed(1)} | **${r.seconds.toFixed(1)}** ${r.seconds <= 60 ? '(met)' : '(not met)'} | ${r.peakRssMb.toFixed(0)} |`);
    }
    sections.push('## Taobao import: a 10,000-item Taobao Assistant export with pictures', '', 'Target: 60 s or less from upload to done.', '',
      '| database | items | pictures | zip MB | preview s | import s | total s | peak RSS MB |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows, '');
  }
  if (which.includes('flash-sale') && dbs.includes('mariadb')) {
    console.log('flash-sale rush on MariaDB …');
    const { runFlashBench } = await import('../plugins/flash-sale/bench/flash-bench.js');
    const report = await runFlashBench();
    sections.push(report.markdown.replace(/^# /m, '## '), '');
  }
  const block = `${START}\n${sections.join('\n')}\n${END}`;
  const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '# Benchmarks\n';
  const next = current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*${END}`), block) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(OUT, next);
  console.log(`plugin benchmarks written to ${OUT}`);
}

main().then(() => process.exit(0)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
