import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan } from 'typeorm';
import { FlashSaleItem } from './entities/flash-sale-item.entity.js';
import { FlashSaleSession } from './entities/flash-sale-session.entity.js';
import { sessionWindow, type SessionWindow } from './flash-rules.js';
import { RedisGate, type GateAnswer } from './redis-gate.js';

/** How often every instance re-reads sessions, items and stock (one indexed query each). */
const REFRESH_MS = Number(process.env.FLASH_SALE_REFRESH_MS ?? 1000);
/** A sold-out mark set by a refused attempt lives this long before the gate or database is asked again. */
const SOLD_OUT_MS = 1000;
/** Sessions that ended longer ago than this are no longer kept in memory. */
const KEEP_ENDED_MS = 6 * 3600_000;

export interface LiveItem {
  item: FlashSaleItem;
  session: FlashSaleSession;
  window: SessionWindow;
}

/**
 * What every instance keeps in memory so that a rush costs the database as little as possible:
 * the sessions and items of the flash sale (re-read every second, and at once after an admin change
 * on this instance), a sold-out mark per item that turns attempts away without a query, and the
 * Redis gate when REDIS_URL is set. Nothing here decides a sale: the conditional UPDATE does.
 */
@Injectable()
export class FlashState implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FlashSale');
  readonly gate: RedisGate | null;
  private sessions = new Map<number, FlashSaleSession>();
  private items = new Map<number, FlashSaleItem>();
  private byProduct = new Map<number, FlashSaleItem[]>();
  private readonly soldOutUntil = new Map<number, number>();
  private readonly missedAt = new Map<number, number>();
  /** Gate counters seen at 0 while the database had stock: item id → stock then (self-healing). */
  private readonly gateZero = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  /** Loads started so far. */
  private loadGen = 0;
  /** Changes whenever a session or item definition changes (page cache key). */
  private definitionKey = '';

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    const url = (process.env.REDIS_URL ?? '').trim();
    this.gate = url ? new RedisGate(url) : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.gate) await this.gate.ready();
    if (this.gate) await this.resyncGate();
    else await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => this.logger.warn(`refresh: ${(err as Error).message}`)), REFRESH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing?.catch(() => undefined);
    await this.gate?.close();
  }

  // ------------------------------------------------------------ snapshot

  /** Re-reads sessions and items (single flight). */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.loadGen++;
      this.refreshing = this.load().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const now = new Date();
    const sessions = await this.ds.getRepository(FlashSaleSession).find({ where: { endsAt: MoreThan(new Date(now.getTime() - KEEP_ENDED_MS)) }, order: { startsAt: 'ASC', id: 'ASC' } });
    const items = sessions.length ? await this.ds.getRepository(FlashSaleItem).find({ where: { sessionId: In(sessions.map((s) => s.id)), isActive: true }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
    this.sessions = new Map(sessions.map((s) => [s.id, s]));
    this.items = new Map(items.map((i) => [i.id, i]));
    const byProduct = new Map<number, FlashSaleItem[]>();
    for (const i of items) byProduct.set(i.productId, [...(byProduct.get(i.productId) ?? []), i]);
    this.byProduct = byProduct;
    this.definitionKey = [
      ...sessions.map((s) => `s${s.id}:${s.updatedAt?.getTime?.() ?? 0}`),
      ...items.map((i) => `i${i.id}:${i.flashPrice}:${i.perMemberLimit}:${i.sortOrder}:${i.settled ? 1 : 0}`),
    ].join(',');
    for (const i of items) {
      if (i.stock <= 0 || i.settled) this.soldOutUntil.set(i.id, Date.now() + 2 * REFRESH_MS);
      else this.soldOutUntil.delete(i.id);
    }
    if (this.gate) await this.healGate(now);
  }

  /** An item with its session and current window; null when unknown or removed. */
  get(itemId: number): LiveItem | null {
    const item = this.items.get(itemId);
    const session = item && this.sessions.get(item.sessionId);
    if (!item || !session) return null;
    return { item, session, window: sessionWindow(session, new Date()) };
  }

  /**
   * Like get(), but for an item this instance has not loaded yet (created on another instance a
   * moment ago) it refreshes from the database: concurrent callers share that refresh, and an id the
   * database does not know is remembered for 2 s, so random ids cannot make every request query.
   */
  async find(itemId: number): Promise<LiveItem | null> {
    const known = this.get(itemId);
    if (known) return known;
    const missed = this.missedAt.get(itemId);
    if (missed !== undefined && Date.now() - missed < 2000) return null;
    await this.loadStartedAfterNow();
    const found = this.get(itemId);
    if (!found) {
      if (this.missedAt.size > 10_000) this.missedAt.clear();
      this.missedAt.set(itemId, Date.now());
    }
    return found;
  }

  /** Waits for a load that started after this call (a load already running may predate a new item). */
  private async loadStartedAfterNow(): Promise<void> {
    const gen = this.loadGen;
    for (;;) {
      if (this.refreshing) {
        const startedAfter = this.loadGen > gen;
        await this.refreshing.catch(() => undefined);
        if (startedAfter) return;
        continue;
      }
      if (this.loadGen > gen) return;
      await this.refresh();
      return;
    }
  }

  sessionList(): FlashSaleSession[] {
    return [...this.sessions.values()];
  }

  itemsOf(sessionId: number): FlashSaleItem[] {
    return [...this.items.values()].filter((i) => i.sessionId === sessionId);
  }

  itemsOfProduct(productId: number): FlashSaleItem[] {
    return this.byProduct.get(productId) ?? [];
  }

  allItems(): FlashSaleItem[] {
    return [...this.items.values()];
  }

  /** Sessions, item definitions and sold-out marks: what the cached page depends on (besides time). */
  stateKey(now = new Date()): string {
    const phases = [...this.sessions.values()].map((s) => {
      const w = sessionWindow(s, now);
      return `${s.id}${w.phase[0]}${w.start.getTime()}`;
    });
    const soldOut = [...this.items.values()].filter((i) => this.shownSoldOut(i)).map((i) => i.id).join('.');
    return `${this.definitionKey}|${phases.join(',')}|${soldOut}`;
  }

  // ------------------------------------------------------------ sold-out marks

  /**
   * What pages show: no stock left in the last database read (or a refused UPDATE since). The gate's
   * short "no admission left" mark is not shown: admitted attempts may still fail and give units back.
   */
  shownSoldOut(item: FlashSaleItem): boolean {
    return item.stock <= 0 || item.settled;
  }

  isSoldOut(itemId: number): boolean {
    const until = this.soldOutUntil.get(itemId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.soldOutUntil.delete(itemId);
    return false;
  }

  /** `byDatabase`: the conditional UPDATE found no stock (else the gate said so). */
  markSoldOut(itemId: number, byDatabase: boolean): void {
    this.soldOutUntil.set(itemId, Date.now() + SOLD_OUT_MS);
    const item = this.items.get(itemId);
    if (item && byDatabase) item.stock = 0;
  }

  // ------------------------------------------------------------ the gate

  async admit(item: FlashSaleItem, quantity: number): Promise<GateAnswer> {
    if (!this.gate) return 'unknown';
    const answer = await this.gate.admit(item.gateKey, quantity);
    if (answer === 'unknown') void this.syncItem(item.id);
    return answer;
  }

  /** An admitted attempt failed for another reason than stock: its admission goes back. */
  async giveBack(item: FlashSaleItem, quantity: number): Promise<void> {
    if (!this.gate) return;
    if (!(await this.gate.giveBack(item.gateKey, quantity))) await this.syncItem(item.id);
  }

  /** Units went back to the activity (an unpaid order closed): clear the mark, refill the gate. */
  async returned(itemId: number, gateKey: string, quantity: number): Promise<void> {
    this.soldOutUntil.delete(itemId);
    const item = this.items.get(itemId);
    if (item) item.stock += quantity;
    if (this.gate && !(await this.gate.giveBack(gateKey, quantity))) await this.syncItem(itemId);
  }

  /** Sets the gate counter of one item to the database's stock. */
  async syncItem(itemId: number): Promise<void> {
    if (!this.gate) return;
    const item = await this.ds.getRepository(FlashSaleItem).findOneBy({ id: itemId });
    const session = item && (await this.ds.getRepository(FlashSaleSession).findOneBy({ id: item.sessionId }));
    if (!item || !session) return;
    await this.gate.sync(item.gateKey, item.isActive && !item.settled ? item.stock : 0, session.endsAt);
  }

  /** On start: every counter of a session not yet over is set from the database. */
  async resyncGate(): Promise<void> {
    if (!this.gate) return;
    await this.loadStartedAfterNow();
    const now = new Date();
    for (const item of this.items.values()) {
      const session = this.sessions.get(item.sessionId);
      if (!session || session.endsAt <= now) continue;
      await this.gate.sync(item.gateKey, item.settled ? 0 : item.stock, session.endsAt);
    }
  }

  /**
   * Each refresh: a missing counter, or one above the database's stock, is set from the database
   * (safe: the database still decides); a counter at 0 while the database has had the same stock for
   * two refreshes lost admissions (a crash between gate and order) and is refilled.
   */
  private async healGate(now: Date): Promise<void> {
    const live = [...this.items.values()].filter((i) => {
      const s = this.sessions.get(i.sessionId);
      return s && s.endsAt > now && !i.settled;
    });
    const counters = await this.gate!.read(live.map((i) => i.gateKey));
    for (const [n, item] of live.entries()) {
      const counter = counters[n];
      const session = this.sessions.get(item.sessionId)!;
      if (counter === null || counter > item.stock) {
        await this.gate!.sync(item.gateKey, item.stock, session.endsAt);
        this.gateZero.delete(item.id);
      } else if (counter === 0 && item.stock > 0) {
        if (this.gateZero.get(item.id) === item.stock) {
          await this.gate!.sync(item.gateKey, item.stock, session.endsAt);
          this.gateZero.delete(item.id);
        } else {
          this.gateZero.set(item.id, item.stock);
        }
      } else {
        this.gateZero.delete(item.id);
      }
    }
  }
}
