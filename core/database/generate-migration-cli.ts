/**
 * Writes a migration with SQL for both SQLite and MySQL, computed from the difference between
 * the entities and the schema that the existing migrations produce.
 *
 *   npm run migration:generate -- AddGiftWrap                 (core)
 *   npm run migration:generate -- AddTiers --plugin spend-and-save
 *
 * MySQL SQL is computed against MYSQL_URL (default mysql://root@127.0.0.1:3306/test), in a
 * throwaway database that is dropped afterwards.
 */
import 'reflect-metadata';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openDataSource } from './data-source.js';
import { MigrationRunner, type MigrationGroup } from './migration-runner.js';
import { pendingSchemaChanges } from './schema-drift.js';
import { fromRoot } from '../common/paths.js';
import { collectSchema } from './schema-collector.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--'));
  const pluginIdx = args.indexOf('--plugin');
  const pluginId = pluginIdx >= 0 ? args[pluginIdx + 1] : undefined;
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('Usage: npm run migration:generate -- <PascalCaseName> [--plugin <id>]');
    process.exit(2);
  }
  const { entities, groups, target } = await collectSchema(pluginId);
  const sqliteFile = join(mkdtempSync(join(tmpdir(), 'mall-gen-')), 'gen.sqlite');
  const sqlite = await diff({ kind: 'sqlite', url: sqliteFile }, entities, groups);

  const base = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
  const dbName = `mall_gen_${process.pid}`;
  const admin = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
  await admin.query(`CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  let mysql;
  try {
    const url = new URL(base.toString());
    url.pathname = `/${dbName}`;
    mysql = await diff({ kind: 'mysql', url: url.toString() }, entities, groups);
  } finally {
    await admin.query(`DROP DATABASE ${dbName}`);
    await admin.end();
  }
  if (!sqlite.up.length && !mysql.up.length) {
    console.log('Entities and migrations agree: nothing to generate.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const className = `${name}${stamp}`;
  const file = join(fromRoot(target.dir), `${stamp}-${name}.ts`);
  const q = (list: string[]) => list.map((s) => `      ${JSON.stringify(s)},`).join('\n');
  writeFileSync(
    file,
    `import { DialectMigration } from '${target.importBase}core/database/dialect-migration.js';\n\n` +
      `export class ${className} extends DialectMigration {\n  readonly name = '${className}';\n\n` +
      `  protected readonly sqlite = {\n    up: [\n${q(sqlite.up)}\n    ],\n    down: [\n${q(sqlite.down)}\n    ],\n  };\n\n` +
      `  protected readonly mysql = {\n    up: [\n${q(mysql.up)}\n    ],\n    down: [\n${q(mysql.down)}\n    ],\n  };\n}\n`,
  );
  const indexFile = join(fromRoot(target.dir), 'index.ts');
  const index = readFileSync(indexFile, 'utf8');
  const importLine = `import { ${className} } from './${stamp}-${name}.js';\n`;
  const updated = importLine + index.replace(/(= \[)([\s\S]*?)(\];)/, (_m, open: string, body: string, close: string) => `${open}${body.trimEnd() ? body.trimEnd() + ' ' : ''}${className}${close}`.replace('[ ', '['));
  writeFileSync(indexFile, updated);
  console.log(`Wrote ${file} and registered it in ${indexFile}. Run npm run build, then check it with the drift test (npm test).`);
}

async function diff(db: { kind: 'sqlite' | 'mysql'; url: string }, entities: Parameters<typeof openDataSource>[1], groups: MigrationGroup[]) {
  const ds = await openDataSource(db, entities);
  try {
    await new MigrationRunner(ds).run(groups);
    return await pendingSchemaChanges(ds);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
