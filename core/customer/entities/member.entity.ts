import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

/** A shopper (fan), identified by the official account's openid. */
@Entity('member')
export class Member extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  openid: string;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid: string | null;

  @Column({ type: 'varchar', length: 64, default: '' })
  nickname: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatarUrl: string | null;

  /** How the member signed in first: "sandbox" or "wechat". */
  @Column({ type: 'varchar', length: 16, default: 'sandbox' })
  source: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  locale: string | null;
}
