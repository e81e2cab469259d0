import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/ws/json-depth.ts';

describe('nestsDeeperThan', () => {
  it('counts array and object nesting, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[[1]]}]}', 4)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\"[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  it('scans a megabyte of brackets quickly, unclosed or not', () => {
    const t = performance.now();
    expect(nestsDeeperThan('['.repeat(1 << 20), 16)).toBe(true);
    expect(nestsDeeperThan('"'.padEnd(1 << 20, '[') + '"', 16)).toBe(false);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
