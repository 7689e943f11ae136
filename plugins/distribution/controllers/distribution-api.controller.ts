import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { CurrentMember, MemberGuard } from '../../../core/auth/member-session.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { CommissionService } from '../services/commission.service.js';
import { DistributorService } from '../services/distributor.service.js';
import { LedgerService } from '../services/ledger.service.js';
import { ReferralBindingService } from '../services/referral-binding.service.js';
import { DistributionSettingsSource } from '../services/settings.provider.js';
import { WithdrawalService } from '../services/withdrawal.service.js';
import { ApplyInput, BindInput, PageQuery, PickInput, ShopInput, TeamQuery, WithdrawInput } from './dto.js';

/** The distributor centre's API: a member sees only their own distributor data. */
@ApiTags('distribution')
@Controller('api/v1/distribution')
@UseGuards(MemberGuard)
export class DistributionApiController {
  constructor(
    private readonly distributors: DistributorService,
    private readonly bindings: ReferralBindingService,
    private readonly commissions: CommissionService,
    private readonly ledger: LedgerService,
    private readonly withdrawals: WithdrawalService,
    private readonly settings: DistributionSettingsSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('me')
  async me(@CurrentMember() m: Member) {
    const d = await this.distributors.byMember(m.id);
    const binding = await this.bindings.bindingOf(m.id);
    const s = this.settings.current();
    return {
      distributor: d ? { status: d.status, referralCode: d.referralCode, shopName: d.shopName, shopAvatarUrl: d.shopAvatarUrl, shopBannerUrl: d.shopBannerUrl, levelId: d.levelId, rejectReason: d.rejectReason } : null,
      shareLink: d?.status === 'active' ? `${this.config.publicUrl}/shop/${d.referralCode}` : null,
      balances: d ? await this.ledger.balances(m.id) : null,
      upline: binding ? { memberId: binding.upline1Id, boundAt: binding.boundAt } : null,
      enrolment: s.enrolment,
      spendThreshold: s.spendThreshold,
      withdraw: { min: s.withdrawMin, feeBp: s.withdrawFeeBp, feeFixed: s.withdrawFeeFixed, dailyLimit: s.withdrawDailyLimit },
    };
  }

  @Post('apply')
  @HttpCode(200)
  async apply(@CurrentMember() m: Member, @Body() body: ApplyInput) {
    const d = await this.distributors.apply(m.id, body.shopName);
    return { status: d.status, referralCode: d.referralCode };
  }

  /** Bind the signed-in member to the distributor behind a referral code (share link, poster). */
  @Post('bind')
  @HttpCode(200)
  async bind(@CurrentMember() m: Member, @Body() body: BindInput) {
    return { outcome: await this.bindings.recordReferral(m.id, body.code.toUpperCase(), 'link') };
  }

  @Put('shop')
  async shop(@CurrentMember() m: Member, @Body() body: ShopInput) {
    const d = await this.distributors.updateShop(m.id, body);
    return { shopName: d.shopName, shopAvatarUrl: d.shopAvatarUrl, shopBannerUrl: d.shopBannerUrl };
  }

  @Post('shop/picks')
  @HttpCode(204)
  async pick(@CurrentMember() m: Member, @Body() body: PickInput) {
    await this.distributors.pick(m.id, body.productId);
  }

  @Delete('shop/picks/:productId')
  @HttpCode(204)
  async unpick(@CurrentMember() m: Member, @Param('productId', ParseIntPipe) productId: number) {
    await this.distributors.unpick(m.id, productId);
  }

  @Get('team')
  async team(@CurrentMember() m: Member, @Query() q: TeamQuery) {
    await this.distributors.activeByMember(m.id);
    return this.distributors.team(m.id, q.level ?? 1, q.page ?? 1);
  }

  @Get('commissions')
  async commissionList(@CurrentMember() m: Member, @Query() q: PageQuery) {
    return this.commissions.forDistributor(m.id, q.page ?? 1);
  }

  @Get('ledger')
  async ledgerList(@CurrentMember() m: Member, @Query() q: PageQuery) {
    return this.ledger.entries({ distributorMemberId: m.id }, q.page ?? 1);
  }

  @Get('withdrawals')
  async withdrawalList(@CurrentMember() m: Member, @Query() q: PageQuery) {
    return this.withdrawals.list({ memberId: m.id }, q.page ?? 1);
  }

  @Post('withdrawals')
  async withdraw(@CurrentMember() m: Member, @Body() body: WithdrawInput) {
    return this.withdrawals.request(m.id, body.amount);
  }
}
