import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { NotFoundError } from '../common/errors.js';
import { ThemeService } from './theme.service.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.json': 'application/json',
};

/** Theme assets, resolved through the theme chain; hashed URLs are cached for a year. */
@ApiExcludeController()
@Controller('themes')
export class ThemeAssetsController {
  constructor(private readonly themes: ThemeService) {}

  @Get(':theme/assets/*')
  async asset(@Param('theme') theme: string, @Param('*') path: string | string[], @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const rel = Array.isArray(path) ? path.join('/') : path;
    const engine = await this.themes.active();
    const file = theme === engine.name ? engine.assetFile(rel) : null;
    const type = TYPES[extname(rel).toLowerCase()];
    if (!file || !type) throw new NotFoundError('asset', rel);
    const versioned = typeof (req.query as Record<string, unknown>).v === 'string';
    void reply.header('content-type', type).header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300').send(createReadStream(file));
  }
}
