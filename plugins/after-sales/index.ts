import { definePlugin } from '../../core/plugin/index.js';
import { AfterSalesModule, AfterSalesTimeoutJob, OrderDetailLoader } from './after-sales.module.js';
import type { AfterSalesSettings } from './after-sales.rules.js';
import { AfterSalesEvent } from './entities/after-sales-event.entity.js';
import { AfterSalesLine } from './entities/after-sales-line.entity.js';
import { AfterSalesRequest } from './entities/after-sales-request.entity.js';
import { MIGRATIONS } from './migrations/index.js';

/** 售后 after-sales: buyer requests (refund only / return and refund), the merchant's desk, refunds through core. */
export default definePlugin<AfterSalesSettings>({
  id: 'after-sales',
  module: AfterSalesModule,
  entities: [AfterSalesRequest, AfterSalesLine, AfterSalesEvent],
  migrations: MIGRATIONS,
  jobs: [AfterSalesTimeoutJob],
  slots: [{ slot: 'order.detail', template: 'order-detail.hbs', loader: OrderDetailLoader }],
  adminMenu: [{ label: { 'zh-CN': '售后', en: 'After-sales' }, path: '/admin/after-sales', order: 250 }],
});
