import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CustomerModule } from '../../core/customer/customer.module.js';
import { WechatAdminApiController, WechatAdminPagesController, WechatAdminService } from './controllers/admin.controller.js';
import { WechatOAuthController, WechatSignInInterceptor } from './controllers/oauth.controller.js';
import { WechatServerController, XmlBodyParser } from './controllers/server.controller.js';
import { ShareCardLoader, WechatStorefrontController } from './controllers/storefront.controller.js';
import { DistributionBridge } from './services/distribution-bridge.js';
import { WechatInboundService, WechatMessageHandlers } from './services/inbound.service.js';
import { PruneInboundJob, RefreshCredentialsJob } from './services/jobs.js';
import { WechatJsSdkService } from './services/jssdk.service.js';
import { WechatMenuService } from './services/menu.service.js';
import { WechatOAuthService } from './services/oauth.service.js';
import { WechatQrCodeService } from './services/qrcode.service.js';
import { SandboxEmulatorHost } from './services/sandbox-emulator.js';
import { DistributionNotificationsSubscriber, GroupBuyNotificationsSubscriber, OrderNotificationsSubscriber, WechatTemplateMessages } from './services/template-messages.service.js';
import { WechatTokenManager } from './services/token-manager.service.js';
import { WechatApiClient } from './services/wechat-api.client.js';
import { WechatConfigService } from './services/wechat-config.service.js';

const EXPORTED = [WechatConfigService, WechatTokenManager, WechatApiClient, WechatMessageHandlers, WechatQrCodeService, WechatTemplateMessages, WechatJsSdkService, WechatOAuthService, DistributionBridge];

/**
 * The merchant's own official account. Global, so other plugins (declaring "dependsOn": ["wechat"])
 * can register message handlers (WechatMessageHandlers), send template messages or create QR codes.
 */
@Global()
@Module({
  imports: [CustomerModule],
  controllers: [WechatServerController, WechatOAuthController, WechatStorefrontController, WechatAdminApiController, WechatAdminPagesController],
  providers: [
    ...EXPORTED, SandboxEmulatorHost, XmlBodyParser, WechatInboundService, WechatMenuService, WechatAdminService,
    OrderNotificationsSubscriber, GroupBuyNotificationsSubscriber, DistributionNotificationsSubscriber, RefreshCredentialsJob, PruneInboundJob, ShareCardLoader,
    { provide: APP_INTERCEPTOR, useClass: WechatSignInInterceptor },
  ],
  exports: EXPORTED,
})
export class WechatModule {}
