import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, type EntityManager } from 'typeorm';
import { TransactionRunner, type TxContext } from '../../../core/database/transaction.js';
import { EventBus } from '../../../core/events/event-bus.service.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { OrderLine } from '../../../core/order/entities/order-line.entity.js';
import { OrderAdjustment } from '../../../core/order/entities/order-adjustment.entity.js';
import { percentOf } from '../../../core/common/money.js';
import { Commission } from '../entities/commission.entity.js';
import { LedgerEntry } from '../entities/ledger-entry.entity.js';
import { Distributor } from '../entities/distributor.entity.js';
import { DistributorLevel } from '../entities/distributor-level.entity.js';
import { OrderSnapshot } from '../entities/order-snapshot.entity.js';
import { ProductRate } from '../entities/product-rate.entity.js';
import { computeCommissions, type CommissionEarner } from './commission-calculator.js';
import { CommissionModes } from './commission-modes.js';
import { LedgerService } from './ledger.service.js';
import { ReferralBindingService } from './referral-binding.service.js';
import { DistributionSettingsSource } from './settings.provider.js';

declare module '../../../core/events/domain-events.js' {
  interface DomainEventMap {
    /** New commissions for one distributor on a paid order (still frozen): `amount` in fen is their total on the order; `levels` 1–3, 0 = invite bonus. */
    'distribution.commission_earned': { distributorMemberId: number; orderId: number; orderNo: string; amount: number; levels: number[] };
  }
}

/**
 * The commission lifecycle, driven by order events:
 * placed → snapshot who may earn (inside the order transaction);
 * paid → compute per line and level, frozen (+ invite bonus);
 * completed → start the refund window; the unlock job makes it available when the window closes;
 * refunded → reverse the refunded lines, even if already available.
 * Every handler is idempotent: commission rows and ledger movements have unique keys.
 */
@Injectable()
export class CommissionService {
  private readonly tx: TransactionRunner;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: DistributionSettingsSource,
    private readonly modes: CommissionModes,
    private readonly ledger: LedgerService,
    private readonly bindings: ReferralBindingService,
    private readonly events: EventBus,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  /** In the order's own transaction: fix the earners for this order. */
  async snapshot(tx: TxContext, orderId: number, buyerId: number): Promise<void> {
    const s = this.settings.current();
    const depth = this.modes.depthOf(s.mode, s);
    const binding = await this.bindings.bindingOf(buyerId, tx.manager);
    const buyerIsDistributor = (await tx.manager.countBy(Distributor, { memberId: buyerId, status: 'active' })) > 0;
    const chain = binding ? [binding.upline1Id, binding.upline2Id, binding.upline3Id] : [null, null, null];
    const selfPurchase = buyerIsDistributor && s.selfPurchaseEarns;
    const earners = (selfPurchase ? [buyerId, ...chain.slice(0, 2)] : chain).slice(0, depth).filter((id): id is number => id !== null);
    const excludedLineIds = await this.activityExclusions(tx.manager, orderId);
    await tx.manager.insert(OrderSnapshot, { orderId, buyerId, mode: s.mode, earners, excludedLineIds, selfPurchase });
  }

  async onPaid(orderId: number): Promise<number> {
    const snap = await this.ds.getRepository(OrderSnapshot).findOneBy({ orderId });
    const order = await this.ds.getRepository(Order).findOneBy({ id: orderId });
    if (!snap || !order) return 0;
    if (this.settings.current().bindOn === 'first_paid_order') await this.bindings.bindPending(order.memberId);
    const s = this.settings.current();
    const lines = (await this.ds.getRepository(OrderLine).findBy({ orderId })).filter((l) => !snap.excludedLineIds.includes(l.id));
    const earners = await this.loadEarners(snap.earners, lines.map((l) => l.productId));
    const depth = snap.mode === 'single' ? 1 : Math.min(3, snap.earners.length);
    const itemsPaid = lines.reduce((sum, l) => sum + l.payableTotal, 0);
    const cap = s.orderCapBp > 0 ? percentOf(itemsPaid, s.orderCapBp) : null;
    const rows = computeCommissions(lines.map((l) => ({ lineId: l.id, productId: l.productId, quantity: l.quantity, base: l.payableTotal })), earners, depth, cap);
    let written = 0;
    await this.tx.run(async (tx) => {
      const { manager } = tx;
      const earned = new Map<number, { amount: number; levels: number[] }>();
      const add = (memberId: number, amount: number, level: number) => {
        const e = earned.get(memberId) ?? { amount: 0, levels: [] };
        e.amount += amount;
        if (!e.levels.includes(level)) e.levels.push(level);
        earned.set(memberId, e);
      };
      const keyed = rows.map((r) => ({ ...r, dedupeKey: `line:${r.lineId}:L${r.level}` }));
      const existing = keyed.length ? new Set((await manager.find(Commission, { select: { dedupeKey: true }, where: { dedupeKey: In(keyed.map((r) => r.dedupeKey)) } })).map((c) => c.dedupeKey)) : new Set<string>();
      const fresh = keyed.filter((r) => !existing.has(r.dedupeKey));
      if (fresh.length) {
        // one INSERT for the commissions and one for their ledger movements (new ids: no idempotency lookups needed)
        const inserted = await manager.insert(Commission, fresh.map((r) => ({ dedupeKey: r.dedupeKey, distributorMemberId: r.distributorMemberId, orderId, orderLineId: r.lineId, level: r.level, base: r.base, rate: r.rate, amount: r.amount, status: 'frozen' as const, unlockAt: null })));
        const ids = inserted.identifiers.map((x) => Number(x.id));
        await this.ledger.postNew(manager, fresh.map((r, i) => ({ distributorMemberId: r.distributorMemberId, key: `commission:${ids[i]}:earned`, kind: 'commission_earned', ref: `commission:${ids[i]}`, bucket: 'frozen' as const, amount: r.amount, note: `订单 ${order.orderNo} L${r.level}` })));
        written += fresh.length;
        for (const r of fresh) add(r.distributorMemberId, r.amount, r.level);
      }
      const bonus = await this.inviteBonus(manager, order);
      if (bonus) {
        add(bonus.distributorMemberId, bonus.amount, 0);
        written++;
      }
      for (const [distributorMemberId, e] of earned) {
        if (e.amount > 0) await this.events.publish(tx, 'distribution.commission_earned', { distributorMemberId, orderId, orderNo: order.orderNo, amount: e.amount, levels: e.levels.sort((a, b) => a - b) });
      }
    });
    return written;
  }

