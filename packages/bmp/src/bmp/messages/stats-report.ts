/** Statistics Report (RFC 7854 §4.8 and the IANA registry): a count, then (type, length, value) stats. */
import { fault } from '../../errors.ts';
import type { Stat, StatisticsReport } from '../../models/bmp.ts';
import { STAT_TYPES } from '../../models/iana.ts';
import { u16, u32, u64 } from '../../read.ts';
import { decodePerPeerHeader, PER_PEER_HEADER_LENGTH } from '../per-peer-header.ts';

export function decodeStatisticsReport(b: Uint8Array, o: number, end: number): StatisticsReport {
  const peer = decodePerPeerHeader(b, o, end);
  let p = o + PER_PEER_HEADER_LENGTH;
  if (p + 4 > end) fault('BMP_ERR_TRUNCATED', p, 'statistics count truncated');
  const count = u32(b, p);
  p += 4;
  const stats: Stat[] = [];
  // The count is untrusted: stop at the message end (a count larger than what fits is a fault).
  for (let i = 0; i < count; i++) {
    if (p + 4 > end) fault('BMP_ERR_MALFORMED', p, `statistics count ${count} but only ${i} stats fit`);
    const type = u16(b, p);
    const len = u16(b, p + 2);
    const v = p + 4;
    if (v + len > end) fault('BMP_ERR_MALFORMED', p, `statistic type ${type} overruns the message`);
    stats.push(decodeStat(type, b, v, len));
    p = v + len;
  }
  return { type: 'statistics_report', peer, stats };
}

function decodeStat(type: number, b: Uint8Array, v: number, len: number): Stat {
  const known = STAT_TYPES[type];
  const raw = b.subarray(v, v + len);
  if (known) {
    // Trust the length over the registry: vendors have sent 8-byte counters and 4-byte gauges.
    if (known.kind === 'afisafi_gauge64' && len === 11) {
      return {
        type,
        name: known.name,
        kind: known.kind,
        value: u64(b, v + 3),
        afi: u16(b, v),
        safi: b[v + 2],
        raw,
      };
    }
    if (known.kind !== 'afisafi_gauge64' && (len === 4 || len === 8)) {
      return {
        type,
        name: known.name,
        kind: known.kind,
        value: len === 4 ? u32(b, v) : u64(b, v),
        afi: null,
        safi: null,
        raw,
      };
    }
    return { type, name: known.name, kind: known.kind, value: null, afi: null, safi: null, raw };
  }
  const value = len === 4 ? u32(b, v) : len === 8 ? u64(b, v) : null;
  return { type, name: `unknown_${type}`, kind: 'unknown', value, afi: null, safi: null, raw };
}
