import { relative, sep } from 'node:path';
import type { EntityList } from '../database/data-source.js';
import type { MigrationGroup } from '../database/migration-runner.js';
import type { SchemaTarget } from '../database/schema-collector.js';
import { CORE_ENTITIES } from '../database/core-entities.js';
import { CORE_MIGRATIONS } from '../../migrations/index.js';
import { PROJECT_ROOT } from '../common/paths.js';
import { loadConfig } from '../config/app-config.js';
import { coreVersion, discoverPlugins, importDefinition, pluginEntities, pluginMigrationGroups, resolveOrder, resolvePluginsDir, PluginLoadError, type LoadedPlugin } from './plugin-loader.js';
import { parseDependency } from './plugin-manifest.js';

/**
 * The schema for `npm run migration:generate -- <Name> --plugin <id>`: core's entities and migrations,
 * plus those of the plugin and of everything it depends on (dependencies first). The new migration
 * goes to plugins/<id>/migrations/ and is appended to that folder's index.ts.
 * PLUGINS_DIR selects another plugins folder (tests use tests/fixtures/plugins).
 */
export async function loadPluginsForSchema(pluginId: string): Promise<{ entities: EntityList; groups: MigrationGroup[]; target: SchemaTarget }> {
  const config = loadConfig({ ...process.env, PLUGINS: undefined });
  const pluginsDir = resolvePluginsDir(config);
  const installed = discoverPlugins(pluginsDir);
  if (!installed.some((p) => p.id === pluginId)) throw new PluginLoadError([`Plugin "${pluginId}" is not installed in ${pluginsDir}`]);
  // the plugin and its dependencies, transitively
  const wanted = new Set<string>();
  const visit = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const d of installed.find((p) => p.id === id)?.manifest?.dependsOn ?? []) visit(parseDependency(d).id);
  };
  visit(pluginId);
  const ordered = resolveOrder(installed, [...wanted], coreVersion(), pluginsDir);
  const loaded: LoadedPlugin[] = [];
  for (const p of ordered) loaded.push({ id: p.id, dir: p.dir, manifest: p.manifest, definition: await importDefinition(p), settings: {} });
  const target = loaded.find((p) => p.id === pluginId)!;
  const dir = relative(PROJECT_ROOT, target.dir).split(sep).join('/');
  if (dir.startsWith('..')) throw new PluginLoadError([`Plugin "${pluginId}": its folder ${target.dir} is outside the project, so migrations cannot be generated into it`]);
  const migrationsDir = `${dir}/migrations`;
  return {
    entities: [...CORE_ENTITIES, ...pluginEntities({ loaded })] as EntityList,
    groups: [{ group: 'core', migrations: CORE_MIGRATIONS }, ...pluginMigrationGroups({ loaded })],
    target: { dir: migrationsDir, importBase: '../'.repeat(migrationsDir.split('/').length) },
  };
}
