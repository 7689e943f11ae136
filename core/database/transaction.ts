import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a unit of work in one database transaction.
 *
 * TypeORM's SQLite driver shares a single connection, so two concurrent transactions would
 * interleave on it. On SQLite we queue them; MySQL gives every transaction its own pooled connection.
 * After the transaction commits, callbacks registered with `afterCommit` run (used to dispatch events).
 */
export class TransactionRunner {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  async run<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.execute(work);
    const next = this.sqliteQueue.then(() => this.execute(work));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  private async execute<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    // MySQL may pick this transaction as a deadlock victim; the work is safe to run again from the start.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.executeOnce(work);
      } catch (err) {
        const errno = (err as { driverError?: { errno?: number } }).driverError?.errno;
        if (attempt >= 4 || (errno !== 1213 && errno !== 1205)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  private async executeOnce<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    const afterCommit: Array<() => void | Promise<void>> = [];
    const result = await this.dataSource.transaction(async (manager) =>
      work({ manager, afterCommit: (fn) => afterCommit.push(fn) }),
    );
    for (const fn of afterCommit) {
      try {
        await fn();
      } catch {
        // after-commit work is best effort; durable work (events) has its own retry path
      }
    }
    return result;
  }
}

export interface TxContext {
  manager: EntityManager;
  afterCommit(fn: () => void | Promise<void>): void;
}

/** Rows changed by an UPDATE, on both drivers. */
export function affectedRows(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}
