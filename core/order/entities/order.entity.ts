import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';
import type { OrderStatus } from '../order-status.js';

@Entity('mall_order')
@Index(['status', 'paymentDueAt'])
@Index(['status', 'autoCompleteAt'])
export class Order extends BaseEntity {
  /** Human-readable number shown to shoppers and merchants, e.g. 20261123143015012345. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  orderNo: string;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 20 })
  status: OrderStatus;

  /** Sum of line totals before adjustments, in fen. */
  @Column({ type: 'int' })
  itemsTotal: number;

  /** Sum of discounts, as a positive number of fen. */
  @Column({ type: 'int', default: 0 })
  discountTotal: number;

  @Column({ type: 'int', default: 0 })
  shippingFee: number;

  /** What the buyer pays: itemsTotal - discountTotal + shippingFee. */
  @Column({ type: 'int' })
  payableTotal: number;

  @Column({ type: 'int', default: 0 })
  paidTotal: number;

  @Column({ type: 'int', default: 0 })
  refundedTotal: number;

  @Column({ type: 'varchar', length: 32 })
  recipientName: string;

  @Column({ type: 'varchar', length: 20 })
  recipientPhone: string;

  @Column({ type: 'varchar', length: 32 })
  province: string;

  @Column({ type: 'varchar', length: 32 })
  city: string;

  @Column({ type: 'varchar', length: 32 })
  district: string;

  @Column({ type: 'varchar', length: 200 })
  addressDetail: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  buyerNote: string;

  @Column({ type: 'datetime', nullable: true })
  paymentDueAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  paidAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  autoCompleteAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  closeReason: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  carrier: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingNo: string | null;
}
