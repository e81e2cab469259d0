/**
 * Per-router decoding state. A router's Peer Up tells the truth about each peer's encodings (4-octet AS and
 * ADD-PATH capabilities in both OPENs); later Route Monitoring for that peer is decoded with it, whatever its
 * flags claim. Without a Peer Up the decoder falls back to heuristics and marks updates as guessed.
 */

import { parseIPv4 } from './address.ts';
import { bothFourOctet } from './bgp/open.ts';
import { familyBit, UNKNOWN_HINTS, type UpdateHints } from './bgp/update.ts';
import { decodeMessageAt } from './bmp/decode-message.ts';
import { decodePerPeerHeader, zeroDistinguisher } from './bmp/per-peer-header.ts';
import { type BmpError, toBmpError } from './errors.ts';
import type { BgpOpen } from './models/bgp.ts';
import type { BmpMessage, PeerUp, PerPeerHeader } from './models/bmp.ts';

const LEGACY_UNKNOWN: UpdateHints = { as4: false, addPath: null, known: false };
// Loc-RIB routes have no OPEN of their own: GoBGP, for one, keeps a 2-byte peer's paths 2-byte there, and
// sends path ids only if it chose to; both are left to the heuristics (which check the bytes).
const LOC_RIB_HINTS: UpdateHints = { as4: null, addPath: null, known: true };

/** Families where `sender` may send path ids and `receiver` accepts them (RFC 7911 §4). */
function addPathMask(sender: BgpOpen, receiver: BgpOpen): number {
  let mask = 0;
  for (const s of sender.capabilities) {
    if (s.name !== 'add_path') continue;
    for (const f of s.families) {
      if ((f.sendReceive & 2) === 0) continue;
      for (const r of receiver.capabilities) {
        if (r.name !== 'add_path') continue;
        for (const g of r.families) {
          if (g.afi === f.afi && g.safi === f.safi && (g.sendReceive & 1) !== 0)
            mask |= familyBit(f.afi, f.safi);
        }
      }
    }
  }
  return mask;
}

/** What one Peer Up taught us, as ready-made hint records (no allocation per Route Monitoring). */
class PeerKnowledge {
  readonly adjRibIn: UpdateHints;
  readonly adjRibInLegacy: UpdateHints;
  readonly adjRibOut: UpdateHints;
  readonly postPolicy: UpdateHints;
  readonly postPolicyLegacy: UpdateHints;

  constructor(up: PeerUp) {
    const as4 = bothFourOctet(up.sentOpen, up.receivedOpen);
    // Adj-RIB-In holds what the peer sent the router; Adj-RIB-Out what the router sent the peer.
    this.adjRibIn = { as4, addPath: addPathMask(up.receivedOpen, up.sentOpen), known: true };
    this.adjRibInLegacy = { as4: false, addPath: this.adjRibIn.addPath, known: true };
    this.adjRibOut = { as4, addPath: addPathMask(up.sentOpen, up.receivedOpen), known: true };
    this.adjRibOutLegacy = { as4: false, addPath: this.adjRibOut.addPath, known: true };
    // Post-policy routes of a 2-byte peer come 2-byte too from some routers (GoBGP: AS_TRANS, no AS4_PATH, no
    // A flag), and a 2-byte path can also parse as a 4-byte one: so the OPENs decide here as well.
    this.postPolicy = { as4, addPath: null, known: true };
    this.postPolicyLegacy = { as4: false, addPath: null, known: true };
  }

  readonly adjRibOutLegacy: UpdateHints;

  /** Hints for a (non-Loc-RIB) per-peer header's flags byte. */
  hints(flags: number): UpdateHints {
    // PeerFlag A 0x20, L 0x40, O 0x10 as literals (hot path: literals fold, imported constants are loads).
    const legacy = (flags & 0x20) !== 0;
    if ((flags & 0x40) !== 0) return legacy ? this.postPolicyLegacy : this.postPolicy;
    if ((flags & 0x10) !== 0) return legacy ? this.adjRibOutLegacy : this.adjRibOut;
    return legacy ? this.adjRibInLegacy : this.adjRibIn;
  }
}

