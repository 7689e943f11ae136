import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** Every status change of an order, with who made it. */
@Entity('order_history')
export class OrderHistory extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus: string | null;

  @Column({ type: 'varchar', length: 20 })
  toStatus: string;

  /** "member:12", "admin:1", "system:job", "payment:sandbox". */
  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  note: string;
}
