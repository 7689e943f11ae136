import { Module, type OnModuleInit } from '@nestjs/common';
import { PaymentModule } from '../../core/payment/payment.module.js';
import { PaymentService } from '../../core/payment/payment.service.js';
import { WechatpayAdminApiController, WechatpayAdminPagesController } from './controllers/admin.controller.js';
import { WechatpayNotifyController } from './controllers/notify.controller.js';
import { WechatpayStorefrontController } from './controllers/storefront.controller.js';
import { WechatpayConfigService } from './services/config.service.js';
import { WechatpayDistributionBridge } from './services/distribution-bridge.js';
import { WechatpayGateway } from './services/gateway.service.js';
import { WechatpayNotifications } from './services/notifications.service.js';
import { WechatpayPayouts } from './services/payout.service.js';
import { ReconcileJob, SyncJob, WechatpayReconciliation } from './services/reconcile.service.js';
import { WechatpayProvider } from './services/wechatpay.provider.js';

/** WeChat Pay APIv3: the "wechat" payment provider (made the default), payouts, notifications, admin. */
@Module({
  imports: [PaymentModule],
  controllers: [WechatpayNotifyController, WechatpayStorefrontController, WechatpayAdminApiController, WechatpayAdminPagesController],
  providers: [WechatpayConfigService, WechatpayGateway, WechatpayProvider, WechatpayPayouts, WechatpayDistributionBridge, WechatpayNotifications, WechatpayReconciliation, ReconcileJob, SyncJob],
  exports: [WechatpayProvider, WechatpayPayouts, WechatpayNotifications, WechatpayReconciliation, WechatpayConfigService, WechatpayGateway],
})
export class WechatpayModule implements OnModuleInit {
  constructor(private readonly payments: PaymentService, private readonly provider: WechatpayProvider) {}

  onModuleInit(): void {
    this.payments.registerProvider(this.provider, { makeDefault: true });
  }
}
