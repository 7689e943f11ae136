import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, In, LessThanOrEqual, QueryFailedError, type EntityManager } from 'typeorm';
import { BadInputError, ConflictError, InjectPluginSettings, NotFoundError, TransactionRunner, type PluginSettings, type TxContext } from '../../core/plugin/index.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { specText } from '../../core/catalog/catalog.service.js';
import { Address } from '../../core/customer/entities/address.entity.js';
import { FlashSaleItem } from './entities/flash-sale-item.entity.js';
import { FlashSalePurchase } from './entities/flash-sale-purchase.entity.js';
import { FlashSaleSession } from './entities/flash-sale-session.entity.js';
import { dailyRange, HHMM, sessionWindow, soldPercent, withinLimit, YMD, type SessionKind, type SessionPhase } from './flash-rules.js';
import { FlashState } from './flash-state.js';

export const PLUGIN_ID = 'flash-sale';
export const ADJUSTER_ID = 'flash-sale:price';

export interface FlashSaleSettings {
  pageTitle: string;
  defaultPaymentTimeoutMinutes: number;
  pageCacheSeconds: number;
  upcomingDays: number;
}

/** What the flash adjuster decided for one line while placing; the order.placed hook reserves it. */
export interface PendingReservation {
  itemId: number;
  variantId: number;
  quantity: number;
  /** The item's flash price the line was priced from (the hot UPDATE checks it is still the price). */
  flashPrice: number;
  unitPrice: number;
  perMemberLimit: number;
  paymentTimeoutMinutes: number;
  gateKey: string;
}

/**
 * Reservations decided by the adjuster, per checkout transaction (keyed by its EntityManager, which
 * the order.placed hook receives as tx.manager). A retried transaction has a new manager.
 */
export const PENDING = new WeakMap<EntityManager, PendingReservation[]>();

/** What the buy endpoint answers with, stashed by the order.placed hook (read once, bounded). */
export const PLACED = new Map<number, { paymentDueAt: Date; lines: Array<{ itemId: number; variantId: number; quantity: number; unitPrice: number }> }>();

export interface SessionInput {
  title?: string;
  kind?: SessionKind;
  startsAt?: string;
  endsAt?: string;
  firstDay?: string;
  lastDay?: string;
  startTime?: string;
  durationMinutes?: number;
  paymentTimeoutMinutes?: number;
  allowOrderDiscounts?: boolean;
  earnsCommission?: boolean;
  isActive?: boolean;
}

export interface ItemInput {
  variantId?: number;
  flashPrice?: number;
  stock?: number;
  perMemberLimit?: number;
  sortOrder?: number;
}

export interface ItemView {
  id: number;
  sessionId: number;
  productId: number;
  variantId: number;
  title: string;
  specText: string;
  image: string | null;
  slug: string;
  listPrice: number;
  flashPrice: number;
  stock: number;
  sold: number;
  soldPercent: number;
  soldOut: boolean;
  perMemberLimit: number;
}

export interface SessionView {
  id: number;
  title: string;
  kind: SessionKind;
  dailyStart: string | null;
  dailyMinutes: number;
  startsAt: Date;
  endsAt: Date;
  phase: SessionPhase;
  windowStart: Date;
  windowEnd: Date;
  /** "10:00" (China time) of the current or next window. */
  timeLabel: string;
  paymentTimeoutMinutes: number;
  allowOrderDiscounts: boolean;
  earnsCommission: boolean;
  isActive: boolean;
  items: ItemView[];
}

export interface AdminItemView extends ItemView {
  settled: boolean;
  returnedStock: number;
  isActive: boolean;
  variantPrice: number;
  variantStock: number;
}

export interface AdminSessionView extends Omit<SessionView, 'items'> {
  items: AdminItemView[];
}

/**
 * Two purchases of one member raced for the same purchase seq and this one lost: the other has
 * committed, so a new transaction sees it. The buy endpoint retries; elsewhere it is a plain 409.
 */
export class MemberPurchaseRaceError extends ConflictError {
  constructor(limit: number) {
    super('flash_limit_reached', `each member may buy at most ${limit} of this flash item; another purchase of yours was placed at the same moment`, 'quantity');
  }
}

const dup = (err: unknown) => err instanceof QueryFailedError && /ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE|SQLITE_CONSTRAINT_PRIMARYKEY/.test(String((err as { driverError?: { code?: string } }).driverError?.code ?? err.message));

function chinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}

/** 秒杀: sessions and items (admin), the reservation inside the checkout, the return on close, settling. */
@Injectable()
export class FlashSaleService {
  private readonly logger = new Logger('FlashSale');
  readonly tx: TransactionRunner;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<FlashSaleSettings>,
    readonly state: FlashState,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  // ================================================================ admin: sessions

  async createSession(input: SessionInput): Promise<AdminSessionView> {
    const s = this.ds.getRepository(FlashSaleSession).create({ isActive: true, allowOrderDiscounts: false, earnsCommission: true, dailyMinutes: 0, dailyStart: null });
    const defaults = await this.settings.get();
    this.applySession(s, { paymentTimeoutMinutes: defaults.defaultPaymentTimeoutMinutes, ...input }, true);
    const saved = await this.ds.getRepository(FlashSaleSession).save(s);
    await this.state.refresh();
    return this.adminSession(saved.id);
  }

  async updateSession(id: number, input: SessionInput): Promise<AdminSessionView> {
    const repo = this.ds.getRepository(FlashSaleSession);
    const s = await repo.findOneBy({ id });
    if (!s) throw new NotFoundError('flash_session', id);
    this.applySession(s, input, false);
    await repo.save(s);
    await this.state.refresh();
    return this.adminSession(id);
  }

  /**
   * Removes a session: every item's unsold units go back to its variant. A session whose items sold
   * something is switched off and kept (its orders refer to it); one that sold nothing is deleted.
   */
  async deleteSession(id: number): Promise<{ deleted: boolean }> {
    const session = await this.ds.getRepository(FlashSaleSession).findOneBy({ id });
    if (!session) throw new NotFoundError('flash_session', id);
    const items = await this.ds.getRepository(FlashSaleItem).findBy({ sessionId: id });
    let kept = false;
    for (const item of items) kept = (await this.removeItemRow(item)) || kept;
    if (kept) await this.ds.getRepository(FlashSaleSession).update({ id }, { isActive: false });
    else await this.ds.getRepository(FlashSaleSession).delete({ id });
    await this.state.refresh();
    return { deleted: !kept };
  }

