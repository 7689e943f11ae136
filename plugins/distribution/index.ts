import { definePlugin } from '../../core/plugin/plugin-contract.js';
import { DISTRIBUTION_ENTITIES } from './entities/index.js';
import { DistributionModule } from './distribution.module.js';
import { MIGRATIONS } from './migrations/index.js';
import { DEFAULT_DISTRIBUTION_SETTINGS, validateDistributionSettings, type DistributionSettings } from './services/distribution-settings.js';
import { CommissionSubscriber, EnrolmentSubscriber, SnapshotEarnersHook, UnlockCommissionsJob } from './services/order-event-handlers.js';
import { PartnerPriceAdjuster } from './services/partner-price.adjuster.js';
import { PAGE_HELPERS } from './controllers/page-helpers.js';
import { MemberMenuLoader, ProductShareLoader } from './controllers/slot-loaders.js';

export default definePlugin<DistributionSettings>({
  id: 'distribution',
  module: DistributionModule,
  entities: DISTRIBUTION_ENTITIES,
  migrations: MIGRATIONS,
  adjusters: [PartnerPriceAdjuster],
  subscribers: [CommissionSubscriber, EnrolmentSubscriber],
  transactionalHooks: [SnapshotEarnersHook],
  jobs: [UnlockCommissionsJob],
  slots: [
    { slot: 'member.menu', template: 'member-menu.hbs', loader: MemberMenuLoader, order: 10 },
    { slot: 'product.actions', template: 'product-share.hbs', loader: ProductShareLoader, order: 10 },
  ],
  helpers: PAGE_HELPERS,
  adminMenu: [
    { label: { 'zh-CN': '分销员', en: 'Distributors' }, path: '/admin/distribution/distributors', order: 400 },
    { label: { 'zh-CN': '提现审核', en: 'Withdrawals' }, path: '/admin/distribution/withdrawals', order: 410 },
    { label: { 'zh-CN': '佣金明细', en: 'Commission ledger' }, path: '/admin/distribution/ledger', order: 420 },
    { label: { 'zh-CN': '分销等级', en: 'Distributor levels' }, path: '/admin/distribution/levels', order: 430 },
  ],
  validateSettings: (s) => validateDistributionSettings({ ...DEFAULT_DISTRIBUTION_SETTINGS, ...s }),
});
