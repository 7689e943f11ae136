import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PluginPages } from '../../core/plugin/index.js';
import { ThemeService } from '../../core/theme/theme.service.js';
import { FlashSaleService } from './flash-sale.service.js';
import { FlashState } from './flash-state.js';

interface Entry {
  html: Buffer;
  etag: string;
  at: number;
}

/**
 * The /flash-sale page is the same for every visitor: it is rendered once per state — theme,
 * locale, sessions and items, each session's phase, the sold-out marks — as a signed-out visitor,
 * kept as an encoded Buffer, and sent to everyone (with an ETag and a short public max-age). What
 * is personal (signed in, units already bought, default address) and what moves every second
 * (stock, sold share) comes from two small JSON calls the page makes. Progress bars in the HTML are
 * refreshed at least every `pageCacheSeconds`; concurrent misses share one render.
 */
@Injectable()
export class FlashPageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly rendering = new Map<string, Promise<Entry>>();
  private stateKey = { at: 0, value: '' };
  /** The active theme's name as last seen by send() (re-read there every few seconds). */
  private themeName = '';
  /** Renders since start (tests and the benchmark read it). */
  renders = 0;

  constructor(private readonly pages: PluginPages, private readonly theme: ThemeService, private readonly flash: FlashSaleService, private readonly state: FlashState) {}

  async send(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const locale = this.theme.locale(req);
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    if (typeof lang === 'string' && lang === locale) void reply.setCookie('mall_lang', lang, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    const maxAgeMs = this.flash.settings.current().pageCacheSeconds * 1000;
    this.themeName = await this.theme.activeName();
    const key = `${this.themeName}|${locale}|${this.currentStateKey()}`;
    let entry = this.entries.get(key);
    const hit = !!entry && Date.now() - entry.at < maxAgeMs;
    if (!hit) entry = await this.render(key, locale);
    const seconds = Math.max(1, Math.floor(maxAgeMs / 1000));
    void reply.header('etag', entry!.etag).header('cache-control', typeof lang === 'string' ? 'private, no-cache' : `public, max-age=${seconds}`).header('x-flash-page', hit ? 'hit' : 'miss');
    if (req.headers['if-none-match'] === entry!.etag) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', 'text/html; charset=utf-8').send(entry!.html);
  }

  /**
   * From the Fastify onRequest hook: answers GET /flash-sale from the cache when a fresh rendering
   * for this visitor's locale and the current state is there (no routing, no Nest, no await). Returns
   * false to let the controller handle it (first visit, ?lang=, stale entry, theme not known yet).
   */
  tryFast(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.themeName) return false;
    const query = req.query as Record<string, unknown> | undefined;
    if (query && Object.keys(query).length) return false;
    const locale = this.theme.locale(req);
    const entry = this.entries.get(`${this.themeName}|${locale}|${this.currentStateKey()}`);
    const maxAgeMs = this.flash.settings.current().pageCacheSeconds * 1000;
    if (!entry || Date.now() - entry.at >= maxAgeMs) return false;
    void reply.header('etag', entry.etag).header('cache-control', `public, max-age=${Math.max(1, Math.floor(maxAgeMs / 1000))}`).header('x-flash-page', 'hit');
    if (req.headers['if-none-match'] === entry.etag) void reply.status(304).send();
    else void reply.status(200).header('content-type', 'text/html; charset=utf-8').send(entry.html);
    return true;
  }

  /** Computed at most every 200 ms: phases change on the second, the page's countdown does the rest. */
  private currentStateKey(): string {
    const now = Date.now();
    if (now - this.stateKey.at > 200) this.stateKey = { at: now, value: this.state.stateKey(new Date(now)) };
    return this.stateKey.value;
  }

  private render(key: string, locale: string): Promise<Entry> {
    const running = this.rendering.get(key);
    if (running) return running;
    const p = this.renderNow(locale).then((entry) => {
      this.entries.set(key, entry);
      for (const [k, e] of this.entries) if (Date.now() - e.at > 120_000) this.entries.delete(k);
      return entry;
    }).finally(() => this.rendering.delete(key));
    this.rendering.set(key, p);
    return p;
  }

  /** Renders through the theme exactly like any plugin page, as a signed-out visitor in `locale`. */
  private async renderNow(locale: string): Promise<Entry> {
    const now = new Date();
    const settings = await this.flash.settings.get();
    const sessions = await this.flash.sessions(now);
    const active = sessions.find((s) => s.phase === 'live') ?? sessions[0] ?? null;
    const data = {
      title: settings.pageTitle, sessions, activeSessionId: active?.id ?? null, renderedAt: now.toISOString(),
    };
    const visitor = { url: '/flash-sale', method: 'GET', headers: {}, query: {}, cookies: { mall_lang: locale }, member: null } as unknown as FastifyRequest;
    let body: unknown = '';
    const capture = {
      status() { return capture; },
      header() { return capture; },
      setCookie() { return capture; },
      send(payload: unknown) { body = payload; return capture; },
    } as unknown as FastifyReply;
    await this.pages.render(visitor, capture, 'flash-sale', 'flash-sale', data);
    this.renders++;
    const html = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
    return { html, etag: `"${createHash('sha1').update(html).digest('base64url').slice(0, 20)}"`, at: Date.now() };
  }
}
