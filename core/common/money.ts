/**
 * Money is integer fen everywhere. These helpers are the only place amounts are divided,
 * so the rounding rules live here (documented in docs/money.md).
 */

export function assertFen(value: number, field = 'amount'): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${field} must be a whole number of fen, got ${value}`);
  return value;
}

/** 1250 → "12.50" (no currency sign); negative amounts keep their sign. */
export function fenToYuanString(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1250 → "¥12.50". */
export function formatFen(fen: number): string {
  const s = fenToYuanString(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** "12.5" or "12.50" → 1250. Refuses more than two decimals rather than rounding silently. */
export function parseYuan(input: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * Percent of an amount, rounded half-up to the fen. `basisPoints` is percent × 100 (12.5% = 1250).
 */
export function percentOf(amount: number, basisPoints: number): number {
  assertFen(amount);
  return Math.floor((amount * basisPoints + 5000) / 10000);
}

/**
 * Splits `total` across parts in proportion to `weights` so that the parts add up exactly to
 * `total`: each part is floored, then the fen left over go one each to the parts with the largest
 * remainders (ties: earlier part first). A part never exceeds its weight when total ≤ sum(weights).
 */
export function allocateProportionally(total: number, weights: number[]): number[] {
  assertFen(total);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map((r) => Math.floor(r));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rem: r - Math.floor(r) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}
