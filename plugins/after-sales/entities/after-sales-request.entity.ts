import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type AfterSalesType = 'refund_only' | 'return_and_refund';

/**
 * requested → approved → (return: awaiting_return → returned → received) → refunding → refunded;
 * or rejected (with a reason), cancelled (by the buyer), escalated (timeout), closed (return never shipped).
 */
export type AfterSalesStatus = 'requested' | 'escalated' | 'approved' | 'awaiting_return' | 'returned' | 'received' | 'refunding' | 'refunded' | 'rejected' | 'cancelled' | 'closed';

export const OPEN_STATUSES: readonly AfterSalesStatus[] = ['requested', 'escalated', 'approved', 'awaiting_return', 'returned', 'received', 'refunding'];
export const ALL_STATUSES: readonly AfterSalesStatus[] = [...OPEN_STATUSES, 'refunded', 'rejected', 'cancelled', 'closed'];

/** 售后申请: one buyer request on one or more lines of one order. */
@Entity('as_request')
@Index(['status', 'dueAt'])
@Index(['memberId', 'id'])
export class AfterSalesRequest extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  requestNo: string;

  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 20 })
  type: AfterSalesType;

  @Column({ type: 'varchar', length: 16 })
  status: AfterSalesStatus;

  @Column({ type: 'varchar', length: 32 })
  reasonCode: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  reasonText: string;

  @Column({ type: 'simple-json' })
  photos: string[];

  /** Fen asked for, the sum of the lines' amounts. */
  @Column({ type: 'int' })
  amount: number;

  /** The merchant's reason when rejected. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectReason: string | null;

  /** Core refund created for this request (see core Refund: pending until the provider confirms). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  refundNo: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  returnCarrier: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  returnTrackingNo: string | null;

  /** When the timeout job acts: merchant answer due (requested) or return shipment due (awaiting_return). */
  @Column({ type: 'datetime', nullable: true })
  dueAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  closedAt: Date | null;
}
