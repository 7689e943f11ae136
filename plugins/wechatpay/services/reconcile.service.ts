import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource } from 'typeorm';
import { Payment } from '../../../core/payment/entities/payment.entity.js';
import type { ScheduledJob } from '../../../core/plugin/index.js';
import { WechatpayMismatch, WechatpayReconcileRun } from '../entities/index.js';
import { WechatpayApiError, type WechatpayApi } from './api.js';
import { WechatpayGateway } from './gateway.service.js';
import { WechatpayNotifications } from './notifications.service.js';
import { PROVIDER_ID } from './wechatpay.provider.js';

interface BillRow {
  paymentNo: string;
  transactionId: string;
  state: string;
  amount: number;
}

type Finding = Pick<WechatpayMismatch, 'paymentNo' | 'kind' | 'mallAmount' | 'wechatAmount' | 'detail'>;

/** The China (UTC+8) date of a moment, YYYY-MM-DD. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Parses the trade bill (CSV, every field prefixed with a backquote). */
export function parseTradeBill(text: string): BillRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const rows: BillRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('总交易单数')) break;
    const f = line.split(',').map((v) => v.replace(/^`/, '').trim());
    if (f.length < 19) continue;
    rows.push({ transactionId: f[5], paymentNo: f[6], state: f[9], amount: Math.round(Number(f[18]) * 100) });
  }
  return rows;
}

/**
 * Daily reconciliation: the day's trade bill from WeChat Pay (or, when no bill can be had, a query per
 * payment) against the mall's payments; every disagreement is stored and listed in the admin.
 */
@Injectable()
export class WechatpayReconciliation {
  private readonly logger = new Logger('WechatPay');

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly gw: WechatpayGateway) {}

  async run(billDate: string): Promise<{ source: string; checked: number; mismatches: Finding[] }> {
    const api = await this.gw.api();
    const from = new Date(`${billDate}T00:00:00+08:00`);
    const to = new Date(from.getTime() + 86_400_000 - 1);
    const repo = this.ds.getRepository(Payment);
    const ours = await repo.find({ where: [{ provider: PROVIDER_ID, createdAt: Between(from, to) }, { provider: PROVIDER_ID, succeededAt: Between(from, to) }] });
    const byNo = new Map(ours.map((p) => [p.paymentNo, p]));
    const findings: Finding[] = [];
    let source = 'bill';
    let bill: BillRow[] | null = null;
    try {
      bill = await this.downloadBill(api, billDate);
    } catch (err) {
      this.logger.warn(`trade bill for ${billDate} unavailable (${String((err as Error).message)}); querying each payment`);
      source = 'query';
    }
    let checked = 0;
    if (bill) {
      const seen = new Set<string>();
      for (const row of bill) {
        checked++;
        seen.add(row.paymentNo);
        const p = byNo.get(row.paymentNo) ?? (await repo.findOneBy({ paymentNo: row.paymentNo }));
        findings.push(...this.compare(row.paymentNo, p, row.state === 'SUCCESS' || row.state === 'REFUND' ? row : null));
      }
      for (const p of ours) {
        if (seen.has(p.paymentNo) || p.status !== 'succeeded' || !p.succeededAt || p.succeededAt < from || p.succeededAt > to) continue;
        checked++;
        findings.push({ paymentNo: p.paymentNo, kind: 'paid_in_mall_only', mallAmount: p.amount, wechatAmount: null, detail: '商城记为已支付，但当日微信支付账单中没有这笔交易' });
      }
    } else {
      for (const p of ours) {
        checked++;
        let row: BillRow | null = null;
        try {
          const tx = await api.call<{ trade_state?: string; transaction_id?: string; amount?: { total?: number } }>('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(p.paymentNo)}?mchid=${encodeURIComponent(api.cfg.mchid)}`);
          if (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND') row = { paymentNo: p.paymentNo, transactionId: String(tx.transaction_id ?? ''), state: tx.trade_state, amount: Number(tx.amount?.total) };
        } catch (err) {
          if (!(err instanceof WechatpayApiError && err.code === 'ORDER_NOT_EXIST')) throw err;
        }
        findings.push(...this.compare(p.paymentNo, p, row));
      }
    }
    await this.ds.transaction(async (m) => {
      await m.delete(WechatpayMismatch, { billDate });
      for (const f of findings) await m.insert(WechatpayMismatch, { billDate, ...f, detail: f.detail.slice(0, 255) });
      const run = await m.findOneBy(WechatpayReconcileRun, { billDate });
      if (run) await m.update(WechatpayReconcileRun, { id: run.id }, { source, checked, mismatches: findings.length });
      else await m.insert(WechatpayReconcileRun, { billDate, source, checked, mismatches: findings.length });
    });
    if (findings.length) this.logger.warn(`reconciliation ${billDate}: ${findings.length} mismatch(es)`);
    return { source, checked, mismatches: findings };
  }

  private compare(paymentNo: string, p: Payment | null | undefined, wx: BillRow | null): Finding[] {
    if (!p) return wx ? [{ paymentNo, kind: 'unknown_at_mall', mallAmount: null, wechatAmount: wx.amount, detail: `微信支付有这笔交易（${wx.transactionId}），商城没有对应的支付单` }] : [];
    const paidHere = p.status === 'succeeded';
    if (wx && !paidHere) return [{ paymentNo, kind: 'paid_at_wechat_only', mallAmount: p.amount, wechatAmount: wx.amount, detail: `微信支付已收款（${wx.transactionId}），商城支付单仍为 ${p.status}` }];
    if (!wx && paidHere) return [{ paymentNo, kind: 'paid_in_mall_only', mallAmount: p.amount, wechatAmount: null, detail: '商城记为已支付，微信支付没有成功的交易' }];
    if (!wx) return [];
    const out: Finding[] = [];
    if (wx.amount !== p.amount) out.push({ paymentNo, kind: 'amount_mismatch', mallAmount: p.amount, wechatAmount: wx.amount, detail: `金额不一致：商城 ${p.amount} 分，微信支付 ${wx.amount} 分` });
    if (p.providerTransactionId && wx.transactionId && wx.transactionId !== p.providerTransactionId) out.push({ paymentNo, kind: 'transaction_mismatch', mallAmount: p.amount, wechatAmount: wx.amount, detail: `微信支付订单号不一致：商城 ${p.providerTransactionId}，账单 ${wx.transactionId}` });
    return out;
  }

  private async downloadBill(api: WechatpayApi, billDate: string): Promise<BillRow[]> {
    let meta: { download_url: string; hash_value: string };
    try {
      meta = await api.call<{ download_url: string; hash_value: string }>('GET', `/v3/bill/tradebill?bill_date=${billDate}&bill_type=ALL`);
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'NO_STATEMENT_EXIST') return [];
      throw err;
    }
    return parseTradeBill(await api.download(meta.download_url, meta.hash_value));
  }

  async list(limit = 100): Promise<{ runs: WechatpayReconcileRun[]; mismatches: WechatpayMismatch[] }> {
    return {
      runs: await this.ds.getRepository(WechatpayReconcileRun).find({ order: { billDate: 'DESC' }, take: 14 }),
      mismatches: await this.ds.getRepository(WechatpayMismatch).find({ order: { billDate: 'DESC', id: 'ASC' }, take: limit }),
    };
  }
}

/** Reconciles yesterday (China time) once, after 10:00 when WeChat Pay's bill is ready. */
@Injectable()
export class ReconcileJob implements ScheduledJob {
  readonly name = 'wechatpay:reconcile';
  readonly everySeconds = 3600;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly rec: WechatpayReconciliation, private readonly gw: WechatpayGateway) {}

  async run(): Promise<void> {
    const now = new Date();
    if (new Date(now.getTime() + 8 * 3600_000).getUTCHours() < 10) return;
    if (!(await this.gw.config.settingsValues()).reconcile) return;
    const s = await this.gw.config.status();
    if (!s.config) return;
    const billDate = chinaDate(new Date(now.getTime() - 86_400_000));
    if (await this.ds.getRepository(WechatpayReconcileRun).findOneBy({ billDate })) return;
    await this.rec.run(billDate);
  }
}

/** Every 5 minutes: open transfers and pending refunds are queried (their notifications may be lost). */
@Injectable()
export class SyncJob implements ScheduledJob {
  readonly name = 'wechatpay:sync';
  readonly everySeconds = 300;

  constructor(private readonly notifications: WechatpayNotifications) {}

  async run(): Promise<void> {
    await this.notifications.sync();
  }
}
