import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/**
 * The shared access_token / jsapi_ticket of one AppID, with the lease that lets exactly one instance
 * refresh it at a time (a refresh invalidates the previous token on WeChat's side).
 */
@Entity('wechat_credential')
export class WechatCredential extends BaseEntity {
  /** "access_token:<appid>" or "jsapi_ticket:<appid>". */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 96 })
  name: string;

  /** The credential, encrypted at rest; null before the first fetch. */
  @Column({ type: 'text', nullable: true })
  value: string | null;

  @Column({ type: 'datetime', nullable: true })
  expiresAt: Date | null;

  /** When it should be refreshed (some minutes before it expires). */
  @Column({ type: 'datetime', nullable: true })
  refreshAt: Date | null;

  /** The instance refreshing it right now, until `leaseUntil`. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'datetime', nullable: true })
  leaseUntil: Date | null;

  /** Bumped on every refresh. */
  @Column({ type: 'int', default: 0 })
  generation: number;
}
