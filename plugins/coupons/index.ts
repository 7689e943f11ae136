import { definePlugin } from '../../core/plugin/index.js';
import { AttachOrderHook, CheckoutCouponsLoader, CouponAdjuster, CouponsModule, ExpireCouponsJob, MemberMenuLoader, RestoreOnCloseSubscriber } from './coupons.module.js';
import type { CouponsSettings } from './coupon.rules.js';
import { Coupon } from './entities/coupon.entity.js';
import { MemberCoupon } from './entities/member-coupon.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** 优惠券 coupons: a coupon centre, claiming under limits, redemption at checkout, return on close. */
export default definePlugin<CouponsSettings>({
  id: 'coupons',
  module: CouponsModule,
  entities: [Coupon, MemberCoupon],
  migrations: MIGRATIONS,
  adjusters: [CouponAdjuster],
  subscribers: [RestoreOnCloseSubscriber],
  transactionalHooks: [AttachOrderHook],
  jobs: [ExpireCouponsJob],
  slots: [
    { slot: 'member.menu', template: 'member-menu.hbs', loader: MemberMenuLoader },
    { slot: 'checkout.summary', template: 'checkout-summary.hbs', loader: CheckoutCouponsLoader },
  ],
  helpers: {
    /** {{coupons:label coupon}} → "满199减20" */
    label: (coupon: unknown) => (coupon && typeof coupon === 'object' && 'label' in coupon ? String((coupon as { label: unknown }).label) : ''),
  },
  adminMenu: [{ label: { 'zh-CN': '优惠券', en: 'Coupons' }, path: '/admin/coupons', order: 300 }],
  checkoutOptions: {
    couponCode: { type: 'string', label: { 'zh-CN': '优惠券码', en: 'Coupon code' } },
    memberCouponId: { type: 'integer', label: { 'zh-CN': '我的优惠券', en: 'Claimed coupon' } },
  },
});
