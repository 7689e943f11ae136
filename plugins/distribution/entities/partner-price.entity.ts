import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** The brand's lower price for members bound to a distributor (the partner model). */
@Entity('dist_partner_price')
export class PartnerPrice extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  variantId: number;

  @Column({ type: 'int' })
  price: number;
}
