import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, MoreThan, QueryFailedError, type EntityManager } from 'typeorm';
import {
  BadInputError, ConflictError, InjectPluginSettings, NotFoundError, TransactionRunner,
  type PluginSettings, type PricingContext, type PriceAdjustment, type TxContext,
} from '../../core/plugin/index.js';
import { OrderAdjustment } from '../../core/order/entities/order-adjustment.entity.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { OrderService } from '../../core/order/order.service.js';
import { PaymentService } from '../../core/payment/payment.service.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Member } from '../../core/customer/entities/member.entity.js';
import { EventBus } from '../../core/events/event-bus.service.js';
import { GroupBuyActivity } from './entities/group-buy-activity.entity.js';
import { GroupBuyItem } from './entities/group-buy-item.entity.js';
import { GroupBuySeat } from './entities/group-buy-seat.entity.js';
import { GroupBuyTeam, type TeamStatus } from './entities/group-buy-team.entity.js';
import { activityProblems, seatPrice, virtualSuccess, type GroupBuySettings } from './group-buy.rules.js';

export const PLUGIN_ID = 'group-buy';
export const ADJUSTER_ID = 'group-buy:price';
const ACTOR = 'system:group-buy';

declare module '../../core/events/domain-events.js' {
  interface DomainEventMap {
    /** Every seat of the team is paid (or virtual success): its orders may ship. */
    'group-buy.formed': { teamId: number; activityId: number; virtual: boolean; memberIds: number[]; orderIds: number[] };
    /** The team timed out unformed: its paid orders are being refunded. */
    'group-buy.failed': { teamId: number; activityId: number; memberIds: number[]; orderIds: number[] };
  }
}

export interface ActivityInput {
  name: string;
  productId: number;
  teamSize: number;
  teamHours: number;
  startsAt: Date;
  endsAt: Date;
  perMemberLimit?: number;
  virtualSuccessPercent?: number | null;
  allowOrderDiscounts?: boolean;
  earnsCommission?: boolean;
  isActive?: boolean;
  items: Array<{ variantId: number; groupPrice: number; leaderPrice?: number | null; stock: number }>;
}

export interface SeatView {
  memberId: number;
  nickname: string;
  avatarUrl: string | null;
  isLeader: boolean;
  virtual?: boolean;
}

export interface TeamView {
  id: number;
  activityId: number;
  status: TeamStatus;
  teamSize: number;
  paidCount: number;
  seatsLeft: number;
  expiresAt: Date | null;
  /** expiresAt as ISO text, for countdowns. */
  deadline: string | null;
  formedAt: Date | null;
  virtual: boolean;
  leader: { memberId: number; nickname: string; avatarUrl: string | null } | null;
  /** Paid members only (a refunded member has left); virtual-success teams fill the rest with placeholders. */
  seats: SeatView[];
  emptySeats: number;
}

@Injectable()
export class GroupBuyService {
  readonly tx: TransactionRunner;
  private readonly logger = new Logger('GroupBuy');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<GroupBuySettings>,
    private readonly orders: OrderService,
    private readonly payments: PaymentService,
    private readonly events: EventBus,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  // ------------------------------------------------------------------ admin

  async listActivities(): Promise<Array<GroupBuyActivity & { items: GroupBuyItem[]; productTitle: string; teams: Record<string, number> }>> {
    const activities = await this.ds.getRepository(GroupBuyActivity).find({ order: { id: 'DESC' } });
    return this.withItems(activities);
  }

  async activity(id: number): Promise<GroupBuyActivity & { items: GroupBuyItem[]; productTitle: string; teams: Record<string, number> }> {
    const a = await this.ds.getRepository(GroupBuyActivity).findOneBy({ id });
    if (!a) throw new NotFoundError('group_buy_activity', id);
    return (await this.withItems([a]))[0];
  }

