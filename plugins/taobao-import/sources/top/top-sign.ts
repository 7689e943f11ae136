import { createHash, createHmac } from 'node:crypto';

/**
 * Request signing of the Taobao Open Platform (TOP), as its documents describe it:
 *   1. take every request parameter except `sign` (and file/byte parameters), drop empty values,
 *      and sort them by name in ASCII order;
 *   2. concatenate name and value of each: `app_key12345678fieldsnum_iid,title…`;
 *   3. md5:         MD5(secret + that + secret)
 *      hmac:        HMAC-MD5 of that, keyed with the secret
 *      hmac-sha256: HMAC-SHA256 of that, keyed with the secret
 *      (all over the UTF-8 bytes);
 *   4. the digest in upper-case hexadecimal is the `sign` parameter.
 */
export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

export const TOP_SIGN_METHODS: readonly TopSignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

/** Step 1-2: the sorted name+value string. */
export function topSignBase(params: Readonly<Record<string, string | undefined | null>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && params[k] !== '')
    // ASCII order: compare UTF-16 code units, not locale order
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}${params[k]}`)
    .join('');
}

export function signTopRequest(params: Readonly<Record<string, string | undefined | null>>, secret: string, method: TopSignMethod): string {
  const base = topSignBase(params);
  switch (method) {
    case 'md5':
      return createHash('md5').update(`${secret}${base}${secret}`, 'utf8').digest('hex').toUpperCase();
    case 'hmac':
      return createHmac('md5', Buffer.from(secret, 'utf8')).update(base, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', Buffer.from(secret, 'utf8')).update(base, 'utf8').digest('hex').toUpperCase();
  }
}

/** TOP timestamps: "yyyy-MM-dd HH:mm:ss" in China time (GMT+8). */
export function topTimestamp(at: Date = new Date()): string {
  const t = new Date(at.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
}

/** Parses a TOP timestamp (GMT+8); null when it is not one. */
export function parseTopTimestamp(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3600_000;
  return Number.isNaN(ms) ? null : new Date(ms);
}
