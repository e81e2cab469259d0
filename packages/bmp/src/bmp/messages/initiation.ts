/** Initiation (RFC 7854 §4.3): information TLVs (sysDescr, sysName, free text). */
import type { Initiation } from '../../models/bmp.ts';
import { INFO_TLV_NAMES } from '../../models/iana.ts';
import { decodeInfoTlvs } from '../tlv.ts';

export function decodeInitiation(b: Uint8Array, o: number, end: number): Initiation {
  return { type: 'initiation', information: decodeInfoTlvs(b, o, end, INFO_TLV_NAMES, (t) => t <= 4) };
}
