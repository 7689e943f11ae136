import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';
import type { SessionKind } from '../flash-rules.js';

/**
 * A flash-sale session (秒杀场次): a one-off window, or a daily time slot (10:00, 14:00, 20:00 …,
 * China time) repeated from a first to a last day. Its switches apply to every item in it.
 */
@Entity('flash_sale_session')
@Index(['isActive', 'endsAt'])
export class FlashSaleSession extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'varchar', length: 8 })
  kind: SessionKind;

  /** once: window start; daily: the first day's window start. */
  @Column({ type: 'datetime' })
  startsAt: Date;

  /** once: window end; daily: the last day's window end. */
  @Column({ type: 'datetime' })
  endsAt: Date;

  /** daily: "HH:MM" China time; null for a one-off session. */
  @Column({ type: 'varchar', length: 5, nullable: true })
  dailyStart: string | null;

  /** daily: window length in minutes. */
  @Column({ type: 'int', default: 0 })
  dailyMinutes: number;

  /** Unpaid flash orders close after this many minutes; their units go back to the activity. */
  @Column({ type: 'int' })
  paymentTimeoutMinutes: number;

  /** Whether coupons and spend-and-save may apply on top of the flash price. */
  @Column({ type: 'boolean', default: false })
  allowOrderDiscounts: boolean;

  /** Whether flash orders earn distribution commission (price adjustment data.earnsCommission). */
  @Column({ type: 'boolean', default: true })
  earnsCommission: boolean;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
