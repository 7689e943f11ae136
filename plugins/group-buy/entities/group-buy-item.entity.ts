import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** A variant in an activity: its group price, optional leader price and activity stock. */
@Entity('group_buy_item')
@Index(['activityId', 'variantId'], { unique: true })
export class GroupBuyItem extends BaseEntity {
  @Column({ type: 'int' })
  activityId: number;

  @Index()
  @Column({ type: 'int' })
  variantId: number;

  /** Fen, below the variant's price. */
  @Column({ type: 'int' })
  groupPrice: number;

  /** 团长价: what the member who opens a team pays (fen); null = the group price. */
  @Column({ type: 'int', nullable: true })
  leaderPrice: number | null;

  /** Units the merchant set aside for the activity. */
  @Column({ type: 'int' })
  stock: number;

  /** Units still available; taken by a conditional UPDATE (stock_left >= quantity) when a seat is claimed. */
  @Column({ type: 'int' })
  stockLeft: number;
}