  private applySession(s: FlashSaleSession, input: SessionInput, creating: boolean): void {
    if (input.title !== undefined) {
      const title = input.title.trim();
      if (!title) throw new BadInputError('title', 'title must not be empty');
      s.title = title;
    } else if (creating) throw new BadInputError('title', 'a session needs a title, e.g. 10点场');
    const kind = input.kind ?? s.kind;
    if (!kind) throw new BadInputError('kind', 'kind must be "daily" (a time slot every day) or "once" (one window)');
    const timesGiven = ['startsAt', 'endsAt', 'firstDay', 'lastDay', 'startTime', 'durationMinutes'].some((k) => input[k as keyof SessionInput] !== undefined);
    if (creating || timesGiven || input.kind !== undefined) {
      if (kind === 'once') {
        const startsAt = input.startsAt !== undefined ? new Date(input.startsAt) : s.kind === 'once' ? s.startsAt : undefined;
        const endsAt = input.endsAt !== undefined ? new Date(input.endsAt) : s.kind === 'once' ? s.endsAt : undefined;
        if (!startsAt || Number.isNaN(startsAt.getTime())) throw new BadInputError('startsAt', 'a one-off session needs startsAt, e.g. 2026-11-11T10:00:00+08:00');
        if (!endsAt || Number.isNaN(endsAt.getTime())) throw new BadInputError('endsAt', 'a one-off session needs endsAt, e.g. 2026-11-11T12:00:00+08:00');
        if (endsAt <= startsAt) throw new BadInputError('endsAt', 'endsAt must be after startsAt');
        if (endsAt.getTime() - startsAt.getTime() > 31 * 86_400_000) throw new BadInputError('endsAt', 'a one-off session lasts at most 31 days');
        Object.assign(s, { kind, startsAt, endsAt, dailyStart: null, dailyMinutes: 0 });
      } else {
        const prev = s.kind === 'daily' && s.dailyStart ? { firstDay: new Date(s.startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10), lastDay: new Date(s.endsAt.getTime() - s.dailyMinutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 10), startTime: s.dailyStart, durationMinutes: s.dailyMinutes } : {};
        const firstDay = input.firstDay ?? prev.firstDay;
        const lastDay = input.lastDay ?? prev.lastDay;
        const startTime = input.startTime ?? prev.startTime;
        const minutes = input.durationMinutes ?? prev.durationMinutes;
        if (!firstDay || !YMD.test(firstDay)) throw new BadInputError('firstDay', 'a daily session needs firstDay as YYYY-MM-DD (China date)');
        if (!lastDay || !YMD.test(lastDay)) throw new BadInputError('lastDay', 'a daily session needs lastDay as YYYY-MM-DD (China date)');
        if (lastDay < firstDay) throw new BadInputError('lastDay', 'lastDay must not be before firstDay');
        if (!startTime || !HHMM.test(startTime)) throw new BadInputError('startTime', 'a daily session needs startTime as HH:MM (China time), e.g. 10:00');
        if (!minutes || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new BadInputError('durationMinutes', 'durationMinutes must be 1-1440');
        const range = dailyRange(firstDay, lastDay, startTime, minutes);
        if (Number.isNaN(range.startsAt.getTime()) || Number.isNaN(range.endsAt.getTime())) throw new BadInputError('firstDay', 'firstDay/lastDay must be real dates');
        if (range.endsAt.getTime() - range.startsAt.getTime() > 366 * 86_400_000) throw new BadInputError('lastDay', 'a daily session runs for at most a year');
        Object.assign(s, { kind, ...range, dailyStart: startTime, dailyMinutes: minutes });
      }
    }
    if (input.paymentTimeoutMinutes !== undefined) s.paymentTimeoutMinutes = input.paymentTimeoutMinutes;
    if (input.allowOrderDiscounts !== undefined) s.allowOrderDiscounts = input.allowOrderDiscounts;
    if (input.earnsCommission !== undefined) s.earnsCommission = input.earnsCommission;
    if (input.isActive !== undefined) s.isActive = input.isActive;
  }

  // ================================================================ admin: items

  /**
   * Adds a variant to a session: its activity stock is taken from the variant's stock at once (a
   * conditional UPDATE: never more than the merchant has), so normal orders cannot take those units.
   */
  async addItem(sessionId: number, input: Required<Pick<ItemInput, 'variantId' | 'flashPrice' | 'stock'>> & ItemInput): Promise<AdminItemView> {
    const session = await this.ds.getRepository(FlashSaleSession).findOneBy({ id: sessionId });
    if (!session) throw new NotFoundError('flash_session', sessionId);
    if (session.endsAt <= new Date()) throw new ConflictError('flash_session_ended', `session ${session.title} is over; add items to a session that is still to come or running`);
    let id: number;
    try {
      id = await this.tx.run(async (tx) => {
        const variant = await tx.manager.findOneBy(ProductVariant, { id: input.variantId, isActive: true });
        if (!variant) throw new NotFoundError('variant', input.variantId, 'variantId');
        if (!(input.flashPrice < variant.price)) throw new BadInputError('flashPrice', `the flash price (¥${(input.flashPrice / 100).toFixed(2)}) must be below the variant's price (¥${(variant.price / 100).toFixed(2)})`, 'flash_price_too_high');
        const existing = await tx.manager.findOneBy(FlashSaleItem, { sessionId, variantId: variant.id });
        if (existing) throw new ConflictError('flash_item_exists', `variant ${variant.id} is already in session ${session.title}`, 'variantId');
        await this.takeFromVariant(tx.manager, variant.id, input.stock);
        const inserted = await tx.manager.insert(FlashSaleItem, {
          sessionId, productId: variant.productId, variantId: variant.id, flashPrice: input.flashPrice, stock: input.stock, sold: 0,
          perMemberLimit: input.perMemberLimit ?? 1, sortOrder: input.sortOrder ?? 0, isActive: true, settled: false, returnedStock: 0, gateKey: randomBytes(12).toString('hex'),
        });
        return Number(inserted.identifiers[0].id);
      });
    } catch (err) {
      if (dup(err)) throw new ConflictError('flash_item_exists', `variant ${input.variantId} is already in session ${session.title}`, 'variantId');
      throw err;
    }
    await this.state.refresh();
    await this.state.syncItem(id);
    return this.adminItem(id);
  }

  /** Price, limit, order, or the stock left (more is taken from the variant, less goes back to it). */
  async updateItem(id: number, input: ItemInput): Promise<AdminItemView> {
    await this.tx.run(async (tx) => {
      const item = await tx.manager.findOneBy(FlashSaleItem, { id, isActive: true });
      if (!item) throw new NotFoundError('flash_item', id);
      if (input.flashPrice !== undefined) {
        const variant = await tx.manager.findOneBy(ProductVariant, { id: item.variantId });
        if (!variant || !(input.flashPrice < variant.price)) throw new BadInputError('flashPrice', `the flash price (¥${(input.flashPrice / 100).toFixed(2)}) must be below the variant's price (¥${((variant?.price ?? 0) / 100).toFixed(2)})`, 'flash_price_too_high');
        item.flashPrice = input.flashPrice;
      }
      const patch: Partial<FlashSaleItem> = {};
      if (input.flashPrice !== undefined) patch.flashPrice = input.flashPrice;
      if (input.perMemberLimit !== undefined) patch.perMemberLimit = input.perMemberLimit;
      if (input.sortOrder !== undefined) patch.sortOrder = input.sortOrder;
      if (Object.keys(patch).length) await tx.manager.update(FlashSaleItem, { id }, patch);
      if (input.stock !== undefined && input.stock !== item.stock) {
        if (item.settled) throw new ConflictError('flash_item_settled', 'this item is over: its units went back to the variant');
        const delta = input.stock - item.stock;
        // conditional on the stock read: a sale in between makes this a 409 (reload and try again)
        const res = await tx.manager.createQueryBuilder().update(FlashSaleItem).set({ stock: input.stock }).where('id = :id AND stock = :old AND settled = :no', { id, old: item.stock, no: false }).execute();
        if (!res.affected) throw new ConflictError('flash_stock_changed', 'the activity stock changed meanwhile (a sale); reload and try again', 'stock');
        if (delta > 0) await this.takeFromVariant(tx.manager, item.variantId, delta);
        else await this.giveToVariant(tx.manager, item.variantId, -delta);
      }
    });
    await this.state.refresh();
    await this.state.syncItem(id);
    return this.adminItem(id);
  }

  /** Removes an item: its unsold units go back to the variant; an item that sold something is kept, switched off. */
  async removeItem(id: number): Promise<{ deleted: boolean }> {
    const item = await this.ds.getRepository(FlashSaleItem).findOneBy({ id, isActive: true });
    if (!item) throw new NotFoundError('flash_item', id);
    const kept = await this.removeItemRow(item);
    await this.state.refresh();
    return { deleted: !kept };
  }

  /** Returns true when the row is kept (it has purchases). */
  private async removeItemRow(item: FlashSaleItem): Promise<boolean> {
    const kept = await this.tx.run(async (tx) => {
      await this.settleInTx(tx.manager, item.id);
      const hasPurchases = (await tx.manager.countBy(FlashSalePurchase, { itemId: item.id })) > 0;
      if (hasPurchases) await tx.manager.update(FlashSaleItem, { id: item.id }, { isActive: false });
      else await tx.manager.delete(FlashSaleItem, { id: item.id });
      return hasPurchases;
    });
    await this.state.gate?.drop(item.gateKey);
    return kept;
  }

  private async takeFromVariant(manager: EntityManager, variantId: number, quantity: number): Promise<void> {
    const res = await manager.createQueryBuilder().update(ProductVariant).set({ stock: () => `stock - ${Number(quantity)}` }).where('id = :id AND stock >= :q', { id: variantId, q: quantity }).execute();
    if (!res.affected) {
      const v = await manager.findOneBy(ProductVariant, { id: variantId });
      throw new ConflictError('insufficient_stock', `the activity stock (${quantity}) cannot be more than the variant has: ${v?.stock ?? 0} in stock`, 'stock');
    }
  }

  private async giveToVariant(manager: EntityManager, variantId: number, quantity: number): Promise<void> {
    if (quantity <= 0) return;
    await manager.createQueryBuilder().update(ProductVariant).set({ stock: () => `stock + ${Number(quantity)}` }).where('id = :id', { id: variantId }).execute();
  }

  /**
   * The item's unsold units go back to its variant, once: `settled` flips with a conditional UPDATE
   * on the stock read, so a sale or a return racing with it makes it read again.
   */
  private async settleInTx(manager: EntityManager, itemId: number): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = await manager.findOneBy(FlashSaleItem, { id: itemId });
      if (!item || item.settled) return 0;
      const res = await manager.createQueryBuilder().update(FlashSaleItem)
        .set({ settled: true, returnedStock: item.stock, stock: 0 })
        .where('id = :id AND settled = :no AND stock = :stock', { id: itemId, no: false, stock: item.stock })
        .execute();
      if (!res.affected) continue;
      await this.giveToVariant(manager, item.variantId, item.stock);
      return item.stock;
    }
    throw new ConflictError('flash_busy', 'the item is selling too fast to settle now; try again in a moment');
  }

  /** Items of sessions that are over give their unsold units back to their variants (job). */
  async settleEnded(now = new Date()): Promise<number> {
    const ended = await this.ds.getRepository(FlashSaleSession).find({ select: { id: true }, where: { endsAt: LessThanOrEqual(now) } });
    if (!ended.length) return 0;
    const items = await this.ds.getRepository(FlashSaleItem).find({ select: { id: true, gateKey: true }, where: { sessionId: In(ended.map((s) => s.id)), settled: false } });
    let settled = 0;
    for (const item of items) {
      await this.tx.run((tx) => this.settleInTx(tx.manager, item.id));
      await this.state.gate?.drop(item.gateKey);
      settled++;
    }
    if (settled) await this.state.refresh();
    return settled;
  }

  // ================================================================ checkout: reserve and return

  /**
   * Inside the order.placed transaction, in this order: the member's purchase row (limit), the
   * shorter payment time, and last the hot row — a single conditional UPDATE — so that the row lock
   * is held only from that statement to the commit.
   */
  async reserve(tx: TxContext, orderId: number, memberId: number, pending: PendingReservation[]): Promise<void> {
    const m = tx.manager;
    for (const p of pending) {
      const rows = await m.find(FlashSalePurchase, { select: { seq: true, quantity: true, status: true }, where: { itemId: p.itemId, memberId } });
      const held = rows.filter((r) => r.status === 'active').reduce((sum, r) => sum + r.quantity, 0);
      if (!withinLimit(held, p.quantity, p.perMemberLimit)) {
        throw new ConflictError('flash_limit_reached', `each member may buy at most ${p.perMemberLimit} of this flash item; you already have ${held}`, 'quantity');
      }
      const seq = rows.reduce((max, r) => Math.max(max, r.seq), 0) + 1;
      try {
        await m.insert(FlashSalePurchase, { itemId: p.itemId, memberId, seq, quantity: p.quantity, orderId, status: 'active' });
      } catch (err) {
        if (dup(err)) throw new MemberPurchaseRaceError(p.perMemberLimit);
        throw err;
      }
    }
    const minutes = Math.min(...pending.map((p) => p.paymentTimeoutMinutes));
    const paymentDueAt = new Date(Date.now() + minutes * 60_000);
    await m.createQueryBuilder().update(Order).set({ paymentDueAt }).where('id = :id AND status = :s', { id: orderId, s: 'pending_payment' }).execute();
    // the hot rows, last; in item order so two multi-item orders cannot deadlock
    for (const p of [...pending].sort((a, b) => a.itemId - b.itemId)) {
      const res = await m.createQueryBuilder().update(FlashSaleItem)
        .set({ stock: () => `stock - ${Number(p.quantity)}`, sold: () => `sold + ${Number(p.quantity)}` })
        .where('id = :id AND stock >= :q AND settled = :no AND is_active = :on AND flash_price = :price', { id: p.itemId, q: p.quantity, no: false, on: true, price: p.flashPrice })
        .execute();
      if (!res.affected) {
        // why not (only read on this path): a price changed by the admin a moment ago, or no stock
        const now = await m.findOneBy(FlashSaleItem, { id: p.itemId });
        if (now && now.isActive && !now.settled && now.stock >= p.quantity && now.flashPrice !== p.flashPrice) {
          throw new ConflictError('flash_price_changed', 'the flash price has just changed; reload and try again');
        }
        this.state.markSoldOut(p.itemId, true);
        throw new ConflictError('flash_sold_out', 'sold out: every unit of this flash sale has been taken', 'quantity');
      }
    }
    if (PLACED.size > 5000) PLACED.clear();
    PLACED.set(orderId, { paymentDueAt, lines: pending.map((p) => ({ itemId: p.itemId, variantId: p.variantId, quantity: p.quantity, unitPrice: p.unitPrice })) });
    tx.afterCommit(() => {
      // the stash is for the buy endpoint of this request; drop it if nobody read it
      setTimeout(() => PLACED.delete(orderId), 60_000).unref();
    });
  }

  /** Inside the order.closed transaction: the order's units go back to the activity (or, once settled, to the variant). */
  async release(tx: TxContext, orderId: number): Promise<void> {
    const m = tx.manager;
    const rows = await m.findBy(FlashSalePurchase, { orderId, status: 'active' });
    for (const r of rows) {
      const marked = await m.createQueryBuilder().update(FlashSalePurchase).set({ status: 'released' }).where('id = :id AND status = :s', { id: r.id, s: 'active' }).execute();
      if (!marked.affected) continue;
      const back = await m.createQueryBuilder().update(FlashSaleItem)
        .set({ stock: () => `stock + ${Number(r.quantity)}`, sold: () => `sold - ${Number(r.quantity)}` })
        .where('id = :id AND settled = :no', { id: r.itemId, no: false })
        .execute();
      const item = await m.findOneBy(FlashSaleItem, { id: r.itemId });
      if (!item) continue;
      if (!back.affected) {
        await m.createQueryBuilder().update(FlashSaleItem).set({ sold: () => `sold - ${Number(r.quantity)}` }).where('id = :id', { id: r.itemId }).execute();
        await this.giveToVariant(m, item.variantId, r.quantity);
        continue;
      }
      tx.afterCommit(() => this.state.returned(item.id, item.gateKey, r.quantity));
    }
  }

  // ================================================================ storefront

  /** Sessions to show (running, and those to come within upcomingDays), with their items. */
  async sessions(now = new Date()): Promise<SessionView[]> {
    const settings = await this.settings.get();
    const horizon = now.getTime() + settings.upcomingDays * 86_400_000;
    const visible = this.state.sessionList()
      .map((s) => ({ s, w: sessionWindow(s, now) }))
      .filter(({ w }) => w.phase === 'live' || (w.phase === 'upcoming' && w.start.getTime() <= horizon))
      .sort((a, b) => (a.w.phase === b.w.phase ? 0 : a.w.phase === 'live' ? -1 : 1) || a.w.start.getTime() - b.w.start.getTime() || a.s.id - b.s.id);
    const items = visible.flatMap(({ s }) => this.state.itemsOf(s.id));
    const views = await this.itemViews(items);
    return visible.map(({ s, w }) => ({ ...this.sessionBase(s, now), phase: w.phase, windowStart: w.start, windowEnd: w.end, timeLabel: chinaTime(w.start), items: views.filter((v) => v.sessionId === s.id) }));
  }

  /** Stock and sold share of the items in memory: no database (the page polls this). */
  status(now = new Date()): { now: string; items: Array<{ id: number; stock: number; sold: number; soldPercent: number; soldOut: boolean; phase: SessionPhase }> } {
    return {
      now: now.toISOString(),
      items: this.state.allItems().map((i) => {
        const live = this.state.get(i.id);
        const soldOut = this.state.shownSoldOut(i);
        return { id: i.id, stock: Math.max(0, i.stock), sold: i.sold, soldPercent: soldOut ? 100 : soldPercent(i.sold, i.stock), soldOut, phase: live?.window.phase ?? 'off' };
      }),
    };
  }

  /** The member's part of the page: units held per item and the default address. */
  async mine(memberId: number): Promise<{ purchases: Record<string, number>; addressId: number | null }> {
    const ids = this.state.allItems().map((i) => i.id);
    const rows = ids.length ? await this.ds.getRepository(FlashSalePurchase).find({ select: { itemId: true, quantity: true }, where: { memberId, itemId: In(ids), status: 'active' } }) : [];
    const purchases: Record<string, number> = {};
    for (const r of rows) purchases[String(r.itemId)] = (purchases[String(r.itemId)] ?? 0) + r.quantity;
    const addresses = await this.ds.getRepository(Address).find({ where: { memberId }, order: { isDefault: 'DESC', id: 'DESC' }, take: 1 });
    return { purchases, addressId: addresses[0]?.id ?? null };
  }

  /** Product page: the live or next flash offer for the product (from memory). */
  offerForProduct(productId: number, now = new Date()): { item: FlashSaleItem; session: FlashSaleSession; phase: SessionPhase; start: Date; end: Date } | null {
    let best: { item: FlashSaleItem; session: FlashSaleSession; phase: SessionPhase; start: Date; end: Date } | null = null;
    for (const item of this.state.itemsOfProduct(productId)) {
      const live = this.state.get(item.id);
      if (!live || (live.window.phase !== 'live' && live.window.phase !== 'upcoming')) continue;
      const cand = { item, session: live.session, phase: live.window.phase, start: live.window.start, end: live.window.end };
      if (!best || (cand.phase === 'live' && best.phase !== 'live') || (cand.phase === best.phase && cand.start < best.start) || (cand.phase === best.phase && cand.item.flashPrice < best.item.flashPrice && +cand.start === +best.start)) best = cand;
    }
    return best;
  }

  // ================================================================ views

  async adminSessions(): Promise<AdminSessionView[]> {
    const sessions = await this.ds.getRepository(FlashSaleSession).find({ order: { startsAt: 'DESC', id: 'DESC' }, take: 200 });
    const items = sessions.length ? await this.ds.getRepository(FlashSaleItem).find({ where: { sessionId: In(sessions.map((s) => s.id)), isActive: true }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
    const views = await this.adminItemViews(items);
    const now = new Date();
    return sessions.map((s) => {
      const w = sessionWindow(s, now);
      return { ...this.sessionBase(s, now), phase: w.phase, windowStart: w.start, windowEnd: w.end, timeLabel: chinaTime(w.start), items: views.filter((v) => v.sessionId === s.id) };
    });
  }

  async adminSession(id: number): Promise<AdminSessionView> {
    const found = (await this.adminSessions()).find((s) => s.id === id);
    if (!found) throw new NotFoundError('flash_session', id);
    return found;
  }

  private async adminItem(id: number): Promise<AdminItemView> {
    const item = await this.ds.getRepository(FlashSaleItem).findOneBy({ id });
    if (!item) throw new NotFoundError('flash_item', id);
    return (await this.adminItemViews([item]))[0];
  }

  private sessionBase(s: FlashSaleSession, now: Date) {
    void now;
    return {
      id: s.id, title: s.title, kind: s.kind, dailyStart: s.dailyStart, dailyMinutes: s.dailyMinutes, startsAt: s.startsAt, endsAt: s.endsAt,
      paymentTimeoutMinutes: s.paymentTimeoutMinutes, allowOrderDiscounts: s.allowOrderDiscounts, earnsCommission: s.earnsCommission, isActive: s.isActive,
    };
  }

  private async itemViews(items: FlashSaleItem[]): Promise<ItemView[]> {
    if (!items.length) return [];
    const variants = await this.ds.getRepository(ProductVariant).findBy({ id: In([...new Set(items.map((i) => i.variantId))]) });
    const products = await this.ds.getRepository(Product).findBy({ id: In([...new Set(items.map((i) => i.productId))]) });
    return items.flatMap((i) => {
      const v = variants.find((x) => x.id === i.variantId);
      const p = products.find((x) => x.id === i.productId);
      if (!v || !p) return [];
      const soldOut = this.state.shownSoldOut(i);
      return [{
        id: i.id, sessionId: i.sessionId, productId: i.productId, variantId: i.variantId, title: p.title, specText: specText(v.specValues), image: v.imageUrl ?? p.images[0] ?? null, slug: p.slug,
        listPrice: v.price, flashPrice: Math.min(i.flashPrice, v.price), stock: Math.max(0, i.stock), sold: i.sold, soldPercent: soldOut ? 100 : soldPercent(i.sold, i.stock), soldOut, perMemberLimit: i.perMemberLimit,
      }];
    });
  }

  private async adminItemViews(items: FlashSaleItem[]): Promise<AdminItemView[]> {
    const views = await this.itemViews(items);
    const variants = items.length ? await this.ds.getRepository(ProductVariant).findBy({ id: In([...new Set(items.map((i) => i.variantId))]) }) : [];
    return views.map((v) => {
      const i = items.find((x) => x.id === v.id)!;
      const variant = variants.find((x) => x.id === v.variantId);
      return { ...v, flashPrice: i.flashPrice, soldOut: i.stock <= 0, settled: i.settled, returnedStock: i.returnedStock, isActive: i.isActive, variantPrice: variant?.price ?? 0, variantStock: variant?.stock ?? 0 };
    });
  }
}
