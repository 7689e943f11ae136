import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FRIEND_FACTOR, INITIATOR_MAX_SHARE, cutCount, cutPlan, seededRandom } from '../bargain.cuts.js';

const SEEDS = 6000;

/** Checks every property of one plan; returns it. */
function checkPlan(seed: number, total: number, helpers: number, initiatorCut: boolean): number[] {
  const ctx = `seed ${seed}, total ${total}, helpers ${helpers}, initiatorCut ${initiatorCut}`;
  const plan = cutPlan({ seed, total, helpers, initiatorCut });
  const n = cutCount(helpers, initiatorCut);
  assert.equal(plan.length, n, `one cut per friend (+ the initiator's): ${ctx}`);
  let remaining = total;
  for (let i = 0; i < n; i++) {
    const cut = plan[i];
    const left = n - i;
    assert.ok(Number.isSafeInteger(cut) && cut >= 1, `every cut is at least ¥0.01 (cut ${i} = ${cut}): ${ctx}`);
    // bounded randomness: a non-final cut is at most hi × (remaining ÷ cuts left), and always leaves 1 fen per later cut
    if (left > 1) {
      assert.ok(cut <= remaining - (left - 1), `cut ${i} leaves at least 1 fen for each of the ${left - 1} later cuts: ${ctx}`);
      if (initiatorCut && i === 0) assert.ok(cut <= Math.max(1, Math.floor(total * INITIATOR_MAX_SHARE)), `the initiator takes at most half: ${ctx}`);
      else assert.ok(cut <= Math.max(1, Math.round((remaining / left) * FRIEND_FACTOR[1])), `cut ${i} = ${cut} is within the bound: ${ctx}`);
    }
    remaining -= cut;
    // price = floor + remaining: never below the floor, and above it until the last needed friend
    assert.ok(remaining >= 0, `the price never goes below the floor: ${ctx}`);
    if (i < n - 1) assert.ok(remaining > 0, `the floor is reached only by the last cut: ${ctx}`);
  }
  assert.equal(remaining, 0, `the cuts add up exactly to start − floor: ${ctx}`);
  return plan;
}

describe('bargain cut algorithm (properties over random seeds)', () => {
  it(`holds every property over ${SEEDS} random seeds and shapes`, () => {
    const meta = seededRandom(20261123);
    for (let i = 0; i < SEEDS; i++) {
      const seed = Math.floor(meta() * 0x7fffffff);
      const helpers = 1 + Math.floor(meta() * 100);
      const initiatorCut = meta() < 0.5;
      const n = cutCount(helpers, initiatorCut);
      // amounts from "exactly 1 fen per cut" to ¥10,000
      const shape = meta();
      const total = shape < 0.1 ? n : shape < 0.3 ? n + Math.floor(meta() * n * 3) : n + Math.floor(meta() * 1_000_000);
      const plan = checkPlan(seed, total, helpers, initiatorCut);
      if (i % 10 === 0) assert.deepEqual(cutPlan({ seed, total, helpers, initiatorCut }), plan, 'the same seed gives the same plan (deterministic finish)');
    }
  });

  it('edge shapes: one friend, 100 friends, exactly 1 fen per cut', () => {
    for (let seed = 0; seed < 2000; seed++) {
      checkPlan(seed, 1, 1, false);
      checkPlan(seed, 2, 1, true);
      checkPlan(seed, 101, 100, true);
      checkPlan(seed, 100, 100, false);
      checkPlan(seed, 9900, 1, true);
      checkPlan(seed, 9900, 3, false);
    }
    assert.deepEqual(cutPlan({ seed: 7, total: 5, helpers: 5, initiatorCut: false }), [1, 1, 1, 1, 1]);
  });

  it('refuses amounts that cannot give every cut 1 fen', () => {
    assert.throws(() => cutPlan({ seed: 1, total: 5, helpers: 5, initiatorCut: true }), RangeError);
    assert.throws(() => cutPlan({ seed: 1, total: 10, helpers: 0, initiatorCut: false }), RangeError);
    assert.throws(() => cutPlan({ seed: 1, total: 10.5, helpers: 2, initiatorCut: false }), RangeError);
  });

  it('the amounts feel random: plans differ between seeds and cuts differ within a plan', () => {
    const firstFriendCuts = new Set<number>();
    const plans = new Set<string>();
    let flat = 0;
    let lastIsLargest = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const plan = cutPlan({ seed, total: 9900, helpers: 10, initiatorCut: true });
      firstFriendCuts.add(plan[1]);
      plans.add(plan.join(','));
      if (new Set(plan.slice(1, -1)).size === 1) flat++;
      if (plan[plan.length - 1] === Math.max(...plan)) lastIsLargest++;
    }
    assert.ok(firstFriendCuts.size > 300, `the first friend's cut varies between bargains (${firstFriendCuts.size} distinct amounts)`);
    assert.ok(plans.size > SEEDS * 0.99, `almost every seed gives its own plan (${plans.size} of ${SEEDS})`);
    assert.equal(flat, 0, 'no plan cuts the same amount every time');
    assert.ok(lastIsLargest < SEEDS * 0.2, `the finishing cut is rarely the largest (${lastIsLargest} of ${SEEDS}): the price falls fastest at first`);
    // the initiator's first cut is a good start: on average well above an equal share
    let initiatorShare = 0;
    for (let seed = 0; seed < 1000; seed++) initiatorShare += cutPlan({ seed, total: 9900, helpers: 10, initiatorCut: true })[0] / 9900;
    assert.ok(initiatorShare / 1000 > 1 / 11, `the initiator's cut averages more than an equal share (${(initiatorShare / 10).toFixed(1)} %)`);
  });
});
