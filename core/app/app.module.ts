import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { CoreInfraModule } from './core-infra.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CustomerModule } from '../customer/customer.module.js';
import { CartModule } from '../cart/cart.module.js';
import { OrderModule } from '../order/order.module.js';
import { PaymentModule } from '../payment/payment.module.js';
import { ThemeModule } from '../theme/theme.module.js';
import { StorefrontModule } from '../storefront/storefront.module.js';
import { AdminModule } from '../admin/admin.module.js';
import { HealthController } from '../health/health.controller.js';
import { MediaModule } from '../media/media.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  /** Nest modules of enabled plugins, in dependency order. */
  pluginModules?: Array<Type<unknown> | DynamicModule>;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreInfraModule.register(options.config),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...options.dataSource.options }),
          dataSourceFactory: async () => options.dataSource,
        }),
        ScheduleModule.forRoot(),
        CatalogModule, CustomerModule, CartModule, OrderModule, PaymentModule, ThemeModule, StorefrontModule, AdminModule, MediaModule,
        ...(options.pluginModules ?? []),
      ],
      controllers: [HealthController],
    };
  }
}
