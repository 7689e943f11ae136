import { cutCount, cutPlan } from './bargain.cuts.js';

export interface BargainSettings {
  enabled: boolean;
  helpsPerDay: number;
  burstPerMember: number;
  burstPerIp: number;
}

export const PLUGIN_ID = 'bargain';
export const ADJUSTER_ID = 'bargain:price';
/** China Standard Time: "per day" limits reset at 00:00 in Beijing. */
const CST_OFFSET_MS = 8 * 3600_000;

export function startOfChinaDay(now: Date): Date {
  const shifted = now.getTime() + CST_OFFSET_MS;
  return new Date(shifted - (shifted % 86_400_000) - CST_OFFSET_MS);
}

export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

export interface PlanSource {
  seed: number;
  startPrice: number;
  floorPrice: number;
  helpersNeeded: number;
  initiatorCut: boolean;
}

export function planOf(b: PlanSource): number[] {
  return cutPlan({ seed: b.seed, total: b.startPrice - b.floorPrice, helpers: b.helpersNeeded, initiatorCut: b.initiatorCut });
}

/** The price after the initiator's cut (if any) and `helps` friends' cuts. */
export function priceAfter(b: PlanSource, helps: number): number {
  const plan = planOf(b);
  const taken = plan.slice(0, helps + (b.initiatorCut ? 1 : 0)).reduce((s, c) => s + c, 0);
  return b.startPrice - taken;
}

/** Problems with an activity's prices and helpers, as [field, message]; empty when valid. */
export function activityProblems(a: { startPrice: number; floorPrice: number; helpersNeeded: number; initiatorCut: boolean; startsAt: Date; endsAt: Date }, variantPrice: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!(a.floorPrice < a.startPrice)) out.push(['floorPrice', `the floor price (¥${yuan(a.floorPrice)}) must be below the start price (¥${yuan(a.startPrice)})`]);
  if (a.startPrice > variantPrice) out.push(['startPrice', `the start price (¥${yuan(a.startPrice)}) must not exceed the variant's price (¥${yuan(variantPrice)})`]);
  const cuts = cutCount(a.helpersNeeded, a.initiatorCut);
  if (a.floorPrice < a.startPrice && a.startPrice - a.floorPrice < cuts) {
    out.push(['helpersNeeded', `${cuts} cuts of at least ¥0.01 need start − floor ≥ ¥${yuan(cuts)}; it is ¥${yuan(a.startPrice - a.floorPrice)}`]);
  }
  if (!(a.endsAt > a.startsAt)) out.push(['endsAt', 'endsAt must be after startsAt']);
  return out;
}
