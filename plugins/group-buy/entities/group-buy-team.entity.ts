import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/**
 * pending: the leader has not paid yet (not listed, nobody can join) · open: joinable until expiresAt ·
 * formed: every seat paid (or virtual success) · failed: timed out unformed, paid orders refunded ·
 * cancelled: the leader's order closed unpaid.
 */
export type TeamStatus = 'pending' | 'open' | 'formed' | 'failed' | 'cancelled';

@Entity('group_buy_team')
@Index(['status', 'expiresAt'])
@Index(['activityId', 'status'])
export class GroupBuyTeam extends BaseEntity {
  @Column({ type: 'int' })
  activityId: number;

  @Column({ type: 'int' })
  leaderMemberId: number;

  /** The activity's team size when the team was opened. */
  @Column({ type: 'int' })
  teamSize: number;

  /** Seats held by unpaid or paid orders; raised only by a conditional UPDATE (seats_taken < team_size). */
  @Column({ type: 'int', default: 0 })
  seatsTaken: number;

  /** Paid seats; the team forms when it reaches team_size. */
  @Column({ type: 'int', default: 0 })
  paidCount: number;

  @Column({ type: 'varchar', length: 12 })
  status: TeamStatus;

  /** Set when the leader pays: then + the activity's teamHours. */
  @Column({ type: 'datetime', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  formedAt: Date | null;

  /** Formed by virtual success (模拟成团) rather than by a full team. */
  @Column({ type: 'boolean', default: false })
  virtual: boolean;
}
