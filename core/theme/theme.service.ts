import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HelperDelegate } from 'handlebars';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { fromRoot } from '../common/paths.js';
import { Setting } from '../settings/entities/setting.entity.js';
import { MemberSession } from '../auth/member-session.js';
import { ThemeEngine, LOCALES, type Locale } from './theme-engine.js';
import { SlotRegistry } from './slot-registry.js';
import { checkTheme, pluginsFromHelpers, ThemeInvalidError } from './theme-checker.js';

const ACTIVE_THEME_KEY = 'theme.active';
const settingsKey = (theme: string) => `theme.settings.${theme}`;
const RELOAD_MS = 5000;

/**
 * Holds the compiled active theme. The active theme and its settings live in the settings table;
 * every instance re-reads them every few seconds, so switching theme needs no restart.
 */
@Injectable()
export class ThemeService {
  private readonly logger = new Logger('Themes');
  private engine: ThemeEngine | null = null;
  private loadedKey = '';
  private checkedAt = 0;
  private readonly pluginHelpers: Record<string, HelperDelegate> = {};
  readonly themesDir = process.env.THEMES_DIR ?? fromRoot('themes');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly slots: SlotRegistry,
    private readonly session: MemberSession,
  ) {}

  /** Plugins add helpers under their own namespace: {{coupons:badge …}}. */
  registerHelper(pluginId: string, name: string, fn: HelperDelegate): void {
    this.pluginHelpers[`${pluginId}:${name}`] = fn;
    this.loadedKey = '';
  }

  helperNames(): string[] {
    return Object.keys(this.pluginHelpers);
  }

  async active(): Promise<ThemeEngine> {
    const now = Date.now();
    if (this.engine && now - this.checkedAt < RELOAD_MS) return this.engine;
    this.checkedAt = now;
    const repo = this.ds.getRepository(Setting);
    const active = (await repo.findOneBy({ key: ACTIVE_THEME_KEY }))?.value;
    const name = active ? (JSON.parse(active) as string) : this.config.themeName;
    const settingsRow = await repo.findOneBy({ key: settingsKey(name) });
    const key = `${name}|${settingsRow?.value ?? ''}|${Object.keys(this.pluginHelpers).join(',')}`;
    if (this.engine && key === this.loadedKey) return this.engine;
    try {
      this.engine = this.build(name, settingsRow ? (JSON.parse(settingsRow.value) as Record<string, unknown>) : {});
      this.loadedKey = key;
    } catch (err) {
      if (!this.engine) throw err;
      this.logger.error(`theme "${name}" failed to load, keeping "${this.engine.name}": ${(err as Error).message}`);
    }
    return this.engine;
  }

  build(name: string, overrides: Record<string, unknown>): ThemeEngine {
    const probe = new ThemeEngine(this.themesDir, name, {}, () => this.slots.all(), this.pluginHelpers);
    const settings: Record<string, unknown> = {};
    for (const layer of [...probe.chain].reverse()) {
      for (const [k, spec] of Object.entries(layer.manifest.settings ?? {})) settings[k] = spec.default;
    }
    Object.assign(settings, overrides);
    return new ThemeEngine(this.themesDir, name, settings, () => this.slots.all(), this.pluginHelpers);
  }

  /** Saves the active theme after running the theme checker: a theme with errors is refused (409 theme_invalid, with the report). */
  async setActive(name: string, settings?: Record<string, unknown>): Promise<void> {
    const report = checkTheme({ themesDir: this.themesDir, name, plugins: pluginsFromHelpers(this.helperNames()), extraSlots: [...new Set(this.slots.all().map((c) => c.slot))] });
    if (!report.ok) throw new ThemeInvalidError(report);
    await this.upsert(ACTIVE_THEME_KEY, JSON.stringify(name));
    if (settings) await this.upsert(settingsKey(name), JSON.stringify(settings));
    this.checkedAt = 0;
  }

  async activeName(): Promise<string> {
    return (await this.active()).name;
  }

  locale(req: FastifyRequest): Locale {
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    const cookie = (req as FastifyRequest & { cookies?: Record<string, string> }).cookies?.mall_lang;
    for (const candidate of [q, cookie]) if (typeof candidate === 'string' && (LOCALES as string[]).includes(candidate)) return candidate as Locale;
    return this.config.defaultLocale;
  }

  /** Renders a storefront page with the layout, the member and prepared slots. */
  async renderPage(req: FastifyRequest, reply: FastifyReply, templates: string[], data: Record<string, unknown>, status = 200, options: { fallbackFile?: string } = {}): Promise<void> {
    const engine = await this.active();
    const locale = this.locale(req);
    const member = await this.session.current(req);
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    if (typeof q === 'string' && (LOCALES as string[]).includes(q)) void reply.setCookie('mall_lang', q, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    const page = templates[templates.length - 1];
    const slots = await this.slots.prepare({ page, memberId: member?.id ?? null, locale, data });
    const html = engine.render({
      templates, locale, slots, fallbackFile: options.fallbackFile,
      data: { ...data, member: member ? { id: member.id, nickname: member.nickname, avatarUrl: member.avatarUrl } : null, path: req.url, sandbox: this.config.sandboxEnabled },
    });
    void reply.status(status).header('content-type', 'text/html; charset=utf-8').send(html);
  }

  /**
   * The storefront error page, rendered synchronously (for HttpExceptionFilter.renderHtmlError) with
   * the last loaded theme; a minimal plain page when no theme has been loaded yet or rendering fails.
   */
  renderError(req: FastifyRequest, body: { statusCode: number; code: string; message: string }): string {
    if (this.engine) {
      try {
        return this.engine.render({
          templates: ['error'], locale: this.locale(req),
          data: { statusCode: body.statusCode, code: body.code, message: body.message, member: null, path: req.url, sandbox: this.config.sandboxEnabled },
        });
      } catch (err) {
        this.logger.error(`error page failed to render: ${(err as Error).message}`);
      }
    }
    const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(body.statusCode)}</title></head>`
      + `<body style="font-family:sans-serif;text-align:center;padding:20vh 24px;color:#323233"><h1 style="font-size:20px">${esc(body.statusCode)}</h1><p>${esc(body.message)}</p><p><a href="/">首页 / Home</a></p></body></html>`;
  }

  private async upsert(key: string, value: string): Promise<void> {
    const repo = this.ds.getRepository(Setting);
    const existing = await repo.findOneBy({ key });
    if (existing) await repo.update({ id: existing.id }, { value });
    else await repo.insert({ key, value });
  }
}
