import type { EntityList } from './data-source.js';
import type { MigrationGroup } from './migration-runner.js';
import { CORE_ENTITIES } from './core-entities.js';
import { CORE_MIGRATIONS } from '../../migrations/index.js';

export interface SchemaTarget {
  /** Folder (from the project root) where the new migration file and its index.ts live. */
  dir: string;
  /** Relative import prefix from that folder back to the project root. */
  importBase: string;
}

/** Entities and migration groups that make up the schema for core, or for core plus one plugin. */
export async function collectSchema(pluginId?: string): Promise<{ entities: EntityList; groups: MigrationGroup[]; target: SchemaTarget }> {
  if (!pluginId) {
    return { entities: CORE_ENTITIES, groups: [{ group: 'core', migrations: CORE_MIGRATIONS }], target: { dir: 'migrations', importBase: '../' } };
  }
  const { loadPluginsForSchema } = await import('../plugin/plugin-schema.js');
  return loadPluginsForSchema(pluginId);
}
