/**
 * The address and prefix formatters (table lookups and small caches) against a slow, obvious reference: groups via
 * toString(16), then the RFC 5952 rules of the tshark cross-check's `canonicalIpv6`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIPv4,
  formatIPv4Cached,
  formatIPv6,
  formatIPv6Cached,
  formatPrefix4,
  formatPrefix6,
} from '../src/address.ts';
import { canonicalIpv6 } from './support/tshark.ts';

function slowIPv4(b: Uint8Array): string {
  return Array.from(b.subarray(0, 4)).join('.');
}

function slowIPv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b[i] * 256 + b[i + 1]);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${slowIPv4(b.subarray(12))}`;
  }
  // The RFC 5952 reference the tshark cross-check already uses.
  return canonicalIpv6(groups.map((g) => g.toString(16)).join(':'));
}

/** The prefix's bytes with host bits cleared, padded to the family's size. */
function masked(b: Uint8Array, size: number, len: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let bit = 0; bit < len; bit++)
    if (b[bit >> 3] & (0x80 >> (bit & 7))) out[bit >> 3] |= 0x80 >> (bit & 7);
  return out;
}

/** Bytes with many zero groups and the odd 0xff, so zero runs, ties and IPv4-mapped forms all occur. */
const bytes16 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xff), fc.integer({ min: 0, max: 255 })), {
    minLength: 16,
    maxLength: 16,
  })
  .map((a) => Uint8Array.from(a));
const mapped = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 })
  .map((v4) => Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]));

describe('address text', () => {
  it('IPv6 matches the reference (plain and through the cache)', () => {
    fc.assert(
      fc.property(fc.oneof(bytes16, mapped), (b) => {
        const want = slowIPv6(b);
        expect(formatIPv6(b, 0)).toBe(want);
        expect(formatIPv6Cached(b, 0)).toBe(want);
        expect(formatIPv6Cached(b, 0)).toBe(want); // a hit returns the same text
      }),
      { numRuns: 20_000 },
    );
  });

  it('the IPv6 caches never hand out another address’s text when slots collide', () => {
    // Flipping 0x0101 in one 32-bit word keeps both caches' slot (their hashes fold it to zero), so each pair
    // below shares a slot and differs in exactly one word of the key.
    fc.assert(
      fc.property(bytes16, fc.integer({ min: 0, max: 3 }), (base, word) => {
        const other = base.slice();
        other[4 * word + 2] ^= 1;
        other[4 * word + 3] ^= 1;
        for (const b of [base, other, base, other]) {
          expect(formatIPv6Cached(b, 0)).toBe(slowIPv6(b));
          expect(formatIPv6(b, 0)).toBe(slowIPv6(b));
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('IPv4 matches the reference (plain and through the cache)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(formatIPv4(b, 0)).toBe(slowIPv4(b));
        expect(formatIPv4Cached(b, 0)).toBe(slowIPv4(b));
      }),
      { numRuns: 5_000 },
    );
  });

  it('prefixes are canonical: host bits cleared, only the bytes on the wire read', () => {
    fc.assert(
      fc.property(bytes16, fc.integer({ min: 0, max: 128 }), (b, len) => {
        // NLRI carries ceil(len / 8) bytes; what follows them belongs to the next entry.
        const wire = b.slice(0, (len + 7) >> 3);
        expect(formatPrefix6(wire, 0, len)).toBe(`${slowIPv6(masked(wire, 16, len))}/${len}`);
        if (len <= 32) expect(formatPrefix4(wire, 0, len)).toBe(`${slowIPv4(masked(wire, 4, len))}/${len}`);
      }),
      { numRuns: 20_000 },
    );
  });
});
