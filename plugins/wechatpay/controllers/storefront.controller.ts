import { Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentMember, MemberGuard, NotFoundError, PluginPages } from '../../../core/plugin/index.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { isWechatHost } from '../services/config.service.js';
import { WechatpayDistributionBridge } from '../services/distribution-bridge.js';
import { WechatpayGateway } from '../services/gateway.service.js';
import { WechatpayPayouts } from '../services/payout.service.js';

/** The payee's confirmation of a merchant transfer (requestMerchantTransfer with the package). */
@ApiExcludeController()
@Controller('wechatpay/transfers')
@UseGuards(MemberGuard)
export class WechatpayStorefrontController {
  constructor(private readonly payouts: WechatpayPayouts, private readonly bridge: WechatpayDistributionBridge, private readonly gw: WechatpayGateway, private readonly pages: PluginPages) {}

  @Get(':withdrawalNo/confirm')
  async confirmPage(@CurrentMember() m: Member, @Param('withdrawalNo') no: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const t = await this.payouts.forMember(m.id, no);
    if (!t) throw new NotFoundError('transfer', no);
    const cfg = await this.gw.config.current();
    const waiting = t.state === 'WAIT_USER_CONFIRM' && !!t.packageInfo && !!cfg;
    await this.pages.render(req, reply, 'wechatpay', 'transfer-confirm', {
      title: '确认收款',
      transfer: { no: t.outBillNo, amount: (t.amount / 100).toFixed(2), state: t.state, failReason: t.failReason, succeeded: t.state === 'SUCCESS', failed: t.state === 'FAIL' || t.state === 'CANCELLED', waiting },
      confirmParams: waiting ? JSON.stringify({ mchId: cfg.mchid, appId: cfg.appid, package: t.packageInfo, openId: t.openid }) : '',
      sandbox: !!cfg && !isWechatHost(cfg.apiBase),
    });
  }

  /** After the WeChat sheet closes: ask WeChat Pay for the transfer's state and apply it. */
  @Post(':withdrawalNo/refresh')
  @HttpCode(200)
  async refresh(@CurrentMember() m: Member, @Param('withdrawalNo') no: string) {
    const t = await this.payouts.forMember(m.id, no);
    if (!t) throw new NotFoundError('transfer', no);
    const result = await this.payouts.query(no).catch(() => null);
    if (result) await this.bridge.apply(no, result);
    const fresh = await this.payouts.forMember(m.id, no);
    return { state: fresh?.state ?? t.state, failReason: fresh?.failReason ?? null };
  }
}
