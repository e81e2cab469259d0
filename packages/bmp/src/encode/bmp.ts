/** BMP message encoder: models (or partial inputs) → wire bytes; optionally wrapped in an OpenBMP header. */

import { parseIPv4, parseIPv6 } from '../address.ts';
import { finishCommonHeader, startCommonHeader } from '../bmp/common-header.ts';
import { encodePerPeerHeader, type PerPeerHeaderInput } from '../bmp/per-peer-header.ts';
import { encodeTlv, type TlvInput } from '../bmp/tlv.ts';
import { BmpType, STAT_TYPES } from '../models/iana.ts';
import { encodeOpenBmpHeader, type OpenBmpHeaderInput } from '../openbmp/header.ts';
import { type BgpMessageInput, type OpenInput, type UpdateInput, writeBgpMessage } from './bgp.ts';
import { checkMax, EncodeError, Writer } from './writer.ts';

export interface StatInput {
  type: number;
  value?: number | null;
  afi?: number | null;
  safi?: number | null;
  /** Exact value bytes; wins over value/afi/safi (keeps unknown and private types intact). */
  raw?: Uint8Array;
}

export type BmpMessageInput =
  | { type: 'route_monitoring'; peer: PerPeerHeaderInput; update: UpdateInput }
  | { type: 'statistics_report'; peer: PerPeerHeaderInput; stats: StatInput[] }
  | {
      type: 'peer_down';
      peer: PerPeerHeaderInput;
      reason: number;
      notification?: {
        code: number;
        subcode: number;
        data?: Uint8Array;
        shutdownMessage?: string | null;
      } | null;
      fsmCode?: number | null;
      data?: Uint8Array | null;
    }
  | {
      type: 'peer_up';
      peer: PerPeerHeaderInput;
      localAddress: string;
      localPort: number;
      remotePort: number;
      sentOpen: OpenInput;
      receivedOpen: OpenInput;
      information?: TlvInput[];
    }
  | { type: 'initiation'; information: TlvInput[] }
  | { type: 'termination'; information: TlvInput[] }
  | {
      type: 'route_mirroring';
      peer: PerPeerHeaderInput;
      tlvs: (
        | { type: 0; message: BgpMessageInput | null; raw?: Uint8Array }
        | { type: number; code?: number; raw?: Uint8Array }
      )[];
    };

const TYPE_CODES = {
  route_monitoring: BmpType.ROUTE_MONITORING,
  statistics_report: BmpType.STATISTICS_REPORT,
  peer_down: BmpType.PEER_DOWN,
  peer_up: BmpType.PEER_UP,
  initiation: BmpType.INITIATION,
  termination: BmpType.TERMINATION,
  route_mirroring: BmpType.ROUTE_MIRRORING,
} as const;

function writeStat(w: Writer, s: StatInput): void {
  if (s.raw) {
    checkMax('statistic length', s.raw.length, 0xffff);
    w.u16(s.type).u16(s.raw.length).bytes(s.raw);
    return;
  }
  const kind = STAT_TYPES[s.type]?.kind ?? 'gauge64';
  const v = s.value ?? 0;
  if (kind === 'counter32') {
    checkMax('counter32 statistic', v, 0xffffffff);
    w.u16(s.type).u16(4).u32(v);
  } else if (kind === 'afisafi_gauge64')
    w.u16(s.type)
      .u16(11)
      .u16(s.afi ?? 1)
      .u8(s.safi ?? 1)
      .u64(v);
  else w.u16(s.type).u16(8).u64(v);
}

/** Writes a BMP message into `w`. */
export function writeBmp(w: Writer, m: BmpMessageInput): void {
  const at = startCommonHeader(w, TYPE_CODES[m.type]);
  switch (m.type) {
    case 'route_monitoring':
      encodePerPeerHeader(w, m.peer);
      writeBgpMessage(w, { kind: 'update', ...m.update });
      break;
    case 'statistics_report':
      encodePerPeerHeader(w, m.peer);
      w.u32(m.stats.length);
      for (const s of m.stats) writeStat(w, s);
      break;
    case 'peer_down':
      encodePerPeerHeader(w, m.peer);
      w.u8(m.reason);
      if (m.notification) writeBgpMessage(w, { kind: 'notification', ...m.notification });
      else if (m.fsmCode != null) w.u16(m.fsmCode);
      else if (m.data) w.bytes(m.data);
      break;
    case 'peer_up': {
      encodePerPeerHeader(w, m.peer);
      const local = m.localAddress.includes(':') ? m.localAddress : null;
      const addrW = new Writer(16);
      if (local === null) {
        addrW.zeros(12);
        encodeIPv4Into(addrW, m.localAddress);
      } else encodeIPv6Into(addrW, local);
      w.bytes(addrW.finish()).u16(m.localPort).u16(m.remotePort);
      writeBgpMessage(w, { kind: 'open', ...m.sentOpen });
      writeBgpMessage(w, { kind: 'open', ...m.receivedOpen });
      for (const t of m.information ?? []) encodeTlv(w, t);
      break;
    }
    case 'initiation':
    case 'termination':
      for (const t of m.information) encodeTlv(w, t);
      break;
    case 'route_mirroring':
      encodePerPeerHeader(w, m.peer);
      for (const t of m.tlvs) {
        const tw = new Writer(64);
        if (t.raw) tw.bytes(t.raw);
        else if (t.type === 0 && 'message' in t && t.message) writeBgpMessage(tw, t.message);
        else if (t.type === 1 && 'code' in t && t.code != null) tw.u16(t.code);
        checkMax('route mirroring TLV length', tw.pos, 0xffff);
        w.u16(t.type).u16(tw.pos).bytes(tw.buf.subarray(0, tw.pos));
      }
      break;
  }
  finishCommonHeader(w, at);
}

function encodeIPv4Into(w: Writer, s: string): void {
  const b = parseIPv4(s);
  if (!b) throw new EncodeError(`IPv4 address "${s}"`, 0, 0);
  w.bytes(b);
}
function encodeIPv6Into(w: Writer, s: string): void {
  const b = parseIPv6(s);
  if (!b) throw new EncodeError(`IPv6 address "${s}"`, 0, 0);
  w.bytes(b);
}

/** Encodes one BMP message. */
export function encodeBmp(m: BmpMessageInput): Uint8Array {
  const w = new Writer(256);
  writeBmp(w, m);
  return w.finish();
}

/** Wraps BMP bytes in an OpenBMP v1.7 raw_bmp header, binary or text (`header.form`), as collectors publish. */
export function wrapOpenBmp(bmp: Uint8Array, header: OpenBmpHeaderInput): Uint8Array {
  const w = new Writer(bmp.length + 128);
  encodeOpenBmpHeader(w, header, bmp.length);
  w.bytes(bmp);
  return w.finish();
}
