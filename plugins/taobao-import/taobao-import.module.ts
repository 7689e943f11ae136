import { Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AdminSession } from '../../core/admin/admin-session.js';
import { CatalogModule } from '../../core/catalog/catalog.module.js';
import { MediaModule } from '../../core/media/media.module.js';
import type { ScheduledJob } from '../../core/plugin/index.js';
import { ImageStore } from './services/image-store.js';
import { ImportRunner } from './services/import-runner.service.js';
import { ImportService } from './services/import.service.js';
import { ImportSources } from './services/sources.service.js';
import { registerUploadRoute } from './services/upload-route.js';
import { TaobaoImportApiController, TaobaoImportPagesController } from './taobao-import.controllers.js';

/**
 * Every 15 s, on one instance: claim an import that is queued, or whose instance stopped renewing its
 * lease (crash, restart), and run it. A started import is also kicked at once on the instance that
 * received the start, so this tick is what makes imports survive restarts.
 */
@Injectable()
export class ResumeImportsJob implements ScheduledJob {
  readonly name = 'taobao-import:resume';
  readonly everySeconds = 15;
  constructor(private readonly runner: ImportRunner) {}
  async run(): Promise<void> {
    await this.runner.kick();
  }
}

@Module({
  imports: [CatalogModule, MediaModule],
  controllers: [TaobaoImportApiController, TaobaoImportPagesController],
  providers: [ImportSources, ImageStore, ImportRunner, ImportService, ResumeImportsJob],
  exports: [ImportService, ImportRunner, ImportSources],
})
export class TaobaoImportModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('TaobaoImport');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly session: AdminSession,
    private readonly imports: ImportService,
    private readonly sources: ImportSources,
  ) {}

  onModuleInit(): void {
    // the upload route needs its own body handling; see services/upload-route.ts
    registerUploadRoute(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), { session: this.session, imports: this.imports, sources: this.sources, logger: this.logger });
  }

  onApplicationBootstrap(): void {
    void this.imports.cleanWorkDir().catch((err: unknown) => this.logger.warn(`cleaning the work folder: ${(err as Error).message}`));
  }
}
