import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { fromRoot } from '../common/paths.js';
import { coreHelpers } from '../theme/helpers.js';
import type { AdminUser } from './entities/admin-user.entity.js';
import { flattenLocale } from '../i18n/flatten-locale.js';

export type AdminLocale = 'zh-CN' | 'en';
export const ADMIN_LOCALES: AdminLocale[] = ['zh-CN', 'en'];
const LANG_COOKIE = 'mall_admin_lang';

export const ADMIN_DIR = process.env.ADMIN_DIR ?? fromRoot('core/admin');
export const ADMIN_ASSETS: Record<string, string> = { 'admin.css': 'text/css; charset=utf-8', 'admin.js': 'text/javascript; charset=utf-8' };

/** An extra entry in the admin's left navigation (plugins add theirs). */
export interface AdminNavItem {
  /** Highlighted when a page renders with `nav: key`. */
  key: string;
  href: string;
  label: string | Partial<Record<AdminLocale, string>>;
}

export interface RenderOptions {
  /** Which nav entry is highlighted. */
  nav?: string;
  title?: string;
  admin?: AdminUser | null;
  csrf?: string;
  status?: number;
  /** Page without the navigation (login, errors for signed-out visitors). */
  bare?: boolean;
}

/**
 * The back office's own small view layer: handlebars templates in core/admin/views, compiled once
 * and kept, escaping on; strings from core/admin/locales (zh-CN by default, ?lang=en switches and
 * is remembered in a cookie). It never uses the storefront theme.
 */
