/** BGP NOTIFICATION (RFC 4271 §4.5), with the RFC 8203 / 9003 shutdown communication. */

import { utf8, type Writer } from '../encode/writer.ts';
import { fault } from '../errors.ts';
import type { BgpNotification } from '../models/bgp.ts';
import { CEASE_SUBCODES, NOTIFICATION_CODES } from '../models/iana.ts';
import { utf8Strict } from '../read.ts';

export function decodeNotification(b: Uint8Array, o: number, end: number): BgpNotification {
  if (end - o < 2) fault('BGP_ERR_LENGTH', o, 'NOTIFICATION shorter than code and subcode');
  const code = b[o];
  const subcode = b[o + 1];
  const data = b.subarray(o + 2, end);
  let shutdownMessage: string | null = null;
  if (code === 6 && (subcode === 2 || subcode === 4) && data.length >= 1 && data[0] + 1 <= data.length) {
    shutdownMessage = utf8Strict(data, 1, 1 + data[0]);
  }
  return {
    kind: 'notification',
    code,
    subcode,
    codeName: NOTIFICATION_CODES[code] ?? `code_${code}`,
    subcodeName: code === 6 ? (CEASE_SUBCODES[subcode] ?? null) : null,
    data,
    shutdownMessage,
  };
}

export function encodeNotification(
  w: Writer,
  n: { code: number; subcode: number; data?: Uint8Array; shutdownMessage?: string | null },
): void {
  w.u8(n.code).u8(n.subcode);
  if (n.shutdownMessage) {
    const text = utf8(n.shutdownMessage);
    w.u8(text.length).bytes(text);
  } else if (n.data) w.bytes(n.data);
}
