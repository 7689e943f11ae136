import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** One step of the pricing pipeline, kept on the order so every fen is explained. */
@Entity('order_adjustment')
export class OrderAdjustment extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'int', nullable: true })
  orderLineId: number | null;

  /** Who made it: "core:shipping", "plugin:spend-and-save", … */
  @Column({ type: 'varchar', length: 64 })
  source: string;

  /** "price" (line unit price), "discount" (order), "shipping". */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 120 })
  label: string;

  /** Signed fen: negative lowers what the buyer pays. */
  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'simple-json', nullable: true })
  data: Record<string, unknown> | null;
}
