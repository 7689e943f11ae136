import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { collectFiles, findInChain, loadChain, type ThemeLayer } from './theme-chain.js';
import { coreHelpers, type HelperMap } from './helpers.js';
import type { SlotContribution } from './slot-registry.js';
import { flattenLocale } from '../i18n/flatten-locale.js';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

export interface RenderInput {
  /** Candidate template names, most specific first, e.g. ["product-red-mug", "product-cups", "product"]. */
  templates: string[];
  data: Record<string, unknown>;
  locale: Locale;
  /** Prepared slot data for this page. */
  slots?: Map<SlotContribution, Record<string, unknown>>;
  layout?: string;
  /** A template file used when the theme has none of `templates` (a plugin's own page template). */
  fallbackFile?: string;
}

type Template = Handlebars.TemplateDelegate;

/**
 * One active theme, compiled: templates, partials and layouts are compiled once on first use and
 * kept; a theme chain is [child, parent, …]. Escaping is on ({{x}} escapes, {{{x}}} must be chosen).
 */
export class ThemeEngine {
  readonly chain: ThemeLayer[];
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Template | null>();
  private readonly locales = new Map<Locale, Record<string, string>>();
  private readonly assetHashes = new Map<string, string>();
  private readonly slotTemplates = new Map<SlotContribution, Template>();

  constructor(
    themesDir: string,
    readonly name: string,
    private readonly settings: Record<string, unknown>,
    private readonly slotsProvider: () => readonly SlotContribution[],
    extraHelpers: HelperMap = {},
  ) {
    this.chain = loadChain(themesDir, name);
    for (const [k, fn] of Object.entries({ ...coreHelpers(), ...extraHelpers })) this.hb.registerHelper(k, fn);
    this.registerThemeHelpers();
    for (const [partialName, file] of collectFiles(this.chain, 'partials', '.hbs')) {
      this.hb.registerPartial(partialName, this.hb.compile(readFileSync(file, 'utf8')));
    }
    for (const locale of LOCALES) {
      const merged: Record<string, string> = {};
      for (const layer of [...this.chain].reverse()) {
        const found = findInChain([layer], `locales/${locale}.json`);
        if (found) Object.assign(merged, flattenLocale(JSON.parse(readFileSync(found.file, 'utf8')) as Record<string, unknown>));
      }
      this.locales.set(locale, merged);
    }
  }

  hasTemplate(name: string): boolean {
    return this.template(`templates/${name}.hbs`) !== null;
  }

  render(input: RenderInput): string {
    const name = input.templates.find((t) => this.hasTemplate(t));
    const page = name ? this.template(`templates/${name}.hbs`) : input.fallbackFile ? this.fileTemplate(input.fallbackFile) : null;
    if (!page) throw new Error(`theme "${this.name}" has none of the templates ${input.templates.join(', ')}`);
    const root = { ...input.data, theme: { name: this.name, settings: this.settings }, locale: input.locale, page: name ?? input.templates[0] };
    const runtime = { data: { locale: input.locale, slots: input.slots ?? new Map(), root } };
    const body = page(root, runtime);
    const layout = this.template(`layouts/${input.layout ?? 'main'}.hbs`);
    return layout ? layout({ ...root, body: new Handlebars.SafeString(body) }, runtime) : body;
  }

  translate(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
    const text = this.locales.get(locale)?.[key] ?? this.locales.get('zh-CN')?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] === undefined ? `{${k}}` : String(vars[k])));
  }

  /** URL of a theme asset with a content hash, resolved through the chain. */
  assetUrl(path: string): string {
    let hash = this.assetHashes.get(path);
    if (hash === undefined) {
      const found = findInChain(this.chain, `assets/${path}`);
      hash = found ? createHash('sha256').update(readFileSync(found.file)).digest('hex').slice(0, 10) : '';
      this.assetHashes.set(path, hash);
    }
    return `/themes/${this.name}/assets/${path}${hash ? `?v=${hash}` : ''}`;
  }

  assetFile(path: string): string | null {
    if (path.includes('..')) return null;
    return findInChain(this.chain, `assets/${path}`)?.file ?? null;
  }

  /** A template outside the theme (a plugin's page), compiled once with this theme's helpers and partials. */
  private fileTemplate(file: string): Template | null {
    const key = `file:${file}`;
    if (!this.compiled.has(key)) this.compiled.set(key, existsSync(file) ? this.hb.compile(readFileSync(file, 'utf8')) : null);
    return this.compiled.get(key) ?? null;
  }

  private template(rel: string): Template | null {
    if (!this.compiled.has(rel)) {
      const found = findInChain(this.chain, rel);
      this.compiled.set(rel, found ? this.hb.compile(readFileSync(found.file, 'utf8')) : null);
    }
    return this.compiled.get(rel) ?? null;
  }

  private registerThemeHelpers(): void {
    const engine = this;
    this.hb.registerHelper('t', function (this: unknown, key: string, ...rest: unknown[]) {
      const options = rest[rest.length - 1] as Handlebars.HelperOptions;
      const locale = (options.data as { locale: Locale }).locale;
      return engine.translate(locale, key, options.hash as Record<string, unknown>);
    });
    this.hb.registerHelper('asset', (path: string) => engine.assetUrl(path));
    this.hb.registerHelper('setting', (key: string) => engine.settings[key] ?? '');
    this.hb.registerHelper('slot', function (this: unknown, slotName: string, options: Handlebars.HelperOptions) {
      const data = options.data as { slots: Map<SlotContribution, Record<string, unknown>>; root: Record<string, unknown> };
      const parts: string[] = [];
      for (const c of engine.slotsProvider()) {
        if (c.slot !== slotName) continue;
        const prepared = data.slots.get(c);
        if (!prepared) continue;
        let tpl = engine.slotTemplates.get(c);
        if (!tpl) {
          tpl = engine.hb.compile(c.template);
          engine.slotTemplates.set(c, tpl);
        }
        const html = tpl({ ...data.root, ...(this as object), slot: prepared }, { data: options.data });
        // a <div> is not allowed in <head>: the browser would move the plugin's tags into the body
        parts.push(slotName === 'head' ? html : `<div class="slot slot-${Handlebars.escapeExpression(c.pluginId)}">${html}</div>`);
      }
      return new Handlebars.SafeString(parts.join(''));
    });
  }
}

