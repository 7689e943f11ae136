import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** A domain event written in the same transaction as the change it describes. */
@Entity('outbox_event')
export class OutboxEvent extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'text' })
  payload: string;
}
