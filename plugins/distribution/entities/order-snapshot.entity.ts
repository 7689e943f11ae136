import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** Who may earn from an order, fixed when it is placed: later rebinding never moves commission. */
@Entity('dist_order')
export class OrderSnapshot extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'int' })
  buyerId: number;

  /** "single" or "multi": the mode in force when the order was placed. */
  @Column({ type: 'varchar', length: 12 })
  mode: string;

  /** Earners by level (member ids), L1 first; at most three, fewer in single-level mode. */
  @Column({ type: 'simple-json' })
  earners: number[];

  /** Order line ids that an activity excluded from commission. */
  @Column({ type: 'simple-json' })
  excludedLineIds: number[];

  @Column({ type: 'boolean', default: false })
  selfPurchase: boolean;
}
