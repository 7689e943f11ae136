import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chinaDate, dailyRange, sessionWindow, soldPercent, withinLimit, type SessionTimes } from '../flash-rules.js';

const at = (iso: string) => new Date(iso);

describe('flash-sale rules', () => {
  it('a one-off session is upcoming, live, then ended; switched off it is off', () => {
    const s: SessionTimes = { kind: 'once', startsAt: at('2026-11-11T10:00:00+08:00'), endsAt: at('2026-11-11T12:00:00+08:00'), dailyStart: null, dailyMinutes: 0, isActive: true };
    assert.equal(sessionWindow(s, at('2026-11-11T09:59:59+08:00')).phase, 'upcoming');
    assert.equal(sessionWindow(s, at('2026-11-11T10:00:00+08:00')).phase, 'live');
    assert.equal(sessionWindow(s, at('2026-11-11T11:59:59+08:00')).phase, 'live');
    assert.equal(sessionWindow(s, at('2026-11-11T12:00:00+08:00')).phase, 'ended');
    assert.equal(sessionWindow({ ...s, isActive: false }, at('2026-11-11T11:00:00+08:00')).phase, 'off');
  });

  it('a daily 20:00 slot of 2 hours, China time, from the first to the last day', () => {
    const s: SessionTimes = { kind: 'daily', ...dailyRange('2026-11-20', '2026-11-22', '20:00', 120), dailyStart: '20:00', dailyMinutes: 120, isActive: true };
    assert.equal(s.startsAt.toISOString(), '2026-11-20T12:00:00.000Z');
    assert.equal(s.endsAt.toISOString(), '2026-11-22T14:00:00.000Z');
    const before = sessionWindow(s, at('2026-11-19T23:00:00+08:00'));
    assert.deepEqual([before.phase, before.start.toISOString()], ['upcoming', '2026-11-20T12:00:00.000Z']);
    assert.equal(sessionWindow(s, at('2026-11-21T20:30:00+08:00')).phase, 'live');
    const between = sessionWindow(s, at('2026-11-21T23:00:00+08:00'));
    assert.deepEqual([between.phase, between.start.toISOString()], ['upcoming', '2026-11-22T12:00:00.000Z'], 'after a slot closes, the next day\'s slot is next');
    const morning = sessionWindow(s, at('2026-11-21T08:00:00+08:00'));
    assert.deepEqual([morning.phase, morning.start.toISOString()], ['upcoming', '2026-11-21T12:00:00.000Z']);
    assert.equal(sessionWindow(s, at('2026-11-22T22:00:00+08:00')).phase, 'ended');
    assert.equal(sessionWindow(s, at('2026-11-25T10:00:00+08:00')).phase, 'ended');
  });

  it('a slot that runs past midnight (23:00 for 2 hours) is live at 00:30 the next day', () => {
    const s: SessionTimes = { kind: 'daily', ...dailyRange('2026-11-20', '2026-11-21', '23:00', 120), dailyStart: '23:00', dailyMinutes: 120, isActive: true };
    const w = sessionWindow(s, at('2026-11-21T00:30:00+08:00'));
    assert.deepEqual([w.phase, w.start.toISOString()], ['live', '2026-11-20T15:00:00.000Z']);
    assert.equal(sessionWindow(s, at('2026-11-22T00:30:00+08:00')).phase, 'live', 'the last day\'s slot too');
    assert.equal(sessionWindow(s, at('2026-11-22T01:00:00+08:00')).phase, 'ended');
  });

  it('China dates, sold share and the per-member limit', () => {
    assert.equal(chinaDate(at('2026-11-20T16:30:00Z')), '2026-11-21');
    assert.equal(soldPercent(0, 10), 0);
    assert.equal(soldPercent(999, 1), 99, 'never 100% while a unit is left');
    assert.equal(soldPercent(10, 0), 100);
    assert.equal(withinLimit(1, 1, 2), true);
    assert.equal(withinLimit(2, 1, 2), false);
    assert.equal(withinLimit(0, 3, 2), false);
  });
});