  /** Order completed: the refund window starts now. */
  async onCompleted(orderId: number, completedAt = new Date()): Promise<void> {
    const unlockAt = new Date(completedAt.getTime() + this.settings.current().refundWindowDays * 86_400_000);
    await this.ds.getRepository(Commission).update({ orderId, status: 'frozen' }, { unlockAt });
  }

  /** Frozen commissions whose window has closed become available. Returns how many moved. */
  async unlockDue(now = new Date()): Promise<number> {
    const due = await this.ds.getRepository(Commission).find({ where: { status: 'frozen', unlockAt: LessThanOrEqual(now) }, take: 500 });
    let moved = 0;
    for (const c of due) {
      await this.tx.run(async ({ manager }) => {
        const res = await manager.update(Commission, { id: c.id, status: 'frozen' }, { status: 'available' });
        if (!res.affected) return; // refunded or unlocked by someone else meanwhile
        await this.ledger.post(manager, c.distributorMemberId, `commission:${c.id}:unlocked`, 'commission_unlocked', `commission:${c.id}`, [{ bucket: 'frozen', amount: -c.amount }, { bucket: 'available', amount: c.amount }]);
        moved++;
      });
    }
    return moved;
  }

  /**
   * Refunded lines lose their commission, frozen or available (the balance may go negative). A line
   * refunded in part loses the same share of its commission: after each refund the commission's total
   * reversal is round-half-up(original × line refunded ÷ line paid), never more than what remains; the
   * row keeps its status with `amount` reduced to what remains. A fully refunded line's commission is
   * reversed whole (status `reversed`). Computed from the current state, so redelivered or out-of-order
   * events reverse nothing twice; each movement has its own ledger key.
   */
  async onRefunded(orderId: number, lineIds: number[]): Promise<number> {
    const affected = await this.ds.getRepository(Commission).find({ where: [{ orderId, orderLineId: In(lineIds.length ? lineIds : [-1]) }, ...(await this.orderFullyRefunded(orderId) ? [{ orderId, level: 0 }] : [])] });
    let reversed = 0;
    for (const c of affected) {
      await this.tx.run(async ({ manager }) => {
        const fresh = await manager.findOneByOrFail(Commission, { id: c.id });
        if (fresh.status === 'reversed') return;
        const line = fresh.orderLineId === null ? null : await manager.findOneBy(OrderLine, { id: fresh.orderLineId });
        const whole = !line || line.refundedTotal >= line.payableTotal;
        const raw = (await manager.createQueryBuilder(LedgerEntry, 'l').select('COALESCE(SUM(l.amount), 0)', 'total').where('l.ref = :ref AND l.kind = :kind', { ref: `commission:${c.id}`, kind: 'commission_reversed' }).getRawOne()) as { total: string | number } | undefined;
        const already = -Number(raw?.total ?? 0);
        let take = fresh.amount;
        let key = `commission:${c.id}:reversed`;
        if (!whole) {
          const original = BigInt(fresh.amount + already);
          const target = Number((2n * original * BigInt(line.refundedTotal) + BigInt(line.payableTotal)) / (2n * BigInt(line.payableTotal))); // half up
          take = Math.min(fresh.amount, Math.max(0, target - already));
          key = `commission:${c.id}:refund:${already + take}`;
          if (take <= 0) return;
        }
        const res = await manager.update(Commission, { id: c.id, status: fresh.status, amount: fresh.amount }, whole ? { status: 'reversed' } : { amount: fresh.amount - take });
        if (!res.affected) throw new Error(`commission ${c.id} changed during reversal; retrying`);
        if (!(await this.ledger.post(manager, c.distributorMemberId, key, 'commission_reversed', `commission:${c.id}`, [{ bucket: fresh.status, amount: -take }]))) throw new Error(`commission ${c.id}: reversal ${key} already posted; retrying`);
        reversed++;
      });
    }
    return reversed;
  }

