import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type PurchaseStatus = 'active' | 'released';

/**
 * One flash purchase of a member (one order line). (item, member, seq) is unique and seq is always
 * the member's highest + 1, so of two concurrent purchases by one member that both read the same
 * state, one fails on the index: the per-member limit holds under any concurrency.
 */
@Entity('flash_sale_purchase')
@Index(['itemId', 'memberId', 'seq'], { unique: true })
@Index(['orderId'])
export class FlashSalePurchase extends BaseEntity {
  @Column({ type: 'int' })
  itemId: number;

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'int' })
  quantity: number;

  /** Core order id. */
  @Column({ type: 'int' })
  orderId: number;

  /** released: the unpaid order closed and the units went back. */
  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: PurchaseStatus;
}
