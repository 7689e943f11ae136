import { definePlugin } from '../../core/plugin/index.js';
import { CartHintLoader, PriceBadgeLoader, SpendAndSaveAdjuster, SpendAndSaveModule } from './spend-and-save.module.js';
import { validateSpendAndSave, type SpendAndSaveSettings } from './spend-and-save.rules.js';
import { MIGRATIONS } from './migrations/index.js';

/** 满减 spend-and-save: spend X, save Y; the best tier reached applies, once per order. */
export default definePlugin<SpendAndSaveSettings>({
  id: 'spend-and-save',
  module: SpendAndSaveModule,
  migrations: MIGRATIONS,
  adjusters: [SpendAndSaveAdjuster],
  slots: [
    { slot: 'product.price', template: 'price-badge.hbs', loader: PriceBadgeLoader },
    { slot: 'cart.summary', template: 'cart-hint.hbs', loader: CartHintLoader },
  ],
  validateSettings: validateSpendAndSave,
});
