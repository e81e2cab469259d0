/**
 * What `bmpwatch decode` counts while it decodes, for `--summary` and the closing line on stderr. Per message
 * it does no allocation: types are counted by their code, route changes from the update's prefix lists, and
 * peers are told apart by their per-peer header bytes (a direct-mapped slot, then a byte-keyed map).
 */
import {
  announceCount,
  BMP_TYPE_NAMES,
  type BmpMessage,
  BmpType,
  ByteKeyMap,
  withdrawCount,
} from '@bmpwatch/bmp';

export class Tally {
  messages = 0;
  bytes = 0;
  announce = 0;
  withdraw = 0;
  guessed = 0;
  /** Messages per BMP type code, and the codes in the order they were first seen. */
  private readonly byCode = new Float64Array(256);
  private readonly firstSeen: number[] = [];
  readonly errors = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  private readonly peers = new ByteKeyMap<true>();
  private readonly slotAddr = new Float64Array(64).fill(-1);
  private readonly slotAsn = new Float64Array(64).fill(-1);

  /** `countPeers`: tell peers apart (for --summary; the other modes do not print it). */
  constructor(private readonly countPeers: boolean) {}

  /** Counts a decoded message found at [start, …) of `b`. */
  message(msg: BmpMessage, b: Uint8Array, start: number): void {
    this.messages++;
    const code = b[start + 5];
    if (this.byCode[code]++ === 0) this.firstSeen.push(code);
    // Every decoded type but Initiation and Termination carries a per-peer header (RFC 7854 §4.2).
    if (this.countPeers && code !== BmpType.INITIATION && code !== BmpType.TERMINATION)
      this.peer(b, start + 6);
    if (msg.type === 'route_monitoring') {
      const u = msg.update;
      if (u.encoding.guessed) this.guessed++;
      if (u.warnings)
        for (const w of u.warnings) this.warnings.set(w.code, (this.warnings.get(w.code) ?? 0) + 1);
      this.announce += announceCount(msg);
      this.withdraw += withdrawCount(msg);
    }
  }

  /** Messages per type name, in the order the types were first seen. */
  get byType(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const code of this.firstSeen) out[BMP_TYPE_NAMES[code]] = this.byCode[code];
    return out;
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  get errorCount(): number {
    let n = 0;
    for (const c of this.errors.values()) n += c;
    return n;
  }

  /**
   * A peer is its address and AS (as the decoder renders them): an IPv4 peer (no V flag) by the last 4 of the 16
   * address bytes, an IPv6 one by all 16.
   */
  private peer(b: Uint8Array, ph: number): void {
    const v6 = (b[ph + 1] & 0x80) !== 0;
    // Most messages come from a few IPv4 peers: a direct-mapped slot answers before the map.
    let slot = -1;
    let addr = 0;
    let asn = 0;
    if (!v6) {
      addr = ((b[ph + 22] << 24) | (b[ph + 23] << 16) | (b[ph + 24] << 8) | b[ph + 25]) >>> 0;
      asn = ((b[ph + 26] << 24) | (b[ph + 27] << 16) | (b[ph + 28] << 8) | b[ph + 29]) >>> 0;
      slot = (Math.imul(addr, 0x9e3779b1) ^ Math.imul(asn, 0x85ebca6b)) >>> 26;
      if (this.slotAddr[slot] === addr && this.slotAsn[slot] === asn) return;
    }
    const at = v6 ? ph + 10 : ph + 22;
    const tag = v6 ? 6 : 4;
    if (this.peers.get(b, at, ph + 30, tag) === undefined) this.peers.add(b, at, ph + 30, tag, true);
    if (slot >= 0) {
      this.slotAddr[slot] = addr;
      this.slotAsn[slot] = asn;
    }
  }

  get peerCount(): number {
    return this.peers.size;
  }
}

export const asObject = (m: Map<string, number>): Record<string, number> => Object.fromEntries(m);
