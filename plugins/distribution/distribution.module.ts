import { Global, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DistributorLevel } from './entities/distributor-level.entity.js';
import { DistributionApiController } from './controllers/distribution-api.controller.js';
import { DistributionPagesController } from './controllers/distribution-pages.controller.js';
import { MemberMenuLoader, ProductShareLoader } from './controllers/slot-loaders.js';
import { ReferralInterceptor } from './controllers/referral.interceptor.js';
import { CommissionModes } from './services/commission-modes.js';
import { CommissionService } from './services/commission.service.js';
import { DistributorService } from './services/distributor.service.js';
import { LedgerService } from './services/ledger.service.js';
import { CommissionSubscriber, EnrolmentSubscriber, SnapshotEarnersHook, UnlockCommissionsJob } from './services/order-event-handlers.js';
import { PartnerPriceAdjuster } from './services/partner-price.adjuster.js';
import { PluginSettingsSource } from './services/plugin-settings.source.js';
import { ReferralBindingService } from './services/referral-binding.service.js';
import { DistributionSettingsSource } from './services/settings.provider.js';
import { WithdrawalService } from './services/withdrawal.service.js';
import { REFERRAL_PORT, ReferralPort } from './services/referral-port.js';
import { PosterService } from './services/poster.service.js';
import { ShopViewService } from './services/shop-view.service.js';
import { DistributionAdminModule } from './admin/distribution-admin.module.js';

const SERVICES = [CommissionModes, CommissionService, DistributorService, LedgerService, ReferralBindingService, WithdrawalService];
/** The storefront side: sub-shop and poster queries, slot data for the member menu and the product page. */
const STOREFRONT = [ShopViewService, PosterService, MemberMenuLoader, ProductShareLoader];

/**
 * The distribution engine. Global so that the mode plugins (and the WeChat plugins, for QR scenes
 * and payouts) can inject its services.
 */
@Global()
@Module({
  imports: [DistributionAdminModule],
  controllers: [DistributionApiController, DistributionPagesController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: ReferralInterceptor }, ReferralPort, { provide: REFERRAL_PORT, useExisting: ReferralPort }, ...SERVICES, { provide: DistributionSettingsSource, useClass: PluginSettingsSource }, SnapshotEarnersHook, CommissionSubscriber, EnrolmentSubscriber, UnlockCommissionsJob, PartnerPriceAdjuster, ...STOREFRONT],
  exports: [...SERVICES, DistributionSettingsSource, PosterService, ShopViewService, REFERRAL_PORT],
})
export class DistributionModule implements OnApplicationBootstrap {
  constructor(private readonly settings: DistributionSettingsSource, private readonly modes: CommissionModes, @InjectDataSource() private readonly ds: DataSource) {}

  /** The selected mode must come from an enabled mode plugin; otherwise no order could earn as the merchant expects. */
  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefaultLevel();
    const mode = this.settings.current().mode;
    if (!this.modes.has(mode)) {
      throw new Error(`Plugin "distribution": commission mode "${mode}" is selected but plugin "distribution-${mode}" is not enabled. Enable it, or choose another mode.`);
    }
  }

  /** A fresh installation gets one level (普通: L1 10%, L2 5%, L3 2%) so commissions work before the merchant edits levels. */
  private async ensureDefaultLevel(): Promise<void> {
    const repo = this.ds.getRepository(DistributorLevel);
    if ((await repo.count()) > 0) return;
    await repo.insert({ name: '普通', rank: 0, isDefault: true, upgradeTeamSize: null, upgradeSales: null, rates: [{ type: 'percent', value: 1000 }, { type: 'percent', value: 500 }, { type: 'percent', value: 200 }] });
  }
}