@Injectable()
export class AdminViews {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly strings = new Map<AdminLocale, Record<string, string>>();
  private readonly assetHashes = new Map<string, string>();
  private readonly viewsDir = join(ADMIN_DIR, 'views');
  private readonly extraNav: AdminNavItem[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    for (const locale of ADMIN_LOCALES) this.strings.set(locale, flattenLocale(JSON.parse(readFileSync(join(ADMIN_DIR, 'locales', `${locale}.json`), 'utf8')) as Record<string, unknown>));
    for (const [k, fn] of Object.entries(coreHelpers())) this.hb.registerHelper(k, fn);
    const views = this;
    this.hb.registerHelper('t', function (key: unknown, ...rest: unknown[]) {
      const options = rest[rest.length - 1] as Handlebars.HelperOptions;
      const locale = (options.data as { locale?: AdminLocale }).locale ?? 'zh-CN';
      return views.translate(locale, String(key), options.hash as Record<string, unknown>);
    });
    this.hb.registerHelper('asset', (name: unknown) => this.assetUrl(String(name)));
    /** {{fieldError errors "variants.0.price"}} → the message, or '' */
    this.hb.registerHelper('fieldError', (errors: unknown, name: unknown) => (errors && typeof errors === 'object' ? ((errors as Record<string, string>)[String(name)] ?? '') : ''));
    this.hb.registerHelper('hasError', (errors: unknown, name: unknown) => !!(errors && typeof errors === 'object' && (errors as Record<string, string>)[String(name)]));
    this.hb.registerHelper('str', (v: unknown) => (v === null || v === undefined ? '' : String(v)));
    this.hb.registerHelper('grams', (g: unknown) => (typeof g === 'number' && g > 0 ? `${g} g` : ''));
    const partials = join(this.viewsDir, 'partials');
    if (existsSync(partials)) {
      for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) this.hb.registerPartial(file.slice(0, -4), readFileSync(join(partials, file), 'utf8'));
    }
  }

  /** Adds a navigation entry below the core ones (same href twice is ignored). */
  addNavItem(item: AdminNavItem): void {
    if (!/^\/admin\//.test(item.href)) throw new Error(`admin nav links must start with /admin/: ${item.href}`);
    if (!this.extraNav.some((n) => n.href === item.href)) this.extraNav.push(item);
  }

  /**
   * Renders already-built HTML inside the admin layout (for plugin pages). The caller is responsible
   * for escaping what it puts into `bodyHtml`.
   */
  renderHtml(req: FastifyRequest, reply: FastifyReply, bodyHtml: string, opts: RenderOptions = {}): void {
    this.render(req, reply, 'raw', { rawBody: new Handlebars.SafeString(bodyHtml) }, opts);
  }

  translate(locale: AdminLocale, key: string, vars: Record<string, unknown> = {}): string {
    const text = this.strings.get(locale)?.[key] ?? this.strings.get('zh-CN')?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] === undefined ? `{${k}}` : String(vars[k])));
  }

  translator(locale: AdminLocale): (key: string, vars?: Record<string, unknown>) => string {
    return (key, vars) => this.translate(locale, key, vars);
  }

  /** ?lang=… wins (and is remembered), then the cookie, then DEFAULT_LOCALE. */
  locale(req: FastifyRequest, reply?: FastifyReply): AdminLocale {
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    if (typeof q === 'string' && (ADMIN_LOCALES as string[]).includes(q)) {
      if (reply) void reply.setCookie(LANG_COOKIE, q, { path: '/admin', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
      return q as AdminLocale;
    }
    const c = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[LANG_COOKIE];
    if (c && (ADMIN_LOCALES as string[]).includes(c)) return c as AdminLocale;
    return this.config.defaultLocale;
  }

  assetUrl(name: string): string {
    let hash = this.assetHashes.get(name);
    if (hash === undefined) {
      const file = this.assetFile(name);
      hash = file ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10) : '';
      this.assetHashes.set(name, hash);
    }
    return `/admin/assets/${name}${hash ? `?v=${hash}` : ''}`;
  }

  assetFile(name: string): string | null {
    if (!ADMIN_ASSETS[name]) return null;
    const file = join(ADMIN_DIR, 'assets', name);
    return existsSync(file) ? file : null;
  }

  /** Renders views/<view>.hbs inside views/layout.hbs and sends it. */
  render(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, opts: RenderOptions = {}): void {
    const locale = this.locale(req, reply);
    const url = new URL(req.url, 'http://admin.local');
    url.searchParams.delete('lang');
    url.searchParams.delete('ok');
    const other = locale === 'en' ? 'zh-CN' : 'en';
    url.searchParams.set('lang', other);
    const flash = flashKey((req.query as Record<string, unknown> | undefined)?.ok);
    const root = {
      ...data,
      locale,
      csrf: opts.csrf ?? '',
      nav: opts.nav ?? '',
      title: opts.title ?? '',
      bare: opts.bare ?? !opts.admin,
      admin: opts.admin ? { id: opts.admin.id, email: opts.admin.email, role: opts.admin.role } : null,
      langUrl: `${url.pathname}${url.search}`,
      otherLang: other,
      flash: flash && this.strings.get(locale)?.[flash] ? flash : '',
      sandbox: this.config.sandboxEnabled,
      extraNav: this.extraNav.map((n) => ({ key: n.key, href: n.href, label: typeof n.label === 'string' ? n.label : (n.label[locale] ?? n.label['zh-CN'] ?? n.label.en ?? n.key) })),
    };
    const runtime = { data: { locale } };
    const body = this.template(view)(root, runtime);
    const html = this.template('layout')({ ...root, body: new Handlebars.SafeString(body) }, runtime);
    void reply.status(opts.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .send(html);
  }

  private template(name: string): Handlebars.TemplateDelegate {
    let tpl = this.compiled.get(name);
    if (!tpl) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad admin view name ${name}`);
      tpl = this.hb.compile(readFileSync(join(this.viewsDir, `${name}.hbs`), 'utf8'));
      this.compiled.set(name, tpl);
    }
    return tpl;
  }
}

/** ?ok=saved after a redirect shows "flash.saved"; only known keys. */
function flashKey(v: unknown): string {
  return typeof v === 'string' && /^[a-z_]{1,32}$/.test(v) ? `flash.${v}` : '';
}

