import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/**
 * Which core product an imported Taobao item became, keyed by the core product id (core tables are
 * never changed). Re-imports find products here by Taobao item id (num_id) or 商家编码 (outer_id).
 */
@Entity('taobao_product_link')
export class TaobaoProductLink extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  productId: number;

  @Index()
  @Column({ type: 'varchar', length: 32, nullable: true })
  numId: string | null;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  outerId: string | null;

  @Column({ type: 'varchar', length: 16 })
  source: string;

  @Column({ type: 'int', nullable: true })
  lastImportId: number | null;
}
