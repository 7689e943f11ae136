import { definePlugin } from '../../core/plugin/index.js';
import { WECHATPAY_ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { WechatpaySettings } from './services/config.service.js';
import { ReconcileJob, SyncJob } from './services/reconcile.service.js';
import { WechatpayModule } from './wechatpay.module.js';

/** 微信支付 APIv3: JSAPI payments, refunds, merchant transfers (distributor payouts), reconciliation. */
export default definePlugin<WechatpaySettings>({
  id: 'wechatpay',
  module: WechatpayModule,
  entities: WECHATPAY_ENTITIES,
  migrations: MIGRATIONS,
  jobs: [SyncJob, ReconcileJob],
  adminMenu: [{ label: { 'zh-CN': '微信支付', en: 'WeChat Pay' }, path: '/admin/wechatpay', order: 160 }],
  validateSettings(s) {
    const problems: string[] = [];
    if (s.verifyMode === 'public_key' && s.publicKeyId && !s.publicKeyId.startsWith('PUB_KEY_ID_')) problems.push('publicKeyId: must start with PUB_KEY_ID_');
    return problems;
  },
});
