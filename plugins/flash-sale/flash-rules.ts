/**
 * Pure rules of the flash sale (秒杀): session windows in China time, phases, the per-member limit.
 * No database, no clock: every function takes `now`, so the rules are unit-tested directly.
 */

/** China Standard Time is UTC+8 all year (no daylight saving). */
export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type SessionKind = 'daily' | 'once';
export type SessionPhase = 'upcoming' | 'live' | 'ended' | 'off';

/** The fields of a session the window rules need. */
export interface SessionTimes {
  kind: SessionKind;
  /** once: the window's start. daily: the first day's window start. */
  startsAt: Date;
  /** once: the window's end. daily: the last day's window end. */
  endsAt: Date;
  /** daily: "HH:MM", China time. */
  dailyStart: string | null;
  /** daily: window length in minutes (1-1440). */
  dailyMinutes: number;
  isActive: boolean;
}

export interface SessionWindow {
  phase: SessionPhase;
  /** The current window (live), the next one (upcoming) or the last one (ended, off). */
  start: Date;
  end: Date;
}

/** "2026-11-23" for an instant, in China time. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of `HH:MM` on China date `YYYY-MM-DD`. */
export function chinaInstant(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00+08:00`);
}

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const YMD = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Where a session stands at `now`. A one-off session has one window [startsAt, endsAt). A daily
 * session has one window a day, from `dailyStart` (China time) for `dailyMinutes`, on every day from
 * the first to the last; a window may run past midnight.
 */
export function sessionWindow(s: SessionTimes, now: Date): SessionWindow {
  const t = now.getTime();
  if (s.kind === 'once' || !s.dailyStart) {
    const phase: SessionPhase = !s.isActive ? 'off' : t < s.startsAt.getTime() ? 'upcoming' : t < s.endsAt.getTime() ? 'live' : 'ended';
    return { phase, start: s.startsAt, end: s.endsAt };
  }
  const first = chinaDate(s.startsAt);
  const last = chinaDate(new Date(s.endsAt.getTime() - s.dailyMinutes * 60_000));
  const windowOn = (day: string) => {
    const start = chinaInstant(day, s.dailyStart!);
    return { start, end: new Date(start.getTime() + s.dailyMinutes * 60_000) };
  };
  const today = chinaDate(now);
  // yesterday's window may still be open (it runs past midnight); then today's, then tomorrow's
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    if (day < first || day > last) continue;
    const w = windowOn(day);
    if (t < w.end.getTime()) {
      const phase: SessionPhase = !s.isActive ? 'off' : t < w.start.getTime() ? 'upcoming' : 'live';
      return { phase, ...w };
    }
  }
  if (today < first) {
    const w = windowOn(first);
    return { phase: s.isActive ? 'upcoming' : 'off', ...w };
  }
  const w = windowOn(last);
  return { phase: s.isActive ? 'ended' : 'off', ...w };
}

/** For a daily session: startsAt = first day at dailyStart, endsAt = last day's window end. */
export function dailyRange(firstDay: string, lastDay: string, dailyStart: string, dailyMinutes: number): { startsAt: Date; endsAt: Date } {
  const startsAt = chinaInstant(firstDay, dailyStart);
  const endsAt = new Date(chinaInstant(lastDay, dailyStart).getTime() + dailyMinutes * 60_000);
  return { startsAt, endsAt };
}

/** Share sold, 0-100, rounded down (a progress bar never shows 100% while a unit is left). */
export function soldPercent(sold: number, stock: number): number {
  const total = sold + stock;
  if (total <= 0) return 100;
  return stock <= 0 ? 100 : Math.min(99, Math.floor((sold * 100) / total));
}

/** The per-member limit: units the member holds (placed, not released) plus this purchase. */
export function withinLimit(held: number, quantity: number, limit: number): boolean {
  return held + quantity <= limit;
}

/** ¥ with two decimals, for labels. */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
