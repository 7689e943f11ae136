import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** A parametric QR code created on WeChat, cached per scene (permanent codes are a limited resource). */
@Entity('wechat_qrcode')
@Index(['appId', 'scene', 'permanent'], { unique: true })
export class WechatQrCode extends BaseEntity {
  @Column({ type: 'varchar', length: 32 })
  appId: string;

  @Column({ type: 'varchar', length: 64 })
  scene: string;

  @Column({ type: 'boolean' })
  permanent: boolean;

  @Column({ type: 'varchar', length: 255 })
  ticket: string;

  /** The URL the QR code encodes (weixin.qq.com/q/…). */
  @Column({ type: 'varchar', length: 255 })
  url: string;

  @Column({ type: 'datetime', nullable: true })
  expiresAt: Date | null;
}
