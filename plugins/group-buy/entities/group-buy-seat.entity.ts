import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/**
 * pending: the order is unpaid (the seat is held) · paid: counts towards the team · lost: paid after the
 * team could no longer take it (failed, or completed without it): refunded at once · refunded: left the team.
 * An unpaid order that closes deletes its seat, so the member may try again.
 */
export type SeatStatus = 'pending' | 'paid' | 'lost' | 'refunded';

/** One member's place in a team. (team_id, member_id) is unique: never two seats in one team. */
@Entity('group_buy_seat')
@Index(['teamId', 'memberId'], { unique: true })
@Index(['activityId', 'memberId'])
export class GroupBuySeat extends BaseEntity {
  @Column({ type: 'int' })
  teamId: number;

  @Column({ type: 'int' })
  activityId: number;

  @Column({ type: 'int' })
  memberId: number;

  /** Core order id, attached in the order.placed transaction. */
  @Index()
  @Column({ type: 'int', nullable: true })
  orderId: number | null;

  @Column({ type: 'int' })
  itemId: number;

  @Column({ type: 'int' })
  variantId: number;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'int' })
  unitPrice: number;

  @Column({ type: 'boolean', default: false })
  isLeader: boolean;

  @Column({ type: 'varchar', length: 10 })
  status: SeatStatus;

  @Column({ type: 'datetime', nullable: true })
  paidAt: Date | null;
}
