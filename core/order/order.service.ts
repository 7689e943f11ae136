import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { businessNumber } from '../common/numbers.js';
import { TransactionRunner, type TxContext } from '../database/transaction.js';
import { Product } from '../catalog/entities/product.entity.js';
import { ProductVariant } from '../catalog/entities/product-variant.entity.js';
import { specText } from '../catalog/catalog.service.js';
import { CartItem } from '../cart/entities/cart-item.entity.js';
import { CartService } from '../cart/cart.service.js';
import { Address } from '../customer/entities/address.entity.js';
import { PricingPipeline } from '../pricing/pricing-pipeline.service.js';
import type { CheckoutOptions, PricingLine, PricingResult } from '../pricing/pricing.types.js';
import { Order } from './entities/order.entity.js';
import { OrderLine } from './entities/order-line.entity.js';
import { OrderAdjustment } from './entities/order-adjustment.entity.js';
import { OrderHistory } from './entities/order-history.entity.js';
import { OrderProcess } from './order-process.service.js';
import type { OrderStatus } from './order-status.js';

export interface CheckoutRequest {
  addressId?: number;
  items?: Array<{ variantId: number; quantity: number }>;
  note?: string;
  options?: CheckoutOptions;
}

export interface CheckoutPreview {
  lines: Array<{ variantId: number; productId: number; title: string; specText: string; imageUrl: string | null; listUnitPrice: number; unitPrice: number; quantity: number; lineTotal: number; discountAllocated: number }>;
  adjustments: Array<{ source: string; kind: string; label: string; amount: number; lineIndex?: number }>;
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payableTotal: number;
}

export interface OrderView {
  id: number;
  orderNo: string;
  status: OrderStatus;
  memberId: number;
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payableTotal: number;
  paidTotal: number;
  refundedTotal: number;
  recipient: { name: string; phone: string; province: string; city: string; district: string; detail: string };
  buyerNote: string;
  createdAt: Date;
  paymentDueAt: Date | null;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  carrier: string | null;
  trackingNo: string | null;
  lines: Array<Pick<OrderLine, 'id' | 'productId' | 'variantId' | 'title' | 'specText' | 'imageUrl' | 'unitPrice' | 'listUnitPrice' | 'quantity' | 'lineTotal' | 'discountAllocated' | 'payableTotal' | 'refundedTotal'>>;
  adjustments: Array<Pick<OrderAdjustment, 'source' | 'kind' | 'label' | 'amount' | 'orderLineId'>>;
  history?: Array<Pick<OrderHistory, 'fromStatus' | 'toStatus' | 'actor' | 'note' | 'createdAt'>>;
}

@Injectable()
export class OrderService {
  readonly tx: TransactionRunner;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pricing: PricingPipeline,
    private readonly process: OrderProcess,
    private readonly cart: CartService,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  async preview(memberId: number, req: CheckoutRequest): Promise<CheckoutPreview> {
    const items = await this.resolveItems(memberId, req);
    const result = await this.priceItems(this.ds.manager, memberId, items, req.options ?? {}, false);
    const variants = await this.ds.getRepository(ProductVariant).findBy({ id: In(result.lines.map((l) => l.variantId)) });
    const held = heldLines(result);
    for (const l of result.lines.filter((x) => !held.has(x.index))) {
      const stock = variants.find((v) => v.id === l.variantId)?.stock ?? 0;
      if (stock < l.quantity) throw new ConflictError('insufficient_stock', `${l.title}${l.specText ? ` (${l.specText})` : ''}: only ${stock} left in stock`, `items.${l.index}.quantity`);
    }
    return this.previewView(result);
  }

