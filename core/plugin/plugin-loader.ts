import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource, Like } from 'typeorm';
import type { AppConfig, DatabaseConfig } from '../config/app-config.js';
import { fromRoot, PROJECT_ROOT } from '../common/paths.js';
import { buildDataSourceOptions } from '../database/data-source.js';
import type { MigrationGroup } from '../database/migration-runner.js';
import { Setting } from '../settings/entities/setting.entity.js';
import { isPluginDefinition, type EntityClass, type JsonValue, type PluginDefinition, type PluginManifest, type PluginSettingsValues } from './plugin-contract.js';
import { manifestProblems, mergeSettings, parseDependency, settingsProblems } from './plugin-manifest.js';
import { satisfies } from './semver.js';

/** Setting-table keys used by the plugin host. */
export const ENABLED_KEY = 'plugins.enabled';
export const settingsKey = (pluginId: string): string => `plugins.settings.${pluginId}`;

/** Start-up stops with this error; every line names the plugin and the problem. */
export class PluginLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `Plugins cannot start:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PluginLoadError';
  }
}

/** A folder of the plugins directory, with its manifest when it could be read. */
export interface DiscoveredPlugin {
  id: string;
  dir: string;
  manifest: PluginManifest | null;
  /** Manifest problems (empty when valid). */
  problems: string[];
}

export type EnabledSource = 'env' | 'config-file' | 'database';

/** Which plugins this installation wants on, and their settings, from env / mall.config.json / the setting table. */
export interface PluginInstallState {
  enabledSource: EnabledSource;
  enabled: string[];
  fileSettings: Record<string, Record<string, JsonValue>>;
  databaseSettings: Record<string, Record<string, JsonValue>>;
  /** The set saved in the admin (may differ from `enabled` when env or the file decides). */
  databaseEnabled: string[];
}

export interface LoadedPlugin {
  id: string;
  dir: string;
  manifest: PluginManifest;
  definition: PluginDefinition<object>;
  /** Effective settings at start-up. */
  settings: PluginSettingsValues;
}

export interface PluginLoadResult {
  coreVersion: string;
  pluginsDir: string;
  installed: DiscoveredPlugin[];
  state: PluginInstallState;
  /** Enabled plugins in dependency order (dependencies first). */
  loaded: LoadedPlugin[];
}

let cachedCoreVersion: string | null = null;

/** The core version: package.json "version". */
export function coreVersion(): string {
  if (!cachedCoreVersion) cachedCoreVersion = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
  return cachedCoreVersion;
}

export function resolvePluginsDir(config: Pick<AppConfig, 'pluginsDir'>): string {
  return isAbsolute(config.pluginsDir) ? config.pluginsDir : fromRoot(config.pluginsDir);
}

/** Every folder of the plugins directory, with its manifest checked. */
export function discoverPlugins(pluginsDir: string): DiscoveredPlugin[] {
  if (!existsSync(pluginsDir)) return [];
  const out: DiscoveredPlugin[] = [];
  for (const name of readdirSync(pluginsDir).sort()) {
    const dir = join(pluginsDir, name);
    if (name.startsWith('.') || !statSync(dir).isDirectory()) continue;
    out.push(readPluginFolder(name, dir));
  }
  return out;
}

function readPluginFolder(id: string, dir: string): DiscoveredPlugin {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return { id, dir, manifest: null, problems: [`no manifest.json in ${dir}`] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { id, dir, manifest: null, problems: [`manifest.json is not valid JSON: ${(err as Error).message}`] };
  }
  const problems = manifestProblems(raw, id);
  return { id, dir, manifest: problems.length ? null : (raw as PluginManifest), problems };
}

interface ConfigFile {
  plugins?: Record<string, { enabled?: boolean; settings?: Record<string, JsonValue> }>;
}

function readConfigFile(path: string): ConfigFile | null {
  const file = resolve(path);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PluginLoadError([`${file} is not valid JSON: ${(err as Error).message}`]);
  }
  const problems: string[] = [];
  const obj = parsed as ConfigFile;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) problems.push(`${file} must hold a JSON object`);
  else if (obj.plugins !== undefined) {
    if (typeof obj.plugins !== 'object' || obj.plugins === null || Array.isArray(obj.plugins)) problems.push(`${file}: "plugins" must be an object keyed by plugin id`);
    else {
      for (const [id, entry] of Object.entries(obj.plugins)) {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) problems.push(`Plugin "${id}": ${file} must give {"enabled": true|false, "settings": {…}}`);
        else if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') problems.push(`Plugin "${id}": "enabled" in ${file} must be true or false`);
        else if (entry.settings !== undefined && (typeof entry.settings !== 'object' || entry.settings === null || Array.isArray(entry.settings))) {
          problems.push(`Plugin "${id}": "settings" in ${file} must be an object`);
        }
      }
    }
  }
  if (problems.length) throw new PluginLoadError(problems);
  return obj;
}

/** Plugin rows of the setting table, read through a short-lived connection (the table may not exist yet). */
async function readSettingRows(db: DatabaseConfig): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  let flavour: 'mysql' | 'mariadb' = 'mysql';
  if (db.kind === 'mysql') {
    const { createConnection } = await import('mysql2/promise');
    const conn = await createConnection(db.url);
    try {
      const [r] = await conn.query('SELECT VERSION() AS v');
      flavour = /mariadb/i.test(String((r as Array<{ v: string }>)[0]?.v)) ? 'mariadb' : 'mysql';
    } finally {
      await conn.end();
    }
  }
  const ds = new DataSource(buildDataSourceOptions(db, [Setting], flavour));
  await ds.initialize();
  try {
    const qr = ds.createQueryRunner();
    const hasTable = await qr.hasTable('setting').finally(() => qr.release());
    if (hasTable) for (const s of await ds.getRepository(Setting).find({ where: { key: Like('plugins.%') } })) rows.set(s.key, s.value);
  } finally {
    await ds.destroy();
  }
  return rows;
}

function parseJson<T>(raw: string | undefined, fallback: T): T {
  if (raw === undefined) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export async function readInstallState(config: AppConfig): Promise<PluginInstallState> {
  const file = readConfigFile(config.configFile);
  const rows = await readSettingRows(config.database);
  const databaseEnabled = parseJson<unknown>(rows.get(ENABLED_KEY), []);
  const dbEnabled = Array.isArray(databaseEnabled) ? databaseEnabled.filter((x): x is string => typeof x === 'string') : [];
  const databaseSettings: Record<string, Record<string, JsonValue>> = {};
  for (const [key, value] of rows) {
    if (!key.startsWith('plugins.settings.')) continue;
    const parsed = parseJson<unknown>(value, null);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) databaseSettings[key.slice('plugins.settings.'.length)] = parsed as Record<string, JsonValue>;
  }
  const fileSettings: Record<string, Record<string, JsonValue>> = {};
  for (const [id, entry] of Object.entries(file?.plugins ?? {})) if (entry.settings) fileSettings[id] = entry.settings;
  const fileDecides = Object.values(file?.plugins ?? {}).some((e) => typeof e.enabled === 'boolean');
  let enabledSource: EnabledSource = 'database';
  let enabled = dbEnabled;
  if (config.plugins !== undefined) {
    enabledSource = 'env';
    enabled = config.plugins;
  } else if (fileDecides) {
    enabledSource = 'config-file';
    enabled = Object.entries(file?.plugins ?? {}).filter(([, e]) => e.enabled === true).map(([id]) => id);
  }
  return { enabledSource, enabled: [...new Set(enabled)], fileSettings, databaseSettings, databaseEnabled: dbEnabled };
}

/**
 * Checks the enabled set against what is installed: manifests, core version, dependencies (installed,
 * enabled, in range) and cycles. Returns the enabled plugins in dependency order or throws a
 * PluginLoadError naming each plugin and its problem.
 */
export function resolveOrder(installed: DiscoveredPlugin[], enabled: string[], version: string, pluginsDir: string, source?: EnabledSource): Array<DiscoveredPlugin & { manifest: PluginManifest }> {
  const where = source === 'env' ? ' (enabled by PLUGINS)' : source === 'config-file' ? ' (enabled in mall.config.json)' : source === 'database' ? ' (enabled in the admin; reinstall it, or start with PLUGINS=… listing the plugins to run, which overrides the admin)' : '';
  const byId = new Map(installed.map((p) => [p.id, p]));
  const problems: string[] = [];
  const ok = new Map<string, DiscoveredPlugin & { manifest: PluginManifest }>();
  for (const id of enabled) {
    const p = byId.get(id);
    if (!p) {
      problems.push(`Plugin "${id}" is enabled but not installed: there is no folder ${join(pluginsDir, id)}${where}`);
      continue;
    }
    if (!p.manifest) {
      problems.push(`Plugin "${id}" has an invalid manifest (${join(p.dir, 'manifest.json')}): ${p.problems.join('; ')}`);
      continue;
    }
    if (!satisfies(version, p.manifest.core)) {
      problems.push(`Plugin "${id}" ${p.manifest.version} is incompatible with this core: it supports core "${p.manifest.core}", but core is ${version}`);
      continue;
    }
    ok.set(id, p as DiscoveredPlugin & { manifest: PluginManifest });
  }
  for (const p of ok.values()) {
    for (const entry of p.manifest.dependsOn ?? []) {
      const dep = parseDependency(entry);
      const target = byId.get(dep.id);
      if (!target) problems.push(`Plugin "${p.id}" depends on "${dep.id}", which is not installed (missing dependency)`);
      else if (!enabled.includes(dep.id)) problems.push(`Plugin "${p.id}" depends on "${dep.id}", which is not enabled (missing dependency): enable "${dep.id}" too`);
      else if (target.manifest && !satisfies(target.manifest.version, dep.range)) {
        problems.push(`Plugin "${p.id}" depends on "${dep.id}" ${dep.range}, but "${dep.id}" ${target.manifest.version} is installed`);
      }
    }
  }
  if (problems.length) throw new PluginLoadError(problems);

  // depth-first, dependencies first; ids in sorted order so the result is stable
  const order: Array<DiscoveredPlugin & { manifest: PluginManifest }> = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new PluginLoadError([`Plugin dependency cycle: ${cycle.map((c) => `"${c}"`).join(' → ')} (plugin "${id}" cannot load before itself)`]);
    }
    state.set(id, 'visiting');
    const p = ok.get(id)!;
    for (const entry of [...(p.manifest.dependsOn ?? [])].sort()) visit(parseDependency(entry).id, [...path, id]);
    state.set(id, 'done');
    order.push(p);
  };
  for (const id of [...ok.keys()].sort()) visit(id, []);
  return order;
}

/** Where the compiled index.js of a plugin folder is: dist/<folder relative to the project>/index.js, or next to the manifest. */
export function compiledEntry(dir: string): string | null {
  const rel = relative(PROJECT_ROOT, dir);
  const candidates = [
    ...(!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`dist${sep}`) ? [fromRoot('dist', rel, 'index.js')] : []),
    join(dir, 'index.js'),
    join(dir, 'dist', 'index.js'),
  ];
  return candidates.find((c) => existsSync(c)) ?? null;
}

export async function importDefinition(p: DiscoveredPlugin & { manifest: PluginManifest }): Promise<PluginDefinition<object>> {
  const file = compiledEntry(p.dir);
  if (!file) throw new PluginLoadError([`Plugin "${p.id}": compiled code not found (expected ${fromRoot('dist', relative(PROJECT_ROOT, p.dir), 'index.js')}; run npm run build)`]);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new PluginLoadError([`Plugin "${p.id}": loading ${file} failed: ${(err as Error).message}`]);
  }
  if (!isPluginDefinition(mod.default)) throw new PluginLoadError([`Plugin "${p.id}": index.ts must "export default definePlugin({...})"`]);
  if (mod.default.id !== p.id) throw new PluginLoadError([`Plugin "${p.id}": definePlugin({ id: "${mod.default.id}" }) does not match the manifest id "${p.id}"`]);
  return mod.default;
}

/** Validates a plugin's settings (schema, then its own validateSettings); returns problems. */
export function validatePluginSettings(manifest: PluginManifest, definition: PluginDefinition<object>, values: PluginSettingsValues): string[] {
  const problems = settingsProblems(manifest.settings ?? {}, values);
  if (!problems.length && definition.validateSettings) {
    try {
      problems.push(...definition.validateSettings(values));
    } catch (err) {
      problems.push(`validateSettings threw: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * Everything the app needs from plugins before Nest starts: which are enabled and installed, in
 * dependency order, with their definitions imported and their settings validated.
 */
