import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** One friend's cut of one bargain: unique (bargain, helper), so a friend helps a bargain once. */
@Entity('bargain_help')
@Index(['bargainId', 'helperId'], { unique: true })
@Index(['bargainId', 'seq'], { unique: true })
@Index(['helperId', 'helpedAt'])
export class BargainHelp extends BaseEntity {
  @Column({ type: 'int' })
  bargainId: number;

  @Column({ type: 'int' })
  activityId: number;

  @Column({ type: 'int' })
  helperId: number;

  /** 1 for the first friend …: the index into the cut plan. */
  @Column({ type: 'int' })
  seq: number;

  /** Fen cut by this friend. */
  @Column({ type: 'int' })
  cutAmount: number;

  /** Fen: the bargain's price after this cut. */
  @Column({ type: 'int' })
  priceAfter: number;

  @Column({ type: 'datetime' })
  helpedAt: Date;
}