  private async withItems(activities: GroupBuyActivity[]) {
    if (!activities.length) return [];
    const ids = activities.map((a) => a.id);
    const items = await this.ds.getRepository(GroupBuyItem).find({ where: { activityId: In(ids) }, order: { id: 'ASC' } });
    const products = await this.ds.getRepository(Product).findBy({ id: In([...new Set(activities.map((a) => a.productId))]) });
    const counts = await this.ds.getRepository(GroupBuyTeam).createQueryBuilder('t').select('t.activity_id', 'activityId').addSelect('t.status', 'status').addSelect('COUNT(*)', 'n')
      .where('t.activity_id IN (:...ids)', { ids }).groupBy('t.activity_id').addGroupBy('t.status').getRawMany<{ activityId: number; status: string; n: string | number }>();
    return activities.map((a) => Object.assign(a, {
      items: items.filter((i) => i.activityId === a.id),
      productTitle: products.find((p) => p.id === a.productId)?.title ?? '',
      teams: Object.fromEntries(counts.filter((c) => Number(c.activityId) === a.id).map((c) => [c.status, Number(c.n)])),
    }));
  }

  async createActivity(input: ActivityInput): Promise<GroupBuyActivity & { items: GroupBuyItem[] }> {
    await this.check(input);
    const id = await this.tx.run(async (tx) => {
      const a = await tx.manager.save(GroupBuyActivity, tx.manager.create(GroupBuyActivity, {
        name: input.name.trim(), productId: input.productId, teamSize: input.teamSize, teamHours: input.teamHours, startsAt: input.startsAt, endsAt: input.endsAt,
        perMemberLimit: input.perMemberLimit ?? 1, virtualSuccessPercent: input.virtualSuccessPercent ?? null,
        allowOrderDiscounts: input.allowOrderDiscounts ?? false, earnsCommission: input.earnsCommission ?? true, isActive: input.isActive ?? true,
      }));
      await tx.manager.save(GroupBuyItem, input.items.map((i) => tx.manager.create(GroupBuyItem, {
        activityId: a.id, variantId: i.variantId, groupPrice: i.groupPrice, leaderPrice: i.leaderPrice ?? null, stock: i.stock, stockLeft: i.stock,
      })));
      return a.id;
    });
    return this.activity(id);
  }

  /**
   * Edits an activity. The product cannot change; a variant's stock change moves stock_left by the
   * same amount (never below what is already taken); variants may be added but not removed once sold.
   * Open teams keep the team size they were opened with.
   */
  async updateActivity(id: number, input: ActivityInput): Promise<GroupBuyActivity & { items: GroupBuyItem[] }> {
    const current = await this.activity(id);
    if (input.productId !== current.productId) throw new BadInputError('productId', 'the product of an activity cannot change; create a new activity', 'product_locked');
    await this.check(input);
    await this.tx.run(async (tx) => {
      await tx.manager.update(GroupBuyActivity, { id }, {
        name: input.name.trim(), teamSize: input.teamSize, teamHours: input.teamHours, startsAt: input.startsAt, endsAt: input.endsAt,
        perMemberLimit: input.perMemberLimit ?? current.perMemberLimit, virtualSuccessPercent: input.virtualSuccessPercent === undefined ? current.virtualSuccessPercent : input.virtualSuccessPercent,
        allowOrderDiscounts: input.allowOrderDiscounts ?? current.allowOrderDiscounts, earnsCommission: input.earnsCommission ?? current.earnsCommission, isActive: input.isActive ?? current.isActive,
      });
      const existing = await tx.manager.findBy(GroupBuyItem, { activityId: id });
      for (const [i, next] of input.items.entries()) {
        const old = existing.find((e) => e.variantId === next.variantId);
        if (!old) {
          await tx.manager.insert(GroupBuyItem, { activityId: id, variantId: next.variantId, groupPrice: next.groupPrice, leaderPrice: next.leaderPrice ?? null, stock: next.stock, stockLeft: next.stock });
          continue;
        }
        const taken = old.stock - old.stockLeft;
        if (next.stock < taken) throw new BadInputError(`items.${i}.stock`, `${taken} units of variant ${next.variantId} are already taken; the activity stock cannot go below that`, 'stock_below_sold');
        const res = await tx.manager.createQueryBuilder().update(GroupBuyItem)
          .set({ groupPrice: next.groupPrice, leaderPrice: next.leaderPrice ?? null, stock: next.stock, stockLeft: () => `stock_left + ${Number(next.stock - old.stock)}` })
          .where('id = :id AND stock_left + :delta >= 0', { id: old.id, delta: next.stock - old.stock }).execute();
        if (!res.affected) throw new ConflictError('stock_changed', `variant ${next.variantId} sold meanwhile; reload and try again`, `items.${i}.stock`);
      }
      for (const old of existing.filter((e) => !input.items.some((n) => n.variantId === e.variantId))) {
        if (old.stockLeft !== old.stock) throw new BadInputError('items', `variant ${old.variantId} has sales in this activity and cannot be removed`, 'item_has_sales');
        await tx.manager.delete(GroupBuyItem, { id: old.id });
      }
    });
    return this.activity(id);
  }

