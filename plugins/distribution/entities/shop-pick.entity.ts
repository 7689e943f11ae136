import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** A product a distributor picked for their sub-shop (选品). */
@Entity('dist_shop_pick')
@Index(['distributorMemberId', 'productId'], { unique: true })
export class ShopPick extends BaseEntity {
  @Column({ type: 'int' })
  distributorMemberId: number;

  @Column({ type: 'int' })
  productId: number;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;
}
