/**
 * Domain events and their payloads. Plugins add their own event types by declaration merging:
 *
 *   declare module '../../core/events/domain-events.js' {
 *     interface DomainEventMap { 'group-buy.formed': { teamId: number } }
 *   }
 */
export interface DomainEventMap {
  'order.placed': { orderId: number; orderNo: string; memberId: number; payableTotal: number };
  'order.paid': { orderId: number; orderNo: string; memberId: number; paidTotal: number; paymentNo: string };
  'order.shipped': { orderId: number; orderNo: string; memberId: number; carrier: string; trackingNo: string };
  'order.completed': { orderId: number; orderNo: string; memberId: number };
  'order.closed': { orderId: number; orderNo: string; memberId: number; reason: string };
  /** `lines`: the amount refunded per line (absent on events published before it existed: treat as whole lines). `amount` may include shipping. */
  'order.refunded': { orderId: number; orderNo: string; memberId: number; refundNo: string; amount: number; lineIds: number[]; lines?: Array<{ lineId: number; amount: number }> };
  'member.created': { memberId: number; openid: string; source: string };
}

export type DomainEventType = keyof DomainEventMap;

export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  id: number;
  type: T;
  payload: DomainEventMap[T];
  occurredAt: Date;
}

/** A durable subscriber: called after commit, retried until it succeeds, so it must be idempotent. */
export interface EventSubscriber<T extends DomainEventType = DomainEventType> {
  /** Unique and stable across releases: deliveries are tracked under this name. */
  readonly name: string;
  readonly events: readonly T[];
  handle(event: DomainEvent<T>): Promise<void>;
}

/**
 * Runs inside the publishing transaction, in ascending `order`. Throwing rolls the whole change back
 * (use a DomainError to give the caller a clear 4xx). Keep it short: it holds the transaction open.
 */
export interface TransactionalEventHook<T extends DomainEventType = DomainEventType> {
  readonly name: string;
  readonly events: readonly T[];
  readonly order?: number;
  handle(event: Omit<DomainEvent<T>, 'id'>, tx: import('../database/transaction.js').TxContext): Promise<void>;
}
