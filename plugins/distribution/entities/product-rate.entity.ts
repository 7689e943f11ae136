import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';
import type { Rate } from './distributor-level.entity.js';

/** Per-product commission rates overriding the level's (levelId null = any level). */
@Entity('dist_product_rate')
@Index(['productId', 'levelId'], { unique: true })
export class ProductRate extends BaseEntity {
  @Column({ type: 'int' })
  productId: number;

  @Column({ type: 'int', nullable: true })
  levelId: number | null;

  @Column({ type: 'simple-json' })
  rates: Rate[];
}
