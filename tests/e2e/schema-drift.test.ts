import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { pendingSchemaChanges } from '../../core/database/schema-drift.js';
import { MigrationRunner } from '../../core/database/migration-runner.js';
import { coreMigrationGroups } from '../../core/app/create-app.js';

describe('migrations and entities agree (schema drift)', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('the migrated schema needs no change to match the entities', async () => {
    const pending = await pendingSchemaChanges(t.ds);
    assert.deepEqual(pending.up, [], `entities differ from migrations; run npm run migration:generate. Pending SQL:\n${pending.up.join('\n')}`);
  });

  it('running the migrations again applies nothing', async () => {
    assert.deepEqual(await new MigrationRunner(t.ds).run(coreMigrationGroups()), []);
  });

  it('every core table has created_at and updated_at', async () => {
    for (const meta of t.ds.entityMetadatas) {
      const columns = meta.columns.map((c) => c.databaseName);
      assert.ok(columns.includes('created_at') && columns.includes('updated_at'), `${meta.tableName} lacks timestamps`);
    }
  });
});
