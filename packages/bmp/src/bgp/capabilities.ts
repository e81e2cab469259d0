/** BGP capabilities (RFC 5492) carried in OPEN optional parameters. */

import { checkMax, type Writer } from '../encode/writer.ts';
import type { AddPathFamily, Capability, GracefulRestartFamily } from '../models/bgp.ts';
import { Cap } from '../models/iana.ts';
import { u16, u32 } from '../read.ts';

/** Decodes one capability value; a malformed known one is kept as 'other' rather than failing the OPEN. */
export function decodeCapability(code: number, b: Uint8Array, o: number, end: number): Capability {
  const len = end - o;
  switch (code) {
    case Cap.MULTIPROTOCOL:
      if (len === 4) return { code: 1, name: 'multiprotocol', afi: u16(b, o), safi: b[o + 3] };
      break;
    case Cap.ROUTE_REFRESH:
    case Cap.ROUTE_REFRESH_CISCO:
      if (len === 0) return { code, name: 'route_refresh' };
      break;
    case Cap.FOUR_OCTET_AS:
      if (len === 4) return { code: 65, name: 'four_octet_as', asn: u32(b, o) };
      break;
    case Cap.ADD_PATH:
      if (len % 4 === 0) {
        const families: AddPathFamily[] = [];
        for (let p = o; p < end; p += 4)
          families.push({ afi: u16(b, p), safi: b[p + 2], sendReceive: b[p + 3] });
        return { code: 69, name: 'add_path', families };
      }
      break;
    case Cap.GRACEFUL_RESTART:
      if (len >= 2 && (len - 2) % 4 === 0) {
        const families: GracefulRestartFamily[] = [];
        for (let p = o + 2; p < end; p += 4) {
          families.push({ afi: u16(b, p), safi: b[p + 2], forwardingPreserved: (b[p + 3] & 0x80) !== 0 });
        }
        return {
          code: 64,
          name: 'graceful_restart',
          restartState: (b[o] & 0x80) !== 0,
          restartTime: u16(b, o) & 0x0fff,
          families,
        };
      }
      break;
  }
  return { code, name: 'other', value: b.subarray(o, end) };
}

export function encodeCapability(w: Writer, cap: Capability): void {
  w.u8(cap.code);
  const lenAt = w.reserve(1);
  const start = w.pos;
  switch (cap.name) {
    case 'multiprotocol':
      w.u16(cap.afi).u8(0).u8(cap.safi);
      break;
    case 'route_refresh':
      break;
    case 'four_octet_as':
      w.u32(cap.asn);
      break;
    case 'add_path':
      for (const f of cap.families) w.u16(f.afi).u8(f.safi).u8(f.sendReceive);
      break;
    case 'graceful_restart':
      checkMax('graceful restart time', cap.restartTime, 0x0fff);
      w.u16((cap.restartState ? 0x8000 : 0) | cap.restartTime);
      for (const f of cap.families)
        w.u16(f.afi)
          .u8(f.safi)
          .u8(f.forwardingPreserved ? 0x80 : 0);
      break;
    case 'other':
      w.bytes(cap.value);
      break;
  }
  checkMax('capability length', w.pos - start, 255);
  w.buf[lenAt] = w.pos - start;
}
