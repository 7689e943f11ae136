import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError, type EntityManager } from 'typeorm';
import { BadInputError, ConflictError, DomainError, InjectPluginSettings, NotFoundError, TransactionRunner, type PluginSettings } from '../../core/plugin/index.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Member } from '../../core/customer/entities/member.entity.js';
import { OrderAdjustment } from '../../core/order/entities/order-adjustment.entity.js';
import { BurstLimiter } from './burst-limiter.js';
import { ADJUSTER_ID, PLUGIN_ID, activityProblems, planOf, priceAfter, startOfChinaDay, type BargainSettings } from './bargain.rules.js';
import { BargainActivity, type BargainBuyMode } from './entities/bargain-activity.entity.js';
import { Bargain } from './entities/bargain.entity.js';
import { BargainHelp } from './entities/bargain-help.entity.js';

export interface ActivityInput {
  title: string;
  variantId: number;
  startPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  durationMinutes: number;
  startsAt: Date;
  endsAt: Date;
  maxStartsPerMember?: number;
  maxHelpsPerDay?: number;
  buyMode?: BargainBuyMode;
  initiatorCut?: boolean;
  allowOrderDiscounts?: boolean;
  earnsCommission?: boolean;
  isActive?: boolean;
}

export interface ActivityView {
  id: number;
  title: string;
  productId: number;
  variantId: number;
  productTitle: string;
  productSlug: string;
  image: string | null;
  specText: string;
  listPrice: number;
  startPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  durationMinutes: number;
  startsAt: Date;
  endsAt: Date;
  maxStartsPerMember: number;
  maxHelpsPerDay: number;
  buyMode: BargainBuyMode;
  initiatorCut: boolean;
  allowOrderDiscounts: boolean;
  earnsCommission: boolean;
  isActive: boolean;
  live: boolean;
  startedCount: number;
  orderedCount: number;
}

/** open: friends may still help; floor: every needed friend helped; ordered: an order holds it; expired: time is up. */
export type BargainState = 'open' | 'floor' | 'ordered' | 'expired';

export interface BargainView {
  id: number;
  activityId: number;
  memberId: number;
  initiator: { nickname: string; avatarUrl: string | null };
  activity: ActivityView;
  variantId: number;
  startPrice: number;
  floorPrice: number;
  currentPrice: number;
  helpersNeeded: number;
  helpCount: number;
  helpersLeft: number;
  /** 0-100: share of start − floor cut so far. */
  progressPercent: number;
  initiatorCutAmount: number;
  expiresAt: Date;
  state: BargainState;
  orderId: number | null;
  /** Whether the initiator may buy now (state and the activity's buy mode). */
  canBuy: boolean;
  helpers: Array<{ nickname: string; avatarUrl: string | null; cutAmount: number; priceAfter: number; helpedAt: Date }>;
}

export interface HelpResult {
  cutAmount: number;
  currentPrice: number;
  helpCount: number;
  reachedFloor: boolean;
  bargain: BargainView;
}

function isDuplicate(err: unknown): boolean {
  return err instanceof QueryFailedError && /dup|unique|constraint/i.test(String((err as { driverError?: { code?: string } }).driverError?.code ?? '') + err.message);
}

/** 砍价: activities (admin), starting, helping and buying bargains. */
@Injectable()
export class BargainService {
  readonly tx: TransactionRunner;
  readonly limiter = new BurstLimiter(60_000);

  constructor(@InjectDataSource() private readonly ds: DataSource, @InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<BargainSettings>) {
    this.tx = new TransactionRunner(ds);
  }

  // ---------------------------------------------------------------- switch and limits

  async isEnabled(): Promise<boolean> {
    return (await this.settings.get()).enabled === true;
  }

  /** Every member-facing route and the checkout option answer 403 bargain_disabled until the merchant turns the plugin's switch on. */
  async ensureEnabled(): Promise<void> {
    if (!(await this.isEnabled())) throw new DomainError(403, 'bargain_disabled', 'bargaining is turned off in this shop (插件 → 砍价 → 开启砍价)');
  }

