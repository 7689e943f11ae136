import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** One secret (APIv3 key, merchant private key, WeChat Pay public key / platform certificate), AES-256-GCM encrypted. */
@Entity('wxpay_secret')
export class WechatpaySecret extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  name: string;

  @Column({ type: 'text' })
  value: string;
}

export type TransferState = 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

/** A merchant transfer (商家转账) paying one distributor withdrawal; out_bill_no = the withdrawal number. */
@Entity('wxpay_transfer')
export class WechatpayTransfer extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  outBillNo: string;

  @Index()
  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 64 })
  openid: string;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 20 })
  state: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  transferBillNo: string | null;

  /** package_info for requestMerchantTransfer while the payee must confirm. */
  @Column({ type: 'text', nullable: true })
  packageInfo: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  failReason: string | null;
}

/** What happened to a notification or call worth keeping: refused / ignored notifications, transfer states. */
@Entity('wxpay_event')
@Index(['createdAt'])
export class WechatpayEvent extends BaseEntity {
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  ref: string;

  /** applied | ignored | refused */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  detail: string;
}

/** One reconciliation finding: WeChat Pay and the mall disagree about a payment. */
@Entity('wxpay_mismatch')
@Index(['billDate', 'paymentNo', 'kind'], { unique: true })
export class WechatpayMismatch extends BaseEntity {
  /** China date, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  billDate: string;

  @Column({ type: 'varchar', length: 32 })
  paymentNo: string;

  /** paid_at_wechat_only | paid_in_mall_only | amount_mismatch | transaction_mismatch | unknown_at_mall */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'int', nullable: true })
  mallAmount: number | null;

  @Column({ type: 'int', nullable: true })
  wechatAmount: number | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  detail: string;
}

/** One reconciliation of one day. */
@Entity('wxpay_reconcile_run')
export class WechatpayReconcileRun extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 10 })
  billDate: string;

  @Column({ type: 'varchar', length: 16 })
  source: string;

  @Column({ type: 'int', default: 0 })
  checked: number;

  @Column({ type: 'int', default: 0 })
  mismatches: number;
}

export const WECHATPAY_ENTITIES = [WechatpaySecret, WechatpayTransfer, WechatpayEvent, WechatpayMismatch, WechatpayReconcileRun];
