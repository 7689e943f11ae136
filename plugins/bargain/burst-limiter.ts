/**
 * A small in-memory sliding-window limiter (per app instance) against scripted helpers: each key
 * (member or IP) may make `limit` attempts per window. Attempts count whether they succeed or not.
 */
export class BurstLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(private readonly windowMs = 60_000) {}

  /** Records an attempt; false when the key is over its limit (the attempt is still recorded). */
  hit(key: string, limit: number, now = Date.now()): boolean {
    this.sweep(now);
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    list.push(now);
    this.hits.set(key, list);
    return list.length <= limit;
  }

  reset(): void {
    this.hits.clear();
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const since = now - this.windowMs;
    for (const [key, list] of this.hits) if (!list.some((t) => t > since)) this.hits.delete(key);
  }
}
