import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { fromRoot } from '../../../core/common/paths.js';
import { formatFen } from '../../../core/common/money.js';
import type { Rate } from '../entities/distributor-level.entity.js';

/**
 * Template helpers of the distribution storefront pages, registered as `distribution:<name>`
 * (see index.ts): `{{distribution:icon "users"}}`, `{{distribution:rate rate}}`,
 * `{{distribution:asset "distribution.css"}}`.
 */

/** The plugin's static files (page CSS and JS): next to the compiled code, else in the source tree. */
export function assetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'assets'), fromRoot('plugins', 'distribution', 'assets')];
  return candidates.find((c) => existsSync(join(c, 'distribution.css'))) ?? candidates[candidates.length - 1];
}

export const ASSET_TYPES: Readonly<Record<string, string>> = {
  'distribution.css': 'text/css; charset=utf-8',
  'distribution.js': 'text/javascript; charset=utf-8',
};

const hashes = new Map<string, string>();

/** Content hash of an asset (for cache-busting URLs); recomputed only when the process restarts. */
export function assetHash(name: string): string {
  let h = hashes.get(name);
  if (h === undefined) {
    const file = join(assetsDir(), name);
    h = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10) : '';
    hashes.set(name, h);
  }
  return h;
}

/** Icons drawn like the default theme's (24 × 24, 1.8 stroke, round caps), for what the theme has no icon for. */
const ICONS: Record<string, string> = {
  users: '<path d="M16 19.5v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 4 18v1.5"/><circle cx="10" cy="7.5" r="3.5"/><path d="M20 19.5V18a3.5 3.5 0 0 0-2.6-3.4"/><path d="M15 4.2a3.5 3.5 0 0 1 0 6.6"/>',
  coin: '<circle cx="12" cy="12" r="8.5"/><path d="m9 7.5 3 4 3-4"/><path d="M12 11.5V17"/><path d="M9.3 12.3h5.4M9.3 14.8h5.4"/>',
  share: '<circle cx="17.5" cy="5.5" r="2.5"/><circle cx="6.5" cy="12" r="2.5"/><circle cx="17.5" cy="18.5" r="2.5"/><path d="m8.7 10.8 6.6-4M8.7 13.2l6.6 4"/>',
  poster: '<rect x="4.5" y="3" width="15" height="18" rx="2.2"/><path d="M8 7h8M8 10.2h5"/><rect x="12.5" y="13.5" width="4" height="4" rx=".6"/>',
  link: '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
  lock: '<rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
  gift: '<rect x="3.5" y="8" width="17" height="4" rx="1"/><path d="M5 12v7a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-7"/><path d="M12 8v12"/><path d="M12 8S10.5 3.5 8 4.2C6 4.8 7 8 12 8Zm0 0s1.5-4.5 4-3.8C18 4.8 17 8 12 8Z"/>',
  qr: '<rect x="4" y="4" width="6" height="6" rx="1"/><rect x="14" y="4" width="6" height="6" rx="1"/><rect x="4" y="14" width="6" height="6" rx="1"/><path d="M14 14h2.5v2.5M20 14v.01M14 20h6M18.5 17.5H20"/>',
  trend: '<path d="m4 16 5-5 4 4 7-7"/><path d="M15 8h5v5"/>',
  download: '<path d="M12 4v11"/><path d="m7 10 5 5 5-5"/><path d="M5 20h14"/>',
  settings: '<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z"/>',
  shield: '<path d="M12 3 5 6v5.5c0 4.2 3 7.8 7 9.5 4-1.7 7-5.3 7-9.5V6Z"/><path d="m9 12 2 2 4-4"/>',
  hourglass: '<path d="M7 3h10M7 21h10"/><path d="M8 3v3.5a4 4 0 0 0 1.6 3.2L12 12l2.4-2.3A4 4 0 0 0 16 6.5V3"/><path d="M8 21v-3.5a4 4 0 0 1 1.6-3.2L12 12l2.4 2.3a4 4 0 0 1 1.6 3.2V21"/>',
};

export function icon(name: unknown): Handlebars.SafeString {
  const body = ICONS[String(name)];
  if (!body) return new Handlebars.SafeString('');
  return new Handlebars.SafeString(`<svg class="icon icon-${String(name)}" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`);
}

/** A commission rate as shoppers read it: 10% / 12.5% / ¥1.00/件. */
export function formatRate(rate: unknown, locale = 'zh-CN'): string {
  const r = rate as Rate | null | undefined;
  if (!r || typeof r.value !== 'number') return '';
  if (r.type === 'percent') return `${(r.value / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  return `${formatFen(r.value)}${locale === 'en' ? '/unit' : '/件'}`;
}

function localeOf(args: unknown[]): string {
  const options = args[args.length - 1] as Handlebars.HelperOptions | undefined;
  return String((options?.data as { locale?: string } | undefined)?.locale ?? 'zh-CN');
}

export const PAGE_HELPERS = {
  icon: (name: unknown) => icon(name),
  rate: (rate: unknown, ...rest: unknown[]) => formatRate(rate, localeOf(rest)),
  asset: (name: unknown) => {
    const n = String(name);
    const h = assetHash(n);
    return `/distribution/assets/${encodeURIComponent(n)}${h ? `?v=${h}` : ''}`;
  },
  /** 0-100 for a progress bar: {{distribution:percent spent target}} */
  percent: (part: unknown, whole: unknown) => {
    const p = Number(part);
    const w = Number(whole);
    if (!(w > 0)) return 100;
    return Math.max(0, Math.min(100, Math.round((p / w) * 100)));
  },
};

/** The plugin's locale files (locales/<locale>.json, flattened), for text drawn outside templates (posters). */
const localeTables = new Map<string, Record<string, string>>();

function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}

function localeTable(locale: string): Record<string, string> {
  let table = localeTables.get(locale);
  if (!table) {
    const here = dirname(fileURLToPath(import.meta.url));
    const file = [join(here, '..', 'locales', `${locale}.json`), fromRoot('plugins', 'distribution', 'locales', `${locale}.json`)].find((f) => existsSync(f));
    table = file ? flatten(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    localeTables.set(locale, table);
  }
  return table;
}

/** Same lookup as `{{distribution:t "key" name=value}}`: the locale, then zh-CN, then the key itself. */
export function translate(locale: string, key: string, vars: Record<string, unknown> = {}): string {
  const text = localeTable(locale)[key] ?? localeTable('zh-CN')[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
}
