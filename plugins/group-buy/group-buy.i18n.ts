import { Injectable } from '@nestjs/common';
import { PluginAdminPages, PluginI18n, PluginRegistry, type PluginLocale } from '../../core/plugin/index.js';
import { AdminViews } from '../../core/admin/admin-views.js';
import { ThemeService } from '../../core/theme/theme.service.js';

export const PLUGIN_ID = 'group-buy';
export type Locale = PluginLocale;

/** The group-buy plugin's strings for page titles and its admin pages (see PluginI18n). */
@Injectable()
export class GroupBuyI18n extends PluginI18n {
  constructor(registry: PluginRegistry, theme: ThemeService, adminViews: AdminViews, adminPages: PluginAdminPages) {
    super(PLUGIN_ID, registry, theme, adminViews, adminPages);
  }
}