  async setActive(id: number, isActive: boolean): Promise<GroupBuyActivity> {
    await this.activity(id);
    await this.ds.getRepository(GroupBuyActivity).update({ id }, { isActive });
    return this.activity(id);
  }

  private async check(input: ActivityInput): Promise<void> {
    const product = await this.ds.getRepository(Product).findOneBy({ id: input.productId });
    if (!product) throw new NotFoundError('product', input.productId, 'productId');
    const variants = await this.ds.getRepository(ProductVariant).findBy({ productId: product.id });
    const problems = activityProblems({ ...input, perMemberLimit: input.perMemberLimit ?? 1 }, new Map(variants.map((v) => [v.id, v.price])));
    if (problems.length) throw new BadInputError(problems[0][0], problems.map((p) => p[1]).join('; '), 'invalid_activity');
  }

  // ------------------------------------------------------------------ checkout (inside the pricing pipeline)

  /**
   * Prices the single line of a group-buy checkout. When placing, in the checkout transaction: takes
   * activity stock (conditional UPDATE), opens a pending team or claims a seat in an open one
   * (conditional UPDATE on seats_taken < team_size, so the seat after the last is never sold), and
   * inserts the seat (unique per team and member). The order.placed hook attaches the order.
   */
  async priceCheckout(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> {
    const activityOpt = ctx.options.groupBuyActivityId;
    const teamOpt = ctx.options.groupBuyTeamId;
    if (activityOpt === undefined && teamOpt === undefined) return [];
    const positive = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
    if (activityOpt !== undefined && !positive(activityOpt)) throw new BadInputError('options.groupBuyActivityId', 'groupBuyActivityId must be a positive whole number', 'invalid_group_buy_option');
    if (teamOpt !== undefined && !positive(teamOpt)) throw new BadInputError('options.groupBuyTeamId', 'groupBuyTeamId must be a positive whole number', 'invalid_group_buy_option');
    if (activityOpt !== undefined && teamOpt !== undefined) throw new BadInputError('options', 'give groupBuyActivityId to open a team or groupBuyTeamId to join one, not both', 'invalid_group_buy_option');
    if (ctx.memberId === null) return [];
    if (ctx.lines.length !== 1) throw new BadInputError('items', 'a group-buy order holds exactly one item', 'group_buy_single_item');
    const line = ctx.lines[0];
    const taken = ctx.adjustments.find((a) => a.kind === 'price' && a.lineIndex === line.index);
    if (taken) throw new ConflictError('activity_price_conflict', `${line.title} already has another activity price (${taken.label}); a group price never combines with other activity prices`, 'items.0.variantId');

    const m = ctx.manager;
    const now = ctx.now;
    const opening = teamOpt === undefined;
    let team: GroupBuyTeam | null = null;
    if (!opening) {
      team = await m.findOneBy(GroupBuyTeam, { id: Number(teamOpt) });
      if (!team) throw new NotFoundError('group_buy_team', Number(teamOpt), 'options.groupBuyTeamId');
      if (team.status === 'formed') throw new ConflictError('team_full', 'this team has already formed; open a new team instead', 'options.groupBuyTeamId');
      if (team.status !== 'open') throw new ConflictError('team_not_open', `this team is ${team.status === 'pending' ? 'waiting for its leader to pay' : 'closed'}`, 'options.groupBuyTeamId');
      if (team.expiresAt && team.expiresAt.getTime() <= now.getTime()) throw new ConflictError('team_expired', 'the time to join this team is over', 'options.groupBuyTeamId');
      if (team.seatsTaken >= team.teamSize) throw new ConflictError('team_full', 'every seat of this team is taken', 'options.groupBuyTeamId');
    }
    const activityId = opening ? Number(activityOpt) : team!.activityId;
    const activity = await m.findOneBy(GroupBuyActivity, { id: activityId });
    if (!activity) throw new NotFoundError('group_buy_activity', activityId, 'options.groupBuyActivityId');
    if (!activity.isActive) throw new ConflictError('activity_inactive', `group buy "${activity.name}" is not running`, 'options.groupBuyActivityId');
    if (opening && (now < activity.startsAt || now >= activity.endsAt)) {
      throw new ConflictError(now < activity.startsAt ? 'activity_not_started' : 'activity_ended', `group buy "${activity.name}" ${now < activity.startsAt ? 'has not started yet' : 'has ended'}`, 'options.groupBuyActivityId');
    }
    const item = await m.findOneBy(GroupBuyItem, { activityId, variantId: line.variantId });
    if (!item) throw new ConflictError('not_in_activity', `${line.title}${line.specText ? ` (${line.specText})` : ''} is not part of group buy "${activity.name}"`, 'items.0.variantId');
    if (team && (await m.findOneBy(GroupBuySeat, { teamId: team.id, memberId: ctx.memberId }))) {
      throw new ConflictError('already_in_team', 'you already have a seat in this team', 'options.groupBuyTeamId');
    }
    const held = await m.createQueryBuilder(GroupBuySeat, 's').select('COALESCE(SUM(s.quantity), 0)', 'n')
      .where('s.activity_id = :a AND s.member_id = :m AND s.status IN (:...st)', { a: activityId, m: ctx.memberId, st: ['pending', 'paid'] }).getRawOne<{ n: string | number }>();
    const already = Number(held?.n ?? 0);
    if (already + line.quantity > activity.perMemberLimit) {
      throw new ConflictError('member_limit', `group buy "${activity.name}" allows ${activity.perMemberLimit} per member${already ? `; you already have ${already}` : ''}`, 'items.0.quantity');
    }
    if (item.stockLeft < line.quantity) throw new ConflictError('group_stock_out', `only ${item.stockLeft} left at the group price`, 'items.0.quantity');
    const price = Math.min(seatPrice(item, opening), line.listUnitPrice);

    let teamId = team?.id ?? null;
    let seatId: number | null = null;
    if (ctx.placing) {
      const took = await m.createQueryBuilder().update(GroupBuyItem).set({ stockLeft: () => `stock_left - ${Number(line.quantity)}` })
        .where('id = :id AND stock_left >= :q', { id: item.id, q: line.quantity }).execute();
      if (!took.affected) throw new ConflictError('group_stock_out', 'the group-buy stock ran out', 'items.0.quantity');
      if (opening) {
        const created = await m.save(GroupBuyTeam, m.create(GroupBuyTeam, { activityId, leaderMemberId: ctx.memberId, teamSize: activity.teamSize, seatsTaken: 1, paidCount: 0, status: 'pending', expiresAt: null, formedAt: null, virtual: false }));
        teamId = created.id;
      } else {
        const claimed = await m.createQueryBuilder().update(GroupBuyTeam).set({ seatsTaken: () => 'seats_taken + 1' })
          .where('id = :id AND status = :open AND seats_taken < team_size AND expires_at > :now', { id: team!.id, open: 'open', now }).execute();
        if (!claimed.affected) throw new ConflictError('team_full', 'every seat of this team was just taken', 'options.groupBuyTeamId');
      }
      try {
        const seat = await m.save(GroupBuySeat, m.create(GroupBuySeat, {
          teamId: teamId!, activityId, memberId: ctx.memberId, orderId: null, itemId: item.id, variantId: line.variantId, quantity: line.quantity, unitPrice: price, isLeader: opening, status: 'pending', paidAt: null,
        }));
        seatId = seat.id;
      } catch (err) {
        if (err instanceof QueryFailedError) throw new ConflictError('already_in_team', 'you already have a seat in this team', 'options.groupBuyTeamId');
        throw err;
      }
    }
    return [{
      kind: 'price', lineIndex: line.index, amount: price, label: opening && item.leaderPrice !== null ? '拼团 团长价' : '拼团价',
      allowsOrderDiscounts: activity.allowOrderDiscounts,
      data: { earnsCommission: activity.earnsCommission, activityId, teamId, seatId, leader: opening },
    }];
  }

  // ------------------------------------------------------------------ order events (in their transactions)

  /** order.placed: the seat claimed while pricing gets the order id. */
  async attachOrder(manager: EntityManager, orderId: number): Promise<void> {
    const adj = await manager.findOneBy(OrderAdjustment, { orderId, source: ADJUSTER_ID });
    const seatId = Number(adj?.data?.seatId);
    if (!adj || !Number.isSafeInteger(seatId) || seatId <= 0) return;
    await manager.update(GroupBuySeat, { id: seatId }, { orderId });
  }

  /**
   * order.paid, inside the payment transaction. Never throws for business reasons (the money is in):
   * a seat that can no longer count becomes `lost` and the refund subscriber returns the money.
   */
  async seatPaid(tx: TxContext, orderId: number): Promise<void> {
    const m = tx.manager;
    const seat = await m.findOneBy(GroupBuySeat, { orderId });
    if (!seat || seat.status !== 'pending') return;
    const team = await m.findOneByOrFail(GroupBuyTeam, { id: seat.teamId });
    const now = new Date();
    let counted = false;
    if (seat.isLeader && team.status === 'pending') {
      const activity = await m.findOneByOrFail(GroupBuyActivity, { id: team.activityId });
      const res = await m.createQueryBuilder().update(GroupBuyTeam).set({ status: 'open', paidCount: 1, expiresAt: new Date(now.getTime() + activity.teamHours * 3600_000) })
        .where('id = :id AND status = :s', { id: team.id, s: 'pending' }).execute();
      counted = !!res.affected;
    } else if (team.status === 'open') {
      const res = await m.createQueryBuilder().update(GroupBuyTeam).set({ paidCount: () => 'paid_count + 1' })
        .where('id = :id AND status = :s AND paid_count < team_size', { id: team.id, s: 'open' }).execute();
      counted = !!res.affected;
    }
    await m.update(GroupBuySeat, { id: seat.id }, { status: counted ? 'paid' : 'lost', paidAt: now });
    if (!counted) {
      this.logger.warn(`order ${orderId} paid for a seat of team ${team.id} (${team.status}) that no longer counts; refunding`);
      return;
    }
    const fresh = await m.findOneByOrFail(GroupBuyTeam, { id: team.id });
    if (fresh.status === 'open' && fresh.paidCount >= fresh.teamSize) await this.form(tx, fresh, false);
  }

  private async form(tx: TxContext, team: GroupBuyTeam, virtual: boolean): Promise<boolean> {
    const m = tx.manager;
    const res = await m.createQueryBuilder().update(GroupBuyTeam).set({ status: 'formed', formedAt: new Date(), virtual })
      .where('id = :id AND status = :s', { id: team.id, s: 'open' }).execute();
    if (!res.affected) return false;
    const seats = await m.findBy(GroupBuySeat, { teamId: team.id, status: 'paid' });
    this.logger.log(`team ${team.id} of activity ${team.activityId} formed${virtual ? ' (virtual success)' : ''}: ${seats.length}/${team.teamSize} paid`);
    await this.events.publish(tx, 'group-buy.formed', { teamId: team.id, activityId: team.activityId, virtual, memberIds: seats.map((s) => s.memberId), orderIds: seats.map((s) => s.orderId!).filter((x) => x) });
    return true;
  }

  /** order.closed (an unpaid order cancelled or timed out): its seat and activity stock come back. */
  async seatClosed(manager: EntityManager, orderId: number): Promise<void> {
    const seat = await manager.findOneBy(GroupBuySeat, { orderId, status: 'pending' });
    if (!seat) return;
    const del = await manager.delete(GroupBuySeat, { id: seat.id, status: 'pending' });
    if (!del.affected) return;
    await this.returnStock(manager, seat);
    const team = await manager.findOneByOrFail(GroupBuyTeam, { id: seat.teamId });
    if (team.status === 'pending' && seat.isLeader) {
      await manager.update(GroupBuyTeam, { id: team.id, status: 'pending' }, { status: 'cancelled', seatsTaken: 0 });
    } else if (team.status === 'open') {
      await manager.createQueryBuilder().update(GroupBuyTeam).set({ seatsTaken: () => 'seats_taken - 1' }).where('id = :id AND seats_taken > 0', { id: team.id }).execute();
    }
  }

  /** order.refunded: the member leaves the team (an open team frees the seat) and the activity stock returns. */
  async seatRefunded(manager: EntityManager, orderId: number): Promise<void> {
    const seat = await manager.findOneBy(GroupBuySeat, { orderId });
    if (!seat || seat.status === 'refunded' || seat.status === 'pending') return;
    const order = await manager.findOneByOrFail(Order, { id: orderId });
    if (order.status !== 'refunded') return; // a partial refund keeps the seat
    const res = await manager.update(GroupBuySeat, { id: seat.id, status: seat.status }, { status: 'refunded' });
    if (!res.affected) return;
    await this.returnStock(manager, seat);
    if (seat.status === 'paid') {
      await manager.createQueryBuilder().update(GroupBuyTeam).set({ paidCount: () => 'paid_count - 1', seatsTaken: () => 'seats_taken - 1' })
        .where('id = :id AND status = :s AND paid_count > 0 AND seats_taken > 0', { id: seat.teamId, s: 'open' }).execute();
    }
  }

  private async returnStock(manager: EntityManager, seat: GroupBuySeat): Promise<void> {
    await manager.createQueryBuilder().update(GroupBuyItem).set({ stockLeft: () => `stock_left + ${Number(seat.quantity)}` })
      .where('id = :id AND stock_left + :q <= stock', { id: seat.itemId, q: seat.quantity }).execute();
  }

  /** Shipping hook: an order of a team may ship only once the team formed. */
  async assertMayShip(manager: EntityManager, orderId: number, orderNo: string): Promise<void> {
    const seat = await manager.findOneBy(GroupBuySeat, { orderId });
    if (!seat) return;
    const team = await manager.findOneBy(GroupBuyTeam, { id: seat.teamId });
    if (seat.status !== 'paid' || team?.status !== 'formed') {
      throw new ConflictError('group_not_formed', `order ${orderNo} belongs to a group-buy team that has not formed (${team?.paidCount ?? 0}/${team?.teamSize ?? 0} paid); it ships once the team forms`);
    }
  }

  // ------------------------------------------------------------------ refunds and timeouts (after commit)

  /** A paid seat that lost (the team failed or completed without it) is refunded at once. Idempotent. */
  async refundLost(orderId: number): Promise<boolean> {
    const seat = await this.ds.getRepository(GroupBuySeat).findOneBy({ orderId, status: 'lost' });
    if (!seat) return false;
    return this.refund(orderId, '拼团席位已满或已结束，自动退款 group-buy seat no longer available');
  }

  private async refund(orderId: number, reason: string): Promise<boolean> {
    const order = await this.ds.getRepository(Order).findOneBy({ id: orderId });
    if (!order || order.status !== 'paid') return false;
    await this.payments.refundOrder(order.orderNo, ACTOR, reason);
    return true;
  }

  /**
   * Teams whose time is up: virtual success when enabled and enough seats are paid, otherwise failed.
   * Unpaid orders of those teams are closed; paid orders of failed teams are refunded through the
   * payment provider (the order.refunded hook marks members refunded and returns activity stock).
   * Safe to run again: a refund that failed is retried on the next tick.
   */
  async expireDue(now = new Date(), limit = 50): Promise<{ formed: number; failed: number; refunded: number }> {
    const due = await this.ds.getRepository(GroupBuyTeam).find({ where: { status: 'open', expiresAt: LessThanOrEqual(now) }, order: { expiresAt: 'ASC' }, take: limit });
    let formed = 0;
    let failed = 0;
    for (const t of due) {
      const outcome = await this.tx.run(async (tx) => {
        const team = await tx.manager.findOneBy(GroupBuyTeam, { id: t.id, status: 'open' });
        if (!team) return null;
        const activity = await tx.manager.findOneByOrFail(GroupBuyActivity, { id: team.activityId });
        if (virtualSuccess(team.paidCount, team.teamSize, activity.virtualSuccessPercent)) return (await this.form(tx, team, true)) ? 'formed' as const : null;
        const res = await tx.manager.update(GroupBuyTeam, { id: team.id, status: 'open' }, { status: 'failed' });
        if (!res.affected) return null;
        const seats = await tx.manager.findBy(GroupBuySeat, { teamId: team.id, status: In(['paid', 'pending']) });
        this.logger.log(`team ${team.id} of activity ${team.activityId} timed out with ${team.paidCount}/${team.teamSize} paid: refunding`);
        await this.events.publish(tx, 'group-buy.failed', { teamId: team.id, activityId: team.activityId, memberIds: seats.map((s) => s.memberId), orderIds: seats.map((s) => s.orderId!).filter((x) => x) });
        return 'failed' as const;
      });
      if (outcome === 'formed') formed++;
      if (outcome === 'failed') failed++;
      await this.closeUnpaid(t.id);
    }
    const refunded = await this.refundFailed();
    return { formed, failed, refunded };
  }

  /** Unpaid orders of a team that can no longer take them are closed (a payment racing this is refunded). */
  private async closeUnpaid(teamId: number): Promise<void> {
    const pending = await this.ds.getRepository(GroupBuySeat).findBy({ teamId, status: 'pending' });
    for (const seat of pending.filter((s) => s.orderId)) {
      await this.orders.tx.run(async (tx) => {
        const order = await tx.manager.findOneBy(Order, { id: seat.orderId!, status: 'pending_payment' });
        if (order) await this.orders.closeInTx(tx, order, ACTOR, 'group_buy_closed');
      }).catch((err: unknown) => this.logger.warn(`closing order ${seat.orderId} of team ${teamId} failed: ${String(err)}`));
    }
  }

  /** Paid seats of failed teams, refunded one by one. */
  async refundFailed(limit = 200): Promise<number> {
    const seats = await this.ds.getRepository(GroupBuySeat).createQueryBuilder('s').innerJoin(GroupBuyTeam, 't', 't.id = s.team_id')
      .where('t.status = :failed AND s.status IN (:...st)', { failed: 'failed', st: ['paid', 'lost'] }).orderBy('s.id', 'ASC').take(limit).getMany();
    let n = 0;
    for (const seat of seats) {
      try {
        if (seat.orderId && (await this.refund(seat.orderId, '拼团超时未成团，自动退款 group-buy team timed out'))) n++;
      } catch (err) {
        this.logger.warn(`refunding order ${seat.orderId} of failed team ${seat.teamId} failed (retried next tick): ${String(err)}`);
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ storefront reads

  async runningActivities(now = new Date()): Promise<Array<GroupBuyActivity & { items: GroupBuyItem[]; productTitle: string; product: { id: number; slug: string; image: string | null; price: number } | null; minGroupPrice: number }>> {
    const list = await this.ds.getRepository(GroupBuyActivity).createQueryBuilder('a').where('a.is_active = :on AND a.starts_at <= :now AND a.ends_at > :now', { on: true, now }).orderBy('a.ends_at', 'ASC').getMany();
    const full = await this.withItems(list);
    const products = full.length ? await this.ds.getRepository(Product).findBy({ id: In(full.map((a) => a.productId)) }) : [];
    const variants = full.length ? await this.ds.getRepository(ProductVariant).findBy({ productId: In(full.map((a) => a.productId)) }) : [];
    return full.filter((a) => products.some((p) => p.id === a.productId && p.isListed)).map((a) => {
      const p = products.find((x) => x.id === a.productId)!;
      return Object.assign(a, {
        product: { id: p.id, slug: p.slug, image: p.images[0] ?? null, price: Math.min(...variants.filter((v) => v.productId === p.id).map((v) => v.price)) },
        minGroupPrice: Math.min(...a.items.map((i) => i.groupPrice)),
      });
    });
  }

  async activityForProduct(productId: number, now = new Date()): Promise<GroupBuyActivity | null> {
    return this.ds.getRepository(GroupBuyActivity).createQueryBuilder('a')
      .where('a.product_id = :p AND a.is_active = :on AND a.starts_at <= :now AND a.ends_at > :now', { p: productId, on: true, now }).orderBy('a.id', 'DESC').getOne();
  }

  async openTeams(activityId: number, limit = 10, now = new Date()): Promise<TeamView[]> {
    const teams = await this.ds.getRepository(GroupBuyTeam).createQueryBuilder('t')
      .where('t.activity_id = :a AND t.status = :s AND t.expires_at > :now AND t.seats_taken < t.team_size', { a: activityId, s: 'open', now })
      .orderBy('t.expires_at', 'ASC').take(limit).getMany();
    return this.teamViews(teams);
  }

  async team(id: number): Promise<TeamView & { activity: GroupBuyActivity & { items: GroupBuyItem[]; productTitle: string } }> {
    const team = await this.ds.getRepository(GroupBuyTeam).findOneBy({ id });
    if (!team || team.status === 'pending' || team.status === 'cancelled') throw new NotFoundError('group_buy_team', id);
    const [view] = await this.teamViews([team]);
    return { ...view, activity: await this.activity(team.activityId) };
  }

  async teamViews(teams: GroupBuyTeam[]): Promise<TeamView[]> {
    if (!teams.length) return [];
    const seats = await this.ds.getRepository(GroupBuySeat).find({ where: { teamId: In(teams.map((t) => t.id)), status: 'paid' }, order: { id: 'ASC' } });
    const members = seats.length ? await this.ds.getRepository(Member).findBy({ id: In([...new Set(seats.map((s) => s.memberId))]) }) : [];
    return teams.map((t) => {
      const mine = seats.filter((s) => s.teamId === t.id).sort((a, b) => Number(b.isLeader) - Number(a.isLeader) || a.id - b.id);
      const views: SeatView[] = mine.map((s) => {
        const mem = members.find((x) => x.id === s.memberId);
        return { memberId: s.memberId, nickname: mem?.nickname || '微信用户', avatarUrl: mem?.avatarUrl ?? null, isLeader: s.isLeader };
      });
      if (t.status === 'formed' && t.virtual) while (views.length < t.teamSize) views.push({ memberId: 0, nickname: '拼团成员', avatarUrl: null, isLeader: false, virtual: true });
      const leader = views.find((v) => v.isLeader) ?? null;
      return {
        id: t.id, activityId: t.activityId, status: t.status, teamSize: t.teamSize, paidCount: t.paidCount, seatsLeft: Math.max(0, t.teamSize - t.seatsTaken),
        expiresAt: t.expiresAt, deadline: t.expiresAt ? t.expiresAt.toISOString() : null, formedAt: t.formedAt, virtual: t.virtual,
        leader: leader ? { memberId: leader.memberId, nickname: leader.nickname, avatarUrl: leader.avatarUrl } : null,
        seats: views, emptySeats: Math.max(0, t.teamSize - views.length),
      };
    });
  }

  /** The member's seat in a team, if any (for the team page). */
  async seatOf(teamId: number, memberId: number): Promise<GroupBuySeat | null> {
    return this.ds.getRepository(GroupBuySeat).findOneBy({ teamId, memberId });
  }

  async teamsOfActivity(activityId: number): Promise<TeamView[]> {
    const teams = await this.ds.getRepository(GroupBuyTeam).find({ where: { activityId, status: In(['open', 'formed', 'failed']) }, order: { id: 'DESC' }, take: 100 });
    return this.teamViews(teams);
  }

  /** Active open teams anywhere (for tests and the admin). */
  async openCount(activityId: number, now = new Date()): Promise<number> {
    return this.ds.getRepository(GroupBuyTeam).countBy({ activityId, status: 'open', expiresAt: MoreThan(now) });
  }
}
