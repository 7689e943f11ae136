import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { Setting } from '../settings/entities/setting.entity.js';
import type { LocalizedText, PluginAdminMenuEntry, PluginCheckoutOption, PluginSettingsSchema } from './plugin-contract.js';
import { ENABLED_KEY, type EnabledSource, type LoadedPlugin, type PluginLoadResult } from './plugin-loader.js';
import { parseDependency } from './plugin-manifest.js';
import { PLUGIN_LOAD_RESULT, PluginSettingsStore } from './plugin-settings.store.js';
import { satisfies } from './semver.js';

export type DependencyStatus = 'ok' | 'missing' | 'disabled' | 'version_mismatch';

export interface PluginListItem {
  id: string;
  name: LocalizedText | null;
  description: LocalizedText | null;
  version: string | null;
  /** The core range the plugin supports. */
  core: string | null;
  compatible: boolean;
  /** On at the next start (env, mall.config.json or the admin decides; see `enabledSource`). */
  enabled: boolean;
  /** Running now. */
  active: boolean;
  /** The enabled set changed since start-up: restart to apply. */
  restartRequired: boolean;
  dependencies: Array<{ id: string; range: string; installedVersion: string | null; status: DependencyStatus }>;
  /** Enabled plugins that depend on this one. */
  dependents: string[];
  problems: string[];
  hasSettings: boolean;
  checkoutOptions: Record<string, PluginCheckoutOption>;
}

export interface PluginList {
  coreVersion: string;
  enabledSource: EnabledSource;
  /** True when the admin may enable and disable plugins (neither PLUGINS nor mall.config.json decides). */
  canToggle: boolean;
  items: PluginListItem[];
}

export interface PluginAdminMenuItem extends PluginAdminMenuEntry {
  pluginId: string;
}

/** What is installed and running, for the admin and for core code that asks (menus, plugin pages). */
@Injectable()
export class PluginRegistry {
  constructor(
    @Inject(PLUGIN_LOAD_RESULT) private readonly result: PluginLoadResult,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: PluginSettingsStore,
  ) {}

  get coreVersion(): string {
    return this.result.coreVersion;
  }

  get pluginsDir(): string {
    return this.result.pluginsDir;
  }

  /** Running plugins in dependency order. */
  active(): readonly LoadedPlugin[] {
    return this.result.loaded;
  }

  isActive(pluginId: string): boolean {
    return this.result.loaded.some((p) => p.id === pluginId);
  }

  loaded(pluginId: string): LoadedPlugin {
    const p = this.result.loaded.find((x) => x.id === pluginId);
    if (!p) throw new NotFoundError('active_plugin', pluginId);
    return p;
  }

  /** Admin menu entries of running plugins, sorted; core/admin renders them under "插件 / Plugins". */
  adminMenu(): PluginAdminMenuItem[] {
    return this.result.loaded
      .flatMap((p) => (p.definition.adminMenu ?? []).map((e) => ({ ...e, pluginId: p.id })))
      .sort((a, b) => (a.order ?? 1000) - (b.order ?? 1000) || a.pluginId.localeCompare(b.pluginId));
  }

  settingsSchema(pluginId: string): PluginSettingsSchema {
    return this.loaded(pluginId).manifest.settings ?? {};
  }

  /** The enabled set for the next start. */
  async nextEnabled(): Promise<string[]> {
    if (this.result.state.enabledSource !== 'database') return this.result.state.enabled;
    const row = await this.ds.getRepository(Setting).findOneBy({ key: ENABLED_KEY });
    try {
      const parsed = row ? (JSON.parse(row.value) as unknown) : [];
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  async list(): Promise<PluginList> {
    const enabled = await this.nextEnabled();
    const byId = new Map(this.result.installed.map((p) => [p.id, p]));
    const items = this.result.installed.map((p): PluginListItem => {
      const m = p.manifest;
      const active = this.isActive(p.id);
      const dependencies = (m?.dependsOn ?? []).map((entry) => {
        const dep = parseDependency(entry);
        const target = byId.get(dep.id);
        const installedVersion = target?.manifest?.version ?? null;
        const status: DependencyStatus = !target || !installedVersion ? 'missing' : !satisfies(installedVersion, dep.range) ? 'version_mismatch' : !enabled.includes(dep.id) ? 'disabled' : 'ok';
        return { id: dep.id, range: dep.range, installedVersion, status };
      });
      const compatible = !!m && satisfies(this.result.coreVersion, m.core);
      const problems = [...p.problems];
      if (m && !compatible) problems.push(`supports core "${m.core}", but core is ${this.result.coreVersion}`);
      for (const d of dependencies) if (d.status !== 'ok') problems.push(`dependency "${d.id}" ${d.range}: ${d.status.replace('_', ' ')}`);
      const isEnabled = enabled.includes(p.id);
      return {
        id: p.id, name: m?.name ?? null, description: m?.description ?? null, version: m?.version ?? null, core: m?.core ?? null, compatible,
        enabled: isEnabled, active, restartRequired: isEnabled !== active, dependencies,
        dependents: this.result.installed.filter((o) => enabled.includes(o.id) && (o.manifest?.dependsOn ?? []).some((e) => parseDependency(e).id === p.id)).map((o) => o.id),
        problems, hasSettings: Object.keys(m?.settings ?? {}).length > 0,
        checkoutOptions: active ? (this.loaded(p.id).definition.checkoutOptions ?? {}) : {},
      };
    });
    return { coreVersion: this.result.coreVersion, enabledSource: this.result.state.enabledSource, canToggle: this.result.state.enabledSource === 'database', items };
  }

  async item(pluginId: string): Promise<PluginListItem> {
    const item = (await this.list()).items.find((i) => i.id === pluginId);
    if (!item) throw new NotFoundError('plugin', pluginId);
    return item;
  }

  /**
   * Enables or disables a plugin for the next start (the admin's choice, kept in the setting table).
   * Refused when PLUGINS or mall.config.json decides, when enabling would leave a dependency off, or
   * when disabling would leave an enabled plugin without its dependency. Data is never dropped.
   */
  async setEnabled(pluginId: string, on: boolean): Promise<PluginListItem> {
    const source = this.result.state.enabledSource;
    if (source !== 'database') {
      throw new ConflictError('plugins_managed_externally', `The enabled plugins are set by ${source === 'env' ? 'the PLUGINS environment variable' : 'mall.config.json'}; change them there`);
    }
    const item = await this.item(pluginId);
    const current = await this.nextEnabled();
    if (on) {
      const broken = item.dependencies.filter((d) => d.status === 'missing' || d.status === 'version_mismatch');
      if (!item.name || !item.compatible || broken.length) throw new ConflictError('plugin_not_loadable', `Plugin "${pluginId}" cannot be enabled: ${item.problems.join('; ')}`);
      const off = item.dependencies.filter((d) => d.status === 'disabled').map((d) => d.id);
      if (off.length) throw new ConflictError('dependency_disabled', `Plugin "${pluginId}" depends on ${off.map((d) => `"${d}"`).join(', ')}: enable ${off.length > 1 ? 'them' : 'it'} first`);
    } else if (item.dependents.length) {
      throw new ConflictError('plugin_required', `Plugin "${pluginId}" is needed by ${item.dependents.map((d) => `"${d}"`).join(', ')}: disable ${item.dependents.length > 1 ? 'them' : 'it'} first`);
    }
    const next = on ? [...new Set([...current, pluginId])] : current.filter((id) => id !== pluginId);
    await this.settings.upsert(ENABLED_KEY, JSON.stringify(next.sort()));
    return this.item(pluginId);
  }
}
