/** Information TLVs (RFC 7854 §4.4): 2-byte type, 2-byte length, value. Used by Initiation, Termination, Peer Up. */

import { checkMax, utf8, type Writer } from '../encode/writer.ts';
import { fault } from '../errors.ts';
import type { InfoTlv } from '../models/bmp.ts';
import { u16, utf8Text } from '../read.ts';

/** Walks TLVs in [o, end); `names` maps types to names; `isText` says which types hold UTF-8 text. */
export function decodeInfoTlvs(
  b: Uint8Array,
  o: number,
  end: number,
  names: Record<number, string>,
  isText: (type: number) => boolean,
): InfoTlv[] {
  const out: InfoTlv[] = [];
  while (o < end) {
    if (o + 4 > end) fault('BMP_ERR_MALFORMED', o, 'information TLV header truncated');
    const type = u16(b, o);
    const vEnd = o + 4 + u16(b, o + 2);
    if (vEnd > end) fault('BMP_ERR_MALFORMED', o, `information TLV type ${type} overruns the message`);
    out.push({
      type,
      name: names[type] ?? 'unknown',
      value: isText(type) ? utf8Text(b, o + 4, vEnd) : null,
      raw: b.subarray(o + 4, vEnd),
    });
    o = vEnd;
  }
  return out;
}

export interface TlvInput {
  type: number;
  /** Text value; or give `raw`. */
  value?: string | null;
  raw?: Uint8Array;
}

export function encodeTlv(w: Writer, t: TlvInput): void {
  const bytes = t.value != null ? utf8(t.value) : (t.raw ?? new Uint8Array(0));
  checkMax('TLV length', bytes.length, 0xffff);
  w.u16(t.type).u16(bytes.length).bytes(bytes);
}
