import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/**
 * A simple shipping template: a base fee for the first item, a fee for each further item,
 * free shipping from a threshold on the item subtotal. All amounts in fen.
 */
@Entity('shipping_template')
export class ShippingTemplate extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'int', default: 0 })
  firstItemFee: number;

  @Column({ type: 'int', default: 0 })
  additionalItemFee: number;

  /** Item subtotal from which shipping is free; null means never free. */
  @Column({ type: 'int', nullable: true })
  freeFrom: number | null;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;
}
