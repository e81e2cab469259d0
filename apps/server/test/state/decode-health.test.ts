import { describe, expect, it } from 'vitest';
import { type DecodeCounts, DecodeHealth } from '../../src/state/decode-health.ts';

/** Cumulative counters as the pipeline keeps them, advanced by hand. */
class Counts implements DecodeCounts {
  messages = 0;
  errors = 0;
  errorsByCode = new Map<string, number>();
  add(ok: number, errors: Record<string, number> = {}) {
    for (const [code, n] of Object.entries(errors)) {
      this.messages += n;
      this.errors += n;
      this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + n);
    }
    this.messages += ok;
  }
}

describe('DecodeHealth (injected clock)', () => {
  it('a source failing since start shows at the first look, with the commonest code', () => {
    let now = 1000;
    const h = new DecodeHealth(() => now);
    const c = new Counts();
    c.add(0, { OBMP_ERR_TEXT_HEADER: 900, OBMP_ERR_MAGIC: 10 });
    now += 5000;
    expect(h.check(c)).toEqual({ rate: 1, messages: 910, commonest: 'OBMP_ERR_TEXT_HEADER', failing: true });
  });

  it('judges the last minute only: an old burst of errors is forgiven, a new one is caught', () => {
    let now = 0;
    const h = new DecodeHealth(() => now);
    const c = new Counts();
    c.add(0, { BGP_ERR_UPDATE: 500 });
    for (let t = 0; t < 30; t++) {
      now += 5000; // 150 s of good traffic, looked at every 5 s
      c.add(100);
      h.check(c);
    }
    const healthy = h.check(c);
    expect(healthy.failing).toBe(false);
    expect(healthy.rate).toBe(0);
    expect(healthy.commonest).toBeNull();
    for (let t = 0; t < 13; t++) {
      now += 5000;
      c.add(10, { BGP_ERR_MARKER: 90 });
      h.check(c);
    }
    const v = h.check(c);
    expect(v.failing).toBe(true);
    expect(v.commonest).toBe('BGP_ERR_MARKER');
    expect(v.rate).toBeGreaterThan(0.5);
  });

  it('a few errors among few messages, or a low rate, is not failing', () => {
    let now = 0;
    const h = new DecodeHealth(() => now);
    const c = new Counts();
    c.add(0, { OBMP_ERR_MAGIC: 5 });
    now += 1000;
    expect(h.check(c)).toMatchObject({ failing: false, rate: 1, messages: 5 });
    c.add(1000, { OBMP_ERR_MAGIC: 100 });
    now += 1000;
    expect(h.check(c)).toMatchObject({ failing: false, commonest: 'OBMP_ERR_MAGIC' });
  });
});
