import { Category } from '../catalog/entities/category.entity.js';
import { Product } from '../catalog/entities/product.entity.js';
import { ProductVariant } from '../catalog/entities/product-variant.entity.js';
import { Member } from '../customer/entities/member.entity.js';
import { Address } from '../customer/entities/address.entity.js';
import { CartItem } from '../cart/entities/cart-item.entity.js';
import { ShippingTemplate } from '../shipping/entities/shipping-template.entity.js';
import { Order } from '../order/entities/order.entity.js';
import { OrderLine } from '../order/entities/order-line.entity.js';
import { OrderAdjustment } from '../order/entities/order-adjustment.entity.js';
import { OrderHistory } from '../order/entities/order-history.entity.js';
import { Payment } from '../payment/entities/payment.entity.js';
import { Refund } from '../payment/entities/refund.entity.js';
import { OutboxEvent } from '../events/entities/outbox-event.entity.js';
import { EventDelivery } from '../events/entities/event-delivery.entity.js';
import { JobRun } from '../jobs/entities/job-run.entity.js';
import { AdminUser } from '../admin/entities/admin-user.entity.js';
import { Setting } from '../settings/entities/setting.entity.js';

export const CORE_ENTITIES = [
  Category, Product, ProductVariant, Member, Address, CartItem, ShippingTemplate,
  Order, OrderLine, OrderAdjustment, OrderHistory, Payment, Refund,
  OutboxEvent, EventDelivery, JobRun, AdminUser, Setting,
];
