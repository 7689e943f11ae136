import { definePlugin } from '../../core/plugin/index.js';
import { ShareCardLoader } from './controllers/storefront.controller.js';
import { WECHAT_ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { PruneInboundJob, RefreshCredentialsJob } from './services/jobs.js';
import { DistributionNotificationsSubscriber, GroupBuyNotificationsSubscriber, OrderNotificationsSubscriber } from './services/template-messages.service.js';
import { WechatModule } from './wechat.module.js';

export type { WechatInbound, WechatMessageContext, WechatMessageHandler, WechatReply } from './services/message-types.js';
export type { WechatReferralPort } from './services/distribution-bridge.js';
export { WECHAT_REFERRAL_PORT } from './services/distribution-bridge.js';

/** 公众号: the merchant's official account — server endpoint, web OAuth, JS-SDK sharing, QR codes, menu, template messages. */
export default definePlugin({
  id: 'wechat',
  module: WechatModule,
  entities: WECHAT_ENTITIES,
  migrations: MIGRATIONS,
  subscribers: [OrderNotificationsSubscriber, GroupBuyNotificationsSubscriber, DistributionNotificationsSubscriber],
  jobs: [RefreshCredentialsJob, PruneInboundJob],
  slots: [
    { slot: 'head', template: 'share-head.hbs', loader: ShareCardLoader, order: 50 },
    { slot: 'product.actions', template: 'share-preview.hbs', loader: ShareCardLoader, order: 90 },
  ],
  adminMenu: [{ label: { 'zh-CN': '公众号', en: 'WeChat account' }, path: '/admin/wechat', order: 150 }],
});
