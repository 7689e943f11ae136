import { Injectable } from '@nestjs/common';
import type { DomainEvent, EventSubscriber, TransactionalEventHook } from '../../../core/events/domain-events.js';
import type { TxContext } from '../../../core/database/transaction.js';
import type { ScheduledJob } from '../../../core/jobs/job-scheduler.service.js';
import { CommissionService } from './commission.service.js';
import { DistributorService } from './distributor.service.js';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { Commission } from '../entities/commission.entity.js';

/** Fixes an order's earners inside the order's own transaction, so a later rebinding cannot move them. */
@Injectable()
export class SnapshotEarnersHook implements TransactionalEventHook<'order.placed'> {
  readonly name = 'distribution:snapshot-earners';
  readonly events = ['order.placed'] as const;
  readonly order = 100;

  constructor(private readonly commissions: CommissionService) {}

  async handle(event: Omit<DomainEvent<'order.placed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.commissions.snapshot(tx, event.payload.orderId, event.payload.memberId);
  }
}

type CommissionEvents = 'order.paid' | 'order.completed' | 'order.refunded';

/** Drives commissions from order events; every step is idempotent, so redelivery is harmless. */
@Injectable()
export class CommissionSubscriber implements EventSubscriber<CommissionEvents> {
  readonly name = 'distribution:commissions';
  readonly events = ['order.paid', 'order.completed', 'order.refunded'] as const;

  constructor(private readonly commissions: CommissionService) {}

  async handle(event: DomainEvent<CommissionEvents>): Promise<void> {
    if (event.type === 'order.paid') await this.commissions.onPaid((event.payload as { orderId: number }).orderId);
    else if (event.type === 'order.completed') await this.commissions.onCompleted((event.payload as { orderId: number }).orderId, event.occurredAt);
    else {
      const p = event.payload as { orderId: number; lineIds: number[] };
      await this.commissions.onRefunded(p.orderId, p.lineIds);
    }
  }
}

/** After a completed order: spend-threshold enrolment of the buyer, level upgrades of those who earned. */
@Injectable()
export class EnrolmentSubscriber implements EventSubscriber<'order.completed'> {
  readonly name = 'distribution:enrolment';
  readonly events = ['order.completed'] as const;

  constructor(private readonly distributors: DistributorService, @InjectDataSource() private readonly ds: DataSource) {}

  async handle(event: DomainEvent<'order.completed'>): Promise<void> {
    await this.distributors.enrolBySpend(event.payload.memberId);
    const earners = await this.ds.getRepository(Commission).find({ select: { distributorMemberId: true }, where: { orderId: event.payload.orderId } });
    for (const id of new Set(earners.map((e) => e.distributorMemberId))) await this.distributors.upgradeLevel(id);
  }
}

/** Makes frozen commission available when the refund window has closed. */
@Injectable()
export class UnlockCommissionsJob implements ScheduledJob {
  readonly name = 'distribution:unlock-commissions';
  readonly everySeconds = 60;

  constructor(private readonly commissions: CommissionService) {}

  async run(): Promise<void> {
    await this.commissions.unlockDue();
  }
}
