import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

/**
 * What the WeChat plugin needs from a distribution plugin, and nothing more. The wechat plugin never
 * imports distribution: the distribution plugin provides this interface under
 * {@link WECHAT_REFERRAL_PORT}, a global symbol, so neither side imports the other. Without it
 * (distribution not enabled) QR scenes simply bind nobody.
 */
export interface WechatReferralPort {
  /** A member arrived through a referral code (QR scene, link); the distribution plugin's binding rules decide. Returns its outcome. */
  recordReferral(memberId: number, referralCode: string, source: string): Promise<string>;
  /** The member's own referral code when they are an active distributor, else null. */
  referralCodeOf(memberId: number): Promise<string | null>;
}

/** The token a distribution plugin provides its WechatReferralPort under (in a global module). */
export const WECHAT_REFERRAL_PORT = Symbol.for('wechat-mall.wechat.referral-port');

@Injectable()
export class DistributionBridge implements WechatReferralPort {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** True when referrals can be recorded (a distribution plugin provides the port). */
  available(): boolean {
    return !!this.port();
  }

  async recordReferral(memberId: number, referralCode: string, source: string): Promise<string> {
    const port = this.port();
    return port ? port.recordReferral(memberId, referralCode, source) : 'distribution_disabled';
  }

  async referralCodeOf(memberId: number): Promise<string | null> {
    return (await this.port()?.referralCodeOf(memberId)) ?? null;
  }

  private port(): WechatReferralPort | null {
    try {
      return this.moduleRef.get<WechatReferralPort>(WECHAT_REFERRAL_PORT, { strict: false });
    } catch {
      return null;
    }
  }
}
