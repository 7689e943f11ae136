import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';
import type { AfterSalesStatus } from './after-sales-request.entity.js';

/** The request's timeline: one row per status it reached, with who moved it and a note. */
@Entity('as_request_event')
export class AfterSalesEvent extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  requestId: number;

  @Column({ type: 'varchar', length: 16 })
  status: AfterSalesStatus;

  /** "member:12", "admin:3", "system:timeout" */
  @Column({ type: 'varchar', length: 40 })
  actor: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;
}
