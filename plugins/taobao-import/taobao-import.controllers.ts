import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AdminOnly, PluginAdminPages } from '../../core/plugin/index.js';
import type { AdminRequest } from '../../core/admin/admin-session.js';
import type { RowOutcome } from './entities/taobao-import-row.entity.js';
import { ImportService } from './services/import.service.js';
import { UPLOAD_PATH } from './services/upload-route.js';
import { PLUGIN_ID } from './settings.js';

export class StartImportInput {
  @ApiPropertyOptional({ enum: ['as-taobao', 'listed', 'unlisted'], description: 'listing of new products (default: the plugin setting)' })
  @IsOptional() @IsIn(['as-taobao', 'listed', 'unlisted'])
  listing?: 'as-taobao' | 'listed' | 'unlisted';

  @ApiPropertyOptional({ description: 'category for items whose Taobao categories are not mapped; null for none' })
  @IsOptional() @IsInt() @Min(1)
  defaultCategoryId?: number | null;
}

export class TopImportInput {
  @ApiPropertyOptional({ description: 'items per page of taobao.items.onsale.get (default: the plugin setting)' })
  @IsOptional() @IsInt() @Min(1) @Max(200)
  pageSize?: number;
}

export class ItemUrlImportInput {
  @ApiProperty({ type: [String], example: ['https://item.taobao.com/item.htm?id=600000000001'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(500, { each: true })
  urls: string[];
}

export class CategoryMappingItem {
  @ApiProperty({ enum: ['cid', 'shop'] }) @IsIn(['cid', 'shop'])
  kind: 'cid' | 'shop';

  @ApiProperty({ example: '50010850' }) @IsString() @Matches(/^\d{1,20}$/, { message: 'taobaoId must be a Taobao category id (digits)' })
  taobaoId: string;

  @ApiPropertyOptional({ description: 'our category id; null removes the mapping' })
  @IsOptional() @IsInt() @Min(1)
  categoryId?: number | null;

  @ApiPropertyOptional({ description: 'create a category with this name and map to it' })
  @IsOptional() @IsString() @Length(1, 64)
  createName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  name?: string;
}

export class SaveMappingsInput {
  @ApiProperty({ type: [CategoryMappingItem] })
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => CategoryMappingItem)
  mappings: CategoryMappingItem[];
}

export class RowsQuery {
  @ApiPropertyOptional({ enum: ['created', 'updated', 'skipped', 'failed'] })
  @IsOptional() @IsIn(['created', 'updated', 'skipped', 'failed'])
  outcome?: RowOutcome;

  @ApiPropertyOptional({ description: 'only rows with problems (skipped, failed, or imported with warnings)' })
  @IsOptional() @Transform(({ value }) => value === true || value === 'true' || value === '1') @IsBoolean()
  problems?: boolean;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  pageSize?: number;
}

export class ResultsQuery {
  @ApiPropertyOptional({ description: '1: every row; default: only rows with problems' })
  @IsOptional() @IsIn(['0', '1'])
  all?: string;
}

/**
 * JSON API of the import (admin session + x-csrf-token on writes). The upload itself is
 * POST /admin/taobao-import/upload (raw body; see services/upload-route.ts).
 */
@ApiTags('taobao-import (admin)')
@Controller('api/v1/admin/taobao-import')
@AdminOnly()
export class TaobaoImportApiController {
  constructor(private readonly imports: ImportService) {}

  @Get('imports')
  async list() {
    return { items: await this.imports.list(), uploadUrl: UPLOAD_PATH };
  }

  @Get('imports/:id')
  view(@Param('id', ParseIntPipe) id: number) {
    return this.imports.view(id);
  }

  @Get('imports/:id/preview')
  async preview(@Param('id', ParseIntPipe) id: number) {
    return { preview: await this.imports.previewOf(id) };
  }

  @Get('imports/:id/rows')
  rows(@Param('id', ParseIntPipe) id: number, @Query() q: RowsQuery) {
    return this.imports.rows(id, q);
  }

  @Get('imports/:id/results.csv')
  async results(@Param('id', ParseIntPipe) id: number, @Query() q: ResultsQuery, @Res() reply: FastifyReply) {
    await this.imports.find(id);
    const stream = Readable.from(this.imports.resultsCsv(id, q.all === '1'));
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="taobao-import-${id}-${q.all === '1' ? 'all' : 'problems'}.csv"`)
      .send(stream);
  }

  @Post('imports/top')
  async top(@Req() req: FastifyRequest, @Body() body: TopImportInput) {
    const created = await this.imports.createTop(body, (req as AdminRequest).adminUser?.id ?? null);
    return { import: created.view, preview: created.preview };
  }

  @Post('imports/item-urls')
  async itemUrls(@Req() req: FastifyRequest, @Body() body: ItemUrlImportInput) {
    const created = await this.imports.createFromUrls(body.urls, (req as AdminRequest).adminUser?.id ?? null);
    return { import: created.view, preview: created.preview };
  }

  @Post('imports/:id/start')
  @HttpCode(200)
  start(@Param('id', ParseIntPipe) id: number, @Body() body: StartImportInput) {
    return this.imports.start(id, body);
  }

  @Post('imports/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id', ParseIntPipe) id: number) {
    return this.imports.cancel(id);
  }

  @Post('imports/:id/resume')
  @HttpCode(200)
  resume(@Param('id', ParseIntPipe) id: number) {
    return this.imports.resume(id);
  }

  @Get('categories')
  categories() {
    return this.imports.categoryMappings();
  }

  @Put('categories')
  async saveCategories(@Body() body: SaveMappingsInput) {
    return { mappings: await this.imports.saveMappings(body.mappings) };
  }
}

/** The back-office pages: imports with upload / TOP / URL forms, and one import's preview, mapping, progress and results. */
@Controller('admin/taobao-import')
@AdminOnly()
export class TaobaoImportPagesController {
  constructor(private readonly imports: ImportService, private readonly pages: PluginAdminPages) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const items = await this.imports.list();
    await this.pages.render(req, reply, PLUGIN_ID, 'admin-imports', { title: '淘宝商品搬家 Taobao import', items, uploadUrl: UPLOAD_PATH });
  }

  @Get(':id')
  async detail(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const job = await this.imports.view(id);
    const preview = await this.imports.previewOf(id);
    const { mappings, categories } = await this.imports.categoryMappings();
    const mapOf = new Map(mappings.map((m) => [`${m.kind}:${m.taobaoId}`, m]));
    const mapRows = (preview?.categories ?? []).map((c) => {
      const m = mapOf.get(`${c.kind}:${c.taobaoId}`);
      return { ...c, name: c.name || m?.name || '', categoryId: m?.categoryId ?? null, options: categories.map((o) => ({ ...o, selected: o.id === m?.categoryId })) };
    });
    const problems = job.status === 'draft' ? null : await this.imports.rows(id, { problems: true, pageSize: 50 });
    await this.pages.render(req, reply, PLUGIN_ID, 'admin-import', {
      title: `淘宝商品搬家 #${id}`, job, preview, mapRows, categories, problems,
      isDraft: job.status === 'draft', isRunning: job.status === 'queued' || job.status === 'running', isFailed: job.status === 'failed',
      defaultListing: job.options.listing ?? 'as-taobao',
    });
  }
}
