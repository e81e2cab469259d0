/**
 * Canonical text of addresses, prefixes and keys, and the ASN check: one spelling for what clients send and what
 * the server emits, shared by both WebSocket endpoints.
 */
import { formatIPv4, formatIPv6, parseIP } from '@bmpwatch/bmp';
import { keyOf, type PrefixKey } from './prefix-key.ts';

export function isAsn(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}

/** Canonical text of an address (RFC 5952 for IPv6), or null. */
export function canonicalAddress(text: string): string | null {
  const b = parseIP(text);
  if (b === null) return null;
  return b.length === 4 ? formatIPv4(b, 0) : formatIPv6(b, 0);
}

/** Canonical text of a prefix, or null. */
export function canonicalPrefix(text: string): string | null {
  const k = keyOf(text);
  return k === null ? null : formatKey(k);
}

/** Canonical text of a key. */
export function formatKey(k: PrefixKey): string {
  const bytes = new Uint8Array(k.family === 4 ? 4 : 16);
  const words = [k.a, k.b, k.c, k.d];
  for (let i = 0; i < bytes.length; i++) bytes[i] = (words[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff;
  return (k.family === 4 ? formatIPv4(bytes, 0) : formatIPv6(bytes, 0)) + '/' + k.len;
}
