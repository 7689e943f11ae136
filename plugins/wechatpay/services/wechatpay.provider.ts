import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, DomainError } from '../../../core/plugin/index.js';
import { Payment } from '../../../core/payment/entities/payment.entity.js';
import type { CreatePaymentInput, IncomingNotification, PaymentAction, PaymentConfirmation, PaymentProvider } from '../../../core/payment/payment-provider.js';
import { NotificationRefused, rfc3339China, WechatpayApiError, type WechatpayApi } from './api.js';
import { isWechatHost, WechatpayNotConfigured, type WechatpayConfig } from './config.service.js';
import { explainError, WechatpayGateway } from './gateway.service.js';

export const PROVIDER_ID = 'wechat';

interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string };
}

/** Upstream trouble as a domain error (the page shows the message). */
export function upstream(err: unknown, what: string): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof WechatpayNotConfigured) return new ConflictError('wechatpay_not_configured', `微信支付尚未配置：${err.problems.join('；')}`);
  if (err instanceof WechatpayApiError) return new DomainError(422, 'wechatpay_error', `${what}失败：${explainError(err.code, err.message)}`);
  return new DomainError(422, 'wechatpay_error', `${what}失败：${String((err as Error)?.message ?? err)}`);
}

/**
 * WeChat Pay (APIv3) as a core payment provider: JSAPI prepay, verified and decrypted notifications
 * checked field by field against our payment, active query, close, refunds.
 */
