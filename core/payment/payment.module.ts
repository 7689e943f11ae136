import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OrderModule } from '../order/order.module.js';
import { OrderJobs } from '../order/order-jobs.js';
import { OrderController } from '../order/order.controller.js';
import { ThemeModule } from '../theme/theme.module.js';
import { PaymentController } from './payment.controller.js';
import { PaymentService } from './payment.service.js';
import { SandboxPaymentProvider } from './providers/sandbox.provider.js';

/**
 * Payments, plus the order API and jobs that need them (paying from the order page; closing an
 * unpaid order asks the provider first).
 */
@Module({ imports: [OrderModule, ThemeModule], controllers: [OrderController, PaymentController], providers: [PaymentService, OrderJobs], exports: [PaymentService, OrderJobs] })
export class PaymentModule implements OnModuleInit {
  constructor(private readonly payments: PaymentService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (this.config.sandboxEnabled) this.payments.registerProvider(new SandboxPaymentProvider(this.config.sessionSecret, this.config.publicUrl));
  }
}
