import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BadInputError, ConflictError, DomainError, NotFoundError } from '../common/errors.js';
import { businessNumber } from '../common/numbers.js';
import { TransactionRunner } from '../database/transaction.js';
import { Member } from '../customer/entities/member.entity.js';
import { Product } from '../catalog/entities/product.entity.js';
import { ProductVariant } from '../catalog/entities/product-variant.entity.js';
import { Order } from '../order/entities/order.entity.js';
import { OrderLine } from '../order/entities/order-line.entity.js';
import { OrderProcess } from '../order/order-process.service.js';
import { OrderService } from '../order/order.service.js';
import { Payment } from './entities/payment.entity.js';
import { Refund, type RefundStatus } from './entities/refund.entity.js';
import type { IncomingNotification, PaymentAction, PaymentConfirmation, PaymentProvider } from './payment-provider.js';

export type ConfirmOutcome = 'paid' | 'already_paid' | 'refunded_late_payment';

@Injectable()
export class PaymentService {
  private readonly logger = new Logger('Payments');
  private readonly providers = new Map<string, PaymentProvider>();
  private readonly tx: TransactionRunner;
  private defaultProviderId = 'sandbox';

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orders: OrderService,
    private readonly process: OrderProcess,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  registerProvider(provider: PaymentProvider, opts: { makeDefault?: boolean } = {}): void {
    this.providers.set(provider.id, provider);
    if (opts.makeDefault) this.defaultProviderId = provider.id;
  }

  provider(id: string): PaymentProvider {
    const p = this.providers.get(id);
    if (!p) throw new BadInputError('provider', `payment provider "${id}" is not available`, 'unknown_provider');
    return p;
  }

  providerIds(): string[] {
    return [...this.providers.keys()];
  }

  /** Starts (or resumes) payment of a member's unpaid order. */
  async start(member: Member, orderNo: string, providerId?: string): Promise<{ paymentNo: string; action: PaymentAction }> {
    const order = await this.orders.forMember(member.id, orderNo);
    if (order.status !== 'pending_payment') throw new ConflictError('not_payable', `order ${orderNo} is ${order.status} and cannot be paid`);
    if (order.paymentDueAt && order.paymentDueAt.getTime() <= Date.now()) throw new ConflictError('payment_expired', `the time to pay order ${orderNo} is over`);
    const provider = this.provider(providerId ?? this.defaultProviderId);
    const repo = this.ds.getRepository(Payment);
    let payment = await repo.findOneBy({ orderId: order.id, provider: provider.id, status: 'pending' });
    if (!payment) {
      payment = await repo.save(repo.create({ paymentNo: businessNumber('P'), orderId: order.id, provider: provider.id, amount: order.payableTotal, status: 'pending', providerTransactionId: null, succeededAt: null, expiresAt: order.paymentDueAt }));
    }
    const lines = await this.ds.getRepository(OrderLine).findBy({ orderId: order.id });
    const description = lines.length === 1 ? lines[0].title : `${lines[0]?.title ?? '订单'} 等${lines.length}件商品`;
    const action = await provider.createPayment({
      paymentNo: payment.paymentNo, order, member, amount: payment.amount, description: description.slice(0, 120), expiresAt: order.paymentDueAt ?? new Date(Date.now() + 15 * 60_000),
      notifyUrl: `${this.config.publicUrl}/payments/${provider.id}/notify`, returnUrl: `${this.config.publicUrl}/orders/${order.orderNo}`,
    });
    return { paymentNo: payment.paymentNo, action };
  }

  /** Verifies a provider notification and applies it. Forged or mismatched ones change nothing. */
  async handleNotification(providerId: string, notification: IncomingNotification): Promise<ConfirmOutcome> {
    const provider = this.provider(providerId);
    const confirmation = await provider.parseNotification(notification);
    return this.confirm(providerId, confirmation);
  }