export async function loadPlugins(config: AppConfig): Promise<PluginLoadResult> {
  const pluginsDir = resolvePluginsDir(config);
  const installed = discoverPlugins(pluginsDir);
  const state = await readInstallState(config);
  const version = coreVersion();
  const ordered = resolveOrder(installed, state.enabled, version, pluginsDir, state.enabledSource);
  const loaded: LoadedPlugin[] = [];
  for (const p of ordered) {
    const definition = await importDefinition(p);
    const merged = mergeSettings(p.manifest.settings ?? {}, state.databaseSettings[p.id], state.fileSettings[p.id]);
    const problems = [...merged.problems, ...validatePluginSettings(p.manifest, definition, merged.values)];
    if (problems.length) throw new PluginLoadError([`Plugin "${p.id}" has invalid settings: ${problems.join('; ')}`]);
    loaded.push({ id: p.id, dir: p.dir, manifest: p.manifest, definition, settings: merged.values });
  }
  return { coreVersion: version, pluginsDir, installed, state, loaded };
}

export function pluginEntities(result: Pick<PluginLoadResult, 'loaded'>): EntityClass[] {
  return result.loaded.flatMap((p) => p.definition.entities ?? []);
}

export function pluginMigrationGroups(result: Pick<PluginLoadResult, 'loaded'>): MigrationGroup[] {
  return result.loaded.filter((p) => p.definition.migrations?.length).map((p) => ({ group: p.id, migrations: p.definition.migrations ?? [] }));
}
