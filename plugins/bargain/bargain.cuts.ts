/**
 * The cut algorithm of 砍价 (see docs/bargain.md): a pure, seeded function. A bargain stores its seed
 * when it starts, so the whole plan of cuts is fixed from the first moment: helper k always gets
 * plan[k] whatever the timing of concurrent helps, and the plan can be recomputed for audits.
 */

/** Bounds of the random factor applied to "remaining ÷ cuts left". */
export const FRIEND_FACTOR: readonly [number, number] = [0.5, 1.7];
export const INITIATOR_FACTOR: readonly [number, number] = [1.2, 2.2];
/** The initiator's first cut takes at most this share of the whole amount. */
export const INITIATOR_MAX_SHARE = 0.5;

export interface CutPlanInput {
  /** Any 32-bit integer; stored on the bargain. */
  seed: number;
  /** start price − floor price, fen. */
  total: number;
  /** Friends needed to reach the floor (1-100). */
  helpers: number;
  /** Whether the initiator takes a first cut (plan[0]) before the friends. */
  initiatorCut: boolean;
}

/** mulberry32: a small, fast, well-spread 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Number of cuts in a plan: one per friend, plus the initiator's when on. */
export function cutCount(helpers: number, initiatorCut: boolean): number {
  return helpers + (initiatorCut ? 1 : 0);
}

/**
 * The whole plan: `cutCount` integers (fen), each ≥ 1, adding up exactly to `total`.
 * Cut i (with k cuts left, R fen left): round(R / k × f), f uniform in the factor bounds (the
 * initiator's larger, capped at half of the total), clamped to [1, R − (k − 1)] so every later cut
 * can still take 1 fen; the last cut takes whatever is left (deterministic finish).
 */
export function cutPlan({ seed, total, helpers, initiatorCut }: CutPlanInput): number[] {
  const n = cutCount(helpers, initiatorCut);
  if (!Number.isSafeInteger(helpers) || helpers < 1) throw new RangeError(`helpers must be a whole number ≥ 1 (got ${helpers})`);
  if (!Number.isSafeInteger(total) || total < n) throw new RangeError(`the amount to cut (${total} fen) must be at least 1 fen per cut (${n})`);
  const rand = seededRandom(seed);
  const cuts: number[] = [];
  let remaining = total;
  for (let i = 0; i < n; i++) {
    const left = n - i;
    let cut: number;
    if (left === 1) {
      cut = remaining;
    } else {
      const initiator = initiatorCut && i === 0;
      const [lo, hi] = initiator ? INITIATOR_FACTOR : FRIEND_FACTOR;
      cut = Math.round((remaining / left) * (lo + (hi - lo) * rand()));
      let max = remaining - (left - 1);
      if (initiator) max = Math.min(max, Math.max(1, Math.floor(total * INITIATOR_MAX_SHARE)));
      cut = Math.min(Math.max(cut, 1), max);
    }
    cuts.push(cut);
    remaining -= cut;
  }
  return cuts;
}

/** A seed for a new bargain (non-negative 31-bit integer, fits an int column). */
export function newSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 0x7fffffff);
}
