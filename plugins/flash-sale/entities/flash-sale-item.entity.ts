import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/**
 * A variant on sale in a session, with its own stock. The units are set aside from the variant's
 * stock when the item is created (normal buyers cannot take them) and given back when the session
 * ends (`settled`). `stock` is the hot row of a rush: it only changes through conditional UPDATEs.
 */
@Entity('flash_sale_item')
@Index(['sessionId', 'variantId'], { unique: true })
@Index(['variantId'])
export class FlashSaleItem extends BaseEntity {
  @Column({ type: 'int' })
  sessionId: number;

  @Column({ type: 'int' })
  productId: number;

  @Column({ type: 'int' })
  variantId: number;

  /** Flash price per unit, in fen (below the variant's price when set). */
  @Column({ type: 'int' })
  flashPrice: number;

  /** Units left to sell. */
  @Column({ type: 'int' })
  stock: number;

  /** Units in placed orders that were not given back (closed unpaid orders give theirs back). */
  @Column({ type: 'int', default: 0 })
  sold: number;

  @Column({ type: 'int', default: 1 })
  perMemberLimit: number;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;

  /** False once the merchant removed an item that had sales (kept for the orders' history). */
  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /** The unsold units went back to the variant (session over, or item removed). */
  @Column({ type: 'boolean', default: false })
  settled: boolean;

  @Column({ type: 'int', default: 0 })
  returnedStock: number;

  /** Random key of this item's Redis gate (unique across databases sharing one Redis). */
  @Column({ type: 'varchar', length: 32 })
  gateKey: string;
}
