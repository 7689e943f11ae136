import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

@Entity('refund')
export class Refund extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  refundNo: string;

  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'int' })
  paymentId: number;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 16 })
  status: RefundStatus;

  @Column({ type: 'varchar', length: 200, default: '' })
  reason: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerRefundId: string | null;
}
