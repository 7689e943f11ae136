import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobRun } from './entities/job-run.entity.js';

export interface ScheduledJob {
  /** Unique, stable name, e.g. "core:close-unpaid-orders" or "coupons:expire". */
  readonly name: string;
  /** Tick length. One instance runs each tick: the first to insert the (name, tick) row. */
  readonly everySeconds: number;
  run(): Promise<void>;
}

/**
 * Runs registered jobs on an interval on every instance; a unique row per (job, tick) decides which
 * instance does the work, so a tick runs once however many instances share the database.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, ScheduledJob>();
  readonly instanceId = randomUUID();
  private started = false;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(job: ScheduledJob): void {
    if (this.jobs.has(job.name)) throw new Error(`Job "${job.name}" is registered twice`);
    if (!(job.everySeconds >= 1)) throw new Error(`Job "${job.name}" needs everySeconds ≥ 1`);
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job);
  }

  list(): ScheduledJob[] {
    return [...this.jobs.values()];
  }

  onApplicationBootstrap(): void {
    if (!this.jobs.has('core:prune-job-runs')) {
      this.register({ name: 'core:prune-job-runs', everySeconds: 3600, run: () => this.pruneRuns().then(() => undefined) });
    }
    if (!this.config.jobsEnabled) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  /** Stop scheduling, and let ticks under way finish before modules (the database) shut down. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.registry.getIntervals()) if (name.startsWith('job:')) this.registry.deleteInterval(name);
    await Promise.allSettled([...this.running]);
  }

  /**
   * Claims and runs one tick of a job. Returns false when another instance already claimed it.
   * `at` is for tests; ticks are aligned to the epoch so every instance computes the same key.
   */
  async runTick(name: string, at: Date = new Date()): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Unknown job "${name}"`);
    const tick = String(Math.floor(at.getTime() / (job.everySeconds * 1000)));
    const repo = this.dataSource.getRepository(JobRun);
    // unique (job_name, tick): the instance whose row goes in owns the tick
    await repo.createQueryBuilder().insert().into(JobRun).values({ jobName: name, tick, instanceId: this.instanceId, finishedAt: null, error: null }).orIgnore().updateEntity(false).execute();
    const owner = await repo.findOneBy({ jobName: name, tick });
    if (owner?.instanceId !== this.instanceId) return false;
    try {
      await job.run();
      await repo.update({ jobName: name, tick }, { finishedAt: new Date() });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.error(`Job ${name} tick ${tick} failed: ${message}`);
      await repo.update({ jobName: name, tick }, { finishedAt: new Date(), error: message.slice(0, 500) });
    }
    return true;
  }

  /** Tick rows only matter while a tick is current; keep two days for diagnosis (a 5 s job writes ~17,000 a day). */
  async pruneRuns(olderThanMs = 2 * 86_400_000): Promise<number> {
    const res = await this.dataSource.getRepository(JobRun).createQueryBuilder().delete().where('created_at < :cutoff', { cutoff: new Date(Date.now() - olderThanMs) }).execute();
    return res.affected ?? 0;
  }

  private schedule(job: ScheduledJob): void {
    const handle = setInterval(() => {
      const tick = this.runTick(job.name).catch((e: unknown) => this.logger.error(String(e))).finally(() => this.running.delete(tick));
      this.running.add(tick);
    }, job.everySeconds * 1000);
    handle.unref();
    this.registry.addInterval(`job:${job.name}`, handle);
  }
}
