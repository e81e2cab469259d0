/** Termination (RFC 7854 §4.5): information TLVs, type 1 holding a 2-byte reason code. */
import type { Termination } from '../../models/bmp.ts';
import { TERMINATION_REASONS, TERMINATION_TLV_NAMES } from '../../models/iana.ts';
import { u16 } from '../../read.ts';
import { decodeInfoTlvs } from '../tlv.ts';

export function decodeTermination(b: Uint8Array, o: number, end: number): Termination {
  const information = decodeInfoTlvs(b, o, end, TERMINATION_TLV_NAMES, (t) => t === 0);
  let reason: number | null = null;
  for (const t of information) if (t.type === 1 && t.raw.length === 2) reason = u16(t.raw, 0);
  return {
    type: 'termination',
    information,
    reason,
    reasonName: reason === null ? null : (TERMINATION_REASONS[reason] ?? `reason_${reason}`),
  };
}
