import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

export type PaymentStatus = 'pending' | 'succeeded' | 'closed' | 'failed';

/** One attempt to collect an order's amount through a provider. */
@Entity('payment')
export class Payment extends BaseEntity {
  /** Our number sent to the provider (WeChat Pay's out_trade_no). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  paymentNo: string;

  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 16 })
  status: PaymentStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerTransactionId: string | null;

  @Column({ type: 'datetime', nullable: true })
  succeededAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  expiresAt: Date | null;
}
