import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyCookie from '@fastify/cookie';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { openDataSource } from '../database/data-source.js';
import { CORE_ENTITIES } from '../database/core-entities.js';
import { MigrationRunner, type MigrationGroup } from '../database/migration-runner.js';
import { CORE_MIGRATIONS } from '../../migrations/index.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { createValidationPipe } from '../common/validation.js';
import { AppModule } from './app.module.js';
import { AdminUsersService } from '../admin/admin-users.service.js';
import { registerHttpGuards } from './http-guards.js';
import { loadPlugins, pluginEntities, pluginMigrationGroups } from '../plugin/plugin-loader.js';
import { PluginHostModule } from '../plugin/plugin-host.module.js';

export interface CreateAppOptions {
  config?: AppConfig;
  /** Nest log levels; false silences Nest (tests). */
  logger?: LogLevel[] | false;
}

export interface MallApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** Set when the owner account was created with a generated password (printed once). */
  createdOwner?: { email: string; password?: string };
}

function logLevels(level: AppConfig['logLevel']): LogLevel[] {
  const all: LogLevel[] = ['error', 'warn', 'log', 'debug'];
  return all.slice(0, all.indexOf(level) + 1);
}

export function coreMigrationGroups(): MigrationGroup[] {
  return [{ group: 'core', migrations: CORE_MIGRATIONS }];
}

/** Builds the whole mall: database, migrations, Nest on Fastify, owner account. Used by main, tests and bench. */
export async function createApp(options: CreateAppOptions = {}): Promise<MallApp> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? logLevels(config.logLevel);
  if (logger) Logger.overrideLogger(logger);
  // Plugins are resolved before the database opens: their entities join the DataSource and their
  // migrations run after core's, in dependency order. Any plugin problem stops start-up here.
  const plugins = await loadPlugins(config);
  const dataSource = await openDataSource(config.database, [...CORE_ENTITIES, ...pluginEntities(plugins)]);
  try {
    if (config.migrationsRun) await new MigrationRunner(dataSource).run([...coreMigrationGroups(), ...pluginMigrationGroups(plugins)]);
    const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024, trustProxy: true, routerOptions: { maxParamLength: 200 } });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ config, dataSource, pluginModules: PluginHostModule.modulesFor(plugins) }), adapter, { logger, rawBody: true, abortOnError: false });
    await app.register(fastifyCookie as never);
    registerHttpGuards(app);
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new HttpExceptionFilter());
    app.enableShutdownHooks();
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('WeChat Mall API').setDescription('Storefront and admin REST API. Amounts are integer fen.').setVersion('1').build());
    SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const createdOwner = (await app.get(AdminUsersService).ensureOwner(config.adminEmail, config.adminPassword)) ?? undefined;
    return { app, config, dataSource, createdOwner };
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw err;
  }
}
