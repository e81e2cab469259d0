/**
 * Per-router decoding state. A router's Peer Up tells the truth about each peer's encodings (4-octet AS and
 * ADD-PATH capabilities in both OPENs); later Route Monitoring for that peer is decoded with it, whatever its
 * flags claim. Without a Peer Up the decoder falls back to heuristics and marks updates as guessed.
 */

import { bothFourOctet } from './bgp/open.ts';
import { familyBit, UNKNOWN_HINTS, type UpdateHints } from './bgp/update.ts';
import { decodeMessageAt } from './bmp/decode-message.ts';
import { type BmpError, toBmpError } from './errors.ts';
import type { BgpOpen } from './models/bgp.ts';
import type { BmpMessage, PeerUp, PerPeerHeader } from './models/bmp.ts';

const LEGACY_UNKNOWN: UpdateHints = { as4: false, addPath: null, known: false };
const LOC_RIB_HINTS: UpdateHints = { as4: true, addPath: 0, known: true };

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
    // Post-policy routes are the router's own rendering: 4-byte, and usually without path ids.
    this.postPolicy = { as4: true, addPath: 0, known: true };
    this.postPolicyLegacy = { as4: false, addPath: 0, known: true };
  }

  hints(peer: PerPeerHeader): UpdateHints {
    if (peer.postPolicy) return peer.legacyAsPath ? this.postPolicyLegacy : this.postPolicy;
    if (peer.adjRibOut) return peer.legacyAsPath ? { ...this.adjRibOut, as4: false } : this.adjRibOut;
    return peer.legacyAsPath ? this.adjRibInLegacy : this.adjRibIn;
  }
}

function peerKey(peer: PerPeerHeader): string {
  return peer.distinguisher === '0:0' ? peer.address : peer.distinguisher + '|' + peer.address;
}

/** Stateless hints: only the flags, which a Peer Up would have let us check. */
export const statelessHints = {
  hintsFor(peer: PerPeerHeader): UpdateHints {
    if (peer.peerTypeCode === 3) return LOC_RIB_HINTS;
    return peer.legacyAsPath ? LEGACY_UNKNOWN : UNKNOWN_HINTS;
  },
};

/** Decoding state for one BMP speaker (one TCP connection, or one OpenBMP router hash). */
export class BmpSession {
  private readonly peers = new Map<string, PeerKnowledge>();

  /** Peers whose Peer Up has been seen and not followed by a Peer Down. */
  get knownPeers(): number {
    return this.peers.size;
  }

  hintsFor(peer: PerPeerHeader): UpdateHints {
    if (peer.peerTypeCode === 3) return LOC_RIB_HINTS;
    const k = this.peers.size === 0 ? undefined : this.peers.get(peerKey(peer));
    return k === undefined ? statelessHints.hintsFor(peer) : k.hints(peer);
  }

  /** Updates the state from a decoded message (done by `decode`; call it yourself after decoding elsewhere). */
  observe(msg: BmpMessage): void {
    switch (msg.type) {
      case 'peer_up':
        this.peers.set(peerKey(msg.peer), new PeerKnowledge(msg));
        break;
      case 'peer_down':
        this.peers.delete(peerKey(msg.peer));
        break;
      case 'termination':
        this.peers.clear();
        break;
    }
  }

  /** Decodes the BMP message at `offset` (the buffer may hold more after it) and learns from it. */
  decode(bytes: Uint8Array, offset = 0): BmpMessage | BmpError {
    try {
      const msg = decodeMessageAt(bytes, offset, bytes.length, this);
      this.observe(msg);
      return msg;
    } catch (e) {
      return toBmpError(e, 0, bytes.length - offset >= 6 ? bytes[offset + 5] : null);
    }
  }

  reset(): void {
    this.peers.clear();
  }
}

/** Decodes one BMP message without session state (encodings guessed from flags and the bytes). */
export function decodeBmp(bytes: Uint8Array, offset = 0): BmpMessage | BmpError {
  try {
    return decodeMessageAt(bytes, offset, bytes.length, statelessHints);
  } catch (e) {
    return toBmpError(e, 0, bytes.length - offset >= 6 ? bytes[offset + 5] : null);
  }
}
