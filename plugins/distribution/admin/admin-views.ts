import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_DIR, AdminViews, type AdminLocale } from '../../../core/admin/admin-views.js';
import { AdminSession, type AdminRequest } from '../../../core/admin/admin-session.js';
import { coreHelpers } from '../../../core/theme/helpers.js';
import { PluginRegistry } from '../../../core/plugin/plugin-registry.js';
import { formatPercent, rateLabel } from './admin-forms.js';

/** Our own files, served by the pages controller under /admin/distribution/assets/. */
export const DIST_ASSETS: Record<string, string> = { 'distribution-admin.css': 'text/css; charset=utf-8', 'distribution-admin.js': 'text/javascript; charset=utf-8' };

export interface DistRenderOptions {
  title?: string;
  status?: number;
  /** Which distribution tab is highlighted. */
  tab?: string;
  /** The admin menu path (an adminMenu entry of index.ts) to highlight in the side navigation. */
  nav?: string;
}

/**
 * Renders the distribution back-office pages like core's admin pages: the body here (core's
 * helpers and partials, escaping on), then core's layout with its navigation, admin.css and admin.js
 * (AdminViews.renderHtml), the same locale choice (?lang=en, cookie) and CSRF token. Only the page
 * bodies (admin/views) and their strings (admin/locales, "dist.*" keys, falling back to core's
 * strings) are the plugin's own. Templates are compiled once and kept.
 */
@Injectable()
export class DistributionAdminViews {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly strings = new Map<AdminLocale, Record<string, string>>();
  private readonly assetHashes = new Map<string, string>();
  readonly dir: string;

  constructor(private readonly core: AdminViews, private readonly session: AdminSession, private readonly registry: PluginRegistry) {
    this.dir = join(registry.loaded('distribution').dir, 'admin');
    for (const locale of ['zh-CN', 'en'] as AdminLocale[]) {
      this.strings.set(locale, flatten(JSON.parse(readFileSync(join(this.dir, 'locales', `${locale}.json`), 'utf8')) as Record<string, unknown>));
    }
    for (const [k, fn] of Object.entries(coreHelpers())) this.hb.registerHelper(k, fn);
    const views = this;
    this.hb.registerHelper('t', function (key: unknown, ...rest: unknown[]) {
      const options = rest[rest.length - 1] as Handlebars.HelperOptions;
      const locale = (options.data as { locale?: AdminLocale }).locale ?? 'zh-CN';
      return views.translate(locale, String(key), options.hash as Record<string, unknown>);
    });
    this.hb.registerHelper('asset', (name: unknown) => this.core.assetUrl(String(name)));
    this.hb.registerHelper('distAsset', (name: unknown) => this.assetUrl(String(name)));
    this.hb.registerHelper('fieldError', (errors: unknown, name: unknown) => (errors && typeof errors === 'object' ? ((errors as Record<string, string>)[String(name)] ?? '') : ''));
    this.hb.registerHelper('hasError', (errors: unknown, name: unknown) => !!(errors && typeof errors === 'object' && (errors as Record<string, string>)[String(name)]));
    this.hb.registerHelper('str', (v: unknown) => (v === null || v === undefined ? '' : String(v)));
    /** {{rate level.rates.[0]}} → "10%" / "¥1.00/件" / "—" */
    this.hb.registerHelper('rate', (r: unknown) => rateLabel(r as never));
    this.hb.registerHelper('percent', (bp: unknown) => (typeof bp === 'number' ? formatPercent(bp) : ''));
    /** {{field "rates" @index "value"}} → "rates.0.value" */
    this.hb.registerHelper('fname', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a)).join('.'));
    this.hb.registerHelper('json', coreHelpers().json);
    /** First character of a name, for an avatar placeholder. */
    this.hb.registerHelper('initial', (v: unknown) => Array.from(String(v ?? '').trim())[0] ?? '#');
    for (const dir of [join(ADMIN_DIR, 'views', 'partials'), join(this.dir, 'views', 'partials')]) {
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) this.hb.registerPartial(file.slice(0, -4), readFileSync(join(dir, file), 'utf8'));
    }
  }

  translate(locale: AdminLocale, key: string, vars: Record<string, unknown> = {}): string {
    const own = this.strings.get(locale)?.[key] ?? this.strings.get('zh-CN')?.[key];
    if (own === undefined) return this.core.translate(locale, key, vars);
    return own.replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] === undefined ? `{${k}}` : String(vars[k])));
  }

  has(locale: AdminLocale, key: string): boolean {
    return this.strings.get(locale)?.[key] !== undefined;
  }

  translator(req: FastifyRequest): (key: string, vars?: Record<string, unknown>) => string {
    const locale = this.core.locale(req);
    return (key, vars) => this.translate(locale, key, vars);
  }

  locale(req: FastifyRequest): AdminLocale {
    return this.core.locale(req);
  }

  assetUrl(name: string): string {
    let hash = this.assetHashes.get(name);
    if (hash === undefined) {
      const file = this.assetFile(name);
      hash = file ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10) : '';
      this.assetHashes.set(name, hash);
    }
    return `/admin/distribution/assets/${name}${hash ? `?v=${hash}` : ''}`;
  }

  assetFile(name: string): string | null {
    if (!DIST_ASSETS[name]) return null;
    const file = join(this.dir, 'assets', name);
    return existsSync(file) ? file : null;
  }

  /**
   * Renders admin/views/<view>.hbs and sends it inside core's admin layout (AdminViews.renderHtml: the
   * same navigation, language switch, CSS and admin.js as every admin page). `?ok=<key>` shows
   * dist.flash.<key>.
   */
  render(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, opts: DistRenderOptions = {}): void {
    const locale = this.core.locale(req, reply);
    const ok = (req.query as Record<string, unknown> | undefined)?.ok;
    const okKey = typeof ok === 'string' && /^[a-z_]{1,32}$/.test(ok) ? ok : '';
    const flash = okKey && this.has(locale, `dist.flash.${okKey}`) ? `dist.flash.${okKey}` : '';
    const admin = (req as AdminRequest).adminUser ?? null;
    const csrf = this.session.csrfToken(req);
    const root = { ...data, locale, csrf, tab: opts.tab ?? '', flash };
    const body = this.template(join(this.dir, 'views'), view)(root, { data: { locale } });
    const title = opts.title ? this.translate(locale, opts.title) : '';
    this.core.renderHtml(req, reply, body, { admin, csrf, title, nav: this.navKey(opts.nav), status: opts.status });
  }

  /**
   * The key core's layout highlights for one of our admin menu paths: the plugin host names the
   * plugin's first menu entry "plugin:<id>" and the others "plugin:<id>:<path>".
   */
  private navKey(path: string | undefined): string {
    const entries = this.registry.adminMenu().filter((e) => e.pluginId === 'distribution');
    const i = entries.findIndex((e) => e.path === path);
    if (i < 0) return '';
    return i === 0 ? 'plugin:distribution' : `plugin:distribution:${entries[i].path}`;
  }

  private template(dir: string, name: string): Handlebars.TemplateDelegate {
    const key = `${dir}/${name}`;
    let tpl = this.compiled.get(key);
    if (!tpl) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad view name ${name}`);
      tpl = this.hb.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'));
      this.compiled.set(key, tpl);
    }
    return tpl;
  }
}

function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}
