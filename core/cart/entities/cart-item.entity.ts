import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

@Entity('cart_item')
@Index(['memberId', 'variantId'], { unique: true })
export class CartItem extends BaseEntity {
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'int' })
  variantId: number;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'boolean', default: true })
  selected: boolean;
}
