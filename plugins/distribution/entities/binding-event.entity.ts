import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** Every change of a member's upline, and every refused cycle attempt, for the admin's audit trail. */
@Entity('dist_binding_event')
export class BindingEvent extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'int', nullable: true })
  fromUplineId: number | null;

  @Column({ type: 'int', nullable: true })
  toUplineId: number | null;

  /** "bound", "rebound", "expired", "refused:cycle". */
  @Column({ type: 'varchar', length: 40 })
  action: string;
}