@Injectable()
export class WechatpayProvider implements PaymentProvider {
  readonly id = PROVIDER_ID;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly gw: WechatpayGateway) {}

  async createPayment(input: CreatePaymentInput): Promise<PaymentAction> {
    let api: WechatpayApi;
    try {
      api = await this.gw.api();
    } catch (err) {
      throw upstream(err, '发起微信支付');
    }
    const cfg = api.cfg;
    const body = {
      appid: cfg.appid, mchid: cfg.mchid, description: input.description.slice(0, 127) || '订单', out_trade_no: input.paymentNo,
      time_expire: rfc3339China(input.expiresAt), notify_url: input.notifyUrl,
      amount: { total: input.amount, currency: 'CNY' }, payer: { openid: input.member.openid },
    };
    let prepayId: string;
    try {
      prepayId = String((await api.call<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', body)).prepay_id);
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'ORDERPAID') throw new ConflictError('already_paid', '该订单已支付，请刷新订单页');
      throw upstream(err, '创建微信支付订单');
    }
    if (!isWechatHost(cfg.apiBase)) {
      // sandbox: the emulator's cashier stands in for the WeChat pay sheet
      return { type: 'redirect', url: `${cfg.apiBase}/cashier/${encodeURIComponent(prepayId)}?return=${encodeURIComponent(input.returnUrl)}` };
    }
    return { type: 'jsapi', params: api.jsapiParams(prepayId) };
  }

  async parseNotification(n: IncomingNotification): Promise<PaymentConfirmation> {
    let cfg: WechatpayConfig;
    let api: WechatpayApi;
    try {
      api = await this.gw.api();
      cfg = api.cfg;
    } catch {
      await this.gw.record('pay_notify', '', 'refused', 'WeChat Pay is not configured');
      throw new DomainError(401, 'not_configured', 'WeChat Pay is not configured');
    }
    let ref = '';
    try {
      const v = api.verifyNotification(n.headers, n.rawBody);
      if (v.eventType !== 'TRANSACTION.SUCCESS') throw new NotificationRefused('unexpected_event', `event ${v.eventType} is not a payment success`);
      const tx = v.resource as Transaction;
      ref = String(tx.out_trade_no ?? '');
      const confirmation = await this.check(cfg, tx);
      if (!confirmation.succeeded) throw new NotificationRefused('not_paid', `trade_state ${tx.trade_state} is not SUCCESS`);
      const payment = await this.ds.getRepository(Payment).findOneBy({ paymentNo: ref });
      await this.gw.record('pay_notify', ref, payment?.status === 'pending' ? 'applied' : 'ignored', payment?.status === 'pending' ? `paid ${confirmation.amount} fen, ${confirmation.providerTransactionId}` : `payment is already ${payment?.status}: a repeated notification changes nothing`);
      return { ...confirmation, details: { ...confirmation.details, notificationId: v.id } };
    } catch (err) {
      if (err instanceof NotificationRefused) {
        await this.gw.record('pay_notify', ref, 'refused', `${err.reason}: ${err.message}`);
        throw new DomainError(401, err.reason, err.message);
      }
      throw err;
    }
  }

  /** Checks a transaction (notified or queried) against our payment exactly: appid, mchid, out_trade_no, amount. */
  private async check(cfg: WechatpayConfig, tx: Transaction): Promise<PaymentConfirmation> {
    if (tx.appid !== cfg.appid) throw new NotificationRefused('appid_mismatch', `appid ${String(tx.appid)} is not ours`);
    if (tx.mchid !== cfg.mchid) throw new NotificationRefused('mchid_mismatch', `mchid ${String(tx.mchid)} is not ours`);
    const payment = typeof tx.out_trade_no === 'string' ? await this.ds.getRepository(Payment).findOneBy({ paymentNo: tx.out_trade_no }) : null;
    if (!payment || payment.provider !== PROVIDER_ID) throw new NotificationRefused('unknown_order', `out_trade_no ${String(tx.out_trade_no)} is not a WeChat Pay payment of this mall`);
    const total = tx.amount?.total;
    if (total !== payment.amount || (tx.amount?.currency !== undefined && tx.amount.currency !== 'CNY')) throw new NotificationRefused('amount_mismatch', `amount ${String(total)} ${String(tx.amount?.currency ?? '')} ≠ expected ${payment.amount} CNY`);
    if (payment.status === 'succeeded' && payment.providerTransactionId && tx.transaction_id && payment.providerTransactionId !== tx.transaction_id) {
      throw new NotificationRefused('transaction_mismatch', `transaction_id ${tx.transaction_id} ≠ recorded ${payment.providerTransactionId}`);
    }
    const succeeded = tx.trade_state === 'SUCCESS' || (tx.trade_state === 'REFUND' && !!tx.transaction_id);
    return {
      paymentNo: payment.paymentNo, providerTransactionId: String(tx.transaction_id ?? ''), amount: total, succeeded,
      details: { appid: String(tx.appid), mchid: String(tx.mchid), openid: String(tx.payer?.openid ?? ''), tradeState: String(tx.trade_state ?? '') },
    };
  }

  notificationReply(ok: boolean) {
    // WeChat Pay: 200/204 without a body means received; 4xx/5xx with {code:"FAIL"} makes it retry
    return ok ? { status: 204, body: '' } : { status: 400, body: { code: 'FAIL', message: '验签或数据校验未通过' } };
  }

  async queryPayment(paymentNo: string): Promise<PaymentConfirmation | null> {
    const api = await this.gw.api();
    let tx: Transaction;
    try {
      tx = await api.call<Transaction>('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentNo)}?mchid=${encodeURIComponent(api.cfg.mchid)}`);
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'ORDER_NOT_EXIST') return null;
      throw err;
    }
    try {
      const c = await this.check(api.cfg, tx);
      if (c.succeeded) await this.gw.record('query', paymentNo, 'applied', `query found it paid (${c.providerTransactionId})`);
      return c.succeeded ? c : null;
    } catch (err) {
      if (err instanceof NotificationRefused) {
        await this.gw.record('query', paymentNo, 'refused', `${err.reason}: ${err.message}`);
        return null;
      }
      throw err;
    }
  }

  async closePayment(paymentNo: string): Promise<void> {
    const api = await this.gw.api();
    try {
      await api.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentNo)}/close`, { mchid: api.cfg.mchid });
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'ORDER_NOT_EXIST') return; // never reached WeChat Pay
      throw err;
    }
  }

  async refund(input: { refundNo: string; paymentNo: string; providerTransactionId: string | null; amount: number; totalAmount: number; reason: string }): Promise<{ providerRefundId: string; status: 'succeeded' | 'pending' }> {
    let api: WechatpayApi;
    try {
      api = await this.gw.api();
    } catch (err) {
      throw upstream(err, '微信支付退款');
    }
    const body = {
      ...(input.providerTransactionId ? { transaction_id: input.providerTransactionId } : { out_trade_no: input.paymentNo }),
      out_refund_no: input.refundNo, reason: input.reason.slice(0, 80) || undefined,
      notify_url: `${this.gw.config.publicUrl}/payments/${PROVIDER_ID}/refund-notify`,
      amount: { refund: input.amount, total: input.totalAmount, currency: 'CNY' },
    };
    try {
      const r = await api.call<{ refund_id: string; status: string }>('POST', '/v3/refund/domestic/refunds', body);
      await this.gw.record('refund', input.refundNo, 'applied', `refund ${input.amount} fen of ${input.paymentNo}: ${r.status}`);
      if (r.status === 'ABNORMAL' || r.status === 'CLOSED') throw new DomainError(422, 'refund_failed', `微信支付退款状态 ${r.status}`);
      return { providerRefundId: String(r.refund_id), status: r.status === 'SUCCESS' ? 'succeeded' : 'pending' };
    } catch (err) {
      if (err instanceof WechatpayApiError) await this.gw.record('refund', input.refundNo, 'refused', `${err.code}: ${err.message}`);
      throw upstream(err, '微信支付退款');
    }
  }
}
