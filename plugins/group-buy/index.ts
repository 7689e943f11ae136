import { definePlugin } from '../../core/plugin/index.js';
import {
  AttachSeatHook, GroupBuyAdjuster, GroupBuyModule, NotifyMembersSubscriber, ProductPriceLoader, ProductTeamsLoader, RefundLostSeatSubscriber,
  SeatClosedHook, SeatPaidHook, SeatRefundedHook, ShipAfterFormedHook, TeamTimeoutJob,
} from './group-buy.module.js';
import type { GroupBuySettings } from './group-buy.rules.js';
import { GroupBuyActivity } from './entities/group-buy-activity.entity.js';
import { GroupBuyItem } from './entities/group-buy-item.entity.js';
import { GroupBuySeat } from './entities/group-buy-seat.entity.js';
import { GroupBuyTeam } from './entities/group-buy-team.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** 拼团 group buying: open and join teams at a group price; orders ship once the team forms; timeouts refund. */
export default definePlugin<GroupBuySettings>({
  id: 'group-buy',
  module: GroupBuyModule,
  entities: [GroupBuyActivity, GroupBuyItem, GroupBuyTeam, GroupBuySeat],
  migrations: MIGRATIONS,
  adjusters: [GroupBuyAdjuster],
  transactionalHooks: [AttachSeatHook, SeatPaidHook, SeatClosedHook, SeatRefundedHook],
  subscribers: [RefundLostSeatSubscriber, NotifyMembersSubscriber],
  orderHooks: [ShipAfterFormedHook],
  jobs: [TeamTimeoutJob],
  slots: [
    { slot: 'product.price', template: 'product-price.hbs', loader: ProductPriceLoader },
    { slot: 'product.actions', template: 'product-teams.hbs', loader: ProductTeamsLoader },
  ],
  adminMenu: [{ label: { 'zh-CN': '拼团', en: 'Group buying' }, path: '/admin/group-buy', order: 320 }],
  checkoutOptions: {
    groupBuyActivityId: { type: 'integer', label: { 'zh-CN': '开团（拼团活动）', en: 'Open a team of this group-buy activity' } },
    groupBuyTeamId: { type: 'integer', label: { 'zh-CN': '参团（团编号）', en: 'Join this group-buy team' } },
  },
});
