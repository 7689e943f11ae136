import { definePlugin } from '../../core/plugin/index.js';
import { FlashSaleModule } from './flash-sale.module.js';
import { FlashPriceAdjuster, ProductOfferLoader, ReserveOnPlacedHook, ReturnOnClosedHook, SettleEndedJob } from './flash-sale.pricing.js';
import type { FlashSaleSettings } from './flash-sale.service.js';
import { FlashSaleItem } from './entities/flash-sale-item.entity.js';
import { FlashSalePurchase } from './entities/flash-sale-purchase.entity.js';
import { FlashSaleSession } from './entities/flash-sale-session.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** 限时秒杀 flash sale: sessions, activity stock, a hot row that holds its lock only to commit, an optional Redis gate. */
export default definePlugin<FlashSaleSettings>({
  id: 'flash-sale',
  module: FlashSaleModule,
  entities: [FlashSaleSession, FlashSaleItem, FlashSalePurchase],
  migrations: MIGRATIONS,
  adjusters: [FlashPriceAdjuster],
  transactionalHooks: [ReserveOnPlacedHook, ReturnOnClosedHook],
  jobs: [SettleEndedJob],
  slots: [{ slot: 'product.price', template: 'product-offer.hbs', loader: ProductOfferLoader, order: 10 }],
  helpers: {
    /** {{flash-sale:iso date}} → "2026-11-23T02:00:00.000Z" for data attributes read by page scripts. */
    iso: (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : ''),
  },
  adminMenu: [{ label: { 'zh-CN': '秒杀', en: 'Flash sale' }, path: '/admin/flash-sale', order: 320 }],
  checkoutOptions: {
    flashSaleItemId: { type: 'integer', label: { 'zh-CN': '秒杀商品', en: 'Flash-sale item' } },
  },
});
