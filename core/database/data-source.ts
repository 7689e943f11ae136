import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import { SnakeNamingStrategy } from './naming.strategy.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = MixedList<Function | string | EntitySchema>;

/** MariaDB and MySQL speak the same SQL, but TypeORM reads MariaDB's schema correctly only as "mariadb". */
async function mysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  const { createConnection } = await import('mysql2/promise');
  const conn = await createConnection(url);
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

export function buildDataSourceOptions(db: DatabaseConfig, entities: EntityList, flavour: 'mysql' | 'mariadb' = 'mysql'): DataSourceOptions {
  const common = {
    entities,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: process.env.DB_LOG === '1' ? ('all' as const) : (['error'] as ['error']),
  };
  if (db.kind === 'mysql') {
    return {
      ...common,
      type: flavour,
      url: db.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      extra: { connectionLimit: Number(process.env.DB_POOL_SIZE ?? 20) },
    };
  }
  const file = db.url === ':memory:' ? ':memory:' : resolve(db.url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL lets readers run beside the single writer; NORMAL sync is durable across app crashes.
    prepareDatabase: (conn: { pragma(sql: string): unknown }) => {
      conn.pragma('journal_mode = WAL');
      conn.pragma('synchronous = NORMAL');
      conn.pragma('busy_timeout = 5000');
      conn.pragma('foreign_keys = ON');
    },
  };
}

export async function openDataSource(db: DatabaseConfig, entities: EntityList): Promise<DataSource> {
  const ds = new DataSource(buildDataSourceOptions(db, entities, db.kind === 'mysql' ? await mysqlFlavour(db.url) : 'mysql'));
  await ds.initialize();
  return ds;
}
