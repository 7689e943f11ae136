import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { pendingSchemaChanges } from '../../core/database/schema-drift.js';
import { MigrationRunner } from '../../core/database/migration-runner.js';
import { coreMigrationGroups } from '../../core/app/create-app.js';
import { fromRoot } from '../../core/common/paths.js';

/** Every plugin shipped in plugins/ (each has a manifest.json). */
function allPlugins(): string[] {
  const dir = fromRoot('plugins');
  return readdirSync(dir).filter((id) => existsSync(fromRoot('plugins', id, 'manifest.json'))).sort();
}

describe('migrations and entities agree (schema drift)', () => {
  let core: TestApp;
  before(async () => { core = await startTestApp(); });
  after(() => core.close());

  it('core alone: the migrated schema needs no change to match the entities', async () => {
    const pending = await pendingSchemaChanges(core.ds);
    assert.deepEqual(pending.up, [], `entities differ from migrations; run npm run migration:generate. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('running the migrations again applies nothing', async () => {
    assert.deepEqual(await new MigrationRunner(core.ds).run(coreMigrationGroups()), []);
  });

  it('every table has created_at and updated_at', async () => {
    for (const meta of core.ds.entityMetadatas) {
      const columns = meta.columns.map((c) => c.databaseName);
      assert.ok(columns.includes('created_at') && columns.includes('updated_at'), `${meta.tableName} lacks timestamps`);
    }
  });

  it('with every plugin enabled: plugin migrations match plugin entities too', async () => {
    const t = await startTestApp({ env: { PLUGINS: allPlugins().join(',') } });
    try {
      const pending = await pendingSchemaChanges(t.ds);
      assert.deepEqual(pending.up, [], `a plugin's entities differ from its migrations; run npm run migration:generate -- <Name> --plugin <id>. Pending SQL:\n${pending.up.join('\n')}`);
      const groups = new Set((await new MigrationRunner(t.ds).appliedNames()).map((a) => a.group));
      for (const id of ['core', 'distribution']) assert.ok(groups.has(id), `${id} migrations recorded under their own group`);
    } finally {
      await t.close();
    }
  });
});
