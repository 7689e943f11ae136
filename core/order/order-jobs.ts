import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobScheduler } from '../jobs/job-scheduler.service.js';
import { PaymentService } from '../payment/payment.service.js';
import { OrderService } from './order.service.js';
import { DomainError } from '../common/errors.js';

/**
 * Closes unpaid orders when their payment time is up and completes shipped orders after N days.
 * Each order is moved by a conditional UPDATE, so even if two instances ran the same batch,
 * each order would be handled once (the loser gets a 409 and skips it).
 */
@Injectable()
export class OrderJobs implements OnModuleInit {
  private readonly logger = new Logger('OrderJobs');

  constructor(
    private readonly jobs: JobScheduler,
    private readonly orders: OrderService,
    private readonly payments: PaymentService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'core:close-unpaid-orders', everySeconds: 30, run: () => this.closeUnpaid().then(() => undefined) });
    this.jobs.register({ name: 'core:complete-shipped-orders', everySeconds: 600, run: () => this.completeShipped().then(() => undefined) });
  }

  async closeUnpaid(now = new Date()): Promise<number> {
    let closed = 0;
    for (const order of await this.orders.dueForClosing(now)) {
      if (await this.payments.reconcileBeforeClose(order)) continue;
      try {
        await this.orders.close(order.orderNo, 'system:job', 'payment_timeout');
        await this.payments.closeOpenPayments(order.id);
        closed++;
      } catch (err) {
        if (!(err instanceof DomainError && err.status === 409)) this.logger.error(`closing ${order.orderNo}: ${String(err)}`);
      }
    }
    return closed;
  }

  async completeShipped(now = new Date()): Promise<number> {
    let completed = 0;
    for (const order of await this.orders.dueForCompletion(now)) {
      try {
        await this.orders.complete(order.orderNo, 'system:job');
        completed++;
      } catch (err) {
        if (!(err instanceof DomainError && err.status === 409)) this.logger.error(`completing ${order.orderNo}: ${String(err)}`);
      }
    }
    return completed;
  }

  get settings(): { paymentTimeoutMinutes: number; autoCompleteDays: number } {
    return { paymentTimeoutMinutes: this.config.orderPaymentTimeoutMinutes, autoCompleteDays: this.config.orderAutoCompleteDays };
  }
}
