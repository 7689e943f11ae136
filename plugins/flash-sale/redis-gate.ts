import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * The optional Redis gate in front of the hot stock row (REDIS_URL). Each item has a counter of
 * admissions left; an atomic Lua script admits an attempt only while the counter covers its
 * quantity, so a rush of thousands sends only about as many attempts to the database as there are
 * units. The database stays the source of truth: the gate only turns attempts away, never sells.
 *
 * - A crash between admission and order loses the admission (the counter is then lower than the
 *   stock): nothing is oversold; the counter is re-synced from the database on start, when an order
 *   gives units back, and when the gate says "sold out" while the database still has stock.
 * - Redis down or slow: the gate answers "unknown" and the database decides (fail open).
 */
export type GateAnswer = 'admitted' | 'sold_out' | 'unknown';

// KEYS[1] counter; ARGV[1] quantity → 1 admitted, 0 sold out, -1 no counter
const ADMIT = `
local v = redis.call('GET', KEYS[1])
if not v then return -1 end
local q = tonumber(ARGV[1])
if tonumber(v) >= q then redis.call('DECRBY', KEYS[1], q) return 1 end
return 0`;

// gives an admission back, only to an existing counter (a missing one is re-synced from the database)
const GIVE_BACK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return -1`;

type GateRedis = Redis & {
  flashAdmit(key: string, quantity: number): Promise<number>;
  flashGiveBack(key: string, quantity: number): Promise<number>;
};

export class RedisGate {
  private readonly logger = new Logger('FlashSaleGate');
  private readonly redis: GateRedis;
  private warnedAt = 0;

  constructor(url: string, private readonly prefix = 'flash-sale:gate:') {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as GateRedis;
    this.redis.on('error', (err: Error) => this.warn(`Redis: ${err.message}`));
    this.redis.defineCommand('flashAdmit', { numberOfKeys: 1, lua: ADMIT });
    this.redis.defineCommand('flashGiveBack', { numberOfKeys: 1, lua: GIVE_BACK });
  }

  /** Resolves once connected (or after `ms`), so the first attempts of a rush find the gate ready. */
  async ready(ms = 2000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  key(gateKey: string): string {
    return this.prefix + gateKey;
  }

  async admit(gateKey: string, quantity: number): Promise<GateAnswer> {
    try {
      const r = await this.redis.flashAdmit(this.key(gateKey), quantity);
      return r === 1 ? 'admitted' : r === 0 ? 'sold_out' : 'unknown';
    } catch (err) {
      this.warn(`admit: ${(err as Error).message}`);
      return 'unknown';
    }
  }

  /** An admitted attempt that did not become an order gives its admission back. */
  async giveBack(gateKey: string, quantity: number): Promise<boolean> {
    try {
      return (await this.redis.flashGiveBack(this.key(gateKey), quantity)) >= 0;
    } catch (err) {
      this.warn(`give back: ${(err as Error).message}`);
      return false;
    }
  }

  /** Sets the counter to the database's stock (expires a day after the session ends). */
  async sync(gateKey: string, stock: number, expiresAt: Date): Promise<void> {
    const ttl = Math.max(60, Math.ceil((expiresAt.getTime() - Date.now()) / 1000) + 86_400);
    try {
      await this.redis.set(this.key(gateKey), String(Math.max(0, stock)), 'EX', ttl);
    } catch (err) {
      this.warn(`sync: ${(err as Error).message}`);
    }
  }

  /** Counters of several items (null when missing or Redis is unavailable). */
  async read(gateKeys: string[]): Promise<Array<number | null>> {
    if (!gateKeys.length) return [];
    try {
      const values = await this.redis.mget(...gateKeys.map((k) => this.key(k)));
      return values.map((v) => (v === null ? null : Number(v)));
    } catch {
      return gateKeys.map(() => null);
    }
  }

  async drop(gateKey: string): Promise<void> {
    try {
      await this.redis.del(this.key(gateKey));
    } catch (err) {
      this.warn(`drop: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.warnedAt < 10_000) return;
    this.warnedAt = now;
    this.logger.warn(`${message} (the database decides meanwhile)`);
  }
}
