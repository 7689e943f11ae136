import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

export type LedgerBucket = 'frozen' | 'available' | 'withdrawing' | 'withdrawn';

/**
 * Append-only money movements of a distributor. A balance is the sum of a bucket's entries; a
 * transfer between buckets is two entries with the same reference. Rows are never updated.
 */
@Entity('dist_ledger')
@Index(['distributorMemberId', 'bucket'])
export class LedgerEntry extends BaseEntity {
  @Column({ type: 'int' })
  distributorMemberId: number;

  @Column({ type: 'varchar', length: 12 })
  bucket: LedgerBucket;

  /** Signed fen. */
  @Column({ type: 'int' })
  amount: number;

  /** commission_earned, commission_unlocked, commission_reversed, bonus_earned, withdrawal_requested, withdrawal_rejected, withdrawal_paid, withdrawal_failed … */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** "commission:12", "withdrawal:W2026…" */
  @Column({ type: 'varchar', length: 48 })
  ref: string;

  /** Unique per movement, so the same event processed twice writes nothing the second time. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 80 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  note: string;
}
