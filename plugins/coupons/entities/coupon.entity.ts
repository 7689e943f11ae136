import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type CouponType = 'fixed' | 'percent';

/** A coupon the merchant issues; members claim copies of it (member_coupon). */
@Entity('coupon')
@Index(['isActive', 'validTo'])
export class Coupon extends BaseEntity {
  /** What shoppers type or the admin shares, upper case: "NEW10". */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  type: CouponType;

  /** fixed: fen off. */
  @Column({ type: 'int', default: 0 })
  amount: number;

  /** percent: basis points off (1500 = 15 % off, "8.5折"). */
  @Column({ type: 'int', default: 0 })
  percentBp: number;

  /** percent: the most it takes off, in fen; null = no cap. */
  @Column({ type: 'int', nullable: true })
  maxDiscount: number | null;

  /** Usable when the discountable total after spend-and-save reaches this (fen). */
  @Column({ type: 'int', default: 0 })
  minSpend: number;

  @Column({ type: 'datetime' })
  validFrom: Date;

  @Column({ type: 'datetime' })
  validTo: Date;

  @Column({ type: 'int', default: 1 })
  perMemberLimit: number;

  @Column({ type: 'int' })
  totalQuantity: number;

  /** Raised only by a conditional UPDATE (claimed_count < total_quantity). */
  @Column({ type: 'int', default: 0 })
  claimedCount: number;

  @Column({ type: 'int', default: 0 })
  usedCount: number;

  /** Off: no longer listed or claimable (copies already claimed stay usable until validTo). */
  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
