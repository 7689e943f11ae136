import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, QueryFailedError, type EntityManager } from 'typeorm';
import { BadInputError, ConflictError, InjectPluginSettings, NotFoundError, TransactionRunner, type PluginSettings } from '../../core/plugin/index.js';
import { OrderAdjustment } from '../../core/order/entities/order-adjustment.entity.js';
import { Coupon, type CouponType } from './entities/coupon.entity.js';
import { MemberCoupon, type MemberCouponStatus } from './entities/member-coupon.entity.js';
import { couponLabel, usableAt, type CouponsSettings } from './coupon.rules.js';

export const PLUGIN_ID = 'coupons';
export const ADJUSTER_ID = 'coupons:coupon';

export interface CreateCoupon {
  code: string;
  name: string;
  type: CouponType;
  amount?: number;
  percentBp?: number;
  maxDiscount?: number | null;
  minSpend?: number;
  validFrom: Date;
  validTo: Date;
  perMemberLimit?: number;
  totalQuantity: number;
  isActive?: boolean;
}

export interface CouponView {
  id: number;
  code: string;
  name: string;
  type: CouponType;
  label: string;
  amount: number;
  percentBp: number;
  maxDiscount: number | null;
  minSpend: number;
  validFrom: Date;
  validTo: Date;
  perMemberLimit: number;
  totalQuantity: number;
  remaining: number;
}

export interface ClaimableCouponView extends CouponView {
  /** Copies the signed-in member holds (any status); 0 for visitors. */
  claimedByMe: number;
  canClaim: boolean;
}

export interface MemberCouponView {
  id: number;
  status: MemberCouponStatus;
  claimedAt: Date;
  usedAt: Date | null;
  orderId: number | null;
  /** Claimed and inside its validity window now. */
  usableNow: boolean;
  expiringSoon: boolean;
  coupon: CouponView;
}

export interface CouponAdminView extends CouponView {
  claimedCount: number;
  usedCount: number;
  isActive: boolean;
  createdAt: Date;
}

function view(c: Coupon): CouponView {
  return {
    id: c.id, code: c.code, name: c.name, type: c.type, label: couponLabel(c), amount: c.amount, percentBp: c.percentBp, maxDiscount: c.maxDiscount, minSpend: c.minSpend,
    validFrom: c.validFrom, validTo: c.validTo, perMemberLimit: c.perMemberLimit, totalQuantity: c.totalQuantity, remaining: Math.max(0, c.totalQuantity - c.claimedCount),
  };
}

