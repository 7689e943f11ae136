import { percentOf } from '../../core/plugin/index.js';
import type { Coupon } from './entities/coupon.entity.js';

export interface CouponsSettings {
  centreTitle: string;
  showOnCheckout: boolean;
  expiringSoonDays: number;
}

/** 19900 → "199", 19950 → "199.5" */
export function shortYuan(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  return cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** "满199减20", "无门槛减10", "8.5折 最高减20". */
export function couponLabel(c: Pick<Coupon, 'type' | 'amount' | 'percentBp' | 'maxDiscount' | 'minSpend'>): string {
  const gate = c.minSpend > 0 ? `满${shortYuan(c.minSpend)}` : '无门槛';
  if (c.type === 'fixed') return `${gate}减${shortYuan(c.amount)}`;
  const zhe = (10000 - c.percentBp) / 1000;
  return `${c.minSpend > 0 ? gate : ''}${Number.isInteger(zhe) ? zhe : zhe.toFixed(2).replace(/0+$/, '')}折${c.maxDiscount !== null ? ` 最高减${shortYuan(c.maxDiscount)}` : ''}`;
}

/**
 * What the coupon takes off `base` (the discountable total after spend-and-save and any earlier
 * discount), or 0 below its minimum spend. Never more than the base.
 */
export function couponDiscount(c: Pick<Coupon, 'type' | 'amount' | 'percentBp' | 'maxDiscount' | 'minSpend'>, base: number): number {
  if (base <= 0 || base < c.minSpend) return 0;
  const raw = c.type === 'fixed' ? c.amount : Math.min(percentOf(base, c.percentBp), c.maxDiscount ?? Number.MAX_SAFE_INTEGER);
  return Math.max(0, Math.min(raw, base));
}

export function usableAt(c: Pick<Coupon, 'validFrom' | 'validTo'>, now: Date): boolean {
  return now >= c.validFrom && now < c.validTo;
}
