import type { EntityList } from '../database/data-source.js';
import type { MigrationGroup } from '../database/migration-runner.js';
import type { SchemaTarget } from '../database/schema-collector.js';

export async function loadPluginsForSchema(pluginId: string): Promise<{ entities: EntityList; groups: MigrationGroup[]; target: SchemaTarget }> {
  throw new Error(`Plugin migrations for "${pluginId}" need the plugin host, which is not built yet`);
}