  /** Burst limit per member and per IP (in memory, per instance): 429 bargain_rate_limited. */
  async checkBurst(memberId: number, ip: string | undefined, now = Date.now()): Promise<void> {
    const s = await this.settings.get();
    const byMember = this.limiter.hit(`m:${memberId}`, s.burstPerMember, now);
    const byIp = ip ? this.limiter.hit(`ip:${ip}`, s.burstPerIp, now) : true;
    if (!byMember || !byIp) throw new DomainError(429, 'bargain_rate_limited', 'too many bargain requests in a short time; try again in a minute');
  }

  // ---------------------------------------------------------------- admin

  async createActivity(input: ActivityInput): Promise<ActivityView> {
    const variant = await this.variantFor(input.variantId);
    const a = this.ds.getRepository(BargainActivity).create({
      title: input.title.trim(), productId: variant.productId, variantId: variant.id, startPrice: input.startPrice, floorPrice: input.floorPrice,
      helpersNeeded: input.helpersNeeded, durationMinutes: input.durationMinutes, startsAt: input.startsAt, endsAt: input.endsAt,
      maxStartsPerMember: input.maxStartsPerMember ?? 1, maxHelpsPerDay: input.maxHelpsPerDay ?? 3, buyMode: input.buyMode ?? 'floor',
      initiatorCut: input.initiatorCut ?? true, allowOrderDiscounts: input.allowOrderDiscounts ?? false, earnsCommission: input.earnsCommission ?? true,
      isActive: input.isActive ?? true, startedCount: 0, orderedCount: 0,
    });
    this.check(a, variant);
    return (await this.views([await this.ds.getRepository(BargainActivity).save(a)]))[0];
  }

  /** Edits apply to bargains started afterwards; a started bargain keeps the terms it started with. */
  async updateActivity(id: number, input: Partial<ActivityInput>): Promise<ActivityView> {
    const repo = this.ds.getRepository(BargainActivity);
    const a = await repo.findOneBy({ id });
    if (!a) throw new NotFoundError('bargain_activity', id);
    const variant = await this.variantFor(input.variantId ?? a.variantId);
    const fields = ['title', 'startPrice', 'floorPrice', 'helpersNeeded', 'durationMinutes', 'startsAt', 'endsAt', 'maxStartsPerMember', 'maxHelpsPerDay', 'buyMode', 'initiatorCut', 'allowOrderDiscounts', 'earnsCommission', 'isActive'] as const;
    for (const f of fields) if (input[f] !== undefined) (a as unknown as Record<string, unknown>)[f] = f === 'title' ? String(input.title).trim() : input[f];
    a.variantId = variant.id;
    a.productId = variant.productId;
    this.check(a, variant);
    return (await this.views([await repo.save(a)]))[0];
  }

  async listActivities(): Promise<ActivityView[]> {
    return this.views(await this.ds.getRepository(BargainActivity).find({ order: { id: 'DESC' } }));
  }

  private check(a: BargainActivity, variant: ProductVariant): void {
    const problems = activityProblems(a, variant.price);
    if (problems.length) throw new BadInputError(problems[0][0], problems.map((p) => p[1]).join('; '), 'invalid_bargain_activity');
  }

  private async variantFor(variantId: number): Promise<ProductVariant> {
    const v = await this.ds.getRepository(ProductVariant).findOneBy({ id: variantId });
    if (!v) throw new NotFoundError('variant', variantId, 'variantId');
    return v;
  }

  // ---------------------------------------------------------------- activities (storefront)

  async liveActivities(now = new Date()): Promise<ActivityView[]> {
    const rows = await this.ds.getRepository(BargainActivity).createQueryBuilder('a')
      .where('a.is_active = :on AND a.starts_at <= :now AND a.ends_at > :now', { on: true, now })
      .orderBy('a.ends_at', 'ASC').getMany();
    return this.views(rows, now);
  }

