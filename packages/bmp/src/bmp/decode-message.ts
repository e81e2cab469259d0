/** One BMP message: common header → the body decoder for its type. Faults propagate to the API boundary. */
import { fault } from '../errors.ts';
import type { BmpMessage } from '../models/bmp.ts';
import { readCommonHeader } from './common-header.ts';
import { decodeInitiation } from './messages/initiation.ts';
import { decodePeerDown } from './messages/peer-down.ts';
import { decodePeerUp } from './messages/peer-up.ts';
import { decodeRouteMirroring } from './messages/route-mirroring.ts';
import { decodeRouteMonitoring, type HintSource } from './messages/route-monitoring.ts';
import { decodeStatisticsReport } from './messages/stats-report.ts';
import { decodeTermination } from './messages/termination.ts';

export function decodeMessageAt(b: Uint8Array, o: number, end: number, hints: HintSource): BmpMessage {
  const len = readCommonHeader(b, o, end);
  const type = b[o + 5];
  const body = o + 6; // COMMON_HEADER_LENGTH (a literal: imported constants are run-time loads)
  const mEnd = o + len;
  // Literal type codes (BmpType): imported constants would be loaded at run time on every message.
  switch (type) {
    case 0: // ROUTE_MONITORING
      return decodeRouteMonitoring(b, body, mEnd, hints);
    case 1: // STATISTICS_REPORT
      return decodeStatisticsReport(b, body, mEnd);
    case 2: // PEER_DOWN
      return decodePeerDown(b, body, mEnd);
    case 3: // PEER_UP
      return decodePeerUp(b, body, mEnd);
    case 4: // INITIATION
      return decodeInitiation(b, body, mEnd);
    case 5: // TERMINATION
      return decodeTermination(b, body, mEnd);
    case 6: // ROUTE_MIRRORING
      return decodeRouteMirroring(b, body, mEnd);
    default:
      return fault('BMP_ERR_TYPE', o + 5, `BMP message type ${type}`);
  }
}
