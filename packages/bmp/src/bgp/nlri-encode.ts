/** NLRI encoding: the inverse of nlri.ts (used by the encoder). */
import { parsePrefix } from '../address.ts';
import { EncodeError, type Writer } from '../encode/writer.ts';
import type { Nlri } from '../models/bgp.ts';

export function encodeNlri(w: Writer, nlri: Nlri): void {
  for (let i = 0; i < nlri.prefixes.length; i++) {
    if (nlri.pathIds) w.u32(nlri.pathIds[i]);
    const p = parsePrefix(nlri.prefixes[i]);
    if (!p) throw new EncodeError(`prefix "${nlri.prefixes[i]}"`, 0, 0);
    if ((p.family === 4) !== (nlri.afi === 1))
      throw new EncodeError(`prefix family of ${nlri.prefixes[i]} vs AFI`, nlri.afi, 0);
    w.u8(p.length);
    w.bytes(p.bytes.subarray(0, (p.length + 7) >> 3));
  }
}
