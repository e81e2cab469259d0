/**
 * EXTENDED_COMMUNITIES (RFC 4360): 8-byte values, shown as text. Route target and site of origin of the three
 * transitive "specific" types get names ("rt:65001:100", "soo:192.0.2.1:7", "rt:4200000001:5"; a 4-octet-AS
 * one with a small ASN is marked "L" as in "rt:65001L:100" so the text maps back to exactly one encoding).
 * Everything else is "0x" and 16 hex digits.
 */
import { formatIPv4, parseIPv4 } from '../../address.ts';
import { EncodeError, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import { hex, u16, u32 } from '../../read.ts';

const SUBTYPE_NAMES: Record<number, string> = { 2: 'rt', 3: 'soo' };

export function formatExtCommunity(b: Uint8Array, o: number): string {
  const type = b[o];
  const name = SUBTYPE_NAMES[b[o + 1]];
  if (name !== undefined) {
    if (type === 0x00) return name + ':' + u16(b, o + 2) + ':' + u32(b, o + 4);
    if (type === 0x01) return name + ':' + formatIPv4(b, o + 2) + ':' + u16(b, o + 6);
    if (type === 0x02) {
      const asn = u32(b, o + 2);
      return name + ':' + asn + (asn <= 0xffff ? 'L' : '') + ':' + u16(b, o + 6);
    }
  }
  return '0x' + hex(b, o, o + 8);
}

export function decodeExtCommunities(b: Uint8Array, o: number, end: number): string[] {
  const len = end - o;
  if ((len & 7) !== 0) fault('BGP_ERR_UPDATE', o, 'EXTENDED_COMMUNITIES length is not a multiple of 8');
  const out = new Array<string>(len >> 3);
  for (let i = 0; o < end; o += 8, i++) out[i] = formatExtCommunity(b, o);
  return out;
}

const NAME_SUBTYPES: Record<string, number> = { rt: 2, soo: 3 };

/** Encodes one extended community from its text form (the inverse of formatExtCommunity). */
export function encodeExtCommunity(w: Writer, text: string): void {
  const bad = () => new EncodeError(`extended community text "${text}"`, 0, 0);
  if (/^0x[0-9a-f]{16}$/i.test(text)) {
    for (let i = 2; i < 18; i += 2) w.u8(parseInt(text.slice(i, i + 2), 16));
    return;
  }
  const m = /^(rt|soo):([^:]+):(\d+)$/.exec(text);
  if (!m) throw bad();
  const sub = NAME_SUBTYPES[m[1]];
  const admin = m[2];
  const local = Number(m[3]);
  const v4 = parseIPv4(admin);
  if (v4) {
    if (local > 0xffff) throw bad();
    w.u8(0x01).u8(sub).bytes(v4).u16(local);
  } else if (/^\d+L$/.test(admin) || (/^\d+$/.test(admin) && Number(admin) > 0xffff)) {
    const asn = Number(admin.replace('L', ''));
    if (asn > 0xffffffff || local > 0xffff) throw bad();
    w.u8(0x02).u8(sub).u32(asn).u16(local);
  } else if (/^\d+$/.test(admin)) {
    if (local > 0xffffffff) throw bad();
    w.u8(0x00).u8(sub).u16(Number(admin)).u32(local);
  } else throw bad();
}
