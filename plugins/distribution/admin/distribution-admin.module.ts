import { Module } from '@nestjs/common';
import { DistributionAdminQueries } from '../services/admin-queries.service.js';
import { DistributionAdminApiController } from './distribution-admin-api.controller.js';
import { DistributionAdminPagesController } from './distribution-admin-pages.controller.js';
import { DistributionAdminService } from './distribution-admin.service.js';
import { DistributionAdminViews } from './admin-views.js';

/**
 * The distribution back office: pages under /admin/distribution and JSON under
 * /api/v1/admin/distribution. Core's admin session, guard, error filter and view layer come through
 * the plugin host (AdminOnly()); the engine's services from the (global) DistributionModule.
 */
@Module({
  controllers: [DistributionAdminPagesController, DistributionAdminApiController],
  providers: [DistributionAdminQueries, DistributionAdminService, DistributionAdminViews],
})
export class DistributionAdminModule {}
