import { Logger } from '@nestjs/common';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/** A set of migrations with its own history: "core", or a plugin id. */
export interface MigrationGroup {
  group: string;
  migrations: MigrationClass[];
}

const HISTORY_TABLE = 'schema_migration';

/**
 * Applies migrations group by group (core first, then plugins in dependency order), each group
 * keeping its own history in schema_migration. Every migration runs in its own transaction where
 * the database allows DDL in transactions (SQLite); MySQL commits DDL implicitly, so there a
 * failed migration stops the run and names itself.
 * Several app instances starting together are serialised by a named lock on MySQL.
 */
export class MigrationRunner {
  private readonly logger = new Logger('Migrations');

  constructor(private readonly dataSource: DataSource) {}

  async run(groups: MigrationGroup[]): Promise<string[]> {
    const qr = this.dataSource.createQueryRunner();
    const isMysql = this.dataSource.options.type !== 'better-sqlite3';
    const applied: string[] = [];
    try {
      await qr.connect();
      if (isMysql) {
        const [row] = (await qr.query(`SELECT GET_LOCK('mall_migrations', 120) AS got`)) as Array<{ got: number }>;
        if (Number(row?.got) !== 1) throw new Error('Could not take the migration lock within 120 s (another instance is migrating?)');
      }
      await this.ensureHistoryTable(qr);
      for (const group of groups) {
        const done = new Set(
          ((await qr.query(`SELECT name FROM ${HISTORY_TABLE} WHERE group_name = ?`, [group.group])) as Array<{ name: string }>).map((r) => r.name),
        );
        for (const Migration of group.migrations) {
          const migration = new Migration();
          const name = migration.name ?? Migration.name;
          if (done.has(name)) continue;
          this.logger.log(`Applying ${group.group}/${name}`);
          const useTx = !isMysql;
          if (useTx) await qr.startTransaction();
          try {
            await migration.up(qr);
            await qr.query(`INSERT INTO ${HISTORY_TABLE} (group_name, name, applied_at) VALUES (?, ?, ?)`, [group.group, name, new Date().toISOString().slice(0, 19).replace('T', ' ')]);
            if (useTx) await qr.commitTransaction();
          } catch (err) {
            if (useTx) await qr.rollbackTransaction();
            throw new Error(`Migration ${group.group}/${name} failed: ${(err as Error).message}`);
          }
          applied.push(`${group.group}/${name}`);
        }
      }
    } finally {
      if (isMysql) await qr.query(`SELECT RELEASE_LOCK('mall_migrations')`).catch(() => undefined);
      await qr.release();
    }
    return applied;
  }

  /** Reverts the last applied migration of one group. */
  async revertLast(group: MigrationGroup): Promise<string | null> {
    const qr = this.dataSource.createQueryRunner();
    try {
      await this.ensureHistoryTable(qr);
      const rows = (await qr.query(`SELECT name FROM ${HISTORY_TABLE} WHERE group_name = ? ORDER BY id DESC`, [group.group])) as Array<{ name: string }>;
      const last = rows[0]?.name;
      if (!last) return null;
      const Migration = group.migrations.find((m) => (new m().name ?? m.name) === last);
      if (!Migration) throw new Error(`Migration ${group.group}/${last} is recorded but not known to this version`);
      await new Migration().down(qr);
      await qr.query(`DELETE FROM ${HISTORY_TABLE} WHERE group_name = ? AND name = ?`, [group.group, last]);
      return last;
    } finally {
      await qr.release();
    }
  }

  async appliedNames(): Promise<Array<{ group: string; name: string }>> {
    const qr = this.dataSource.createQueryRunner();
    try {
      await this.ensureHistoryTable(qr);
      const rows = (await qr.query(`SELECT group_name, name FROM ${HISTORY_TABLE} ORDER BY id`)) as Array<{ group_name: string; name: string }>;
      return rows.map((r) => ({ group: r.group_name, name: r.name }));
    } finally {
      await qr.release();
    }
  }

  private async ensureHistoryTable(qr: QueryRunner): Promise<void> {
    const isMysql = this.dataSource.options.type !== 'better-sqlite3';
    const id = isMysql ? 'id INT AUTO_INCREMENT PRIMARY KEY' : 'id INTEGER PRIMARY KEY AUTOINCREMENT';
    await qr.query(
      `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (${id}, group_name VARCHAR(64) NOT NULL, name VARCHAR(160) NOT NULL, applied_at VARCHAR(19) NOT NULL, UNIQUE (group_name, name))`,
    );
  }
}
