import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { PayoutResult } from '../../distribution/services/payout-provider.js';
import type { WithdrawalService } from '../../distribution/services/withdrawal.service.js';
import { WechatpayPayouts } from './payout.service.js';

type Withdrawals = Pick<WithdrawalService, 'registerProvider' | 'applyPayoutResult' | 'byNo'>;

/**
 * Registers the "wechat" payout channel with the distribution plugin when it runs. No hard
 * dependency: the withdrawal service is looked up at run time (ModuleRef, not strict) and its
 * absence only means there are no payouts to make.
 */
@Injectable()
export class WechatpayDistributionBridge implements OnApplicationBootstrap {
  private readonly logger = new Logger('WechatPay');
  private withdrawals: Withdrawals | null = null;

  constructor(private readonly moduleRef: ModuleRef, private readonly payouts: WechatpayPayouts) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const mod = await import('../../distribution/services/withdrawal.service.js');
      const service: Withdrawals = this.moduleRef.get(mod.WithdrawalService, { strict: false });
      service.registerProvider(this.payouts);
      this.withdrawals = service;
      this.logger.log('Distributor withdrawals can be paid by WeChat Pay merchant transfer');
    } catch {
      this.withdrawals = null; // the distribution plugin is not enabled
    }
  }

  available(): boolean {
    return !!this.withdrawals;
  }

  /** Moves the withdrawal on from a final transfer state; a repeat (already moved) changes nothing. */
  async apply(withdrawalNo: string, result: PayoutResult): Promise<'applied' | 'ignored'> {
    if (!this.withdrawals || (result.status !== 'succeeded' && result.status !== 'failed')) return 'ignored';
    const w = await this.withdrawals.byNo(withdrawalNo);
    if (w.status !== 'paying') return 'ignored';
    try {
      await this.withdrawals.applyPayoutResult(withdrawalNo, result);
      return 'applied';
    } catch (err) {
      if ((err as { status?: number }).status === 409) return 'ignored';
      throw err;
    }
  }
}
