import { Module, type OnModuleInit } from '@nestjs/common';
import { CartModule } from '../cart/cart.module.js';
import { PricingPipeline } from '../pricing/pricing-pipeline.service.js';
import { ShippingAdjuster } from '../shipping/shipping.adjuster.js';
import { OrderProcess } from './order-process.service.js';
import { OrderService } from './order.service.js';

@Module({ imports: [CartModule], providers: [OrderService, OrderProcess], exports: [OrderService, OrderProcess] })
export class OrderModule implements OnModuleInit {
  constructor(private readonly pricing: PricingPipeline) {}

  onModuleInit(): void {
    this.pricing.register(new ShippingAdjuster());
  }
}