/** Coupons: issuing (admin), claiming (members), redeeming at checkout and giving back on close. */
@Injectable()
export class CouponsService {
  readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource, @InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<CouponsSettings>) {
    this.tx = new TransactionRunner(ds);
  }

  // ---------------------------------------------------------------- admin

  async create(input: CreateCoupon): Promise<CouponAdminView> {
    const code = input.code.trim().toUpperCase();
    const c: Partial<Coupon> = {
      code, name: input.name.trim(), type: input.type, amount: input.type === 'fixed' ? input.amount ?? 0 : 0, percentBp: input.type === 'percent' ? input.percentBp ?? 0 : 0,
      maxDiscount: input.type === 'percent' ? input.maxDiscount ?? null : null, minSpend: input.minSpend ?? 0, validFrom: input.validFrom, validTo: input.validTo,
      perMemberLimit: input.perMemberLimit ?? 1, totalQuantity: input.totalQuantity, claimedCount: 0, usedCount: 0, isActive: input.isActive ?? true,
    };
    if (c.type === 'fixed' && !(c.amount! > 0)) throw new BadInputError('amount', 'a fixed coupon needs an amount in fen', 'invalid_coupon');
    if (c.type === 'percent' && !(c.percentBp! > 0 && c.percentBp! < 10000)) throw new BadInputError('percentBp', 'a percent coupon needs percentBp between 1 and 9999 (1500 = 15 % off)', 'invalid_coupon');
    if (c.type === 'fixed' && c.minSpend! > 0 && c.amount! >= c.minSpend!) throw new BadInputError('amount', `the amount (${c.amount}) must be less than the minimum spend (${c.minSpend})`, 'invalid_coupon');
    if (!(c.validTo! > c.validFrom!)) throw new BadInputError('validTo', 'validTo must be after validFrom', 'invalid_coupon');
    const repo = this.ds.getRepository(Coupon);
    if (await repo.findOneBy({ code })) throw new ConflictError('coupon_code_taken', `coupon code ${code} is already used`, 'code');
    const saved = await repo.save(repo.create(c));
    return this.adminView(saved);
  }

  async listAll(): Promise<CouponAdminView[]> {
    return (await this.ds.getRepository(Coupon).find({ order: { id: 'DESC' } })).map((c) => this.adminView(c));
  }

  async setActive(id: number, isActive: boolean): Promise<CouponAdminView> {
    const repo = this.ds.getRepository(Coupon);
    if (!(await repo.update({ id }, { isActive })).affected) throw new NotFoundError('coupon', id);
    return this.adminView(await repo.findOneByOrFail({ id }));
  }

  private adminView(c: Coupon): CouponAdminView {
    return { ...view(c), claimedCount: c.claimedCount, usedCount: c.usedCount, isActive: c.isActive, createdAt: c.createdAt };
  }

  // ---------------------------------------------------------------- members

  /** Active coupons that can still be claimed (not expired, not all claimed). */
  async claimable(memberId: number | null, now = new Date()): Promise<ClaimableCouponView[]> {
    const coupons = await this.ds.getRepository(Coupon).createQueryBuilder('c')
      .where('c.is_active = :on AND c.valid_to > :now AND c.claimed_count < c.total_quantity', { on: true, now })
      .orderBy('c.id', 'DESC').getMany();
    const mine = memberId && coupons.length ? await this.ds.getRepository(MemberCoupon).find({ select: { couponId: true }, where: { memberId, couponId: In(coupons.map((c) => c.id)) } }) : [];
    return coupons.map((c) => {
      const claimedByMe = mine.filter((m) => m.couponId === c.id).length;
      return { ...view(c), claimedByMe, canClaim: claimedByMe < c.perMemberLimit };
    });
  }

  /**
   * Claims one copy. The conditional UPDATE (claimed_count < total_quantity) comes first: it locks
   * the coupon row, so claims of one coupon run one after another and the member's count read after
   * it is current; the unique (coupon, member, claim_seq) index is the last line of defence.
   */
  async claim(memberId: number, couponId: number, now = new Date()): Promise<MemberCouponView> {
    try {
      const id = await this.tx.run(async (tx) => {
        const taken = await tx.manager.createQueryBuilder().update(Coupon)
          .set({ claimedCount: () => 'claimed_count + 1' })
          .where('id = :id AND is_active = :on AND valid_to > :now AND claimed_count < total_quantity', { id: couponId, on: true, now })
          .execute();
        if (!taken.affected) {
          const c = await tx.manager.findOneBy(Coupon, { id: couponId });
          if (!c || !c.isActive) throw new NotFoundError('coupon', couponId);
          if (c.validTo <= now) throw new ConflictError('coupon_expired', `coupon ${c.name} has expired`);
          throw new ConflictError('coupon_sold_out', `coupon ${c.name} has all been claimed`);
        }
        const coupon = await tx.manager.findOneByOrFail(Coupon, { id: couponId });
        const held = await tx.manager.countBy(MemberCoupon, { memberId, couponId });
        if (held >= coupon.perMemberLimit) throw new ConflictError('coupon_limit_reached', `each member may claim coupon ${coupon.name} at most ${coupon.perMemberLimit} time(s)`);
        const inserted = await tx.manager.insert(MemberCoupon, { memberId, couponId, claimSeq: held + 1, status: 'claimed', orderId: null, claimedAt: now, usedAt: null });
        return Number(inserted.identifiers[0].id);
      });
      return (await this.mine(memberId, undefined, [id]))[0];
    } catch (err) {
      if (err instanceof QueryFailedError && /dup|unique/i.test(String((err as { driverError?: { code?: string } }).driverError?.code ?? err.message))) {
        throw new ConflictError('coupon_limit_reached', 'you already hold as many copies of this coupon as allowed');
      }
      throw err;
    }
  }

  async mine(memberId: number, status?: MemberCouponStatus, ids?: number[], now = new Date()): Promise<MemberCouponView[]> {
    const rows = await this.ds.getRepository(MemberCoupon).find({
      where: { memberId, ...(status ? { status } : {}), ...(ids ? { id: In(ids) } : {}) },
      order: { id: 'DESC' },
    });
    if (!rows.length) return [];
    const coupons = await this.ds.getRepository(Coupon).findBy({ id: In([...new Set(rows.map((r) => r.couponId))]) });
    const soonMs = (await this.settings.get()).expiringSoonDays * 86_400_000;
    return rows.flatMap((r) => {
      const c = coupons.find((x) => x.id === r.couponId);
      if (!c) return [];
      const usableNow = r.status === 'claimed' && usableAt(c, now);
      return [{ id: r.id, status: r.status, claimedAt: r.claimedAt, usedAt: r.usedAt, orderId: r.orderId, usableNow, expiringSoon: usableNow && soonMs > 0 && c.validTo.getTime() - now.getTime() < soonMs, coupon: view(c) }];
    });
  }

  // ---------------------------------------------------------------- checkout

  /** The member's copy named by the checkout options, checked for use now; 4xx with a clear code otherwise. */
  async resolveForCheckout(manager: EntityManager, memberId: number, ask: { code?: string; memberCouponId?: number }, now: Date): Promise<{ mc: MemberCoupon; coupon: Coupon }> {
    let mc: MemberCoupon | null = null;
    let coupon: Coupon | null = null;
    if (ask.memberCouponId !== undefined) {
      mc = await manager.findOneBy(MemberCoupon, { id: ask.memberCouponId, memberId });
      if (!mc) throw new NotFoundError('coupon', ask.memberCouponId, 'options.memberCouponId');
      coupon = await manager.findOneBy(Coupon, { id: mc.couponId });
    } else {
      const code = (ask.code ?? '').trim().toUpperCase();
      coupon = await manager.findOneBy(Coupon, { code });
      if (!coupon) throw new NotFoundError('coupon', code, 'options.couponCode');
      const copies = await manager.find(MemberCoupon, { where: { memberId, couponId: coupon.id }, order: { id: 'ASC' } });
      if (!copies.length) throw new ConflictError('coupon_not_claimed', `claim coupon ${coupon.name} first`, 'options.couponCode');
      mc = copies.find((c) => c.status === 'claimed') ?? copies[0];
    }
    if (!coupon) throw new NotFoundError('coupon', mc.couponId, 'options.couponCode');
    if (mc.status === 'used') throw new ConflictError('coupon_used', `coupon ${coupon.name} has already been used`, 'options.couponCode');
    if (mc.status === 'void') throw new ConflictError('coupon_void', `coupon ${coupon.name} was withdrawn by the shop`, 'options.couponCode');
    if (mc.status === 'expired' || now >= coupon.validTo) throw new ConflictError('coupon_expired', `coupon ${coupon.name} has expired`, 'options.couponCode');
    if (now < coupon.validFrom) throw new ConflictError('coupon_not_started', `coupon ${coupon.name} can be used from ${coupon.validFrom.toISOString()}`, 'options.couponCode');
    return { mc, coupon };
  }

  /**
   * Marks the copy used inside the checkout transaction. The UPDATE only matches a copy that is still
   * "claimed", so of concurrent checkouts with one copy exactly one gets it; the others fail with 409
   * and their whole transaction (order, stock) rolls back.
   */
  async markUsed(manager: EntityManager, mc: MemberCoupon, coupon: Coupon, now: Date): Promise<void> {
    const res = await manager.createQueryBuilder().update(MemberCoupon)
      .set({ status: 'used', usedAt: now })
      .where('id = :id AND member_id = :memberId AND status = :claimed', { id: mc.id, memberId: mc.memberId, claimed: 'claimed' })
      .execute();
    if (!res.affected) throw new ConflictError('coupon_used', `coupon ${coupon.name} has just been used on another order`, 'options.couponCode');
    await manager.createQueryBuilder().update(Coupon).set({ usedCount: () => 'used_count + 1' }).where('id = :id', { id: coupon.id }).execute();
  }

  /** In the order.placed transaction: records which order used the copy (from the order's coupon adjustment). */
  async attachOrder(manager: EntityManager, orderId: number): Promise<void> {
    const adjustment = await manager.findOneBy(OrderAdjustment, { orderId, source: ADJUSTER_ID });
    const memberCouponId = Number(adjustment?.data?.memberCouponId);
    if (!adjustment || !Number.isSafeInteger(memberCouponId)) return;
    await manager.update(MemberCoupon, { id: memberCouponId, status: 'used' }, { orderId });
  }

  /** When an unpaid order closes, its coupon becomes usable again. Idempotent (at-least-once delivery). */
  async restoreForOrder(orderId: number): Promise<number> {
    return this.tx.run(async (tx) => {
      let restored = 0;
      for (const mc of await tx.manager.findBy(MemberCoupon, { orderId, status: 'used' })) {
        const res = await tx.manager.createQueryBuilder().update(MemberCoupon)
          .set({ status: 'claimed', orderId: null, usedAt: null })
          .where('id = :id AND status = :used AND order_id = :orderId', { id: mc.id, used: 'used', orderId })
          .execute();
        if (!res.affected) continue;
        restored++;
        await tx.manager.createQueryBuilder().update(Coupon).set({ usedCount: () => 'used_count - 1' }).where('id = :id AND used_count > 0', { id: mc.couponId }).execute();
      }
      return restored;
    });
  }

  /** Claimed copies of coupons past their validity become "expired". */
  async expireDue(now = new Date()): Promise<number> {
    const ended = await this.ds.getRepository(Coupon).find({ select: { id: true }, where: { validTo: LessThanOrEqual(now) } });
    if (!ended.length) return 0;
    const res = await this.ds.getRepository(MemberCoupon).update({ status: 'claimed', couponId: In(ended.map((c) => c.id)) }, { status: 'expired' });
    return res.affected ?? 0;
  }

  /** Claimed copies usable now, best first (for the checkout and member menu slots). */
  async usable(memberId: number, now = new Date()): Promise<MemberCouponView[]> {
    return (await this.mine(memberId, 'claimed', undefined, now)).filter((m) => m.usableNow);
  }
}
