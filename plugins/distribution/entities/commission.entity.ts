import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';
import type { Rate } from './distributor-level.entity.js';

export type CommissionStatus = 'frozen' | 'available' | 'reversed';

/** One distributor's earning on one order line at one level (or an invite bonus on an order). */
@Entity('dist_commission')
@Index(['status', 'unlockAt'])
export class Commission extends BaseEntity {
  /** "line:<orderLineId>:L<level>" or "bonus:<orderId>": processing an event twice cannot duplicate it. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 48 })
  dedupeKey: string;

  @Index()
  @Column({ type: 'int' })
  distributorMemberId: number;

  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'int', nullable: true })
  orderLineId: number | null;

  /** 1-3 for commissions; 0 for an invite bonus. */
  @Column({ type: 'int' })
  level: number;

  /** The line's paid amount the rate applied to (fen). */
  @Column({ type: 'int' })
  base: number;

  @Column({ type: 'simple-json' })
  rate: Rate;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 10 })
  status: CommissionStatus;

  /** When a frozen commission becomes available (order completed + refund window); null until completed. */
  @Column({ type: 'datetime', nullable: true })
  unlockAt: Date | null;
}
