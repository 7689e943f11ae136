import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan, Or } from 'typeorm';
import type { TxContext } from '../database/transaction.js';
import { OutboxEvent } from './entities/outbox-event.entity.js';
import { EventDelivery } from './entities/event-delivery.entity.js';
import type { DomainEvent, DomainEventMap, DomainEventType, EventSubscriber, TransactionalEventHook } from './domain-events.js';

const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;

/**
 * Transactional outbox. `publish` writes the event and one delivery row per subscriber inside the
 * caller's transaction; after commit the deliveries are attempted right away (not awaited by the
 * request), and `drainDue` — run by a job on every instance — retries whatever failed or was
 * interrupted by a crash. A lease on each delivery keeps two instances from running it at once.
 */
@Injectable()
export class EventBus implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private readonly subscribers = new Map<string, EventSubscriber>();
  private readonly hooks: TransactionalEventHook[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private shuttingDown = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  subscribe(subscriber: EventSubscriber): void {
    if (this.subscribers.has(subscriber.name)) throw new Error(`Event subscriber "${subscriber.name}" is registered twice`);
    this.subscribers.set(subscriber.name, subscriber as EventSubscriber);
  }

  addTransactionalHook(hook: TransactionalEventHook): void {
    this.hooks.push(hook as TransactionalEventHook);
    this.hooks.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  }

  subscriberNames(): string[] {
    return [...this.subscribers.keys()];
  }

  async publish<T extends DomainEventType>(tx: TxContext, type: T, payload: DomainEventMap[T]): Promise<void> {
    const occurredAt = new Date();
    for (const hook of this.hooks) {
      if (hook.events.includes(type)) await hook.handle({ type, payload, occurredAt } as never, tx);
    }
    const targets = [...this.subscribers.values()].filter((s) => s.events.includes(type));
    if (!targets.length) return;
    const event = await tx.manager.save(OutboxEvent, tx.manager.create(OutboxEvent, { type, payload: JSON.stringify(payload) }));
    const deliveries = await tx.manager.save(
      EventDelivery,
      targets.map((s) => tx.manager.create(EventDelivery, { eventId: event.id, subscriber: s.name, status: 'pending', attempts: 0, nextAttemptAt: occurredAt, lockedUntil: null, lastError: null })),
    );
    tx.afterCommit(() => {
      if (this.shuttingDown) return;
      const p = this.deliverMany(deliveries.map((d) => d.id)).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    });
  }

  /** Retries every delivery that is due. Returns how many were attempted. */
  async drainDue(limit = 100): Promise<number> {
    const repo = this.dataSource.getRepository(EventDelivery);
    const now = new Date();
    const due = await repo.find({
      select: { id: true },
      where: { status: 'pending', nextAttemptAt: LessThan(new Date(now.getTime() + 1)), lockedUntil: Or(IsNull(), LessThan(now)) },
      order: { id: 'ASC' },
      take: limit,
    });
    await this.deliverMany(due.map((d) => d.id));
    return due.length;
  }

  /** Waits for deliveries started after recent commits (tests and graceful shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Before any module shuts down (TypeORM closes the database in its own shutdown hook), let deliveries under way finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.settle();
  }

  private async deliverMany(ids: number[]): Promise<void> {
    for (const id of ids) await this.deliverOne(id);
  }

  private async deliverOne(id: number): Promise<void> {
    const repo = this.dataSource.getRepository(EventDelivery);
    const now = new Date();
    const claimed = await repo
      .createQueryBuilder()
      .update(EventDelivery)
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS) })
      .where('id = :id AND status = :status', { id, status: 'pending' })
      .andWhere('(locked_until IS NULL OR locked_until < :now)', { now })
      .execute();
    if (!claimed.affected) return;
    const delivery = await repo.findOneByOrFail({ id });
    const subscriber = this.subscribers.get(delivery.subscriber);
    const row = await this.dataSource.getRepository(OutboxEvent).findOneBy({ id: delivery.eventId });
    if (!subscriber || !row) {
      // A disabled plugin's subscriber: keep the delivery for when it is enabled again.
      await repo.update({ id }, { lockedUntil: null, nextAttemptAt: new Date(now.getTime() + 3600_000) });
      return;
    }
    const event: DomainEvent = { id: row.id, type: row.type as DomainEventType, payload: JSON.parse(row.payload) as DomainEventMap[DomainEventType], occurredAt: row.createdAt };
    try {
      await subscriber.handle(event);
      await repo.update({ id }, { status: 'done', attempts: delivery.attempts + 1, lockedUntil: null, lastError: null });
    } catch (err) {
      const attempts = delivery.attempts + 1;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const backoffMs = Math.min(3600_000, 2 ** attempts * 1000);
      this.logger.warn(`Subscriber ${delivery.subscriber} failed on event ${row.type}#${row.id} (attempt ${attempts}): ${message}`);
      await repo.update(
        { id },
        { status: attempts >= MAX_ATTEMPTS ? 'dead' : 'pending', attempts, lockedUntil: null, lastError: message, nextAttemptAt: new Date(Date.now() + backoffMs) },
      );
    }
  }

  /** Deliveries by status, for admin and tests. */
  async countByStatus(subscriber?: string): Promise<Record<string, number>> {
    const rows = await this.dataSource.getRepository(EventDelivery).find({ where: subscriber ? { subscriber: In([subscriber]) } : {} });
    const out: Record<string, number> = { pending: 0, done: 0, dead: 0 };
    for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  }
}
