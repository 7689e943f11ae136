import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** A group-buying (拼团) activity on one product: its variants and prices are group_buy_item rows. */
@Entity('group_buy_activity')
@Index(['productId', 'isActive'])
export class GroupBuyActivity extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'int' })
  productId: number;

  /** Members needed for a team to form, 2-100. */
  @Column({ type: 'int' })
  teamSize: number;

  /** Hours a team has to fill up after its leader paid. */
  @Column({ type: 'int' })
  teamHours: number;

  @Column({ type: 'datetime' })
  startsAt: Date;

  @Column({ type: 'datetime' })
  endsAt: Date;

  /** Units one member may buy in this activity (over all teams, unpaid and paid seats). */
  @Column({ type: 'int', default: 1 })
  perMemberLimit: number;

  /** 模拟成团: a team at least this % full (paid seats) at timeout is completed by the system; null = off. */
  @Column({ type: 'int', nullable: true })
  virtualSuccessPercent: number | null;

  /** Whether coupons and spend-and-save may apply on top of the group price. */
  @Column({ type: 'boolean', default: false })
  allowOrderDiscounts: boolean;

  /** Whether orders at the group price earn distribution commission. */
  @Column({ type: 'boolean', default: true })
  earnsCommission: boolean;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