  async activity(id: number, now = new Date()): Promise<ActivityView> {
    const a = await this.ds.getRepository(BargainActivity).findOneBy({ id });
    if (!a || !a.isActive) throw new NotFoundError('bargain_activity', id);
    return (await this.views([a], now))[0];
  }

  async liveForProduct(productId: number, now = new Date()): Promise<ActivityView | null> {
    const a = await this.ds.getRepository(BargainActivity).createQueryBuilder('a')
      .where('a.product_id = :productId AND a.is_active = :on AND a.starts_at <= :now AND a.ends_at > :now', { productId, on: true, now })
      .orderBy('a.ends_at', 'ASC').getOne();
    return a ? (await this.views([a], now))[0] : null;
  }

  async views(rows: BargainActivity[], now = new Date()): Promise<ActivityView[]> {
    if (!rows.length) return [];
    const variants = await this.ds.getRepository(ProductVariant).findBy({ id: In([...new Set(rows.map((r) => r.variantId))]) });
    const products = await this.ds.getRepository(Product).findBy({ id: In([...new Set(rows.map((r) => r.productId))]) });
    return rows.map((a) => {
      const v = variants.find((x) => x.id === a.variantId);
      const p = products.find((x) => x.id === a.productId);
      return {
        id: a.id, title: a.title, productId: a.productId, variantId: a.variantId, productTitle: p?.title ?? '', productSlug: p?.slug ?? '',
        image: v?.imageUrl ?? p?.images?.[0] ?? null, specText: (v?.specValues ?? []).join(' / '), listPrice: v?.price ?? a.startPrice,
        startPrice: a.startPrice, floorPrice: a.floorPrice, helpersNeeded: a.helpersNeeded, durationMinutes: a.durationMinutes, startsAt: a.startsAt, endsAt: a.endsAt,
        maxStartsPerMember: a.maxStartsPerMember, maxHelpsPerDay: a.maxHelpsPerDay, buyMode: a.buyMode, initiatorCut: a.initiatorCut,
        allowOrderDiscounts: a.allowOrderDiscounts, earnsCommission: a.earnsCommission, isActive: a.isActive,
        live: a.isActive && a.startsAt <= now && a.endsAt > now, startedCount: a.startedCount, orderedCount: a.orderedCount,
      };
    });
  }

  // ---------------------------------------------------------------- bargains

  /**
   * Starts a bargain. The member's count in the activity is read and the new row gets startSeq =
   * count + 1: the unique (activity, member, startSeq) index turns a racing second start into 409.
   */
  async start(memberId: number, activityId: number, now = new Date()): Promise<BargainView> {
    try {
      const id = await this.tx.run(async ({ manager }) => {
        const a = await manager.findOneBy(BargainActivity, { id: activityId });
        if (!a || !a.isActive) throw new NotFoundError('bargain_activity', activityId, 'activityId');
        if (now < a.startsAt) throw new ConflictError('bargain_not_started', `this bargain activity starts at ${a.startsAt.toISOString()}`, 'activityId');
        if (now >= a.endsAt) throw new ConflictError('bargain_activity_ended', 'this bargain activity has ended', 'activityId');
        const mine = await manager.find(Bargain, { where: { activityId, memberId }, order: { id: 'DESC' } });
        const running = mine.find((b) => b.status === 'open' && b.expiresAt > now);
        if (running) throw new ConflictError('bargain_in_progress', `you already have bargain ${running.id} running in this activity`, 'activityId');
        if (mine.length >= a.maxStartsPerMember) throw new ConflictError('bargain_start_limit', `each member may start at most ${a.maxStartsPerMember} bargain(s) in this activity`, 'activityId');
        const terms = { seed: randomInt(0, 0x7fffffff), startPrice: a.startPrice, floorPrice: a.floorPrice, helpersNeeded: a.helpersNeeded, initiatorCut: a.initiatorCut };
        const inserted = await manager.insert(Bargain, {
          activityId, memberId, startSeq: mine.length + 1, variantId: a.variantId, ...terms, currentPrice: priceAfter(terms, 0), helpCount: 0,
          status: 'open', orderId: null, expiresAt: new Date(Math.min(now.getTime() + a.durationMinutes * 60_000, a.endsAt.getTime())), floorReachedAt: null,
        });
        await manager.createQueryBuilder().update(BargainActivity).set({ startedCount: () => 'started_count + 1' }).where('id = :id', { id: activityId }).execute();
        return Number(inserted.identifiers[0].id);
      });
      return this.bargain(id, now);
    } catch (err) {
      if (isDuplicate(err)) throw new ConflictError('bargain_in_progress', 'you have just started a bargain in this activity', 'activityId');
      throw err;
    }
  }

