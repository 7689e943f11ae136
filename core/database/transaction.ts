import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export interface TxContext {
  manager: EntityManager;
  afterCommit(fn: () => void | Promise<void>): void;
}

/**
 * SQLite allows one writer per file. TypeORM's SQLite driver shares a single connection per
 * DataSource, so two transactions on it would interleave. We therefore queue SQLite transactions
 * per database file (process-wide, so two app instances in one process — as in tests — queue too)
 * and open them with BEGIN IMMEDIATE, so that across processes a writer waits for the lock
 * (busy_timeout) instead of failing when it upgrades a read transaction.
 */
const sqliteQueues = new Map<string, Promise<unknown>>();

/**
 * Runs a unit of work in one database transaction. After the transaction commits, callbacks
 * registered with `afterCommit` run (used to dispatch events); they never run after a rollback.
 * On MySQL a deadlock victim is retried from the start (the work must be safe to re-run: it is,
 * because nothing it did was committed).
 */
export class TransactionRunner {
  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  async run<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.runMysql(work);
    const key = String(this.dataSource.options.database);
    const previous = sqliteQueues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.runSqlite(work));
    sqliteQueues.set(key, next.catch(() => undefined));
    return next;
  }

  private async runMysql<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const callbacks: Array<() => void | Promise<void>> = [];
      try {
        const result = await this.dataSource.transaction(async (manager) => work({ manager, afterCommit: (fn) => callbacks.push(fn) }));
        await runCallbacks(callbacks);
        return result;
      } catch (err) {
        const errno = (err as { driverError?: { errno?: number } }).driverError?.errno;
        if (attempt >= 4 || (errno !== 1213 && errno !== 1205)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  private async runSqlite<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    const callbacks: Array<() => void | Promise<void>> = [];
    await qr.query('BEGIN IMMEDIATE');
    markTransaction(qr, true);
    let result: T;
    try {
      result = await work({ manager: qr.manager, afterCommit: (fn) => callbacks.push(fn) });
      await qr.query('COMMIT');
    } catch (err) {
      await qr.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      markTransaction(qr, false);
      await qr.release();
    }
    await runCallbacks(callbacks);
    return result;
  }
}

/** Tells TypeORM a transaction is open, so save() does not open a nested one. */
function markTransaction(qr: QueryRunner, active: boolean): void {
  (qr as unknown as { isTransactionActive: boolean }).isTransactionActive = active;
}

async function runCallbacks(callbacks: Array<() => void | Promise<void>>): Promise<void> {
  for (const fn of callbacks) {
    try {
      await fn();
    } catch {
      // after-commit work is best effort; durable work (event deliveries) has its own retry path
    }
  }
}

/** Rows changed by an UPDATE, on both drivers. */
export function affectedRows(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}
