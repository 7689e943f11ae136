import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Member } from '../../../core/customer/entities/member.entity.js';
import type { PayoutProvider, PayoutRequest, PayoutResult } from '../../distribution/services/payout-provider.js';
import { WechatpayTransfer } from '../entities/index.js';
import { WechatpayApiError } from './api.js';
import { explainError, WechatpayGateway } from './gateway.service.js';
import { PROVIDER_ID } from './wechatpay.provider.js';

interface TransferBill {
  out_bill_no?: string;
  transfer_bill_no?: string;
  state?: string;
  package_info?: string;
  fail_reason?: string;
  transfer_amount?: number;
  openid?: string;
  mch_id?: string;
}

/** Plain words for 商家转账 fail_reason codes. */
const FAIL_REASONS: Record<string, string> = {
  ACCOUNT_FROZEN: '收款用户账户被冻结',
  REAL_NAME_CHECK_FAIL: '收款用户未实名认证',
  NAME_NOT_CORRECT: '收款用户姓名校验不通过',
  OPENID_INVALID: 'openid 无效',
  TRANSFER_QUOTA_EXCEED: '超过用户单笔收款额度',
  DAY_RECEIVED_QUOTA_EXCEED: '超过用户单日收款额度',
  MONTH_RECEIVED_QUOTA_EXCEED: '超过用户单月收款额度',
  DAY_RECEIVED_COUNT_EXCEED: '超过用户单日收款次数',
  ID_CARD_NOT_CORRECT: '收款用户身份证校验不通过',
  ACCOUNT_NOT_EXIST: '收款用户微信账户不存在',
  TRANSFER_RISK: '该笔转账可能存在风险，已被微信拦截',
  OTHER_FAIL_REASON_TYPE: '其他失败原因',
  MERCHANT_REJECT: '商户撤销了转账',
  MERCHANT_NOT_CONFIRM: '用户超时未确认收款',
  BLOCK_B2C_USERLIMITAMOUNT_BSRULE_MONTH: '超出用户单月收款上限',
};

export function failReasonText(code: string | undefined, state: string): string {
  if (state === 'CANCELLED') return '转账已撤销（用户未确认收款）';
  if (!code) return '微信支付转账失败';
  return `${FAIL_REASONS[code] ?? '微信支付转账失败'}（${code}）`;
}

/**
 * Distributor withdrawals paid through the current merchant transfer API (商家转账,
 * /v3/fund-app/mch-transfer/transfer-bills). The payee confirms in WeChat (WAIT_USER_CONFIRM →
 * package_info, used by /wechatpay/transfers/:no/confirm); the final state arrives by notification
 * or by query.
 */
@Injectable()
export class WechatpayPayouts implements PayoutProvider {
  readonly id = PROVIDER_ID;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly gw: WechatpayGateway) {}

  async transfer(request: PayoutRequest): Promise<PayoutResult> {
    const api = await this.gw.api();
    const member = await this.ds.getRepository(Member).findOneBy({ id: request.memberId });
    if (!member) return { status: 'failed', reason: '收款会员不存在' };
    const repo = this.ds.getRepository(WechatpayTransfer);
    let row = await repo.findOneBy({ outBillNo: request.withdrawalNo });
    if (!row) row = await repo.save(repo.create({ outBillNo: request.withdrawalNo, memberId: member.id, openid: member.openid, amount: request.amount, state: 'CREATING', transferBillNo: null, packageInfo: null, failReason: null }));
    const body = {
      appid: api.cfg.appid, out_bill_no: request.withdrawalNo, transfer_scene_id: api.cfg.transferSceneId, openid: member.openid, transfer_amount: request.amount,
      transfer_remark: request.description.slice(0, 32), notify_url: `${this.gw.config.publicUrl}/payments/${PROVIDER_ID}/transfer-notify`,
      user_recv_perception: api.cfg.transferPerception,
      transfer_scene_report_infos: [{ info_type: '岗位类型', info_content: '分销推广员' }, { info_type: '报酬说明', info_content: request.description.slice(0, 32) || '佣金提现' }],
    };
    let bill: TransferBill;
    try {
      bill = await api.call<TransferBill>('POST', '/v3/fund-app/mch-transfer/transfer-bills', body);
    } catch (err) {
      if (err instanceof WechatpayApiError && err.status >= 400 && err.status < 500 && err.code !== 'FREQUENCY_LIMITED' && err.code !== 'SYSTEM_ERROR') {
        // refused outright: nothing was transferred; the funds go back with the reason
        const reason = explainError(err.code, err.message).slice(0, 200);
        await repo.update({ id: row.id }, { state: 'FAIL', failReason: reason });
        await this.gw.record('transfer', request.withdrawalNo, 'refused', reason);
        return { status: 'failed', reason };
      }
      throw err; // unknown outcome: the withdrawal service records the failure; the query job does not guess
    }
    return this.apply(bill, 'transfer');
  }

  async query(withdrawalNo: string): Promise<PayoutResult | null> {
    const api = await this.gw.api();
    let bill: TransferBill;
    try {
      bill = await api.call<TransferBill>('GET', `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(withdrawalNo)}`);
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    const r = await this.apply(bill, 'query');
    return r.status === 'pending' || r.status === 'wait_user_confirm' ? null : r;
  }

  /** Records a transfer bill's state; returns it in the payout contract's terms. */
  async apply(bill: TransferBill, via: string): Promise<PayoutResult> {
    const no = String(bill.out_bill_no ?? '');
    const state = String(bill.state ?? '');
    const repo = this.ds.getRepository(WechatpayTransfer);
    const row = await repo.findOneBy({ outBillNo: no });
    const ref = String(bill.transfer_bill_no ?? row?.transferBillNo ?? '');
    let result: PayoutResult;
    if (state === 'SUCCESS') result = { status: 'succeeded', providerRef: ref };
    else if (state === 'FAIL' || state === 'CANCELLED') result = { status: 'failed', reason: failReasonText(bill.fail_reason, state) };
    else if (state === 'WAIT_USER_CONFIRM' && (bill.package_info || row?.packageInfo)) result = { status: 'wait_user_confirm', providerRef: ref, confirmPackage: String(bill.package_info ?? row?.packageInfo) };
    else result = { status: 'pending', providerRef: ref };
    if (row && row.state !== state) {
      await repo.update({ id: row.id }, {
        state, transferBillNo: ref || null,
        ...(bill.package_info ? { packageInfo: bill.package_info } : {}),
        ...(result.status === 'failed' ? { failReason: result.reason } : {}),
        ...(state === 'SUCCESS' || state === 'FAIL' || state === 'CANCELLED' ? { packageInfo: null } : {}),
      });
      await this.gw.record('transfer', no, 'applied', `${via}: ${state}${bill.fail_reason ? ` (${bill.fail_reason})` : ''}`);
    }
    return result;
  }

  async open(): Promise<WechatpayTransfer[]> {
    return this.ds.getRepository(WechatpayTransfer).find({ where: { state: In(['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM', 'TRANSFERING', 'CANCELING']) }, order: { id: 'ASC' }, take: 100 });
  }

  async forMember(memberId: number, outBillNo: string): Promise<WechatpayTransfer | null> {
    return this.ds.getRepository(WechatpayTransfer).findOneBy({ memberId, outBillNo });
  }
}
