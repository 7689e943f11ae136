import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** 'any': the member may buy at any moment at the current price; 'floor': only once the floor is reached. */
export type BargainBuyMode = 'any' | 'floor';

/** A bargain (砍价) activity the merchant sets up for one variant. */
@Entity('bargain_activity')
@Index(['isActive', 'endsAt'])
export class BargainActivity extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Index()
  @Column({ type: 'int' })
  productId: number;

  @Column({ type: 'int' })
  variantId: number;

  /** Fen: where every bargain starts (≤ the variant's price). */
  @Column({ type: 'int' })
  startPrice: number;

  /** Fen: the lowest price friends can cut to (< startPrice). */
  @Column({ type: 'int' })
  floorPrice: number;

  /** Friends needed to reach the floor (1-100). */
  @Column({ type: 'int' })
  helpersNeeded: number;

  /** Minutes a started bargain stays open for helps and purchase. */
  @Column({ type: 'int' })
  durationMinutes: number;

  @Column({ type: 'datetime' })
  startsAt: Date;

  @Column({ type: 'datetime' })
  endsAt: Date;

  /** Bargains one member may start in this activity. */
  @Column({ type: 'int', default: 1 })
  maxStartsPerMember: number;

  /** Bargains of this activity one member may help per day (China time). */
  @Column({ type: 'int', default: 3 })
  maxHelpsPerDay: number;

  @Column({ type: 'varchar', length: 8, default: 'floor' })
  buyMode: BargainBuyMode;

  /** The initiator takes a first cut when starting. */
  @Column({ type: 'boolean', default: true })
  initiatorCut: boolean;

  /** Coupons and spend-and-save may apply on top of the bargain price. */
  @Column({ type: 'boolean', default: false })
  allowOrderDiscounts: boolean;

  /** Orders at the bargain price earn distribution commission (price adjustment data.earnsCommission). */
  @Column({ type: 'boolean', default: true })
  earnsCommission: boolean;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'int', default: 0 })
  startedCount: number;

  @Column({ type: 'int', default: 0 })
  orderedCount: number;
}
