import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** open: friends may help and the member may buy; ordered: an order holds it (back to open if that order closes unpaid). */
export type BargainStatus = 'open' | 'ordered';

/** One member's bargain in an activity; the activity's terms are copied so later edits never change it. */
@Entity('bargain')
@Index(['activityId', 'memberId', 'startSeq'], { unique: true })
@Index(['memberId', 'status'])
export class Bargain extends BaseEntity {
  @Column({ type: 'int' })
  activityId: number;

  @Column({ type: 'int' })
  memberId: number;

  /** 1 for the member's first bargain in the activity, 2 for the second …: the unique index enforces the start limit under races. */
  @Column({ type: 'int' })
  startSeq: number;

  @Column({ type: 'int' })
  variantId: number;

  /** The cut plan's seed (bargain.cuts.ts). */
  @Column({ type: 'int' })
  seed: number;

  @Column({ type: 'int' })
  startPrice: number;

  @Column({ type: 'int' })
  floorPrice: number;

  @Column({ type: 'int' })
  helpersNeeded: number;

  @Column({ type: 'boolean' })
  initiatorCut: boolean;

  /** Fen: the price after the cuts so far. */
  @Column({ type: 'int' })
  currentPrice: number;

  /** Friends who helped so far (≤ helpersNeeded). */
  @Column({ type: 'int', default: 0 })
  helpCount: number;

  @Column({ type: 'varchar', length: 8, default: 'open' })
  status: BargainStatus;

  @Index()
  @Column({ type: 'int', nullable: true })
  orderId: number | null;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'datetime', nullable: true })
  floorReachedAt: Date | null;
}
