/** Turns a RouteScan into comparable text (tests only: the fast path itself never builds strings). */
import { formatPrefix4, formatPrefix6 } from '../../src/address.ts';
import { type RouteScan, WITHDRAW } from '../../src/scan.ts';

export function scanEntries(s: RouteScan): string[] {
  const out: string[] = [];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < s.count; i++) {
    for (let k = 0; k < 4; k++) {
      const w = s.addr[i * 4 + k];
      bytes[k * 4] = w >>> 24;
      bytes[k * 4 + 1] = (w >>> 16) & 255;
      bytes[k * 4 + 2] = (w >>> 8) & 255;
      bytes[k * 4 + 3] = w & 255;
    }
    const prefix =
      s.family[i] === 4 ? formatPrefix4(bytes, 0, s.length[i]) : formatPrefix6(bytes, 0, s.length[i]);
    out.push(`${s.kind[i] === WITHDRAW ? 'withdraw' : 'announce'} ${prefix} ${s.pathId[i]}`);
  }
  return out;
}
