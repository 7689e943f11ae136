import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

export type DistributorStatus = 'pending' | 'active' | 'rejected' | 'disabled';

/** A member allowed to earn commission, with their sub-shop (分店). Keyed by the core member id. */
@Entity('dist_distributor')
export class Distributor extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 12 })
  status: DistributorStatus;

  @Column({ type: 'int', nullable: true })
  levelId: number | null;

  /** Carried by share links (?ref=CODE) and posters. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  referralCode: string;

  @Column({ type: 'varchar', length: 40, default: '' })
  shopName: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  shopAvatarUrl: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  shopBannerUrl: string | null;

  @Column({ type: 'datetime', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectReason: string | null;

  /** Bumped to serialise withdrawals of this distributor (a row lock on MySQL). */
  @Column({ type: 'int', default: 0 })
  balanceVersion: number;
}
