import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../jobs/job-scheduler.service.js';
import { EventBus } from './event-bus.service.js';

/**
 * Retries event deliveries that failed or were interrupted (a crash between commit and delivery):
 * every 5 s one instance drains what is due. Deliveries carry a lease, so a slow handler is never run
 * twice at once; failed ones back off exponentially and are marked dead after 10 attempts.
 */
@Injectable()
export class EventsJobs implements OnModuleInit {
  static readonly DRAIN_JOB = 'core:drain-events';

  constructor(private readonly jobs: JobScheduler, private readonly events: EventBus) {}

  onModuleInit(): void {
    this.jobs.register({ name: EventsJobs.DRAIN_JOB, everySeconds: 5, run: async () => { await this.events.drainDue(); } });
  }
}
