import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** The unique (job, tick) row is what lets exactly one app instance run a tick. */
@Entity('job_run')
@Index(['jobName', 'tick'], { unique: true })
export class JobRun extends BaseEntity {
  @Column({ type: 'varchar', length: 96 })
  jobName: string;

  @Column({ type: 'varchar', length: 32 })
  tick: string;

  @Column({ type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
