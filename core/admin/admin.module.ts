import { Global, Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { OrderModule } from '../order/order.module.js';
import { PaymentModule } from '../payment/payment.module.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminGuard, AdminSession } from './admin-session.js';
import { AdminViews } from './admin-views.js';
import { AdminHtmlFilter } from './admin-html.filter.js';
import { AdminShopService } from './admin-shop.service.js';
import { LoginThrottle } from './login-throttle.js';
import { AdminAuthController } from './admin-auth.controller.js';
import { AdminPagesController } from './admin-pages.controller.js';
import { AdminApiController, AdminSessionApiController } from './admin-api.controller.js';

/**
 * The back office: admin sign-in (signed cookie + CSRF token), server-rendered pages under /admin
 * and the JSON API under /api/v1/admin. Writes go through the catalog, order and payment services.
 * Global, so any module (the plugin host, plugins) can guard routes with AdminGuard, read the
 * session with AdminSession and render inside the admin layout with AdminViews.
 */
@Global()
@Module({
  imports: [CatalogModule, OrderModule, PaymentModule],
  controllers: [AdminAuthController, AdminSessionApiController, AdminApiController, AdminPagesController],
  providers: [AdminUsersService, AdminSession, AdminGuard, AdminViews, AdminHtmlFilter, AdminShopService, LoginThrottle],
  exports: [AdminUsersService, AdminSession, AdminGuard, AdminViews, AdminHtmlFilter],
})
export class AdminModule {}
