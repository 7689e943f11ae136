import { Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InjectPluginSettings, type PluginSettings } from '../../../core/plugin/index.js';
import { FatalSourceError, type ImportSource } from '../model.js';
import { AssistantExportSource } from '../sources/csv/assistant-source.js';
import { HttpJsonItemUrlProvider, ItemUrlSource, type ItemUrlProvider } from '../sources/item-url/item-url-provider.js';
import { TopClient } from '../sources/top/top-client.js';
import { TopSource } from '../sources/top/top-source.js';
import type { TaobaoImport } from '../entities/taobao-import.entity.js';
import { PLUGIN_ID, type TaobaoImportSettings } from '../settings.js';

/**
 * Opens the source of an import from its row and the current settings. Item-URL providers other than
 * the built-in HTTP JSON one can be registered here by other modules (`registerProvider`).
 */
@Injectable()
export class ImportSources {
  private readonly providers = new Map<string, ItemUrlProvider>();

  constructor(@InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<TaobaoImportSettings>) {}

  /** Plugs in an in-process item-URL provider; it is used instead of the HTTP JSON endpoint. */
  registerProvider(provider: ItemUrlProvider): void {
    this.providers.set(provider.id, provider);
  }

  async workDir(importId?: number): Promise<string> {
    const root = resolve((await this.settings.get()).workDir);
    return importId === undefined ? root : join(root, String(importId));
  }

  async removeWork(importId: number): Promise<void> {
    await rm(await this.workDir(importId), { recursive: true, force: true });
  }

  async topClient(): Promise<TopClient> {
    const s = await this.settings.get();
    const missing = [!s.topAppKey && 'App Key', !s.topAppSecret && 'App Secret', !s.topSession && 'SessionKey'].filter(Boolean);
    if (missing.length) throw new FatalSourceError(`the TOP ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set: fill them in at 插件 → 淘宝商品搬家 (plugin settings)`, 'top_not_configured');
    return new TopClient({ gatewayUrl: s.topGatewayUrl, appKey: s.topAppKey, appSecret: s.topAppSecret, session: s.topSession, signMethod: s.topSignMethod, timeoutMs: s.downloadTimeoutSeconds * 1000, retryBaseMs: Number(process.env.TAOBAO_IMPORT_RETRY_MS ?? 1000) });
  }

  async provider(): Promise<ItemUrlProvider> {
    const custom = [...this.providers.values()][0];
    if (custom) return custom;
    const s = await this.settings.get();
    if (!s.itemUrlProviderUrl) throw new FatalSourceError('no item-URL provider is set: fill in its endpoint and key at 插件 → 淘宝商品搬家 (plugin settings)', 'provider_not_configured');
    return new HttpJsonItemUrlProvider(s.itemUrlProviderUrl, s.itemUrlProviderKey, s.downloadTimeoutSeconds * 1000);
  }

  async open(job: Pick<TaobaoImport, 'id' | 'source' | 'options'>): Promise<ImportSource> {
    const s = await this.settings.get();
    switch (job.source) {
      case 'csv':
        return AssistantExportSource.open(await this.workDir(job.id));
      case 'top':
        return new TopSource(await this.topClient(), { pageSize: job.options.pageSize ?? s.topPageSize, downloadTimeoutMs: s.downloadTimeoutSeconds * 1000 });
      case 'item-url':
        return new ItemUrlSource(job.options.urls ?? [], await this.provider(), s.downloadTimeoutSeconds * 1000);
    }
  }
}
