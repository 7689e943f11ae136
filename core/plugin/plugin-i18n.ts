import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminViews } from '../admin/admin-views.js';
import { flattenLocale } from '../i18n/flatten-locale.js';
import { coreHelpers } from '../theme/helpers.js';
import { ThemeService } from '../theme/theme.service.js';
import { PluginAdminPages } from './plugin-host.service.js';
import { PluginRegistry } from './plugin-registry.js';

export type PluginLocale = 'zh-CN' | 'en';

/**
 * A plugin's strings (its locales/zh-CN.json and en.json) for text built outside its storefront
 * templates: page titles, and admin pages. Storefront templates use `{{<id>:t "key"}}` (registered by
 * the plugin host); an admin page is rendered here with the same helper name and the back office's
 * language (?lang=en, remembered in the admin's cookie), then placed in the admin layout through
 * PluginAdminPages (the plugin's templates/admin-shell.hbs, which outputs `{{html}}`).
 * A plugin extends this with its id: `class MyI18n extends PluginI18n { constructor(…) { super('my-id', …) } }`.
 */
export abstract class PluginI18n {
  private tables: Record<string, Record<string, string>> | null = null;
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(
    private readonly pluginId: string,
    private readonly registry: PluginRegistry, private readonly theme: ThemeService,
    private readonly adminViews: AdminViews, private readonly adminPages: PluginAdminPages,
  ) {
    for (const [name, fn] of Object.entries(coreHelpers())) this.hb.registerHelper(name, fn);
    const i18n = this;
    this.hb.registerHelper(`${pluginId}:t`, function (key: unknown, ...rest: unknown[]) {
      const options = rest[rest.length - 1] as Handlebars.HelperOptions;
      const locale = ((options.data as { locale?: PluginLocale } | undefined)?.locale ?? 'zh-CN') as PluginLocale;
      return i18n.t(locale, String(key), options.hash as Record<string, unknown>);
    });
  }

  /** Same lookup as `{{<id>:t "key" name=value}}`: the locale, then zh-CN, then the key itself. */
  t(locale: string, key: string, vars: Record<string, unknown> = {}): string {
    const tables = this.load();
    const text = tables[locale]?.[key] ?? tables['zh-CN']?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
  }

  /** The storefront page's language, decided as the theme decides it (?lang=, cookie, default). */
  pageLocale(req: FastifyRequest): PluginLocale {
    return this.theme.locale(req) as PluginLocale;
  }

  /** An admin page of templates/<name>.hbs in the admin's language; `title` is a locale key. */
  async renderAdmin(req: FastifyRequest, reply: FastifyReply, name: string, titleKey: string, data: Record<string, unknown>, titleVars: Record<string, unknown> = {}): Promise<void> {
    const locale = this.adminViews.locale(req, reply);
    const html = this.template(name)({ ...data, locale }, { data: { locale } });
    await this.adminPages.render(req, reply, this.pluginId, 'admin-shell', { title: this.t(locale, titleKey, titleVars), html: new Handlebars.SafeString(html) });
  }

  private template(name: string): Handlebars.TemplateDelegate {
    let tpl = this.compiled.get(name);
    if (!tpl) {
      tpl = this.hb.compile(readFileSync(join(this.registry.loaded(this.pluginId).dir, 'templates', `${name}.hbs`), 'utf8'));
      this.compiled.set(name, tpl);
    }
    return tpl;
  }

  private load(): Record<string, Record<string, string>> {
    if (!this.tables) {
      const dir = join(this.registry.loaded(this.pluginId).dir, 'locales');
      const tables: Record<string, Record<string, string>> = {};
      for (const locale of ['zh-CN', 'en']) {
        const file = join(dir, `${locale}.json`);
        if (existsSync(file)) tables[locale] = flattenLocale(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
      }
      this.tables = tables;
    }
    return this.tables;
  }
}
