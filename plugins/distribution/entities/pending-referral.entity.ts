import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** A referral seen on a visit, waiting for the member's first paid order (bind-on-first-order rule). */
@Entity('dist_pending_referral')
export class PendingReferral extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'int' })
  distributorMemberId: number;

  @Column({ type: 'varchar', length: 16 })
  source: string;
}
