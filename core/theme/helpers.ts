import type { HelperDelegate, HelperOptions } from 'handlebars';
import Handlebars from 'handlebars';
import { formatFen } from '../common/money.js';

export type HelperMap = Record<string, HelperDelegate>;

/** Date in China Standard Time, as merchants and shoppers read it. */
export function formatDate(value: unknown, format = 'YYYY-MM-DD HH:mm'): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return '';
  const cst = new Date(d.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return format
    .replace('YYYY', String(cst.getUTCFullYear()))
    .replace('MM', pad(cst.getUTCMonth() + 1))
    .replace('DD', pad(cst.getUTCDate()))
    .replace('HH', pad(cst.getUTCHours()))
    .replace('mm', pad(cst.getUTCMinutes()))
    .replace('ss', pad(cst.getUTCSeconds()));
}

function opts(args: unknown[]): HelperOptions {
  return args[args.length - 1] as HelperOptions;
}

/** Helpers that need no theme state. Theme-bound ones (t, asset, slot, setting) are added by the engine. */
export function coreHelpers(): HelperMap {
  return {
    money: (fen: unknown) => (typeof fen === 'number' && Number.isSafeInteger(fen) ? formatFen(fen) : ''),
    /** Yuan without the sign, for inputs: 1250 → 12.50 */
    yuan: (fen: unknown) => (typeof fen === 'number' && Number.isSafeInteger(fen) ? formatFen(fen).replace('¥', '') : ''),
    date: (value: unknown, ...rest: unknown[]) => formatDate(value, typeof rest[0] === 'string' ? rest[0] : undefined),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    gt: (a: unknown, b: unknown) => Number(a) > Number(b),
    lt: (a: unknown, b: unknown) => Number(a) < Number(b),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    not: (a: unknown) => !a,
    inc: (a: unknown) => Number(a) + 1,
    concat: (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''),
    includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
    /** JSON for a <script type="application/json"> block: "<" is escaped so it cannot close the tag. */
    json: (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, '')),
    /** Page links: {{paginate page pageCount "/search?q=x"}} */
    paginate: (page: unknown, pageCount: unknown, base: unknown, ...rest: unknown[]) => {
      const current = Number(page) || 1;
      const total = Number(pageCount) || 1;
      if (total <= 1) return '';
      const href = (p: number) => Handlebars.escapeExpression(`${String(base)}${String(base).includes('?') ? '&' : '?'}page=${p}`);
      const links: string[] = [];
      if (current > 1) links.push(`<a class="page-prev" href="${href(current - 1)}">‹</a>`);
      const start = Math.max(1, current - 2);
      const end = Math.min(total, start + 4);
      for (let p = start; p <= end; p++) links.push(p === current ? `<span class="page-current">${p}</span>` : `<a href="${href(p)}">${p}</a>`);
      if (current < total) links.push(`<a class="page-next" href="${href(current + 1)}">›</a>`);
      void opts(rest);
      return new Handlebars.SafeString(`<nav class="pagination">${links.join('')}</nav>`);
    },
  };
}
