import { allocateProportionally, percentOf } from '../../../core/common/money.js';
import type { Rate } from '../entities/distributor-level.entity.js';
import { MAX_CHAIN_DEPTH } from './distribution-settings.js';

export interface CommissionLine {
  lineId: number;
  productId: number;
  quantity: number;
  /** What the buyer paid for the line after discounts (fen). */
  base: number;
}

export interface CommissionEarner {
  memberId: number;
  /** The earner's level rates, L1 first. */
  levelRates: Rate[];
  /** Product overrides for this earner's level: productId → rates (L1 first). */
  productRates: Map<number, Rate[]>;
}

export interface ComputedCommission {
  lineId: number;
  level: number;
  distributorMemberId: number;
  base: number;
  rate: Rate;
  amount: number;
}

/**
 * Commission for one paid order. Rules (docs/distribution.md):
 * - level k (1-based) is paid to earners[k-1], with the product's override rate for that level if
 *   any, else the earner's level rate; percent rates round half up to the fen, fixed rates are per unit;
 * - never deeper than 3 levels, whatever `depth` says;
 * - the commissions on one line never add up to more than the line paid (later levels are cut first);
 * - with an order cap, the total is scaled down to the cap by proportional allocation, so the
 *   capped amounts still add up exactly.
 */
export function computeCommissions(lines: CommissionLine[], earners: Array<CommissionEarner | null>, depth: number, orderCap: number | null): ComputedCommission[] {
  const levels = Math.min(depth, MAX_CHAIN_DEPTH, earners.length);
  const rows: ComputedCommission[] = [];
  for (const line of lines) {
    let paidOut = 0;
    for (let k = 1; k <= levels; k++) {
      const earner = earners[k - 1];
      if (!earner) continue;
      const rate = earner.productRates.get(line.productId)?.[k - 1] ?? earner.levelRates[k - 1];
      if (!rate || rate.value <= 0) continue;
      const raw = rate.type === 'percent' ? percentOf(line.base, rate.value) : rate.value * line.quantity;
      const amount = Math.max(0, Math.min(raw, line.base - paidOut));
      if (amount === 0) continue;
      paidOut += amount;
      rows.push({ lineId: line.lineId, level: k, distributorMemberId: earner.memberId, base: line.base, rate, amount });
    }
  }
  const total = rows.reduce((s, r) => s + r.amount, 0);
  if (orderCap !== null && total > orderCap) {
    const capped = allocateProportionally(orderCap, rows.map((r) => r.amount));
    rows.forEach((r, i) => (r.amount = capped[i]));
  }
  return rows.filter((r) => r.amount > 0);
}