  /**
   * Marks the payment succeeded and its order paid, exactly once. The amount must match to the fen.
   * A payment that arrives after its order was closed is refunded at once.
   */
  async confirm(providerId: string, c: PaymentConfirmation): Promise<ConfirmOutcome> {
    if (!c.succeeded) return 'already_paid';
    const outcome = await this.tx.run(async (tx) => {
      const payment = await tx.manager.findOneBy(Payment, { paymentNo: c.paymentNo });
      if (!payment || payment.provider !== providerId) throw new NotFoundError('payment', c.paymentNo);
      if (payment.amount !== c.amount) {
        this.logger.warn(`Payment ${c.paymentNo}: notified amount ${c.amount} ≠ expected ${payment.amount}; ignored`);
        throw new DomainError(400, 'amount_mismatch', `notified amount ${c.amount} does not match payment amount ${payment.amount}`);
      }
      const claimed = await tx.manager.createQueryBuilder().update(Payment)
        .set({ status: 'succeeded', providerTransactionId: c.providerTransactionId, succeededAt: new Date() })
        .where('id = :id AND status IN (:...open)', { id: payment.id, open: ['pending', 'closed'] }).execute();
      if (!claimed.affected) return 'already_paid' as const;
      const order = await tx.manager.findOneByOrFail(Order, { id: payment.orderId });
      if (order.status !== 'pending_payment') return 'refunded_late_payment' as const;
      await this.process.transition(tx, order, 'paid', `payment:${providerId}`, { paidAt: new Date(), paidTotal: payment.amount }, payment.paymentNo);
      const lines = await tx.manager.findBy(OrderLine, { orderId: order.id });
      for (const l of lines) await tx.manager.increment(Product, { id: l.productId }, 'salesCount', l.quantity);
      await this.process.eventBus.publish(tx, 'order.paid', { orderId: order.id, orderNo: order.orderNo, memberId: order.memberId, paidTotal: payment.amount, paymentNo: payment.paymentNo });
      return 'paid' as const;
    });
    if (outcome === 'refunded_late_payment') await this.refundLatePayment(c.paymentNo);
    return outcome;
  }

  /**
   * Before an unpaid order is closed, ask its provider whether it was paid after all (a lost
   * notification). Returns true when the order turned out to be paid.
   */
  async reconcileBeforeClose(order: Order): Promise<boolean> {
    const pending = await this.ds.getRepository(Payment).findBy({ orderId: order.id, status: 'pending' });
    for (const p of pending) {
      const provider = this.providers.get(p.provider);
      if (!provider) continue;
      const found = await provider.queryPayment(p.paymentNo).catch(() => null);
      if (found?.succeeded) {
        await this.confirm(p.provider, found);
        return true;
      }
    }
    return false;
  }

  async closeOpenPayments(orderId: number): Promise<void> {
    const pending = await this.ds.getRepository(Payment).findBy({ orderId, status: 'pending' });
    for (const p of pending) {
      await this.providers.get(p.provider)?.closePayment(p.paymentNo).catch((e: unknown) => this.logger.warn(`closing ${p.paymentNo} at ${p.provider} failed: ${String(e)}`));
      await this.ds.getRepository(Payment).update({ id: p.id, status: 'pending' }, { status: 'closed' });
    }
  }

  /** Refunds a paid order in full (merchant decision). Stock returns when the goods never left. */
  async refundOrder(orderNo: string, actor: string, reason: string): Promise<Refund> {
    const order = await this.orders.byNo(orderNo);
    const open = (await this.ds.getRepository(OrderLine).findBy({ orderId: order.id })).filter((l) => l.refundedTotal < l.payableTotal);
    if (!open.length) throw new ConflictError('nothing_to_refund', `order ${orderNo} is already fully refunded`);
    return this.refundLines(orderNo, open.map((l) => l.id), actor, reason);
  }

