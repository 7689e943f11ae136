import { definePlugin } from '../../core/plugin/index.js';
import { AttachOrderHook, BargainModule, BargainPriceAdjuster, CheckoutOptionLoader, ProductActionLoader, ReleaseOnCloseHook } from './bargain.module.js';
import type { BargainSettings } from './bargain.rules.js';
import { BargainActivity } from './entities/bargain-activity.entity.js';
import { Bargain } from './entities/bargain.entity.js';
import { BargainHelp } from './entities/bargain-help.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** 砍价 bargain: friends each cut the price until the floor; off by default (WeChat restricts friend-help campaigns). */
export default definePlugin<BargainSettings>({
  id: 'bargain',
  module: BargainModule,
  entities: [BargainActivity, Bargain, BargainHelp],
  migrations: MIGRATIONS,
  adjusters: [BargainPriceAdjuster],
  transactionalHooks: [AttachOrderHook, ReleaseOnCloseHook],
  slots: [
    { slot: 'product.actions', template: 'product-action.hbs', loader: ProductActionLoader, order: 20 },
    { slot: 'checkout.summary', template: 'checkout-option.hbs', loader: CheckoutOptionLoader, order: 20 },
  ],
  helpers: {
    /** {{bargain:yuan 1990}} → "19.90" */
    yuan: (fen: unknown) => (typeof fen === 'number' ? (fen / 100).toFixed(2) : ''),
    /** {{bargain:iso date}} → ISO string for data attributes read by the countdown script. */
    iso: (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : ''),
  },
  adminMenu: [{ label: { 'zh-CN': '砍价', en: 'Bargain' }, path: '/admin/bargain', order: 330 }],
  checkoutOptions: {
    bargainId: { type: 'integer', label: { 'zh-CN': '砍价', en: 'Bargain' } },
  },
  validateSettings: (s) => (s.burstPerIp < s.burstPerMember ? ['burstPerIp must be at least burstPerMember'] : []),
});
