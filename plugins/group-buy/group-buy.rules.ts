/** Pure rules of group buying, shared by the service, the admin and the tests. */

export interface GroupBuySettings {
  listTitle: string;
  openTeamsOnProductPage: number;
}

export const TEAM_SIZE_MIN = 2;
export const TEAM_SIZE_MAX = 100;
export const TEAM_HOURS_MAX = 720;

/** Whether a team with `paid` paid seats of `size` completes by virtual success at `percent` (null = off). */
export function virtualSuccess(paid: number, size: number, percent: number | null): boolean {
  if (percent === null || percent === undefined || percent <= 0 || paid <= 0) return false;
  return paid * 100 >= percent * size;
}

/** The unit price a seat pays: the leader price for the member opening the team when one is set. */
export function seatPrice(item: { groupPrice: number; leaderPrice: number | null }, isLeader: boolean): number {
  return isLeader && item.leaderPrice !== null ? item.leaderPrice : item.groupPrice;
}

export interface ActivityItemInput {
  variantId: number;
  groupPrice: number;
  leaderPrice?: number | null;
  stock: number;
}

export interface ActivityCheckInput {
  teamSize: number;
  teamHours: number;
  startsAt: Date;
  endsAt: Date;
  perMemberLimit: number;
  virtualSuccessPercent?: number | null;
  items: ActivityItemInput[];
}

/**
 * Problems with an activity, each as [field, message]; empty when valid. `variantPrices` maps the
 * product's variant ids to their catalog prices.
 */
export function activityProblems(a: ActivityCheckInput, variantPrices: ReadonlyMap<number, number>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!Number.isInteger(a.teamSize) || a.teamSize < TEAM_SIZE_MIN || a.teamSize > TEAM_SIZE_MAX) out.push(['teamSize', `teamSize must be a whole number from ${TEAM_SIZE_MIN} to ${TEAM_SIZE_MAX}`]);
  if (!Number.isInteger(a.teamHours) || a.teamHours < 1 || a.teamHours > TEAM_HOURS_MAX) out.push(['teamHours', `teamHours must be from 1 to ${TEAM_HOURS_MAX}`]);
  if (!(a.endsAt.getTime() > a.startsAt.getTime())) out.push(['endsAt', 'endsAt must be after startsAt']);
  if (a.virtualSuccessPercent !== null && a.virtualSuccessPercent !== undefined && !(Number.isInteger(a.virtualSuccessPercent) && a.virtualSuccessPercent >= 1 && a.virtualSuccessPercent <= 100)) {
    out.push(['virtualSuccessPercent', 'virtualSuccessPercent must be from 1 to 100, or null to turn virtual success off']);
  }
  if (!a.items.length) out.push(['items', 'choose at least one variant']);
  const seen = new Set<number>();
  a.items.forEach((item, i) => {
    const list = variantPrices.get(item.variantId);
    if (list === undefined) out.push([`items.${i}.variantId`, `variant ${item.variantId} is not a variant of this product`]);
    if (seen.has(item.variantId)) out.push([`items.${i}.variantId`, `variant ${item.variantId} is listed twice`]);
    seen.add(item.variantId);
    if (list !== undefined && !(item.groupPrice < list)) out.push([`items.${i}.groupPrice`, `the group price (¥${(item.groupPrice / 100).toFixed(2)}) must be below the variant price (¥${(list / 100).toFixed(2)})`]);
    if (item.leaderPrice !== null && item.leaderPrice !== undefined && item.leaderPrice > item.groupPrice) out.push([`items.${i}.leaderPrice`, 'the leader price must not be above the group price']);
  });
  return out;
}
