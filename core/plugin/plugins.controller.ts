import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/errors.js';
import type { JsonValue } from './plugin-contract.js';
import { AdminOnly } from './plugin-admin.guard.js';
import { PluginRegistry } from './plugin-registry.js';
import { PluginSettingsStore } from './plugin-settings.store.js';
import { PluginAdminViews } from './plugin-admin.views.js';

export class PluginSettingsInput {
  @ApiProperty({ description: 'Setting values by key (money in fen); keys not given keep their saved value', example: { tiers: [{ threshold: 19900, discount: 2000 }] } })
  @IsObject()
  settings: Record<string, JsonValue>;
}

/** Installed plugins, their state and settings (admin only). Enable/disable applies at the next start. */
@ApiTags('plugins (admin)')
@Controller('api/v1/plugins')
@AdminOnly()
export class PluginsController {
  constructor(private readonly registry: PluginRegistry, private readonly settings: PluginSettingsStore) {}

  @Get()
  list() {
    return this.registry.list();
  }

  @Get(':id')
  async detail(@Param('id') id: string) {
    const item = await this.registry.item(id);
    if (!item.active) return { ...item, settings: null };
    return { ...item, settings: { schema: this.registry.settingsSchema(id), values: await this.settings.get(id), saved: await this.settings.saved(id), locked: this.settings.lockedKeys(id) } };
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param('id') id: string) {
    return { ...(await this.registry.setEnabled(id, true)), message: 'Enabled: restart the mall to start the plugin' };
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id') id: string) {
    return { ...(await this.registry.setEnabled(id, false)), message: 'Disabled: restart the mall to stop the plugin. Its tables and data are kept.' };
  }

  @Put(':id/settings')
  async saveSettings(@Param('id') id: string, @Body() body: PluginSettingsInput) {
    if (!this.registry.isActive(id)) throw new NotFoundError('active_plugin', id);
    return { values: await this.settings.save(id, body.settings) };
  }
}

/** Admin pages: the plugin list (enable/disable) and each plugin's settings form, generated from its manifest. */
@Controller('admin/plugins')
@AdminOnly()
export class PluginsAdminController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly settings: PluginSettingsStore,
    private readonly views: PluginAdminViews,
  ) {}

  @Get()
  @ApiExcludeEndpoint()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.views.send(req, reply, { view: 'list' }, { title: '插件 Plugins', list: await this.registry.list() });
  }

  @Get('_assets/plugins-admin.js')
  @ApiExcludeEndpoint()
  script(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(this.views.script());
  }

  @Get(':id')
  @ApiExcludeEndpoint()
  async detail(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const item = await this.registry.item(id);
    const form = item.active ? this.views.settingsForm(this.registry.settingsSchema(id), await this.settings.get(id), this.settings.lockedKeys(id)) : [];
    await this.views.send(req, reply, { view: 'detail' }, { title: `${item.name?.['zh-CN'] ?? id} · 插件`, item, form });
  }
}
