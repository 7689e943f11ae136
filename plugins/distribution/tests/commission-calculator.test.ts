import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeCommissions, type CommissionEarner } from '../services/commission-calculator.js';
import type { Rate } from '../entities/distributor-level.entity.js';
import { validateDistributionSettings, DEFAULT_DISTRIBUTION_SETTINGS } from '../services/distribution-settings.js';

const pct = (bp: number) => ({ type: 'percent' as const, value: bp });
const earner = (memberId: number, rates: Rate[] = [pct(1000), pct(500), pct(200)], productRates = new Map()): CommissionEarner => ({ memberId, levelRates: rates, productRates });

describe('commission calculator', () => {
  it('pays L1-L3 by their rates on the line paid amount, rounded half up', () => {
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 1, base: 9999 }], [earner(11), earner(12), earner(13)], 3, null);
    assert.deepEqual(rows.map((r) => [r.level, r.distributorMemberId, r.amount]), [[1, 11, 1000], [2, 12, 500], [3, 13, 200]]);
  });

  it('single-level depth pays only the direct upline', () => {
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 1, base: 10000 }], [earner(11), earner(12), earner(13)], 1, null);
    assert.deepEqual(rows.map((r) => r.distributorMemberId), [11]);
  });

  it('never pays more than three levels, whatever depth says', () => {
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 1, base: 10000 }], [earner(1), earner(2), earner(3), earner(4), earner(5)], 99, null);
    assert.equal(Math.max(...rows.map((r) => r.level)), 3);
    assert.equal(rows.length, 3);
  });

  it('product overrides beat level rates; fixed rates are per unit', () => {
    const overrides = new Map([[9, [{ type: 'fixed' as const, value: 300 }]]]);
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 2, base: 10000 }], [earner(11, [pct(1000)], overrides)], 3, null);
    assert.equal(rows[0].amount, 600);
  });

  it('a line never pays out more than it paid', () => {
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 1, base: 100 }], [earner(1, [{ type: 'fixed', value: 80 }, { type: 'fixed', value: 80 }]), earner(2, [{ type: 'fixed', value: 80 }, { type: 'fixed', value: 80 }])], 3, null);
    assert.deepEqual(rows.map((r) => r.amount), [80, 20]);
  });

  it('the order cap scales commissions down and they still add up to the cap exactly', () => {
    const rows = computeCommissions(
      [{ lineId: 1, productId: 9, quantity: 1, base: 10001 }, { lineId: 2, productId: 8, quantity: 1, base: 3333 }],
      [earner(1, [pct(3000), pct(2000), pct(1000)]), earner(2, [pct(3000), pct(2000), pct(1000)]), earner(3, [pct(3000), pct(2000), pct(1000)])],
      3, 1000,
    );
    assert.equal(rows.reduce((s, r) => s + r.amount, 0), 1000);
  });

  it('a missing earner at a level pays nothing at that level (no compression)', () => {
    const rows = computeCommissions([{ lineId: 1, productId: 9, quantity: 1, base: 10000 }], [earner(1), null, earner(3)], 3, null);
    assert.deepEqual(rows.map((r) => [r.level, r.distributorMemberId]), [[1, 1], [3, 3]]);
  });
});

describe('distribution settings', () => {
  it('defaults are valid and single-level', () => {
    assert.deepEqual(validateDistributionSettings(DEFAULT_DISTRIBUTION_SETTINGS), []);
    assert.equal(DEFAULT_DISTRIBUTION_SETTINGS.mode, 'single');
  });
  it('refuses more than three levels', () => {
    const problems = validateDistributionSettings({ ...DEFAULT_DISTRIBUTION_SETTINGS, mode: 'multi', levelsDeep: 5 });
    assert.ok(problems.some((p) => /levelsDeep may be at most 3/.test(p)));
  });
});
