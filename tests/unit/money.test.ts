import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allocateProportionally, formatFen, parseYuan, percentOf } from '../../core/common/money.js';

describe('money rules (docs/money.md)', () => {
  it('formats fen as yuan', () => {
    assert.equal(formatFen(1250), '¥12.50');
    assert.equal(formatFen(5), '¥0.05');
    assert.equal(formatFen(-199), '-¥1.99');
    assert.throws(() => formatFen(1.5));
  });

  it('parses yuan strictly', () => {
    assert.equal(parseYuan('12.5'), 1250);
    assert.equal(parseYuan('12.05'), 1205);
    assert.equal(parseYuan('0'), 0);
    assert.equal(parseYuan('12.345'), null);
    assert.equal(parseYuan('-1'), null);
    assert.equal(parseYuan('1e3'), null);
  });

  it('percent rounds half up to the fen', () => {
    assert.equal(percentOf(999, 1000), 100); // 99.9 → 100
    assert.equal(percentOf(994, 1000), 99); // 99.4 → 99
    assert.equal(percentOf(5, 1000), 1); // 0.5 → 1
    assert.equal(percentOf(4, 1000), 0);
  });

  it('allocation adds up exactly and gives leftovers to the largest remainders', () => {
    assert.deepEqual(allocateProportionally(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(allocateProportionally(2000, [5900, 5900, 6900]), [631, 631, 738]);
    assert.deepEqual(allocateProportionally(0, [5, 5]), [0, 0]);
    assert.deepEqual(allocateProportionally(7, [0, 0]), [7, 0]);
  });

  it('allocation property: sums match and no part exceeds its weight, over random inputs', () => {
    let seed = 42;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 5000; i++) {
      const weights = Array.from({ length: 1 + rand(8) }, () => 1 + rand(100_000));
      const sum = weights.reduce((a, b) => a + b, 0);
      const total = rand(sum + 1);
      const parts = allocateProportionally(total, weights);
      assert.equal(parts.reduce((a, b) => a + b, 0), total);
      parts.forEach((p, j) => assert.ok(p >= 0 && p <= weights[j], `part ${p} > weight ${weights[j]}`));
    }
  });
});
