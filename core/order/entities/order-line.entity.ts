import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** A snapshot of what was bought: later catalog edits never change an order. */
@Entity('order_line')
export class OrderLine extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  orderId: number;

  @Column({ type: 'int' })
  productId: number;

  @Index()
  @Column({ type: 'int' })
  variantId: number;

  @Column({ type: 'varchar', length: 120 })
  title: string;

  @Column({ type: 'varchar', length: 120, default: '' })
  specText: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  imageUrl: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  skuCode: string | null;

  /** Catalog unit price at checkout, in fen. */
  @Column({ type: 'int' })
  listUnitPrice: number;

  /** Unit price after line-level price adjusters (e.g. a flash-sale price), in fen. */
  @Column({ type: 'int' })
  unitPrice: number;

  @Column({ type: 'int' })
  quantity: number;

  /** unitPrice × quantity. */
  @Column({ type: 'int' })
  lineTotal: number;

  /** Share of order-level discounts allocated to this line (see docs/money.md). */
  @Column({ type: 'int', default: 0 })
  discountAllocated: number;

  /** lineTotal - discountAllocated: what the buyer paid for this line. */
  @Column({ type: 'int' })
  payableTotal: number;

  @Column({ type: 'int', default: 0 })
  refundedTotal: number;
}
