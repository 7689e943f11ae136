import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/**
 * A member's upline chain. Only distributors have referral codes, so an upline is always a
 * distributor, and a distributor's own binding is locked: the L2/L3 copies below never go stale.
 * Finding a buyer's uplines is one indexed read; team counts are indexed counts per column.
 */
@Entity('dist_binding')
export class ReferralBinding extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  memberId: number;

  /** Member id of the direct referrer (L1). */
  @Index()
  @Column({ type: 'int' })
  upline1Id: number;

  @Index()
  @Column({ type: 'int', nullable: true })
  upline2Id: number | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  upline3Id: number | null;

  @Column({ type: 'datetime' })
  boundAt: Date;

  /** Null = permanent. */
  @Column({ type: 'datetime', nullable: true })
  expiresAt: Date | null;

  /** Last-click-wins: nobody can take the member over before this. */
  @Column({ type: 'datetime', nullable: true })
  protectedUntil: Date | null;

  /** True once the member is a distributor: their upline can no longer change. */
  @Column({ type: 'boolean', default: false })
  locked: boolean;

  /** "link", "qr", "poster", "admin". */
  @Column({ type: 'varchar', length: 16 })
  source: string;
}