  /**
   * Refunds whole order lines (what each line paid after discounts). When every line is refunded the
   * order becomes `refunded` and shipping is refunded too; otherwise it keeps its status. Stock of the
   * refunded lines returns when the order had not shipped. Publishes order.refunded with the line ids,
   * so plugins (distribution) reverse exactly those lines. The after-sales flow builds on this.
   */
  async refundLines(orderNo: string, lineIds: number[], actor: string, reason: string): Promise<Refund> {
    if (!lineIds.length) throw new BadInputError('lineIds', 'choose at least one order line to refund');
    const order = await this.orders.byNo(orderNo);
    const payment = await this.ds.getRepository(Payment).findOneBy({ orderId: order.id, status: 'succeeded' });
    if (!payment) throw new ConflictError('not_paid', `order ${orderNo} has no successful payment to refund`);
    const refund = await this.tx.run(async (tx) => {
      const fresh = await tx.manager.findOneByOrFail(Order, { id: order.id });
      if (!['paid', 'shipped', 'completed'].includes(fresh.status)) throw new ConflictError('not_refundable', `order ${orderNo} is ${fresh.status} and cannot be refunded`);
      const all = await tx.manager.findBy(OrderLine, { orderId: fresh.id });
      const chosen = lineIds.map((id) => {
        const line = all.find((l) => l.id === id);
        if (!line) throw new NotFoundError('order_line', id, 'lineIds');
        if (line.refundedTotal >= line.payableTotal) throw new ConflictError('line_already_refunded', `line ${id} (${line.title}) is already refunded`, 'lineIds');
        return line;
      });
      const rest = all.filter((l) => !lineIds.includes(l.id) && l.refundedTotal < l.payableTotal);
      const full = rest.length === 0;
      let amount = chosen.reduce((sum, l) => sum + (l.payableTotal - l.refundedTotal), 0);
      if (full) amount = fresh.paidTotal - fresh.refundedTotal; // the last lines take the shipping fee with them
      if (amount <= 0 || fresh.refundedTotal + amount > fresh.paidTotal) throw new ConflictError('refund_exceeds_payment', `refund of ${amount} fen would exceed what was paid`);
      for (const l of chosen) await tx.manager.update(OrderLine, { id: l.id }, { refundedTotal: l.payableTotal });
      if (fresh.status === 'paid') {
        const held = await this.orders.heldLineIds(tx.manager, fresh.id); // activity stock was never taken from the variant
        for (const l of chosen.filter((x) => !held.has(x.id))) await tx.manager.createQueryBuilder().update(ProductVariant).set({ stock: () => `stock + ${Number(l.quantity)}` }).where('id = :id', { id: l.variantId }).execute();
      }
      const claimed = await tx.manager.createQueryBuilder().update(Order).set({ refundedTotal: () => `refunded_total + ${Number(amount)}` }).where('id = :id AND refunded_total = :before', { id: fresh.id, before: fresh.refundedTotal }).execute();
      if (!claimed.affected) throw new ConflictError('order_changed', `order ${orderNo} was changed meanwhile; reload and try again`);
      if (full) await this.process.transition(tx, fresh, 'refunded', actor, {}, reason);
      const r = await tx.manager.save(Refund, tx.manager.create(Refund, { refundNo: businessNumber('R'), orderId: fresh.id, paymentId: payment.id, amount, status: 'pending', reason, providerRefundId: null }));
      await this.process.eventBus.publish(tx, 'order.refunded', { orderId: fresh.id, orderNo, memberId: fresh.memberId, refundNo: r.refundNo, amount, lineIds, lines: chosen.map((l) => ({ lineId: l.id, amount: l.payableTotal - l.refundedTotal })) });
      return r;
    });
    const result = await this.provider(payment.provider).refund({ refundNo: refund.refundNo, paymentNo: payment.paymentNo, providerTransactionId: payment.providerTransactionId, amount: refund.amount, totalAmount: payment.amount, reason });
    await this.recordProviderAnswer(refund.id, result);
    return { ...refund, providerRefundId: result.providerRefundId, status: result.status };
  }

