import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** One setting of the official-account binding. Secrets (AppSecret, Token, EncodingAESKey) are stored encrypted. */
@Entity('wechat_config')
export class WechatConfigEntry extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ type: 'boolean', default: false })
  isSecret: boolean;
}
