import { Injectable } from '@nestjs/common';
import { DistributorService } from './distributor.service.js';
import { ReferralBindingService } from './referral-binding.service.js';

/**
 * What other plugins (the WeChat plugin's QR scenes and share cards) need from distribution, offered
 * under a global symbol so that neither side imports the other. The binding rules stay here.
 */
export const REFERRAL_PORT = Symbol.for('wechat-mall.wechat.referral-port');

@Injectable()
export class ReferralPort {
  constructor(private readonly bindings: ReferralBindingService, private readonly distributors: DistributorService) {}

  async recordReferral(memberId: number, referralCode: string, source: string): Promise<string> {
    return this.bindings.recordReferral(memberId, referralCode.toUpperCase(), source);
  }

  async referralCodeOf(memberId: number): Promise<string | null> {
    const d = await this.distributors.byMember(memberId);
    return d?.status === 'active' ? d.referralCode : null;
  }
}
