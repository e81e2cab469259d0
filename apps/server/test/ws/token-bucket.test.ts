import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/ws/token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refills at its rate', () => {
    const b = new TokenBucket(100, 10, 0);
    expect(b.take(60, 0)).toBe(true);
    expect(b.take(60, 0)).toBe(false); // refused takes nothing
    expect(b.take(40, 0)).toBe(true);
    expect(b.take(10, 500)).toBe(false);
    expect(b.take(10, 1000)).toBe(true);
    expect(b.take(100, 1_000_000)).toBe(true); // never above capacity
    expect(b.take(1, 1_000_000)).toBe(false);
  });
});