  /**
   * Refunds exactly the given amounts (fen) of order lines — partial and repeated refunds, each never
   * beyond what a line paid minus what it had refunded already (409 `refund_exceeds_line`). When the
   * refund leaves every line fully refunded, the rest of what was paid (shipping) goes with it and the
   * order becomes `refunded`. Stock returns for a line when it becomes fully refunded while the order had
   * not shipped, or by `restockQuantity` when the merchant confirms returned goods came back. The order
   * row is locked first, so concurrent refunds of one order run one after the other; every total moves
   * by a conditional update. Publishes order.refunded with `lines` (amount per line).
   */
  async refundAmounts(orderNo: string, items: Array<{ lineId: number; amount: number; restockQuantity?: number }>, actor: string, reason: string): Promise<Refund> {
    if (!items.length) throw new BadInputError('items', 'choose at least one order line to refund');
    const seen = new Set<number>();
    for (const it of items) {
      if (!Number.isSafeInteger(it.amount) || it.amount <= 0) throw new BadInputError('items.amount', 'a refund amount must be a positive whole number of fen');
      if (it.restockQuantity !== undefined && (!Number.isSafeInteger(it.restockQuantity) || it.restockQuantity < 0)) throw new BadInputError('items.restockQuantity', 'restockQuantity must be a whole number');
      if (seen.has(it.lineId)) throw new BadInputError('items.lineId', `line ${it.lineId} is listed twice`);
      seen.add(it.lineId);
    }
    const order = await this.orders.byNo(orderNo);
    const payment = await this.ds.getRepository(Payment).findOneBy({ orderId: order.id, status: 'succeeded' });
    if (!payment) throw new ConflictError('not_paid', `order ${orderNo} has no successful payment to refund`);
    const refund = await this.tx.run(async (tx) => {
      const lockQuery = tx.manager.createQueryBuilder(Order, 'o').where('o.id = :id', { id: order.id });
      if (this.ds.options.type !== 'better-sqlite3') lockQuery.setLock('pessimistic_write'); // SQLite transactions are serialized already
      const fresh = await lockQuery.getOneOrFail();
      if (!['paid', 'shipped', 'completed'].includes(fresh.status)) throw new ConflictError('not_refundable', `order ${orderNo} is ${fresh.status} and cannot be refunded`);
      const all = await tx.manager.findBy(OrderLine, { orderId: fresh.id });
      const chosen = items.map((it) => {
        const line = all.find((l) => l.id === it.lineId);
        if (!line) throw new NotFoundError('order_line', it.lineId, 'items.lineId');
        const remaining = line.payableTotal - line.refundedTotal;
        if (it.amount > remaining) throw new ConflictError('refund_exceeds_line', `line ${line.id} (${line.title}) has ${remaining} fen left to refund; ${it.amount} asked`, 'items.amount');
        if ((it.restockQuantity ?? 0) > line.quantity) throw new BadInputError('items.restockQuantity', `line ${line.id} has only ${line.quantity} pieces`);
        return { line, it };
      });
      const full = all.every((l) => {
        const c = chosen.find((x) => x.line.id === l.id);
        return l.refundedTotal + (c?.it.amount ?? 0) >= l.payableTotal;
      });
      let amount = chosen.reduce((sum, c) => sum + c.it.amount, 0);
      if (full) amount = fresh.paidTotal - fresh.refundedTotal; // the last refund takes the shipping fee with it
      if (amount <= 0 || fresh.refundedTotal + amount > fresh.paidTotal) throw new ConflictError('refund_exceeds_payment', `refund of ${amount} fen would exceed what was paid`, 'items.amount');
      const held = await this.orders.heldLineIds(tx.manager, fresh.id); // activity stock was never taken from the variant
      for (const { line, it } of chosen) {
        const moved = await tx.manager.createQueryBuilder().update(OrderLine).set({ refundedTotal: () => `refunded_total + ${Number(it.amount)}` })
          .where('id = :id AND refunded_total = :before AND refunded_total + :amount <= payable_total', { id: line.id, before: line.refundedTotal, amount: it.amount }).execute();
        if (!moved.affected) throw new ConflictError('order_changed', `line ${line.id} was refunded meanwhile; reload and try again`, 'items.amount');
        const nowFull = line.refundedTotal + it.amount >= line.payableTotal;
        const restock = held.has(line.id) ? 0 : fresh.status === 'paid' ? (nowFull ? line.quantity : 0) : (it.restockQuantity ?? 0);
        if (restock > 0) await tx.manager.createQueryBuilder().update(ProductVariant).set({ stock: () => `stock + ${Number(restock)}` }).where('id = :id', { id: line.variantId }).execute();
      }
      const claimed = await tx.manager.createQueryBuilder().update(Order).set({ refundedTotal: () => `refunded_total + ${Number(amount)}` })
        .where('id = :id AND refunded_total = :before AND refunded_total + :amount <= paid_total', { id: fresh.id, before: fresh.refundedTotal, amount }).execute();
      if (!claimed.affected) throw new ConflictError('order_changed', `order ${orderNo} was changed meanwhile; reload and try again`);
      if (full) await this.process.transition(tx, fresh, 'refunded', actor, {}, reason);
      const r = await tx.manager.save(Refund, tx.manager.create(Refund, { refundNo: businessNumber('R'), orderId: fresh.id, paymentId: payment.id, amount, status: 'pending', reason: reason.slice(0, 200), providerRefundId: null }));
      await this.process.eventBus.publish(tx, 'order.refunded', { orderId: fresh.id, orderNo, memberId: fresh.memberId, refundNo: r.refundNo, amount, lineIds: chosen.map((c) => c.line.id), lines: chosen.map((c) => ({ lineId: c.line.id, amount: c.it.amount })) });
      return r;
    });
    const result = await this.provider(payment.provider).refund({ refundNo: refund.refundNo, paymentNo: payment.paymentNo, providerTransactionId: payment.providerTransactionId, amount: refund.amount, totalAmount: payment.amount, reason });
    await this.recordProviderAnswer(refund.id, result);
    return { ...refund, providerRefundId: result.providerRefundId, status: result.status };
  }

