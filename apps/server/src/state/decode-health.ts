/**
 * A source whose messages mostly fail to decode is not healthy, however well its transport works (a collector
 * writing a header form we refuse, a topic of something else). This judges each source by its recent decode
 * error rate, from the pipeline's cumulative counters, sampled whenever health is read; the clock is injected.
 */

/** Cumulative counters of one source, as the pipeline keeps them. */
export interface DecodeCounts {
  messages: number;
  errors: number;
  errorsByCode: ReadonlyMap<string, number>;
}

export interface DecodeVerdict {
  /** Errors per message over the window (0 when nothing arrived). */
  rate: number;
  /** Messages over the window. */
  messages: number;
  /** The error code seen most over the window, or null. */
  commonest: string | null;
  /** True when at least `minMessages` arrived and at least `threshold` of them failed. */
  failing: boolean;
}

interface Sample {
  at: number;
  messages: number;
  errors: number;
  byCode: Map<string, number>;
}

export interface DecodeHealthOptions {
  /** How far back the rate looks. Default 60 s. */
  windowMs?: number;
  /** Fewer messages than this in the window never count as failing (one bad message is not a trend). */
  minMessages?: number;
  /** Error share from which the source is failing. Default 0.5. */
  threshold?: number;
}

export class DecodeHealth {
  private readonly samples: Sample[] = [];
  private readonly windowMs: number;
  private readonly minMessages: number;
  private readonly threshold: number;
  /** Samples closer together than this are not kept (health may be read many times a second). */
  private readonly sampleEveryMs: number;

  constructor(
    private readonly clock: () => number,
    opts: DecodeHealthOptions = {},
  ) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.minMessages = opts.minMessages ?? 20;
    this.threshold = opts.threshold ?? 0.5;
    this.sampleEveryMs = this.windowMs / 12;
    // Counting starts at zero: a source failing since start shows at the first look.
    this.samples.push({ at: clock(), messages: 0, errors: 0, byCode: new Map() });
  }

  check(c: DecodeCounts): DecodeVerdict {
    const now = this.clock();
    const s = this.samples;
    // The baseline: the oldest sample still inside the window (or the newest older one when none is inside,
    // so a window is always measured against something).
    while (s.length > 1 && s[1].at <= now - this.windowMs) s.shift();
    const last = s[s.length - 1];
    if (last === undefined || now - last.at >= this.sampleEveryMs)
      s.push({ at: now, messages: c.messages, errors: c.errors, byCode: new Map(c.errorsByCode) });
    const base = s[0];
    const messages = c.messages - base.messages;
    const errors = c.errors - base.errors;
    let commonest: string | null = null;
    let most = 0;
    for (const [code, n] of c.errorsByCode) {
      const d = n - (base.byCode.get(code) ?? 0);
      if (d > most) {
        most = d;
        commonest = code;
      }
    }
    // Errors can outnumber messages (garbage skipped inside one TCP read); the rate is capped at 1.
    const rate = messages > 0 ? Math.min(1, errors / messages) : errors > 0 ? 1 : 0;
    return {
      rate,
      messages,
      commonest,
      failing: Math.max(messages, errors) >= this.minMessages && rate >= this.threshold,
    };
  }
}
