import type { MigrationInterface, QueryRunner } from 'typeorm';

export interface DialectStatements {
  up: string[];
  down: string[];
}

/**
 * A migration written as plain SQL per dialect. `npm run migration:generate` writes these from the
 * entities for both SQLite and MySQL, so a migration is reviewed as the SQL that will run.
 */
export abstract class DialectMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly sqlite: DialectStatements;
  protected abstract readonly mysql: DialectStatements;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.pick(queryRunner).up) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.pick(queryRunner).down) await queryRunner.query(sql);
  }

  private pick(queryRunner: QueryRunner): DialectStatements {
    const type = queryRunner.connection.options.type;
    if (type === 'mysql' || type === 'mariadb') return this.mysql;
    if (type === 'better-sqlite3') return this.sqlite;
    throw new Error(`Migration ${this.name} has no SQL for database type ${type}`);
  }
}