function v4Key(peer: PerPeerHeader): number | null {
  if (peer.ipv6 || peer.distinguisher !== '0:0') return null;
  const b = parseIPv4(peer.address);
  return b === null ? null : ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function peerKey(peer: PerPeerHeader): string {
  return peer.distinguisher === '0:0' ? peer.address : peer.distinguisher + '|' + peer.address;
}

/** Stateless hints: only the flags, which a Peer Up would have let us check. */
export const statelessHints = {
  hintsFor(peer: PerPeerHeader): UpdateHints {
    return flagHints(peer.peerTypeCode, peer.flags);
  },
  hintsAt(b: Uint8Array, ph: number): UpdateHints {
    return flagHints(b[ph], b[ph + 1]);
  },
};

function flagHints(peerType: number, flags: number): UpdateHints {
  if (peerType === 3) return LOC_RIB_HINTS;
  return (flags & 0x20) !== 0 /* A */ ? LEGACY_UNKNOWN : UNKNOWN_HINTS;
}

/** Decoding state for one BMP speaker (one TCP connection, or one OpenBMP router hash). */
export class BmpSession {
  private readonly peers = new Map<string, PeerKnowledge>();
  /** The same knowledge for IPv4 peers without a distinguisher, by address number: the fast path's lookup. */
  private readonly v4Peers = new Map<number, PeerKnowledge>();
  private readonly slotKey = new Float64Array(64).fill(-1);
  private readonly slotValue = new Array<PeerKnowledge | undefined>(64).fill(undefined);

  /** Peers whose Peer Up has been seen and not followed by a Peer Down. */
  get knownPeers(): number {
    return this.peers.size;
  }

  hintsFor(peer: PerPeerHeader): UpdateHints {
    if (peer.peerTypeCode === 3) return LOC_RIB_HINTS;
    const k = this.peers.size === 0 ? undefined : this.peers.get(peerKey(peer));
    return k === undefined ? flagHints(peer.peerTypeCode, peer.flags) : k.hints(peer.flags);
  }

  /** hintsFor from the raw per-peer header at `ph` (no strings built for IPv4 peers). */
  hintsAt(b: Uint8Array, ph: number, peer?: PerPeerHeader): UpdateHints {
    const type = b[ph];
    const flags = b[ph + 1];
    if (type === 3 || this.peers.size === 0) return flagHints(type, flags);
    let k: PeerKnowledge | undefined;
    if ((flags & 0x80) /* V */ === 0 && zeroDistinguisher(b, ph + 2)) {
      const n = ((b[ph + 22] << 24) | (b[ph + 23] << 16) | (b[ph + 24] << 8) | b[ph + 25]) >>> 0;
      // Most messages come from a few peers: a direct-mapped slot answers before the Map (whose keys above
      // 2^30 are heap numbers, slow to hash).
      const slot = (n ^ (n >>> 8) ^ (n >>> 16)) & 63;
      if (this.slotKey[slot] === n) k = this.slotValue[slot];
      else {
        k = this.v4Peers.get(n);
        if (k !== undefined) {
          this.slotKey[slot] = n;
          this.slotValue[slot] = k;
        }
      }
    } else {
      k = this.peers.get(peerKey(peer ?? decodePerPeerHeader(b, ph, ph + 42)));
    }
    return k === undefined ? flagHints(type, flags) : k.hints(flags);
  }

  /** Updates the state from a decoded message (done by `decode`; call it yourself after decoding elsewhere). */
  observe(msg: BmpMessage): void {
    switch (msg.type) {
      case 'peer_up': {
        const k = new PeerKnowledge(msg);
        this.peers.set(peerKey(msg.peer), k);
        const v4 = v4Key(msg.peer);
        if (v4 !== null) this.v4Peers.set(v4, k);
        this.slotKey.fill(-1);
        break;
      }
      case 'peer_down': {
        this.peers.delete(peerKey(msg.peer));
        const v4 = v4Key(msg.peer);
        if (v4 !== null) this.v4Peers.delete(v4);
        this.slotKey.fill(-1);
        break;
      }
      case 'termination':
        this.reset();
        break;
    }
  }

  /** Decodes the BMP message at `offset` (the buffer may hold more after it, up to `end`) and learns from it. */
  decode(bytes: Uint8Array, offset = 0, end = bytes.length): BmpMessage | BmpError {
    try {
      const msg = decodeMessageAt(bytes, offset, end, this);
      // Route Monitoring teaches nothing: the check keeps observe() out of the hot path.
      if (msg.type !== 'route_monitoring') this.observe(msg);
      return msg;
    } catch (e) {
      return errorAt(e, bytes, offset, end);
    }
  }

  reset(): void {
    this.peers.clear();
    this.v4Peers.clear();
    this.slotKey.fill(-1);
  }
}

/** The typed error for a fault thrown while decoding the message at `offset` (out of line: rare). */
function errorAt(e: unknown, bytes: Uint8Array, offset: number, end: number): BmpError {
  return toBmpError(e, 0, end - offset >= 6 ? bytes[offset + 5] : null);
}

/** Decodes one BMP message without session state (encodings guessed from flags and the bytes). */
export function decodeBmp(bytes: Uint8Array, offset = 0, end = bytes.length): BmpMessage | BmpError {
  try {
    return decodeMessageAt(bytes, offset, end, statelessHints);
  } catch (e) {
    return errorAt(e, bytes, offset, end);
  }
}