  async forDistributor(memberId: number, page = 1, pageSize = 20): Promise<{ items: Array<Commission & { orderNo: string; lineTitle: string }>; total: number }> {
    const [rows, total] = await this.ds.getRepository(Commission).findAndCount({ where: { distributorMemberId: memberId }, order: { id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    const orders = rows.length ? await this.ds.getRepository(Order).findBy({ id: In([...new Set(rows.map((r) => r.orderId))]) }) : [];
    const lineIds = rows.map((r) => r.orderLineId).filter((x): x is number => x !== null);
    const lines = lineIds.length ? await this.ds.getRepository(OrderLine).findBy({ id: In(lineIds) }) : [];
    return { items: rows.map((r) => ({ ...r, orderNo: orders.find((o) => o.id === r.orderId)?.orderNo ?? '', lineTitle: lines.find((l) => l.id === r.orderLineId)?.title ?? '邀请奖励' })), total };
  }

  private async loadEarners(memberIds: number[], productIds: number[]): Promise<Array<CommissionEarner | null>> {
    if (!memberIds.length) return [];
    const distributors = await this.ds.getRepository(Distributor).findBy({ memberId: In(memberIds) });
    const levels = await this.ds.getRepository(DistributorLevel).find();
    const fallback = levels.find((l) => l.isDefault) ?? null;
    const overrides = productIds.length ? await this.ds.getRepository(ProductRate).findBy({ productId: In(productIds) }) : [];
    return memberIds.map((id) => {
      const d = distributors.find((x) => x.memberId === id);
      if (!d || d.status !== 'active') return null; // a disabled distributor earns nothing; the level is not passed up
      const level = levels.find((l) => l.id === d.levelId) ?? fallback;
      const productRates = new Map<number, NonNullable<CommissionEarner['levelRates']>>();
      for (const o of overrides) {
        if (o.levelId === null && !productRates.has(o.productId)) productRates.set(o.productId, o.rates);
        if (level && o.levelId === level.id) productRates.set(o.productId, o.rates);
      }
      return { memberId: id, levelRates: level?.rates ?? [], productRates };
    });
  }

  /** Lines priced by an activity that said it earns no commission (price adjustment data.earnsCommission === false). */
  private async activityExclusions(manager: EntityManager, orderId: number): Promise<number[]> {
    const adjustments = await manager.findBy(OrderAdjustment, { orderId, kind: 'price' });
    return adjustments.filter((a) => a.orderLineId !== null && a.data?.earnsCommission === false).map((a) => a.orderLineId as number);
  }

  /** A fixed reward to the direct upline when a member they brought pays a first order, within a daily cap. */
  private async inviteBonus(manager: EntityManager, order: Order): Promise<{ distributorMemberId: number; amount: number } | null> {
    const s = this.settings.current();
    if (s.inviteBonus <= 0) return null;
    const binding = await this.bindings.bindingOf(order.memberId, manager);
    if (!binding) return null;
    const dedupeKey = `bonus:${order.memberId}`; // once per invited member, ever
    if (await manager.findOneBy(Commission, { dedupeKey })) return null;
    const paidBefore = await manager.createQueryBuilder(Order, 'o').where('o.member_id = :m AND o.id <> :id AND o.paid_at IS NOT NULL', { m: order.memberId, id: order.id }).getCount();
    if (paidBefore > 0) return null;
    const startOfDayCst = new Date(Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000);
    const today = await manager.createQueryBuilder(Commission, 'c').where('c.distributor_member_id = :d AND c.level = 0 AND c.created_at >= :since', { d: binding.upline1Id, since: startOfDayCst }).getCount();
    if (today >= s.inviteBonusDailyCap) return null;
    const c = await manager.save(Commission, manager.create(Commission, { dedupeKey, distributorMemberId: binding.upline1Id, orderId: order.id, orderLineId: null, level: 0, base: 0, rate: { type: 'fixed', value: s.inviteBonus }, amount: s.inviteBonus, status: 'frozen', unlockAt: null }));
    await this.ledger.post(manager, binding.upline1Id, `commission:${c.id}:earned`, 'bonus_earned', `commission:${c.id}`, [{ bucket: 'frozen', amount: s.inviteBonus }], `邀请奖励 订单 ${order.orderNo}`);
    return { distributorMemberId: binding.upline1Id, amount: s.inviteBonus };
  }

  private async orderFullyRefunded(orderId: number): Promise<boolean> {
    const o = await this.ds.getRepository(Order).findOneBy({ id: orderId });
    return !!o && o.refundedTotal >= o.paidTotal && o.paidTotal > 0;
  }
}
