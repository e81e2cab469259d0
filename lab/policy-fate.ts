import { IMPORT_POLICY } from './gobgp-config.ts';

/** What GoBGP's import policy does to a route: it decides pre- vs post-policy expectations. */
export type PolicyFate = 'reject' | 'modify' | 'accept';

function v4Bits(addr: string): bigint {
  return addr.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function v6Bits(addr: string): bigint {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/** true if `prefix` lies inside `range` and its length is within `lengths` ("min..max"). */
export function prefixInRange(prefix: string, range: string, lengths: string): boolean {
  const [addr, lenText] = prefix.split('/');
  const [rangeAddr, rangeLenText] = range.split('/');
  const v6 = addr.includes(':');
  if (v6 !== rangeAddr.includes(':')) return false;
  const width = v6 ? 128n : 32n;
  const bits = v6 ? v6Bits : v4Bits;
  const len = Number(lenText);
  const rangeLen = BigInt(Number(rangeLenText));
  const [min, max] = lengths.split('..').map(Number);
  if (len < min || len > max) return false;
  const shift = width - rangeLen;
  return bits(addr) >> shift === bits(rangeAddr) >> shift;
}

/** Mirrors the statements of the `lab-import` policy in gobgp-config.ts, in the same order. */
export function policyFate(prefix: string, communities: readonly string[]): PolicyFate {
  const p = IMPORT_POLICY;
  if (prefixInRange(prefix, p.rejectV4.prefix, p.rejectV4.range)) return 'reject';
  if (prefixInRange(prefix, p.rejectV6.prefix, p.rejectV6.range)) return 'reject';
  if (communities.includes(p.tagCommunity)) return 'modify';
  return 'accept';
}
