/** The pure rules of spend-and-save (满减), with no database: tested on their own. */

export interface Tier {
  /** Fen the eligible lines must reach. */
  threshold: number;
  /** Fen taken off; always below the threshold. */
  discount: number;
}

export interface SpendAndSaveSettings {
  tiers: Tier[];
  /** Eligible categories (their sub-categories too); empty = every product. */
  categoryIds: number[];
  /** "" or a date-time; without an offset it is China time (+08:00). */
  startsAt: string;
  endsAt: string;
}

/** "2026-11-11 00:00" → that moment in China time; "" → null. */
export function parseChinaTime(value: string): Date | null {
  if (!value) return null;
  let v = value.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) v += 'T00:00';
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(v)) v += '+08:00';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function isRunning(s: SpendAndSaveSettings, now: Date): boolean {
  const start = parseChinaTime(s.startsAt);
  const end = parseChinaTime(s.endsAt);
  return (!start || now >= start) && (!end || now < end);
}

/** The best tier reached by `eligibleTotal` (largest discount), or null. */
export function bestTier(tiers: readonly Tier[], eligibleTotal: number): Tier | null {
  let best: Tier | null = null;
  for (const t of tiers) if (eligibleTotal >= t.threshold && (!best || t.discount > best.discount)) best = t;
  return best;
}

/** The cheapest tier still out of reach that would save more than the current one. */
export function nextTier(tiers: readonly Tier[], eligibleTotal: number): Tier | null {
  const current = bestTier(tiers, eligibleTotal)?.discount ?? 0;
  return [...tiers].filter((t) => t.threshold > eligibleTotal && t.discount > current).sort((a, b) => a.threshold - b.threshold)[0] ?? null;
}

/** 19900 → "199", 19950 → "199.5". */
export function shortYuan(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  return cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

export function tierLabel(t: Tier): string {
  return `满${shortYuan(t.threshold)}减${shortYuan(t.discount)}`;
}

/** Problems with the settings, each naming the setting (used at start-up and on every admin save). */
export function validateSpendAndSave(s: SpendAndSaveSettings): string[] {
  const problems: string[] = [];
  const fen = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 100_000_000;
  if (!Array.isArray(s.tiers) || s.tiers.length === 0) problems.push('tiers must be a non-empty list of {"threshold": fen, "discount": fen}');
  else {
    const seen = new Set<number>();
    s.tiers.forEach((t, i) => {
      if (typeof t !== 'object' || t === null) return problems.push(`tiers[${i}] must be {"threshold": fen, "discount": fen}`);
      if (!fen(t.threshold)) problems.push(`tiers[${i}].threshold must be a positive whole number of fen`);
      if (!fen(t.discount)) problems.push(`tiers[${i}].discount must be a positive whole number of fen`);
      if (fen(t.threshold) && fen(t.discount) && t.discount >= t.threshold) problems.push(`tiers[${i}].discount (${t.discount}) must be less than its threshold (${t.threshold})`);
      if (seen.has(t.threshold)) problems.push(`tiers[${i}].threshold ${t.threshold} appears twice`);
      seen.add(t.threshold);
      const extra = Object.keys(t).filter((k) => k !== 'threshold' && k !== 'discount');
      if (extra.length) problems.push(`tiers[${i}] has unknown keys ${extra.join(', ')}`);
      return undefined;
    });
  }
  if (!Array.isArray(s.categoryIds) || !s.categoryIds.every((id) => Number.isSafeInteger(id) && id > 0)) problems.push('categoryIds must be a list of category ids, e.g. [3, 7] ([] for every product)');
  const start = parseChinaTime(s.startsAt);
  const end = parseChinaTime(s.endsAt);
  if (s.startsAt && !start) problems.push(`startsAt "${s.startsAt}" is not a date-time`);
  if (s.endsAt && !end) problems.push(`endsAt "${s.endsAt}" is not a date-time`);
  if (start && end && start >= end) problems.push('endsAt must be after startsAt');
  return problems;
}