  /**
   * A friend's cut. The conditional UPDATE (open, not expired, friends still needed) both claims the
   * next place in the plan and locks the bargain row, so concurrent helps take places one after
   * another; the unique (bargain, helper) index rolls back a friend's second help, place included.
   */
  async help(helperId: number, bargainId: number, now = new Date()): Promise<HelpResult> {
    const b = await this.ds.getRepository(Bargain).findOneBy({ id: bargainId });
    if (!b) throw new NotFoundError('bargain', bargainId, 'bargainId');
    if (b.memberId === helperId) throw new DomainError(403, 'bargain_own_help', 'you cannot help your own bargain: share it with friends', 'bargainId');
    if (await this.ds.getRepository(BargainHelp).existsBy({ bargainId, helperId })) throw new ConflictError('bargain_already_helped', 'you have already helped this bargain', 'bargainId');
    this.refuseClosed(b, now);
    const a = await this.ds.getRepository(BargainActivity).findOneByOrFail({ id: b.activityId });
    const dayStart = startOfChinaDay(now);
    const helpsToday = await this.ds.getRepository(BargainHelp).createQueryBuilder('h').where('h.helper_id = :helperId AND h.helped_at >= :dayStart', { helperId, dayStart }).getCount();
    const { helpsPerDay } = await this.settings.get();
    if (helpsToday >= helpsPerDay) throw new DomainError(429, 'bargain_help_daily_limit', `each member may help at most ${helpsPerDay} bargains a day`, 'bargainId');
    const inActivityToday = await this.ds.getRepository(BargainHelp).createQueryBuilder('h')
      .where('h.helper_id = :helperId AND h.activity_id = :activityId AND h.helped_at >= :dayStart', { helperId, activityId: a.id, dayStart }).getCount();
    if (inActivityToday >= a.maxHelpsPerDay) throw new DomainError(429, 'bargain_help_daily_limit', `each member may help at most ${a.maxHelpsPerDay} bargains of this activity a day`, 'bargainId');
    try {
      await this.tx.run(async ({ manager }) => {
        const claimed = await manager.createQueryBuilder().update(Bargain)
          .set({ helpCount: () => 'help_count + 1' })
          .where('id = :id AND status = :open AND help_count < helpers_needed AND expires_at > :now', { id: bargainId, open: 'open', now })
          .execute();
        if (!claimed.affected) this.refuseClosed(await manager.findOneByOrFail(Bargain, { id: bargainId }), now, true);
        const locked = await manager.findOneByOrFail(Bargain, { id: bargainId });
        const seq = locked.helpCount;
        const plan = planOf(locked);
        const cutAmount = plan[seq - 1 + (locked.initiatorCut ? 1 : 0)];
        const after = priceAfter(locked, seq);
        await manager.insert(BargainHelp, { bargainId, activityId: locked.activityId, helperId, seq, cutAmount, priceAfter: after, helpedAt: now });
        await manager.update(Bargain, { id: bargainId }, { currentPrice: after, ...(seq === locked.helpersNeeded ? { floorReachedAt: now } : {}) });
      });
    } catch (err) {
      if (isDuplicate(err)) throw new ConflictError('bargain_already_helped', 'you have already helped this bargain', 'bargainId');
      throw err;
    }
    const view = await this.bargain(bargainId, now);
    const mine = await this.ds.getRepository(BargainHelp).findOneByOrFail({ bargainId, helperId });
    return { cutAmount: mine.cutAmount, currentPrice: view.currentPrice, helpCount: view.helpCount, reachedFloor: view.helpCount >= view.helpersNeeded, bargain: view };
  }

