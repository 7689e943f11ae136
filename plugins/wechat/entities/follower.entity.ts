import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** Who follows the official account (粉丝), from subscribe / unsubscribe events. */
@Entity('wechat_follower')
export class WechatFollower extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  openid: string;

  @Index()
  @Column({ type: 'int', nullable: true })
  memberId: number | null;

  @Column({ type: 'boolean', default: false })
  subscribed: boolean;

  @Column({ type: 'datetime', nullable: true })
  subscribedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  unsubscribedAt: Date | null;

  /** The QR scene of the (last) follow, e.g. "ref_AB12CD". */
  @Column({ type: 'varchar', length: 64, nullable: true })
  scene: string | null;
}