  /**
   * Places an order: prices it, reserves stock with conditional decrements (never below zero, so
   * concurrent orders can never oversell), snapshots lines and adjustments, removes the bought cart
   * lines, and publishes order.placed — all in one transaction.
   */
  async place(memberId: number, req: CheckoutRequest): Promise<Order> {
    if (!req.addressId) throw new BadInputError('addressId', 'choose a delivery address', 'address_required');
    const fromCart = !req.items;
    const items = await this.resolveItems(memberId, req);
    return this.tx.run(async (tx) => {
      const address = await tx.manager.findOneBy(Address, { id: req.addressId, memberId });
      if (!address) throw new NotFoundError('address', req.addressId!, 'addressId');
      const priced = await this.priceItems(tx.manager, memberId, items, req.options ?? {}, true);
      const held = heldLines(priced);
      await this.reserveStock(tx.manager, priced.lines.filter((l) => !held.has(l.index)));
      const now = new Date();
      const order = await tx.manager.save(Order, tx.manager.create(Order, {
        orderNo: businessNumber(), memberId, status: 'pending_payment',
        itemsTotal: priced.itemsTotal, discountTotal: priced.discountTotal, shippingFee: priced.shippingFee, payableTotal: priced.payableTotal,
        paidTotal: 0, refundedTotal: 0,
        recipientName: address.recipientName, recipientPhone: address.phone, province: address.province, city: address.city, district: address.district, addressDetail: address.detail,
        buyerNote: req.note?.trim() ?? '', paymentDueAt: new Date(now.getTime() + this.config.orderPaymentTimeoutMinutes * 60_000),
      }));
      const lines = await tx.manager.save(OrderLine, priced.lines.map((l) => tx.manager.create(OrderLine, {
        orderId: order.id, productId: l.productId, variantId: l.variantId, title: l.title, specText: l.specText, imageUrl: l.imageUrl, skuCode: l.skuCode,
        listUnitPrice: l.listUnitPrice, unitPrice: l.unitPrice, quantity: l.quantity, lineTotal: l.unitPrice * l.quantity,
        discountAllocated: l.discountAllocated, payableTotal: l.unitPrice * l.quantity - l.discountAllocated, refundedTotal: 0,
      })));
      if (priced.adjustments.length) {
        await tx.manager.save(OrderAdjustment, priced.adjustments.map((a) => tx.manager.create(OrderAdjustment, {
          orderId: order.id, orderLineId: a.lineIndex !== undefined ? lines[a.lineIndex].id : null, source: a.source, kind: a.kind, label: a.label.slice(0, 120), amount: a.amount, data: a.holdsStock ? { ...a.data, holdsStock: true } : a.data ?? null,
        })));
      }
      if (fromCart) await tx.manager.delete(CartItem, { memberId, variantId: In(priced.lines.map((l) => l.variantId)) });
      await this.process.recordCreated(tx, order, `member:${memberId}`);
      await this.process.eventBus.publish(tx, 'order.placed', { orderId: order.id, orderNo: order.orderNo, memberId, payableTotal: order.payableTotal });
      return order;
    });
  }

