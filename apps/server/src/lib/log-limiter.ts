/**
 * Rate-limited logging for things that can happen at line rate (malformed input): at most `perWindow` lines per
 * key per window, then one summary of how many were suppressed. Keeps a flood from becoming a second outage.
 */
import type { FastifyBaseLogger } from 'fastify';

export class LogLimiter {
  private readonly windows = new Map<string, { start: number; logged: number; suppressed: number }>();

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly perWindow = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, obj: Record<string, unknown>, msg: string): void {
    const t = this.now();
    let w = this.windows.get(key);
    if (w === undefined || t - w.start >= this.windowMs) {
      if (w !== undefined && w.suppressed > 0)
        this.log.warn(
          { key, suppressed: w.suppressed },
          `${w.suppressed} more like "${key}" were not logged`,
        );
      w = { start: t, logged: 0, suppressed: 0 };
      this.windows.set(key, w);
    }
    if (w.logged < this.perWindow) {
      w.logged++;
      this.log.warn(obj, msg);
    } else w.suppressed++;
  }
}
