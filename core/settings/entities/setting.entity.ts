import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** Installation-wide settings edited in admin (active theme, plugin settings …), JSON values. */
@Entity('setting')
export class Setting extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
