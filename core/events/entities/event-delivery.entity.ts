import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

export type DeliveryStatus = 'pending' | 'done' | 'dead';

/** One subscriber's copy of one event: retried until its handler succeeds. */
@Entity('event_delivery')
@Index(['eventId', 'subscriber'], { unique: true })
@Index(['status', 'nextAttemptAt'])
export class EventDelivery extends BaseEntity {
  @Column({ type: 'int' })
  eventId: number;

  @Column({ type: 'varchar', length: 96 })
  subscriber: string;

  @Column({ type: 'varchar', length: 8 })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'datetime' })
  nextAttemptAt: Date;

  /** Set while one instance is running the handler, so another does not run it too. */
  @Column({ type: 'datetime', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}
