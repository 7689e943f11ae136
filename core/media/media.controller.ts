import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { BadInputError, NotFoundError } from '../common/errors.js';
import { MediaStorage } from './media-storage.service.js';

/**
 * GET /media/<path>: files from MEDIA_DIR. Paths that try to leave the folder are refused (400),
 * unknown or non-media files are 404. Responses carry an ETag and Last-Modified for revalidation
 * and are cached for a day (uploads get new names rather than being changed in place).
 * SVG is served with a locked-down CSP so a script inside an uploaded SVG cannot run on this origin.
 */
@ApiExcludeController()
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaStorage) {}

  @Get('*')
  async file(@Param('*') path: string | string[], @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const rel = Array.isArray(path) ? path.join('/') : String(path ?? '');
    if (rel === '') throw new NotFoundError('media', '/');
    if (MediaStorage.cleanPath(rel) === null) throw new BadInputError('path', 'invalid media path', 'invalid_path');
    const file = await this.media.find(rel);
    if (!file) throw new NotFoundError('media', rel);
    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtime.getTime() / 1000).toString(16)}"`;
    void reply
      .header('content-type', file.type)
      .header('cache-control', 'public, max-age=86400')
      .header('etag', etag)
      .header('last-modified', file.mtime.toUTCString());
    if (file.type === 'image/svg+xml') void reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((inm && inm.split(',').some((t) => t.trim() === etag)) || (!inm && ims && Date.parse(ims) >= Math.floor(file.mtime.getTime() / 1000) * 1000)) {
      void reply.status(304).send();
      return;
    }
    void reply.header('content-length', file.size).send(createReadStream(file.path));
  }
}
