import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** A message or event pushed by WeChat, keyed so that WeChat's retries are handled once across instances. */
@Entity('wechat_inbound_message')
@Index(['createdAt'])
export class WechatInboundMessage extends BaseEntity {
  /** "msg:<MsgId>" or "evt:<FromUserName>:<CreateTime>:<Event>". */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 160 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 64 })
  openid: string;

  @Column({ type: 'varchar', length: 32 })
  msgType: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  event: string | null;

  /** processing → done (or failed). */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  /** The plain reply XML sent back, replayed for a retry that arrives after it. */
  @Column({ type: 'text', nullable: true })
  reply: string | null;
}
