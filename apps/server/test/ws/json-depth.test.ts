import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/ws/json-depth.ts';

/** `text` as a String object that counts the characters the scan reads (through charCodeAt, as it does). */
function counted(text: string): { text: string; reads: () => number } {
  let reads = 0;
  const wrapped = Object.assign(new String(text), {
    charCodeAt(i: number): number {
      reads++;
      return text.charCodeAt(i);
    },
  });
  return { text: wrapped as unknown as string, reads: () => reads };
}

describe('nestsDeeperThan', () => {
  it('counts array and object nesting, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[[1]]}]}', 4)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\"[[[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  // Characters read, not time taken: one pass is what keeps a megabyte cheap, on a busy machine or not.
  it('reads each character of a megabyte once, and stops at the first bracket too deep', () => {
    const unclosed = counted('['.repeat(1 << 20));
    expect(nestsDeeperThan(unclosed.text, 16)).toBe(true);
    expect(unclosed.reads()).toBe(17);
    const quoted = counted('"'.padEnd(1 << 20, '[') + '"');
    expect(nestsDeeperThan(quoted.text, 16)).toBe(false);
    expect(quoted.reads()).toBe(quoted.text.length);
  });
});
