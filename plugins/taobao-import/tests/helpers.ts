import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { TestApp } from '../../../tests/support/test-app.js';
import type { ImportView } from '../services/import.service.js';

export type AdminHeaders = { cookie: string; 'x-csrf-token': string };

/** A temp folder with media/ and uploads/, and a mall.config.json setting the plugin's work folder (plus any other settings). */
export function workspace(settings: Record<string, unknown> = {}): { dir: string; media: string; uploads: string; configFile: string; env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tb-import-'));
  const media = join(dir, 'media');
  const uploads = join(dir, 'uploads');
  mkdirSync(media);
  const configFile = join(dir, 'mall.config.json');
  writeFileSync(configFile, JSON.stringify({ plugins: { 'taobao-import': { settings: { workDir: uploads, ...settings } } } }));
  return { dir, media, uploads, configFile, env: { PLUGINS: 'taobao-import', MALL_CONFIG: configFile, MEDIA_DIR: media }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function upload(t: TestApp, headers: AdminHeaders, fileName: string, body: Buffer): request.Test {
  return t.http().post(`/admin/taobao-import/upload?filename=${encodeURIComponent(fileName)}`).set(headers).set('content-type', 'application/octet-stream').send(body);
}

/** Polls the JSON API until the import leaves queued/running. */
export async function waitForImport(t: TestApp, headers: AdminHeaders, id: number, timeoutMs = 30_000): Promise<ImportView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http().get(`/api/v1/admin/taobao-import/imports/${id}`).set(headers).expect(200);
    const view = res.body as ImportView;
    if (view.status !== 'queued' && view.status !== 'running') return view;
    assert.ok(Date.now() < until, `import ${id} still ${view.status} after ${timeoutMs} ms (${view.done}/${view.total})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