  /** Throws the reason a bargain takes no more helps (expired, bought, at the floor); with `always`, something is thrown. */
  private refuseClosed(b: Bargain, now: Date, always = false): void {
    if (b.status === 'ordered') throw new ConflictError('bargain_already_bought', 'this bargain has already been bought', 'bargainId');
    if (b.expiresAt <= now) throw new ConflictError('bargain_expired', `this bargain ended at ${b.expiresAt.toISOString()}`, 'bargainId');
    if (b.helpCount >= b.helpersNeeded) throw new ConflictError('bargain_complete', 'this bargain already reached its floor price', 'bargainId');
    if (always) throw new ConflictError('bargain_complete', 'this bargain takes no more helps', 'bargainId');
  }

  async hasHelped(bargainId: number, helperId: number): Promise<boolean> {
    return this.ds.getRepository(BargainHelp).existsBy({ bargainId, helperId });
  }

  state(b: Bargain, now = new Date()): BargainState {
    if (b.status === 'ordered') return 'ordered';
    if (b.expiresAt <= now) return 'expired';
    return b.helpCount >= b.helpersNeeded ? 'floor' : 'open';
  }

  async bargain(id: number, now = new Date()): Promise<BargainView> {
    const b = await this.ds.getRepository(Bargain).findOneBy({ id });
    if (!b) throw new NotFoundError('bargain', id);
    return (await this.bargainViews([b], now))[0];
  }

  async mine(memberId: number, now = new Date()): Promise<BargainView[]> {
    return this.bargainViews(await this.ds.getRepository(Bargain).find({ where: { memberId }, order: { id: 'DESC' }, take: 50 }), now);
  }

  async bargainViews(rows: Bargain[], now = new Date()): Promise<BargainView[]> {
    if (!rows.length) return [];
    const activities = await this.views(await this.ds.getRepository(BargainActivity).findBy({ id: In([...new Set(rows.map((r) => r.activityId))]) }), now);
    const helps = await this.ds.getRepository(BargainHelp).find({ where: { bargainId: In(rows.map((r) => r.id)) }, order: { seq: 'ASC' } });
    const memberIds = [...new Set([...rows.map((r) => r.memberId), ...helps.map((h) => h.helperId)])];
    const members = await this.ds.getRepository(Member).find({ select: { id: true, nickname: true, avatarUrl: true }, where: { id: In(memberIds) } });
    const who = (id: number) => { const m = members.find((x) => x.id === id); return { nickname: m?.nickname ?? '微信用户', avatarUrl: m?.avatarUrl ?? null }; };
    return rows.map((b) => {
      const activity = activities.find((a) => a.id === b.activityId)!;
      const state = this.state(b, now);
      const total = b.startPrice - b.floorPrice;
      return {
        id: b.id, activityId: b.activityId, memberId: b.memberId, initiator: who(b.memberId), activity, variantId: b.variantId,
        startPrice: b.startPrice, floorPrice: b.floorPrice, currentPrice: b.currentPrice, helpersNeeded: b.helpersNeeded, helpCount: b.helpCount,
        helpersLeft: Math.max(0, b.helpersNeeded - b.helpCount), progressPercent: total > 0 ? Math.round(((b.startPrice - b.currentPrice) / total) * 100) : 100,
        initiatorCutAmount: b.initiatorCut ? planOf(b)[0] : 0, expiresAt: b.expiresAt, state, orderId: b.orderId,
        canBuy: state === 'floor' || (state === 'open' && activity.buyMode === 'any'),
        helpers: helps.filter((h) => h.bargainId === b.id).map((h) => ({ ...who(h.helperId), cutAmount: h.cutAmount, priceAfter: h.priceAfter, helpedAt: h.helpedAt })),
      };
    });
  }

