import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MemberGuard, MemberSession } from '../auth/member-session.js';
import { EventBus } from '../events/event-bus.service.js';
import { JobScheduler } from '../jobs/job-scheduler.service.js';
import { PricingPipeline } from '../pricing/pricing-pipeline.service.js';
import { SlotRegistry } from '../theme/slot-registry.js';

/**
 * The registries plugins extend (events, jobs, pricing, slots) and the session, available to every
 * module — including plugin modules — without importing anything else.
 */
@Global()
@Module({})
export class CoreInfraModule {
  static register(config: AppConfig): DynamicModule {
    const providers = [{ provide: APP_CONFIG, useValue: config }, MemberSession, MemberGuard, EventBus, JobScheduler, PricingPipeline, SlotRegistry];
    return { module: CoreInfraModule, providers, exports: providers };
  }
}