  /**
   * Applies a provider's verified final word on a refund (its refund notification or query):
   * pending → succeeded | failed, once. Returns false when the refund was no longer pending.
   */
  async applyRefundResult(refundNo: string, status: 'succeeded' | 'failed', providerRefundId: string | null = null): Promise<boolean> {
    const res = await this.ds.getRepository(Refund).update({ refundNo, status: 'pending' }, { status, ...(providerRefundId ? { providerRefundId } : {}) });
    return !!res.affected;
  }

  /**
   * Stores the provider's answer to a refund request. A refund notification may already have settled
   * the refund (providers can notify before the request returns): the status then stays as it is.
   */
  private async recordProviderAnswer(refundId: number, result: { providerRefundId: string; status: RefundStatus }): Promise<void> {
    const repo = this.ds.getRepository(Refund);
    await repo.update({ id: refundId }, { providerRefundId: result.providerRefundId });
    await repo.update({ id: refundId, status: 'pending' }, { status: result.status });
  }

  async paymentByNo(paymentNo: string): Promise<Payment> {
    const p = await this.ds.getRepository(Payment).findOneBy({ paymentNo });
    if (!p) throw new NotFoundError('payment', paymentNo);
    return p;
  }

  private async refundLatePayment(paymentNo: string): Promise<void> {
    const payment = await this.paymentByNo(paymentNo);
    this.logger.warn(`Payment ${paymentNo} arrived after its order closed; refunding ${payment.amount} fen`);
    const refund = await this.ds.getRepository(Refund).save(this.ds.getRepository(Refund).create({ refundNo: businessNumber('R'), orderId: payment.orderId, paymentId: payment.id, amount: payment.amount, status: 'pending', reason: 'paid after order closed', providerRefundId: null }));
    const result = await this.provider(payment.provider).refund({ refundNo: refund.refundNo, paymentNo, providerTransactionId: payment.providerTransactionId, amount: payment.amount, totalAmount: payment.amount, reason: 'paid after order closed' });
    await this.recordProviderAnswer(refund.id, result);
  }
}
