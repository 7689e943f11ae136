import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type MemberCouponStatus = 'claimed' | 'used' | 'expired' | 'void';

/**
 * A member's copy of a coupon. (coupon_id, member_id, claim_seq) is unique, so a member can never
 * hold more than perMemberLimit copies, however many claims race.
 */
@Entity('member_coupon')
@Index(['couponId', 'memberId', 'claimSeq'], { unique: true })
@Index(['memberId', 'status'])
export class MemberCoupon extends BaseEntity {
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'int' })
  couponId: number;

  /** 1 for the member's first copy of this coupon, 2 for the second … */
  @Column({ type: 'int' })
  claimSeq: number;

  @Column({ type: 'varchar', length: 8 })
  status: MemberCouponStatus;

  /** The order it was used on (core order id). */
  @Index()
  @Column({ type: 'int', nullable: true })
  orderId: number | null;

  @Column({ type: 'datetime' })
  claimedAt: Date;

  @Column({ type: 'datetime', nullable: true })
  usedAt: Date | null;
}
