import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { OrderModule } from '../order/order.module.js';
import { ThemeModule } from '../theme/theme.module.js';
import { AdminModule } from '../admin/admin.module.js';
import { EventsJobs } from '../events/events-jobs.js';
import { pluginSettingsToken } from './plugin-contract.js';
import type { PluginLoadResult } from './plugin-loader.js';
import { PluginAdminPages, PluginHost, PluginPages } from './plugin-host.service.js';
import { PluginRegistry } from './plugin-registry.js';
import { PLUGIN_LOAD_RESULT, PluginSettingsStore } from './plugin-settings.store.js';
import { PluginAdminViews } from './plugin-admin.views.js';
import { PluginsAdminController, PluginsController } from './plugins.controller.js';

/**
 * The plugin host inside Nest: global, so every plugin module can inject PluginSettings (by token),
 * PluginPages and PluginRegistry without importing anything. Also runs the event-retry job.
 */
@Module({})
export class PluginHostModule {
  static register(result: PluginLoadResult): DynamicModule {
    const settingsProviders: Provider[] = result.loaded.map((p) => ({
      provide: pluginSettingsToken(p.id),
      useFactory: (store: PluginSettingsStore) => store.accessor(p.id),
      inject: [PluginSettingsStore],
    }));
    const exported = [PluginRegistry, PluginSettingsStore, PluginPages, PluginAdminPages, ...settingsProviders.map((p) => (p as { provide: string }).provide)];
    return {
      module: PluginHostModule,
      global: true,
      imports: [OrderModule, ThemeModule, AdminModule],
      controllers: [PluginsController, PluginsAdminController],
      providers: [{ provide: PLUGIN_LOAD_RESULT, useValue: result }, PluginRegistry, PluginSettingsStore, PluginHost, PluginPages, PluginAdminPages, PluginAdminViews, EventsJobs, ...settingsProviders],
      // re-exported so plugin modules can use AdminOnly() (core's AdminGuard and AdminHtmlFilter need AdminSession and AdminViews)
      exports: [...exported, AdminModule],
    };
  }

  /** The Nest modules to add to AppModule: the host first, then each plugin's module in dependency order. */
  static modulesFor(result: PluginLoadResult): Array<Type<unknown> | DynamicModule> {
    return [PluginHostModule.register(result), ...result.loaded.flatMap((p) => (p.definition.module ? [p.definition.module] : []))];
  }
}
