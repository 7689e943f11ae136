import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** A sellable combination of spec values. Price and stock live here, never on the product. */
@Entity('product_variant')
export class ProductVariant extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  productId: number;

  /** Values in the order of Product.specNames, e.g. ["红色", "M"]. */
  @Column({ type: 'simple-json' })
  specValues: string[];

  @Column({ type: 'int' })
  price: number;

  @Column({ type: 'int', nullable: true })
  originalPrice: number | null;

  @Column({ type: 'int', default: 0 })
  stock: number;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  skuCode: string | null;

  @Column({ type: 'int', default: 0 })
  weightGrams: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  imageUrl: string | null;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;
}