  // ---------------------------------------------------------------- checkout

  /** The member's bargain named by the checkout option, checked for purchase now; a clear 4xx otherwise. */
  async forCheckout(manager: EntityManager, memberId: number, bargainId: number, now: Date): Promise<{ bargain: Bargain; activity: BargainActivity }> {
    const bargain = await manager.findOneBy(Bargain, { id: bargainId });
    // someone else's bargain is 404, never 403, so ids cannot be probed
    if (!bargain || bargain.memberId !== memberId) throw new NotFoundError('bargain', bargainId, 'options.bargainId');
    const activity = await manager.findOneByOrFail(BargainActivity, { id: bargain.activityId });
    const state = this.state(bargain, now);
    if (state === 'ordered') throw new ConflictError('bargain_already_bought', 'this bargain has already been bought', 'options.bargainId');
    if (state === 'expired') throw new ConflictError('bargain_expired', `this bargain ended at ${bargain.expiresAt.toISOString()}`, 'options.bargainId');
    if (state === 'open' && activity.buyMode === 'floor') {
      throw new ConflictError('bargain_not_at_floor', `this bargain can be bought only at the floor price: ${bargain.helpersNeeded - bargain.helpCount} more friend(s) needed`, 'options.bargainId');
    }
    return { bargain, activity };
  }

  /** Inside the checkout transaction: the conditional UPDATE lets exactly one order take the bargain. */
  async markOrdered(manager: EntityManager, bargainId: number): Promise<void> {
    const res = await manager.createQueryBuilder().update(Bargain).set({ status: 'ordered' }).where('id = :id AND status = :open', { id: bargainId, open: 'open' }).execute();
    if (!res.affected) throw new ConflictError('bargain_already_bought', 'this bargain has just been bought on another order', 'options.bargainId');
  }

  /** In the order.placed transaction: the bargain (from the order's price adjustment) gets the order id. */
  async attachOrder(manager: EntityManager, orderId: number): Promise<void> {
    for (const adj of await manager.findBy(OrderAdjustment, { orderId, source: ADJUSTER_ID })) {
      const bargainId = Number(adj.data?.bargainId);
      if (!Number.isSafeInteger(bargainId)) continue;
      const res = await manager.createQueryBuilder().update(Bargain).set({ orderId }).where('id = :id AND status = :ordered AND order_id IS NULL', { id: bargainId, ordered: 'ordered' }).execute();
      if (res.affected) {
        const b = await manager.findOneByOrFail(Bargain, { id: bargainId });
        await manager.createQueryBuilder().update(BargainActivity).set({ orderedCount: () => 'ordered_count + 1' }).where('id = :id', { id: b.activityId }).execute();
      }
    }
  }

  /** In the order.closed transaction: an unpaid order that closes gives its bargain back (idempotent). */
  async releaseOrder(manager: EntityManager, orderId: number): Promise<number> {
    let released = 0;
    for (const b of await manager.findBy(Bargain, { orderId, status: 'ordered' })) {
      const res = await manager.createQueryBuilder().update(Bargain).set({ status: 'open', orderId: null }).where('id = :id AND order_id = :orderId AND status = :ordered', { id: b.id, orderId, ordered: 'ordered' }).execute();
      if (!res.affected) continue;
      released++;
      await manager.createQueryBuilder().update(BargainActivity).set({ orderedCount: () => 'ordered_count - 1' }).where('id = :id AND ordered_count > 0', { id: b.activityId }).execute();
    }
    return released;
  }
}
