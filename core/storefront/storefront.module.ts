import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CartModule } from '../cart/cart.module.js';
import { CustomerModule } from '../customer/customer.module.js';
import { OrderModule } from '../order/order.module.js';
import { ThemeModule } from '../theme/theme.module.js';
import { StorefrontController } from './storefront.controller.js';

@Module({ imports: [ThemeModule, CatalogModule, CartModule, CustomerModule, OrderModule], controllers: [StorefrontController] })
export class StorefrontModule {}
