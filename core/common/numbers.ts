import { randomInt } from 'node:crypto';

/** Readable, sortable numbers: yyyyMMddHHmmss (UTC+8, as merchants read them) + 6 random digits. */
export function businessNumber(prefix = '', at: Date = new Date()): string {
  const cst = new Date(at.getTime() + 8 * 3600 * 1000);
  const stamp = cst.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${prefix}${stamp}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}
