import { Injectable } from '@nestjs/common';
import { ConflictError } from '../common/errors.js';
import type { TxContext } from '../database/transaction.js';
import { EventBus } from '../events/event-bus.service.js';
import { Order } from './entities/order.entity.js';
import { OrderHistory } from './entities/order-history.entity.js';
import { canTransition, type OrderStatus } from './order-status.js';

export interface TransitionRequest {
  order: Order;
  from: OrderStatus;
  to: OrderStatus;
  /** "member:12", "admin:1", "system:job", "payment:sandbox". */
  actor: string;
  tx: TxContext;
}

/**
 * An order-process hook may refuse or delay a transition, e.g. a group-buy order that may not ship
 * before its group forms. Hooks run in ascending `order` inside the transaction; throw a DomainError
 * (409 with a code) to refuse.
 */
export interface OrderTransitionHook {
  readonly name: string;
  readonly order?: number;
  beforeTransition(request: TransitionRequest): Promise<void>;
}

/** The only way an order's status changes: legal transitions, hooks, history, one winner under races. */
@Injectable()
export class OrderProcess {
  private readonly hooks: OrderTransitionHook[] = [];

  constructor(private readonly events: EventBus) {}

  addHook(hook: OrderTransitionHook): void {
    this.hooks.push(hook);
    this.hooks.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  }

  /**
   * Moves `order` to `to` inside `tx`, setting `patch` fields too. The UPDATE is conditional on the
   * status read, so of two concurrent attempts exactly one succeeds; the other gets 409.
   */
  async transition(tx: TxContext, order: Order, to: OrderStatus, actor: string, patch: Partial<Order> = {}, note = ''): Promise<Order> {
    const from = order.status;
    if (!canTransition(from, to)) {
      throw new ConflictError('illegal_transition', `order ${order.orderNo} is ${from} and cannot become ${to}`);
    }
    for (const hook of this.hooks) await hook.beforeTransition({ order, from, to, actor, tx });
    const result = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set({ ...patch, status: to })
      .where('id = :id AND status = :from', { id: order.id, from })
      .execute();
    if (!result.affected) throw new ConflictError('order_changed', `order ${order.orderNo} was changed by someone else; reload and try again`);
    await tx.manager.insert(OrderHistory, { orderId: order.id, fromStatus: from, toStatus: to, actor, note: note.slice(0, 255) });
    Object.assign(order, patch, { status: to });
    return order;
  }

  async recordCreated(tx: TxContext, order: Order, actor: string): Promise<void> {
    await tx.manager.insert(OrderHistory, { orderId: order.id, fromStatus: null, toStatus: order.status, actor, note: '' });
  }

  get eventBus(): EventBus {
    return this.events;
  }
}
