import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

export type WithdrawalStatus = 'pending' | 'approved' | 'paying' | 'paid' | 'rejected' | 'failed';

@Entity('dist_withdrawal')
@Index(['distributorMemberId', 'createdAt'])
export class Withdrawal extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  withdrawalNo: string;

  @Column({ type: 'int' })
  distributorMemberId: number;

  /** What leaves the available balance (fen). */
  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'int' })
  fee: number;

  /** amount − fee: what the distributor receives. */
  @Column({ type: 'int' })
  netAmount: number;

  @Column({ type: 'varchar', length: 10 })
  status: WithdrawalStatus;

  /** "offline" or a payout provider id ("wechat"). */
  @Column({ type: 'varchar', length: 16, default: 'offline' })
  channel: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerRef: string | null;

  @Column({ type: 'datetime', nullable: true })
  processedAt: Date | null;
}
