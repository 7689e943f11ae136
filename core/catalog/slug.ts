import { randomBytes } from 'node:crypto';

/** ASCII slug from a title; Chinese titles get a short random slug with a prefix. */
export function slugify(text: string, prefix: string): string {
  const ascii = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return ascii.length >= 3 ? ascii : `${prefix}-${randomBytes(4).toString('hex')}`;
}
