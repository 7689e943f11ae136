import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../tests/support/test-app.js';
import { createTestDatabase } from '../../../tests/support/test-db.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { TaobaoImport } from '../entities/taobao-import.entity.js';
import { TaobaoImportRow } from '../entities/taobao-import-row.entity.js';
import { TaobaoProductLink } from '../entities/taobao-product-link.entity.js';
import { ImportRunner } from '../services/import-runner.service.js';
import { ImportService } from '../services/import.service.js';
import { sampleShop, writeAssistantZip } from '../testing/fixtures.js';
import { upload, workspace } from './helpers.js';

describe('an import survives its instance', () => {
  const ws = workspace({ leaseSeconds: 10 });
  const apps: TestApp[] = [];
  let drop: (() => Promise<void>) | null = null;
  after(async () => {
    for (const a of apps) await a.close().catch(() => undefined);
    await drop?.();
    ws.remove();
  });

  it('resumes on another instance from the last committed row after the first one is killed, without duplicates; two instances never run one import', async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    const first = await startTestApp({ db: created.db, env: ws.env });
    const headers = await adminHeaders(first);
    const zip = join(ws.dir, 'shop.zip');
    writeAssistantZip(zip, sampleShop(130, { picturesPerItem: 1 }));
    const res = await upload(first, headers, 'shop.zip', readFileSync(zip)).expect(201);
    const id = res.body.import.id as number;
    const jobs = first.ds.getRepository(TaobaoImport);
    await jobs.update({ id }, { status: 'queued' });

    // the first instance commits 60 rows, writes 3 more products without committing them, and dies holding its lease
    const runner1 = first.get(ImportRunner);
    assert.equal(await runner1.runNow(id, { stopAfterRows: 60, crashAfterUncommitted: 3 }), true);
    let job = await jobs.findOneByOrFail({ id });
    assert.deepEqual([job.status, job.position, job.leaseOwner], ['running', 60, runner1.instanceId]);
    assert.ok(job.leaseUntil!.getTime() > Date.now());
    assert.equal(await first.ds.getRepository(Product).count(), 63, 'three products written after the last commit');
    assert.equal(await first.ds.getRepository(TaobaoImportRow).count({ where: { importId: id } }), 60);
    await first.app.close(); // no graceful hand-over: the lease stays until it runs out

    const second = await startTestApp({ db: created.db, env: ws.env });
    apps.push(second);
    const runner2 = second.get(ImportRunner);
    assert.deepEqual(await runner2.kick(), [], 'the lease of the dead instance still holds');
    assert.deepEqual(await runner2.kick({ now: new Date(Date.now() + 11_000) }), [id], 'claimed once the lease ran out');
    await runner2.idle();

    job = await second.ds.getRepository(TaobaoImport).findOneByOrFail({ id });
    assert.equal(job.status, 'done', job.error ?? '');
    assert.equal(job.position, 130);
    assert.deepEqual([job.createdCount, job.updatedCount, job.skippedCount, job.failedCount], [127, 3, 0, 0], 'the 3 uncommitted rows found their products again');
    assert.equal(job.leaseOwner, null);
    assert.equal(await second.ds.getRepository(Product).count(), 130, 'no duplicates');
    assert.equal(await second.ds.getRepository(TaobaoProductLink).count(), 130);
    const rows = await second.ds.getRepository(TaobaoImportRow).find({ where: { importId: id }, select: { rowNo: true } });
    assert.equal(rows.length, 130);
    assert.equal(new Set(rows.map((r) => r.rowNo)).size, 130, 'one result per row');

    // two live instances, one queued import: exactly one of them claims it
    const third = await startTestApp({ db: created.db, env: ws.env });
    apps.push(third);
    writeAssistantZip(zip, sampleShop(5, { startNumId: 640000000001, picturesPerItem: 0 }));
    const again = await upload(second, await adminHeaders(second), 'small.zip', readFileSync(zip)).expect(201);
    const id2 = again.body.import.id as number;
    await second.ds.getRepository(TaobaoImport).update({ id: id2 }, { status: 'queued' });
    const claims = await Promise.all([runner2.kick(), third.get(ImportRunner).kick()]);
    assert.deepEqual(claims.map((c) => c.length).sort(), [0, 1], JSON.stringify(claims));
    await Promise.all([runner2.idle(), third.get(ImportRunner).idle()]);
    assert.equal((await third.get(ImportService).view(id2)).status, 'done');
  });
});
