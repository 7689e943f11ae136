import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

@Entity('admin_user')
export class AdminUser extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 120 })
  email: string;

  /** scrypt$N$r$p$salt$hash */
  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16, default: 'owner' })
  role: string;

  @Column({ type: 'datetime', nullable: true })
  lastLoginAt: Date | null;
}