  async listForMember(memberId: number, status: string | undefined, page = 1, pageSize = 10): Promise<{ items: OrderView[]; total: number; page: number; pageSize: number }> {
    const where = { memberId, ...(status ? { status: status as OrderStatus } : {}) };
    const [orders, total] = await this.ds.getRepository(Order).findAndCount({ where, order: { id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { items: await this.views(orders), total, page, pageSize };
  }

  async listAll(filter: { status?: string; q?: string }, page = 1, pageSize = 20): Promise<{ items: OrderView[]; total: number; page: number; pageSize: number }> {
    const qb = this.ds.getRepository(Order).createQueryBuilder('o').orderBy('o.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.q) qb.andWhere('(o.order_no LIKE :q OR o.recipient_name LIKE :q OR o.recipient_phone LIKE :q)', { q: `%${filter.q}%` });
    const [orders, total] = await qb.getManyAndCount();
    return { items: await this.views(orders), total, page, pageSize };
  }

  /** An order as its member sees it: someone else's order is 404, never 403, so numbers can't be probed. */
  async forMember(memberId: number, orderNo: string): Promise<Order> {
    const order = await this.ds.getRepository(Order).findOneBy({ orderNo, memberId });
    if (!order) throw new NotFoundError('order', orderNo);
    return order;
  }

  async byNo(orderNo: string): Promise<Order> {
    const order = await this.ds.getRepository(Order).findOneBy({ orderNo });
    if (!order) throw new NotFoundError('order', orderNo);
    return order;
  }

  async byId(id: number): Promise<Order> {
    const order = await this.ds.getRepository(Order).findOneBy({ id });
    if (!order) throw new NotFoundError('order', id);
    return order;
  }

  async view(order: Order, withHistory = false): Promise<OrderView> {
    const [v] = await this.views([order], withHistory);
    return v;
  }

  async views(orders: Order[], withHistory = false): Promise<OrderView[]> {
    if (!orders.length) return [];
    const ids = orders.map((o) => o.id);
    const lines = await this.ds.getRepository(OrderLine).find({ where: { orderId: In(ids) }, order: { id: 'ASC' } });
    const adjustments = await this.ds.getRepository(OrderAdjustment).find({ where: { orderId: In(ids) }, order: { id: 'ASC' } });
    const history = withHistory ? await this.ds.getRepository(OrderHistory).find({ where: { orderId: In(ids) }, order: { id: 'ASC' } }) : [];
    return orders.map((o) => ({
      id: o.id, orderNo: o.orderNo, status: o.status, memberId: o.memberId,
      itemsTotal: o.itemsTotal, discountTotal: o.discountTotal, shippingFee: o.shippingFee, payableTotal: o.payableTotal, paidTotal: o.paidTotal, refundedTotal: o.refundedTotal,
      recipient: { name: o.recipientName, phone: o.recipientPhone, province: o.province, city: o.city, district: o.district, detail: o.addressDetail },
      buyerNote: o.buyerNote, createdAt: o.createdAt, paymentDueAt: o.paymentDueAt, paidAt: o.paidAt, shippedAt: o.shippedAt, completedAt: o.completedAt, closedAt: o.closedAt, closeReason: o.closeReason,
      carrier: o.carrier, trackingNo: o.trackingNo,
      lines: lines.filter((l) => l.orderId === o.id).map((l) => ({ id: l.id, productId: l.productId, variantId: l.variantId, title: l.title, specText: l.specText, imageUrl: l.imageUrl, unitPrice: l.unitPrice, listUnitPrice: l.listUnitPrice, quantity: l.quantity, lineTotal: l.lineTotal, discountAllocated: l.discountAllocated, payableTotal: l.payableTotal, refundedTotal: l.refundedTotal })),
      adjustments: adjustments.filter((a) => a.orderId === o.id).map((a) => ({ source: a.source, kind: a.kind, label: a.label, amount: a.amount, orderLineId: a.orderLineId })),
      ...(withHistory ? { history: history.filter((h) => h.orderId === o.id).map((h) => ({ fromStatus: h.fromStatus, toStatus: h.toStatus, actor: h.actor, note: h.note, createdAt: h.createdAt })) } : {}),
    }));
  }

  /** The buyer cancels an unpaid order, or the close job times it out: stock comes back. */
  async close(orderNo: string, actor: string, reason: 'buyer_cancelled' | 'payment_timeout' | 'merchant_cancelled', expectMemberId?: number): Promise<Order> {
    return this.tx.run(async (tx) => {
      const order = await tx.manager.findOneBy(Order, { orderNo, ...(expectMemberId ? { memberId: expectMemberId } : {}) });
      if (!order) throw new NotFoundError('order', orderNo);
      return this.closeInTx(tx, order, actor, reason);
    });
  }

  async closeInTx(tx: TxContext, order: Order, actor: string, reason: string): Promise<Order> {
    if (order.status !== 'pending_payment') throw new ConflictError('illegal_transition', `order ${order.orderNo} is ${order.status} and cannot be closed; paid orders are refunded instead`);
    await this.process.transition(tx, order, 'closed', actor, { closedAt: new Date(), closeReason: reason }, reason);
    await this.releaseStock(tx.manager, order.id);
    await this.process.eventBus.publish(tx, 'order.closed', { orderId: order.id, orderNo: order.orderNo, memberId: order.memberId, reason });
    return order;
  }

  async ship(orderNo: string, actor: string, carrier: string, trackingNo: string): Promise<Order> {
    return this.tx.run(async (tx) => {
      const order = await tx.manager.findOneBy(Order, { orderNo });
      if (!order) throw new NotFoundError('order', orderNo);
      const now = new Date();
      await this.process.transition(tx, order, 'shipped', actor, { shippedAt: now, carrier, trackingNo, autoCompleteAt: new Date(now.getTime() + this.config.orderAutoCompleteDays * 86_400_000) }, `${carrier} ${trackingNo}`);
      await this.process.eventBus.publish(tx, 'order.shipped', { orderId: order.id, orderNo, memberId: order.memberId, carrier, trackingNo });
      return order;
    });
  }

  /** The buyer confirms receipt, or the auto-complete job does it after N days. */
  async complete(orderNo: string, actor: string, expectMemberId?: number): Promise<Order> {
    return this.tx.run(async (tx) => {
      const order = await tx.manager.findOneBy(Order, { orderNo, ...(expectMemberId ? { memberId: expectMemberId } : {}) });
      if (!order) throw new NotFoundError('order', orderNo);
      await this.process.transition(tx, order, 'completed', actor, { completedAt: new Date() });
      await this.process.eventBus.publish(tx, 'order.completed', { orderId: order.id, orderNo, memberId: order.memberId });
      return order;
    });
  }

  /** Unpaid orders whose payment time is up (oldest first). */
  async dueForClosing(now: Date, limit = 100): Promise<Order[]> {
    return this.ds.getRepository(Order).createQueryBuilder('o').where('o.status = :s AND o.payment_due_at <= :now', { s: 'pending_payment', now }).orderBy('o.payment_due_at', 'ASC').take(limit).getMany();
  }

  async dueForCompletion(now: Date, limit = 100): Promise<Order[]> {
    return this.ds.getRepository(Order).createQueryBuilder('o').where('o.status = :s AND o.auto_complete_at <= :now', { s: 'shipped', now }).orderBy('o.auto_complete_at', 'ASC').take(limit).getMany();
  }

  /** Actions the buyer may take now, for the storefront. */
  buyerActions(status: OrderStatus): string[] {
    if (status === 'pending_payment') return ['pay', 'cancel'];
    if (status === 'shipped') return ['confirm_receipt'];
    return [];
  }

  /** Lines whose stock an activity holds itself (price adjustment with holdsStock): core never moves their variant stock. */
  async heldLineIds(manager: EntityManager, orderId: number): Promise<Set<number>> {
    const adjustments = await manager.findBy(OrderAdjustment, { orderId, kind: 'price' });
    return new Set(adjustments.filter((a) => a.data?.holdsStock === true && a.orderLineId !== null).map((a) => a.orderLineId as number));
  }

  async releaseStock(manager: EntityManager, orderId: number): Promise<void> {
    const lines = await manager.find(OrderLine, { where: { orderId }, order: { variantId: 'ASC' } });
    // lines whose stock an activity holds go back to the activity (its order.closed hook), not here
    const held = await this.heldLineIds(manager, orderId);
    for (const l of lines.filter((x) => !held.has(x.id))) {
      await manager.createQueryBuilder().update(ProductVariant).set({ stock: () => `stock + ${Number(l.quantity)}` }).where('id = :id', { id: l.variantId }).execute();
    }
  }

  private async reserveStock(manager: EntityManager, lines: PricingLine[]): Promise<void> {
    // Fixed lock order (by variant id) so that two orders for the same variants cannot deadlock.
    for (const l of [...lines].sort((a, b) => a.variantId - b.variantId)) {
      const res = await manager
        .createQueryBuilder()
        .update(ProductVariant)
        .set({ stock: () => `stock - ${Number(l.quantity)}` })
        .where('id = :id AND stock >= :q AND is_active = :active', { id: l.variantId, q: l.quantity, active: true })
        .execute();
      if (!res.affected) {
        const v = await manager.findOneBy(ProductVariant, { id: l.variantId });
        throw new ConflictError('insufficient_stock', `${l.title}${l.specText ? ` (${l.specText})` : ''}: only ${v?.stock ?? 0} left in stock`, `items.${l.index}.quantity`);
      }
    }
  }

  private async resolveItems(memberId: number, req: CheckoutRequest): Promise<Array<{ variantId: number; quantity: number }>> {
    const raw = req.items ?? (await this.cart.selectedItems(memberId));
    if (!raw.length) throw new BadInputError('items', 'nothing to buy: the cart has no selected items', 'empty_cart');
    const merged = new Map<number, number>();
    for (const i of raw) merged.set(i.variantId, (merged.get(i.variantId) ?? 0) + i.quantity);
    for (const [variantId, quantity] of merged) if (quantity > 99) throw new BadInputError('items', `at most 99 of variant ${variantId} per order`, 'quantity_limit');
    return [...merged].map(([variantId, quantity]) => ({ variantId, quantity }));
  }

  private async priceItems(manager: EntityManager, memberId: number, items: Array<{ variantId: number; quantity: number }>, options: CheckoutOptions, placing: boolean): Promise<PricingResult> {
    const variants = await manager.findBy(ProductVariant, { id: In(items.map((i) => i.variantId)) });
    const products = variants.length ? await manager.findBy(Product, { id: In([...new Set(variants.map((v) => v.productId))]) }) : [];
    const lines: PricingLine[] = items.map((item, index) => {
      const v = variants.find((x) => x.id === item.variantId);
      const p = v && products.find((x) => x.id === v.productId);
      if (!v || !p || !v.isActive) throw new NotFoundError('variant', item.variantId, `items.${index}.variantId`);
      if (!p.isListed) throw new ConflictError('product_delisted', `${p.title} is no longer on sale`, `items.${index}.variantId`);
      return {
        index, productId: p.id, variantId: v.id, categoryId: p.categoryId, title: p.title, specText: specText(v.specValues), imageUrl: v.imageUrl ?? p.images[0] ?? null,
        skuCode: v.skuCode, shippingTemplateId: p.shippingTemplateId, weightGrams: v.weightGrams, quantity: item.quantity, listUnitPrice: v.price, unitPrice: v.price, discountable: true, discountAllocated: 0,
      };
    });
    return this.pricing.price({ memberId, lines, options, manager, placing });
  }

  private previewView(r: PricingResult): CheckoutPreview {
    return {
      lines: r.lines.map((l) => ({ variantId: l.variantId, productId: l.productId, title: l.title, specText: l.specText, imageUrl: l.imageUrl, listUnitPrice: l.listUnitPrice, unitPrice: l.unitPrice, quantity: l.quantity, lineTotal: l.unitPrice * l.quantity, discountAllocated: l.discountAllocated })),
      adjustments: r.adjustments.map((a) => ({ source: a.source, kind: a.kind, label: a.label, amount: a.amount, ...(a.lineIndex !== undefined ? { lineIndex: a.lineIndex } : {}) })),
      itemsTotal: r.itemsTotal, discountTotal: r.discountTotal, shippingFee: r.shippingFee, payableTotal: r.payableTotal,
    };
  }
}

/** Indexes of lines whose stock an activity holds itself (a price adjustment with holdsStock). */
function heldLines(r: PricingResult): Set<number> {
  return new Set(r.adjustments.filter((a) => a.kind === 'price' && a.holdsStock && a.lineIndex !== undefined).map((a) => a.lineIndex!));
}
