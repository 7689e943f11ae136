import type { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AdminSession } from '../../../core/admin/admin-session.js';
import { DomainError } from '../../../core/plugin/index.js';
import type { ImportService } from './import.service.js';
import type { ImportSources } from './sources.service.js';

export const UPLOAD_PATH = '/admin/taobao-import/upload';

/**
 * POST /admin/taobao-import/upload?filename=<name>: the raw bytes of the export (the zip, or the CSV)
 * as the request body, streamed to disk.
 *
 * Why not multipart, why not under /api: the application's bodyLimit is 1 MiB and JSON-only under
 * /api/ (core/app/create-app.ts, core/app/http-guards.ts), while an export with pictures is hundreds of
 * megabytes. This route lives in its own encapsulated Fastify context with a pass-through parser for
 * any content type, so no other route changes: the body is never buffered, only counted and written
 * to the work folder, up to the plugin's maxUploadMb. It checks the admin session and the CSRF token
 * (x-csrf-token) itself, exactly as AdminGuard does.
 */
export function registerUploadRoute(fastify: FastifyInstance, deps: { session: AdminSession; imports: ImportService; sources: ImportSources; logger: Logger }): void {
  void fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req: FastifyRequest, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) => done(null, payload));
    child.post(UPLOAD_PATH, async (req: FastifyRequest, reply: FastifyReply) => {
      const fail = (status: number, code: string, message: string) => reply.status(status).header('connection', status === 413 ? 'close' : 'keep-alive').send({ statusCode: status, code, message });
      const admin = await deps.session.current(req);
      if (!admin) return fail(401, 'admin_sign_in_required', 'Sign in to the admin first (POST /api/v1/admin/session)');
      if (!deps.session.csrfValid(req)) return fail(403, 'csrf_failed', 'The CSRF token is missing or wrong: reload the page and try again (send the x-csrf-token header)');
      const q = req.query as Record<string, unknown>;
      const fileName = String(q.filename ?? 'upload').replace(/[\\/\0-\x1f]/g, '_').slice(0, 200) || 'upload';
      if (!/\.(zip|csv)$/i.test(fileName)) return fail(400, 'unsupported_file', 'upload the .csv exported by 淘宝助理, or a .zip of the CSV with its picture folder');
      const { maxUploadMb } = await deps.sources.settings.get();
      const limit = maxUploadMb * 1024 * 1024;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) return fail(413, 'upload_too_large', `the file is larger than ${maxUploadMb} MB (plugin setting maxUploadMb)`);
      const body = req.body as IncomingMessage | undefined;
      if (!body || typeof body.pipe !== 'function') return fail(400, 'empty_upload', 'send the file as the request body');
      const root = await deps.sources.workDir();
      await mkdir(root, { recursive: true });
      const tmp = join(root, `tmp-${randomUUID()}`);
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > limit) cb(Object.assign(new Error('too large'), { code: 'TOO_LARGE' }));
          else cb(null, chunk);
        },
      });
      try {
        await pipeline(body, counter, createWriteStream(tmp));
      } catch (err) {
        await rm(tmp, { force: true });
        if ((err as { code?: string }).code === 'TOO_LARGE') return fail(413, 'upload_too_large', `the file is larger than ${maxUploadMb} MB (plugin setting maxUploadMb)`);
        return fail(400, 'upload_failed', `the upload did not complete: ${(err as Error).message}`);
      }
      if (size === 0) {
        await rm(tmp, { force: true });
        return fail(400, 'empty_upload', 'the file is empty');
      }
      try {
        const created = await deps.imports.createFromUpload(tmp, fileName, admin.id);
        return reply.status(201).send({ import: created.view, preview: created.preview });
      } catch (err) {
        await rm(tmp, { force: true });
        if (err instanceof DomainError) return reply.status(err.status).send({ statusCode: err.status, code: err.code, message: err.message, field: err.field });
        deps.logger.error(`upload ${fileName}: ${(err as Error).stack ?? String(err)}`);
        return fail(500, 'internal_error', 'the upload could not be processed');
      }
    });
  });
}
