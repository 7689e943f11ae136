import { randomInt } from 'node:crypto';

/**
 * Readable, sortable numbers: yyyyMMddHHmmssSSS (UTC+8, as merchants read them) + 5 random digits
 * (22 digits). Milliseconds plus randomness keep collisions negligible at flash-sale rates (hundreds a
 * second); the unique index still refuses a duplicate.
 */
export function businessNumber(prefix = '', at: Date = new Date()): string {
  const cst = new Date(at.getTime() + 8 * 3600 * 1000);
  const stamp = cst.toISOString().replace(/\D/g, '').slice(0, 17);
  return `${prefix}${stamp}${String(randomInt(0, 100_000)).padStart(5, '0')}`;
}
