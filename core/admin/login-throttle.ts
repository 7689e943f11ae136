import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors.js';

export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_TRACKED = 10_000;

/**
 * Brute-force damping for admin sign-in: after 5 failed attempts for one e-mail within 15 minutes,
 * further attempts for that e-mail get 429 until the oldest failure leaves the window.
 * Kept in memory: per instance, and reset by a restart (documented in docs/admin.md).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Throws 429 when the e-mail is locked out; returns otherwise. */
  check(email: string, now = Date.now()): void {
    const recent = this.recent(email, now);
    if (recent.length >= MAX_FAILED_LOGINS) {
      const retryAfter = Math.max(1, Math.ceil((recent[0] + FAILED_LOGIN_WINDOW_MS - now) / 1000));
      throw new LoginThrottledError(retryAfter);
    }
  }

  fail(email: string, now = Date.now()): void {
    const key = normalize(email);
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent);
    if (this.failures.size > MAX_TRACKED) this.prune(now);
  }

  succeed(email: string): void {
    this.failures.delete(normalize(email));
  }

  private recent(email: string, now: number): number[] {
    return (this.failures.get(normalize(email)) ?? []).filter((t) => now - t < FAILED_LOGIN_WINDOW_MS);
  }

  private prune(now: number): void {
    for (const [k, times] of this.failures) if (!times.some((t) => now - t < FAILED_LOGIN_WINDOW_MS)) this.failures.delete(k);
    // still too many (a spray of e-mails): forget the oldest entries
    for (const k of this.failures.keys()) {
      if (this.failures.size <= MAX_TRACKED) break;
      this.failures.delete(k);
    }
  }
}

export class LoginThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', `Too many failed sign-in attempts for this e-mail; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`, 'email');
  }
}

function normalize(email: string): string {
  return email.trim().toLowerCase();
}
