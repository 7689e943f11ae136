import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../../core/config/app-config.js';

export type TestDbKind = 'sqlite' | 'mariadb';

/** Which database this test process runs against: TEST_DB=sqlite (default) or TEST_DB=mariadb. */
export function testDbKind(): TestDbKind {
  return process.env.TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
}

export const MYSQL_BASE_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

let counter = 0;

/** A fresh, empty database for one test app: a temp SQLite file, or a new MariaDB database. */
export async function createTestDatabase(): Promise<{ db: DatabaseConfig; drop(): Promise<void> }> {
  if (testDbKind() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mall-test-'));
    return { db: { kind: 'sqlite', url: join(dir, 'mall.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(MYSQL_BASE_URL);
  const name = `mall_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const conn = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
  await conn.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    db: { kind: 'mysql', url: url.toString() },
    drop: async () => {
      const c = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
