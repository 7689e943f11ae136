import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type TemplateMessageStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** A template-message notification and its delivery status (shown in admin). */
@Entity('wechat_template_message')
@Index(['status', 'createdAt'])
export class WechatTemplateMessage extends BaseEntity {
  /** "<event type>:<id>", unique so that a redelivered event never sends twice. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 96 })
  eventKey: string;

  /** orderPaid, orderShipped … */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'int', nullable: true })
  memberId: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  openid: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  templateId: string | null;

  /** The JSON sent (data, url). */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: TemplateMessageStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  msgid: string | null;

  @Column({ type: 'datetime', nullable: true })
  sentAt: Date | null;
}
