import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../../../core/common/errors.js';
import { percentOf } from '../../../core/common/money.js';
import { businessNumber } from '../../../core/common/numbers.js';
import { TransactionRunner } from '../../../core/database/transaction.js';
import { EventBus } from '../../../core/events/event-bus.service.js';
import { Distributor } from '../entities/distributor.entity.js';
import { Withdrawal } from '../entities/withdrawal.entity.js';
import { LedgerService } from './ledger.service.js';
import type { PayoutProvider } from './payout-provider.js';
import { DistributionSettingsSource } from './settings.provider.js';

declare module '../../../core/events/domain-events.js' {
  interface DomainEventMap {
    /** A withdrawal was paid out: `amount` requested, `netAmount` after the fee (fen). */
    'distribution.withdrawal_paid': { distributorMemberId: number; withdrawalNo: string; amount: number; netAmount: number };
  }
}

/**
 * Withdrawals: request → approve or reject → paid (offline, or through a payout provider).
 * The requested amount moves from "available" to "withdrawing" at request time, inside a
 * transaction that first bumps the distributor's balance_version row: on MySQL that row lock makes
 * concurrent requests of one distributor take turns, so the balance they check is never stale.
 */
@Injectable()
export class WithdrawalService {
  private readonly tx: TransactionRunner;
  private readonly providers = new Map<string, PayoutProvider>();

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly ledger: LedgerService, private readonly settings: DistributionSettingsSource, private readonly events: EventBus) {
    this.tx = new TransactionRunner(ds);
  }

  registerProvider(provider: PayoutProvider): void {
    this.providers.set(provider.id, provider);
  }

  channels(): string[] {
    return ['offline', ...this.providers.keys()];
  }

  fee(amount: number): number {
    const s = this.settings.current();
    return Math.min(amount, percentOf(amount, s.withdrawFeeBp) + s.withdrawFeeFixed);
  }

  async request(memberId: number, amount: number): Promise<Withdrawal> {
    const s = this.settings.current();
    if (!Number.isSafeInteger(amount) || amount < s.withdrawMin) throw new BadInputError('amount', `the minimum withdrawal is ${s.withdrawMin} fen`, 'below_minimum');
    const fee = this.fee(amount);
    if (amount - fee <= 0) throw new BadInputError('amount', 'the amount does not cover the withdrawal fee', 'below_fee');
    return this.tx.run(async ({ manager }) => {
      const lock = await manager.createQueryBuilder().update(Distributor).set({ balanceVersion: () => 'balance_version + 1' }).where('member_id = :m AND status = :s', { m: memberId, s: 'active' }).execute();
      if (!lock.affected) throw new NotFoundError('distributor', memberId);
      if (s.withdrawDailyLimit > 0) {
        const since = new Date(Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000);
        const row = (await manager.createQueryBuilder(Withdrawal, 'w').select('COALESCE(SUM(w.amount), 0)', 'total').where('w.distributor_member_id = :m AND w.created_at >= :since AND w.status <> :r', { m: memberId, since, r: 'rejected' }).getRawOne()) as { total: string | number };
        if (Number(row.total) + amount > s.withdrawDailyLimit) throw new ConflictError('daily_limit', `withdrawals are limited to ${s.withdrawDailyLimit} fen a day`, 'amount');
      }
      const { available } = await this.ledger.balances(memberId, manager);
      if (available < amount) throw new ConflictError('insufficient_balance', `only ${Math.max(0, available)} fen is available to withdraw`, 'amount');
      const w = await manager.save(Withdrawal, manager.create(Withdrawal, { withdrawalNo: businessNumber('W'), distributorMemberId: memberId, amount, fee, netAmount: amount - fee, status: 'pending', channel: 'offline', reason: null, providerRef: null, processedAt: null }));
      await this.ledger.post(manager, memberId, `withdrawal:${w.withdrawalNo}:requested`, 'withdrawal_requested', `withdrawal:${w.withdrawalNo}`, [{ bucket: 'available', amount: -amount }, { bucket: 'withdrawing', amount }]);
      return w;
    });
  }

  async reject(withdrawalNo: string, reason: string): Promise<Withdrawal> {
    if (!reason.trim()) throw new BadInputError('reason', 'give the distributor a reason');
    return this.finish(withdrawalNo, ['pending', 'approved'], 'rejected', 'withdrawal_rejected', [{ bucket: 'withdrawing', sign: -1 }, { bucket: 'available', sign: 1 }], reason);
  }

  /** Approve; with a payout channel the transfer starts at once, "offline" waits for markPaid. */
  async approve(withdrawalNo: string, channel = 'offline'): Promise<Withdrawal> {
    if (channel !== 'offline' && !this.providers.has(channel)) throw new BadInputError('channel', `payout channel "${channel}" is not available`);
    await this.byNo(withdrawalNo); // 404 for an unknown number
    const res = await this.ds.getRepository(Withdrawal).update({ withdrawalNo, status: 'pending' }, { status: channel === 'offline' ? 'approved' : 'paying', channel });
    if (!res.affected) throw new ConflictError('not_pending', `withdrawal ${withdrawalNo} is not waiting for approval`);
    if (channel === 'offline') return this.byNo(withdrawalNo);
    const w = await this.byNo(withdrawalNo);
    let result: Awaited<ReturnType<PayoutProvider['transfer']>>;
    try {
      result = await this.providers.get(channel)!.transfer({ withdrawalNo, memberId: w.distributorMemberId, amount: w.netAmount, description: '佣金提现' });
    } catch (err) {
      // the provider could not take the transfer: the funds go back to the distributor, with the reason
      result = { status: 'failed', reason: `payout failed: ${(err as Error).message}`.slice(0, 200) };
    }
    return this.applyPayoutResult(withdrawalNo, result);
  }

  async markPaid(withdrawalNo: string, providerRef: string | null = null): Promise<Withdrawal> {
    return this.finish(withdrawalNo, ['approved', 'paying'], 'paid', 'withdrawal_paid', [{ bucket: 'withdrawing', sign: -1 }, { bucket: 'withdrawn', sign: 1 }], null, providerRef);
  }

  async applyPayoutResult(withdrawalNo: string, result: Awaited<ReturnType<PayoutProvider['transfer']>>): Promise<Withdrawal> {
    if (result.status === 'succeeded') return this.markPaid(withdrawalNo, result.providerRef);
    if (result.status === 'failed') return this.finish(withdrawalNo, ['paying'], 'failed', 'withdrawal_failed', [{ bucket: 'withdrawing', sign: -1 }, { bucket: 'available', sign: 1 }], result.reason);
    await this.ds.getRepository(Withdrawal).update({ withdrawalNo }, { providerRef: result.providerRef });
    return this.byNo(withdrawalNo);
  }

  async byNo(withdrawalNo: string): Promise<Withdrawal> {
    const w = await this.ds.getRepository(Withdrawal).findOneBy({ withdrawalNo });
    if (!w) throw new NotFoundError('withdrawal', withdrawalNo);
    return w;
  }

  async list(filter: { memberId?: number; status?: string }, page = 1, pageSize = 20): Promise<{ items: Withdrawal[]; total: number }> {
    const [items, total] = await this.ds.getRepository(Withdrawal).findAndCount({
      where: { ...(filter.memberId ? { distributorMemberId: filter.memberId } : {}), ...(filter.status ? { status: filter.status as Withdrawal['status'] } : {}) },
      order: { id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize,
    });
    return { items, total };
  }

  private async finish(withdrawalNo: string, from: Withdrawal['status'][], to: Withdrawal['status'], kind: string, moves: Array<{ bucket: 'withdrawing' | 'available' | 'withdrawn'; sign: 1 | -1 }>, reason: string | null, providerRef: string | null = null): Promise<Withdrawal> {
    return this.tx.run(async (tx) => {
      const { manager } = tx;
      const w = await manager.findOneBy(Withdrawal, { withdrawalNo });
      if (!w) throw new NotFoundError('withdrawal', withdrawalNo);
      if (!from.includes(w.status)) throw new ConflictError('illegal_transition', `withdrawal ${withdrawalNo} is ${w.status} and cannot become ${to}`);
      const res = await manager.update(Withdrawal, { id: w.id, status: w.status }, { status: to, reason: reason ?? w.reason, providerRef: providerRef ?? w.providerRef, processedAt: new Date() });
      if (!res.affected) throw new ConflictError('withdrawal_changed', `withdrawal ${withdrawalNo} was changed meanwhile; reload`);
      await this.ledger.post(manager, w.distributorMemberId, `withdrawal:${withdrawalNo}:${to}`, kind, `withdrawal:${withdrawalNo}`, moves.map((m) => ({ bucket: m.bucket, amount: m.sign * w.amount })), reason ?? '');
      if (to === 'paid') await this.events.publish(tx, 'distribution.withdrawal_paid', { distributorMemberId: w.distributorMemberId, withdrawalNo, amount: w.amount, netAmount: w.netAmount });
      return { ...w, status: to, reason: reason ?? w.reason };
    });
  }
}
