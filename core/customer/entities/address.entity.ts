import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

@Entity('member_address')
export class Address extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 32 })
  recipientName: string;

  @Column({ type: 'varchar', length: 20 })
  phone: string;

  @Column({ type: 'varchar', length: 32 })
  province: string;

  @Column({ type: 'varchar', length: 32 })
  city: string;

  @Column({ type: 'varchar', length: 32 })
  district: string;

  @Column({ type: 'varchar', length: 200 })
  detail: string;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;
}
