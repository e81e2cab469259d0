/** AGGREGATOR (7; 2- or 4-byte AS + IPv4) and AS4_AGGREGATOR (18, RFC 6793). */
import { formatIPv4 } from '../../address.ts';
import { checkMax, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import type { Aggregator } from '../../models/bgp.ts';
import { u16, u32 } from '../../read.ts';
import { encodeIPv4 } from './attr-03-09-10-addresses.ts';

/** The AS width follows the length (6 or 8 bytes), which is unambiguous, unlike AS_PATH. */
export function decodeAggregator(b: Uint8Array, o: number, end: number): Aggregator {
  const len = end - o;
  if (len === 8) return { asn: u32(b, o), address: formatIPv4(b, o + 4) };
  if (len === 6) return { asn: u16(b, o), address: formatIPv4(b, o + 2) };
  return fault('BGP_ERR_UPDATE', o, `AGGREGATOR must be 6 or 8 bytes, got ${len}`);
}

export function decodeAs4Aggregator(b: Uint8Array, o: number, end: number): Aggregator {
  if (end - o !== 8) fault('BGP_ERR_UPDATE', o, `AS4_AGGREGATOR must be 8 bytes, got ${end - o}`);
  return { asn: u32(b, o), address: formatIPv4(b, o + 4) };
}

export function encodeAggregator(w: Writer, agg: Aggregator, asnSize: 2 | 4): void {
  if (asnSize === 2) {
    checkMax('AGGREGATOR 2-byte ASN', agg.asn, 0xffff);
    w.u16(agg.asn);
  } else {
    checkMax('AGGREGATOR ASN', agg.asn, 0xffffffff);
    w.u32(agg.asn);
  }
  encodeIPv4(w, agg.address, 'AGGREGATOR address');
}
