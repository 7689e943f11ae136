import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Payment } from '../../../core/payment/entities/payment.entity.js';
import { Refund } from '../../../core/payment/entities/refund.entity.js';
import { PaymentService } from '../../../core/payment/payment.service.js';
import { WechatpayTransfer } from '../entities/index.js';
import { NotificationRefused, WechatpayApiError, type WechatpayApi } from './api.js';
import { WechatpayDistributionBridge } from './distribution-bridge.js';
import { WechatpayGateway } from './gateway.service.js';
import { WechatpayPayouts } from './payout.service.js';
import { PROVIDER_ID } from './wechatpay.provider.js';

type Headers = Record<string, string | string[] | undefined>;

interface RefundResource {
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  out_refund_no?: string;
  refund_id?: string;
  refund_status?: string;
  status?: string;
  amount?: { refund?: number; total?: number };
}

/** Refund and transfer notifications (and the queries that stand in when one is lost). */
@Injectable()
export class WechatpayNotifications {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly gw: WechatpayGateway,
    private readonly payments: PaymentService,
    private readonly payouts: WechatpayPayouts,
    private readonly bridge: WechatpayDistributionBridge,
  ) {}

  /** true: answer 204; false: answer 4xx (refused, logged). */
  async refundNotification(headers: Headers, rawBody: string): Promise<boolean> {
    let ref = '';
    try {
      const api = await this.api();
      const v = api.verifyNotification(headers, rawBody);
      if (!['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'].includes(v.eventType)) throw new NotificationRefused('unexpected_event', `event ${v.eventType} is not a refund result`);
      const r = v.resource as RefundResource;
      ref = String(r.out_refund_no ?? '');
      await this.applyRefund(api, r, 'notify');
      return true;
    } catch (err) {
      if (err instanceof NotificationRefused) {
        await this.gw.record('refund_notify', ref, 'refused', `${err.reason}: ${err.message}`);
        return false;
      }
      throw err;
    }
  }

  /** Checks a refund result against our Refund row exactly, then applies it once. */
  private async applyRefund(api: WechatpayApi, r: RefundResource, via: string): Promise<void> {
    const status = r.refund_status ?? r.status;
    if (r.mchid !== undefined && r.mchid !== api.cfg.mchid) throw new NotificationRefused('mchid_mismatch', `mchid ${String(r.mchid)} is not ours`);
    const refund = typeof r.out_refund_no === 'string' ? await this.ds.getRepository(Refund).findOneBy({ refundNo: r.out_refund_no }) : null;
    if (!refund) throw new NotificationRefused('unknown_refund', `out_refund_no ${String(r.out_refund_no)} is not a refund of this mall`);
    const payment = await this.ds.getRepository(Payment).findOneBy({ id: refund.paymentId });
    if (!payment || payment.provider !== PROVIDER_ID || payment.paymentNo !== r.out_trade_no) throw new NotificationRefused('order_mismatch', `out_trade_no ${String(r.out_trade_no)} is not the refund's payment`);
    if (r.amount?.refund !== refund.amount) throw new NotificationRefused('amount_mismatch', `refund amount ${String(r.amount?.refund)} ≠ expected ${refund.amount}`);
    if (status !== 'SUCCESS' && status !== 'ABNORMAL' && status !== 'CLOSED') return; // still processing
    const changed = await this.payments.applyRefundResult(refund.refundNo, status === 'SUCCESS' ? 'succeeded' : 'failed', r.refund_id ?? null);
    await this.gw.record(`refund_${via}`, refund.refundNo, changed ? 'applied' : 'ignored', changed ? `refund ${status}` : `refund already ${refund.status}: repeat changes nothing`);
  }

  async transferNotification(headers: Headers, rawBody: string): Promise<boolean> {
    let ref = '';
    try {
      const api = await this.api();
      const v = api.verifyNotification(headers, rawBody);
      if (v.eventType !== 'MCHTRANSFER.BILL.FINISHED') throw new NotificationRefused('unexpected_event', `event ${v.eventType} is not a transfer result`);
      const bill = v.resource as { out_bill_no?: string; mch_id?: string; transfer_amount?: number; state?: string; openid?: string };
      ref = String(bill.out_bill_no ?? '');
      if (bill.mch_id !== api.cfg.mchid) throw new NotificationRefused('mchid_mismatch', `mch_id ${String(bill.mch_id)} is not ours`);
      const row = await this.ds.getRepository(WechatpayTransfer).findOneBy({ outBillNo: ref });
      if (!row) throw new NotificationRefused('unknown_transfer', `out_bill_no ${ref} is not a transfer of this mall`);
      if (bill.transfer_amount !== row.amount || (bill.openid !== undefined && bill.openid !== row.openid)) throw new NotificationRefused('amount_mismatch', `transfer ${String(bill.transfer_amount)} fen to ${String(bill.openid)} ≠ recorded ${row.amount} fen`);
      const result = await this.payouts.apply(bill, 'notify');
      await this.bridge.apply(ref, result);
      return true;
    } catch (err) {
      if (err instanceof NotificationRefused) {
        await this.gw.record('transfer_notify', ref, 'refused', `${err.reason}: ${err.message}`);
        return false;
      }
      throw err;
    }
  }

  /** Queries open transfers and pending refunds (lost notifications). */
  async sync(): Promise<{ transfers: number; refunds: number }> {
    const cfg = await this.gw.config.current();
    if (!cfg) return { transfers: 0, refunds: 0 };
    const api = this.gw.apiFor(cfg);
    let transfers = 0;
    for (const t of await this.payouts.open()) {
      const result = await this.payouts.query(t.outBillNo).catch(() => null);
      if (result && (await this.bridge.apply(t.outBillNo, result)) === 'applied') transfers++;
    }
    let refunds = 0;
    const pending = await this.ds.getRepository(Refund).createQueryBuilder('r').innerJoin(Payment, 'p', 'p.id = r.payment_id').where('r.status = :s AND p.provider = :p', { s: 'pending', p: PROVIDER_ID }).orderBy('r.id', 'ASC').take(100).getMany();
    for (const r of pending) {
      try {
        const found = await api.call<RefundResource>('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(r.refundNo)}`);
        await this.applyRefund(api, found, 'query');
        refunds++;
      } catch (err) {
        if (!(err instanceof WechatpayApiError || err instanceof NotificationRefused)) throw err;
      }
    }
    return { transfers, refunds };
  }

  private async api(): Promise<WechatpayApi> {
    try {
      return await this.gw.api();
    } catch {
      throw new NotificationRefused('not_configured', 'WeChat Pay is not configured');
    }
  }
}
