import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { Setting } from '../settings/entities/setting.entity.js';
import type { JsonValue, PluginSettings, PluginSettingsValues } from './plugin-contract.js';
import { settingsKey, validatePluginSettings, type LoadedPlugin, type PluginLoadResult } from './plugin-loader.js';
import { mergeSettings } from './plugin-manifest.js';

export const PLUGIN_LOAD_RESULT = Symbol('PLUGIN_LOAD_RESULT');

/** How long an instance trusts its cached settings before re-reading the setting table. */
const FRESH_MS = 3000;

interface CacheEntry {
  values: PluginSettingsValues;
  loadedAt: number;
  refreshing: Promise<void> | null;
}

/**
 * Settings of the running plugins: defaults ← admin (setting table) ← mall.config.json. The instance
 * that saves sees the change at once; the others re-read within FRESH_MS, so no restart is needed.
 */
@Injectable()
export class PluginSettingsStore {
  private readonly logger = new Logger('PluginSettings');
  private readonly cache = new Map<string, CacheEntry>();
  private readonly plugins = new Map<string, LoadedPlugin>();

  constructor(@Inject(PLUGIN_LOAD_RESULT) private readonly result: PluginLoadResult, @InjectDataSource() private readonly ds: DataSource) {
    for (const p of result.loaded) {
      this.plugins.set(p.id, p);
      this.cache.set(p.id, { values: p.settings, loadedAt: Date.now(), refreshing: null });
    }
  }

  /** The accessor injected into plugins as PluginSettings<S>. */
  accessor<S extends object>(pluginId: string): PluginSettings<S> {
    this.plugin(pluginId);
    return {
      pluginId,
      get: async () => (await this.get(pluginId)) as unknown as Readonly<S>,
      current: () => this.current(pluginId) as unknown as Readonly<S>,
    };
  }

  async get(pluginId: string): Promise<PluginSettingsValues> {
    const entry = this.entry(pluginId);
    if (Date.now() - entry.loadedAt > FRESH_MS) await this.refresh(pluginId);
    return this.entry(pluginId).values;
  }

  current(pluginId: string): PluginSettingsValues {
    const entry = this.entry(pluginId);
    if (Date.now() - entry.loadedAt > FRESH_MS) void this.refresh(pluginId);
    return entry.values;
  }

  /** Keys fixed by mall.config.json (the admin form shows them read-only). */
  lockedKeys(pluginId: string): string[] {
    return Object.keys(this.result.state.fileSettings[pluginId] ?? {});
  }

  /** Values saved in the admin, as stored. */
  async saved(pluginId: string): Promise<Record<string, JsonValue>> {
    const row = await this.ds.getRepository(Setting).findOneBy({ key: settingsKey(pluginId) });
    if (!row) return {};
    try {
      const parsed = JSON.parse(row.value) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, JsonValue>) : {};
    } catch {
      return {};
    }
  }

  /**
   * Saves admin values (a partial update: keys not given keep their saved value). Unknown keys and
   * keys fixed by mall.config.json are refused; the merged result must pass the plugin's validation.
   */
  async save(pluginId: string, input: Record<string, JsonValue>): Promise<PluginSettingsValues> {
    const p = this.plugin(pluginId);
    const schema = p.manifest.settings ?? {};
    const locked = this.lockedKeys(pluginId);
    for (const key of Object.keys(input)) {
      if (!(key in schema)) throw new BadInputError(`settings.${key}`, `"${key}" is not a setting of plugin ${pluginId}`, 'unknown_setting');
      if (locked.includes(key)) throw new ConflictError('setting_locked', `"${key}" is set in mall.config.json and cannot be changed in the admin`, `settings.${key}`);
    }
    const saved = { ...(await this.saved(pluginId)), ...input };
    for (const key of Object.keys(saved)) if (!(key in schema)) delete saved[key];
    const merged = mergeSettings(schema, saved, this.result.state.fileSettings[pluginId]);
    const problems = validatePluginSettings(p.manifest, p.definition, merged.values);
    if (problems.length) {
      const field = Object.keys(schema).find((k) => problems[0].startsWith(k)) ?? 'settings';
      throw new BadInputError(`settings.${field}`, `Plugin "${pluginId}": ${problems.join('; ')}`, 'invalid_settings');
    }
    await this.upsert(settingsKey(pluginId), JSON.stringify(saved));
    this.cache.set(pluginId, { values: merged.values, loadedAt: Date.now(), refreshing: null });
    return merged.values;
  }

  private async refresh(pluginId: string): Promise<void> {
    const entry = this.entry(pluginId);
    if (entry.refreshing) return entry.refreshing;
    entry.refreshing = (async () => {
      try {
        const p = this.plugin(pluginId);
        const merged = mergeSettings(p.manifest.settings ?? {}, await this.saved(pluginId), this.result.state.fileSettings[pluginId]);
        const problems = validatePluginSettings(p.manifest, p.definition, merged.values);
        if (problems.length) this.logger.error(`Plugin "${pluginId}": saved settings are invalid, keeping the previous ones: ${problems.join('; ')}`);
        else entry.values = merged.values;
      } catch (err) {
        this.logger.error(`Plugin "${pluginId}": reading settings failed: ${(err as Error).message}`);
      } finally {
        entry.loadedAt = Date.now();
        entry.refreshing = null;
      }
    })();
    return entry.refreshing;
  }

  private plugin(pluginId: string): LoadedPlugin {
    const p = this.plugins.get(pluginId);
    if (!p) throw new NotFoundError('active_plugin', pluginId);
    return p;
  }

  private entry(pluginId: string): CacheEntry {
    this.plugin(pluginId);
    return this.cache.get(pluginId)!;
  }

  async upsert(key: string, value: string): Promise<void> {
    const repo = this.ds.getRepository(Setting);
    const res = await repo.update({ key }, { value });
    if (res.affected) return;
    try {
      await repo.insert({ key, value });
    } catch (err) {
      if (!(err instanceof QueryFailedError)) throw err;
      await repo.update({ key }, { value }); // another instance inserted it first
    }
  }
}
