/**
 * BGP UPDATE (RFC 4271 §4.3) → BgpUpdate. Framing faults (lengths that overrun) fault the message; a bad
 * attribute only produces an RFC 7606 warning and the rest is still decoded. The variable encodings (2- vs
 * 4-byte AS_PATH, ADD-PATH ids) come from `hints` but are checked against the bytes before being used.
 */
import { Fault, fault } from '../errors.ts';
import type {
  BgpUpdate,
  PathAttributes,
  UpdateEncoding,
  UpdateWarning,
  WarningAction,
} from '../models/bgp.ts';
import { AS_TRANS, Attr, AttrFlag } from '../models/iana.ts';
import { decodeOrigin } from './attributes/attr-01-origin.ts';
import { chooseAsnWidth, decodeAsPath, mergeAs4Path } from './attributes/attr-02-17-as-path.ts';
import { decodeClusterList, decodeIPv4Attr } from './attributes/attr-03-09-10-addresses.ts';
import { decodeU32Attr } from './attributes/attr-04-05-35-u32.ts';
import { decodeAggregator, decodeAs4Aggregator } from './attributes/attr-07-18-aggregator.ts';
import { decodeCommunities } from './attributes/attr-08-communities.ts';
import { decodeMpReach, decodeMpUnreach } from './attributes/attr-14-15-mp-nlri.ts';
import { decodeExtCommunities } from './attributes/attr-16-ext-communities.ts';
import { decodeLargeCommunities } from './attributes/attr-32-large-communities.ts';
import { EMPTY_IPV4_NLRI, readNlri } from './nlri.ts';
import { emptyAttributes } from './path-attributes.ts';

/** What the session knows about a peer's encodings; null fields mean "unknown, use a heuristic". */
export interface UpdateHints {
  /** AS_PATH uses 4-byte ASNs. */
  as4: boolean | null;
  /** Bitmask (familyBit) of address families whose NLRI carry ADD-PATH ids. */
  addPath: number | null;
  /** True when the hints come from the peer's Peer Up (so the result is not a guess). */
  known: boolean;
}

export const UNKNOWN_HINTS: UpdateHints = { as4: null, addPath: null, known: false };

/** Bit of an address family in an ADD-PATH mask: IPv4/IPv6 × unicast/multicast; 0 for others. */
export function familyBit(afi: number, safi: number): number {
  if ((afi !== 1 && afi !== 2) || (safi !== 1 && safi !== 2)) return 0;
  return 1 << ((afi - 1) * 2 + (safi - 1));
}

function addPathFor(hints: UpdateHints, afi: number, safi: number): boolean | null {
  return hints.addPath === null ? null : (hints.addPath & familyBit(afi, safi)) !== 0;
}

/** RFC 7606 §7 action for a malformed attribute of each code. */
function actionFor(code: number): WarningAction {
  switch (code) {
    case Attr.ATOMIC_AGGREGATE:
    case Attr.AGGREGATOR:
    case Attr.AS4_PATH:
    case Attr.AS4_AGGREGATOR:
      return 'attribute_discard';
    default:
      return 'treat_as_withdraw';
  }
}

/** The eight possible UpdateEncoding values, shared (frozen) instead of allocated per update. */
const ENCODINGS: readonly UpdateEncoding[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
  Object.freeze({ as4: (i & 4) !== 0, addPath: (i & 2) !== 0, guessed: (i & 1) !== 0 }),
);

// Module-level scratch, safe because decoding is synchronous and never re-entered.
const choice = { addPath: false };
const segments = { count: 0 };
const seen = new Uint32Array(256);
/** Warnings of the update being decoded; copied out only when there are any. */
const pending: UpdateWarning[] = [];
let generation = 0;

/** What the attribute walk found besides the attributes themselves (one reused record). */
class Walk {
  treatAsWithdraw = false;
  asPathO = -1;
  asPathEnd = -1;
  as4PathO = -1;
  as4PathEnd = -1;
  attrCount = 0;
  addPathUsed = false;
}
const walk = new Walk();

export function decodeUpdate(b: Uint8Array, o: number, end: number, hints: UpdateHints): BgpUpdate {
  if (end - o < 4) fault('BGP_ERR_UPDATE', o, 'UPDATE shorter than its two length fields');
  const wStart = o + 2;
  const wEnd = wStart + ((b[o] << 8) | b[o + 1]);
  if (wEnd + 2 > end) fault('BGP_ERR_UPDATE', o, 'withdrawn routes length overruns the UPDATE');
  const aStart = wEnd + 2;
  const aEnd = aStart + ((b[wEnd] << 8) | b[wEnd + 1]);
  if (aEnd > end) fault('BGP_ERR_UPDATE', wEnd, 'total path attribute length overruns the UPDATE');

  const attrs = emptyAttributes();
  if (pending.length !== 0) pending.length = 0;
  // The walk is its own function: the JIT then inlines each half's small helpers within its own budget.
  const w = walkAttributes(b, aStart, aEnd, attrs, hints);
  let treatAsWithdraw = w.treatAsWithdraw;
  let addPathUsed = w.addPathUsed;
  const asPathO = w.asPathO;

  // AS_PATH width: the session's if the bytes fit it, else what fits, else the likelier (routers' flags lie).
  let as4 = hints.as4 !== false;
  if (asPathO >= 0) {
    const width = chooseAsnWidth(b, asPathO, w.asPathEnd, hints.as4, w.as4PathO >= 0, segments);
    if (width !== -1) as4 = width === 4;
    try {
      attrs.asPath = decodeAsPath(b, asPathO, w.asPathEnd, as4 ? 4 : 2, width === -1 ? -1 : segments.count);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      treatAsWithdraw = true;
      pending.push(warn('BGP_WARN_ATTRIBUTE', Attr.AS_PATH, asPathO, 'treat_as_withdraw', e.detail));
    }
  }
  if (w.as4PathO >= 0) {
    try {
      attrs.as4Path = decodeAsPath(b, w.as4PathO, w.as4PathEnd, 4);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      pending.push(warn('BGP_WARN_ATTRIBUTE', Attr.AS4_PATH, w.as4PathO, 'attribute_discard', e.detail));
    }
  }
  if (!as4) applyAs4(b, aStart, aEnd, attrs);

  // Most UPDATEs leave one of the two IPv4 fields empty: those share one frozen empty NLRI.
  let withdrawn = EMPTY_IPV4_NLRI;
  if (wEnd > wStart) {
    withdrawn = readNlri(b, wStart, wEnd, 1, 1, addPathFor(hints, 1, 1), choice);
    addPathUsed ||= choice.addPath;
  }
  let announced = EMPTY_IPV4_NLRI;
  if (end > aEnd) {
    announced = readNlri(b, aEnd, end, 1, 1, addPathFor(hints, 1, 1), choice);
    addPathUsed ||= choice.addPath;
  }

  const hasNlri = announced.prefixes.length > 0 || (attrs.mpReach?.nlri?.prefixes.length ?? 0) > 0;
  if (hasNlri && !treatAsWithdraw) {
    // RFC 7606 §3 (d): a missing well-known mandatory attribute makes the update treat-as-withdraw.
    const missing =
      attrs.origin === null
        ? Attr.ORIGIN
        : asPathO < 0
          ? Attr.AS_PATH
          : announced.prefixes.length > 0 && attrs.nextHop === null
            ? Attr.NEXT_HOP
            : 0;
    if (missing !== 0) {
      treatAsWithdraw = true;
      pending.push(
        warn(
          'BGP_WARN_MISSING',
          missing,
          aStart,
          'treat_as_withdraw',
          `well-known attribute ${missing} missing`,
        ),
      );
    }
  }

  return {
    kind: 'update',
    withdrawn,
    attributes: attrs,
    announced,
    endOfRib: endOfRib(wEnd - wStart, w.attrCount, end - aEnd, attrs),
    treatAsWithdraw,
    warnings: pending.length === 0 ? null : pending.slice(),
    encoding: ENCODINGS[(as4 ? 4 : 0) + (addPathUsed ? 2 : 0) + (hints.known ? 0 : 1)],
  };
}

/**
 * Walks the path attributes in [aStart, aEnd) into `attrs`; AS_PATH and AS4_PATH are only located (their
 * width is chosen afterwards). Warnings go to `pending`; the rest of what it found is in the returned record.
 */
function walkAttributes(
  b: Uint8Array,
  aStart: number,
  aEnd: number,
  attrs: PathAttributes,
  hints: UpdateHints,
): Walk {
  const w = walk;
  w.treatAsWithdraw = false;
  w.asPathO = -1;
  w.asPathEnd = -1;
  w.as4PathO = -1;
  w.as4PathEnd = -1;
  w.addPathUsed = false;
  let attrCount = 0;
  if (++generation === 0xffffffff) {
    seen.fill(0);
    generation = 1;
  }
  const gen = generation;

  let p = aStart;
  while (p < aEnd) {
    const at = p;
    // RFC 7606 §4: an attribute that overruns the attribute field ends the walk; the update is treat-as-withdraw.
    if (p + 3 > aEnd) {
      pending.push(overrun(0, at, 'attribute header overruns the attribute field'));
      w.treatAsWithdraw = true;
      break;
    }
    const flags = b[p];
    const code = b[p + 1];
    let len: number;
    if ((flags & 0x10) !== 0 /* extended length */) {
      if (p + 4 > aEnd) {
        pending.push(overrun(code, at, 'attribute header overruns the attribute field'));
        w.treatAsWithdraw = true;
        break;
      }
      len = (b[p + 2] << 8) | b[p + 3];
      p += 4;
    } else {
      len = b[p + 2];
      p += 3;
    }
    const vEnd = p + len;
    if (vEnd > aEnd) {
      pending.push(overrun(code, at, `attribute ${code} length ${len} overruns the attribute field`));
      w.treatAsWithdraw = true;
      break;
    }
    attrCount++;
    if (seen[code] === gen) {
      pending.push(
        warn('BGP_WARN_DUPLICATE', code, at, 'attribute_discard', `duplicate attribute ${code} discarded`),
      );
      p = vEnd;
      continue;
    }
    seen[code] = gen;
    try {
      switch (code) {
        case 1: // ORIGIN
          attrs.origin = decodeOrigin(b, p, vEnd);
          break;
        case 2: // AS_PATH
          w.asPathO = p;
          w.asPathEnd = vEnd;
          break;
        case 3: // NEXT_HOP
          attrs.nextHop = decodeIPv4Attr(b, p, vEnd, 'NEXT_HOP');
          break;
        case 4: // MED
          attrs.med = decodeU32Attr(b, p, vEnd, 'MULTI_EXIT_DISC');
          break;
        case 5: // LOCAL_PREF
          attrs.localPref = decodeU32Attr(b, p, vEnd, 'LOCAL_PREF');
          break;
        case 6: // ATOMIC_AGGREGATE
          if (len !== 0) fault('BGP_ERR_UPDATE', p, 'ATOMIC_AGGREGATE must be empty');
          attrs.atomicAggregate = true;
          break;
        case 7: // AGGREGATOR
          attrs.aggregator = decodeAggregator(b, p, vEnd);
          break;
        case 8: // COMMUNITIES
          attrs.communities = decodeCommunities(b, p, vEnd);
          break;
        case 9: // ORIGINATOR_ID
          attrs.originatorId = decodeIPv4Attr(b, p, vEnd, 'ORIGINATOR_ID');
          break;
        case 10: // CLUSTER_LIST
          attrs.clusterList = decodeClusterList(b, p, vEnd);
          break;
        case 14: {
          // MP_REACH_NLRI
          const afi = vEnd - p >= 3 ? (b[p] << 8) | b[p + 1] : 0;
          attrs.mpReach = decodeMpReach(b, p, vEnd, addPathFor(hints, afi, b[p + 2]), choice);
          if (attrs.mpReach.nlri !== null) w.addPathUsed ||= choice.addPath;
          break;
        }
        case 15: {
          // MP_UNREACH_NLRI
          const afi = vEnd - p >= 3 ? (b[p] << 8) | b[p + 1] : 0;
          attrs.mpUnreach = decodeMpUnreach(b, p, vEnd, addPathFor(hints, afi, b[p + 2]), choice);
          if (attrs.mpUnreach.nlri !== null) w.addPathUsed ||= choice.addPath;
          break;
        }
        case 16: // EXTENDED_COMMUNITIES
          attrs.extCommunities = decodeExtCommunities(b, p, vEnd);
          break;
        case 17: // AS4_PATH
          w.as4PathO = p;
          w.as4PathEnd = vEnd;
          break;
        case 18: // AS4_AGGREGATOR
          // Applied below, after AGGREGATOR is known; decode now so a bad one is discarded here.
          decodeAs4Aggregator(b, p, vEnd);
          break;
        case 32: // LARGE_COMMUNITY
          attrs.largeCommunities = decodeLargeCommunities(b, p, vEnd);
          break;
        case 35: // OTC
          attrs.otc = decodeU32Attr(b, p, vEnd, 'OTC');
          break;
        default:
          keepRaw(attrs, code, flags, b.subarray(p, vEnd));
      }
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      const action = actionFor(code);
      if (action === 'treat_as_withdraw') w.treatAsWithdraw = true;
      pending.push(warn('BGP_WARN_ATTRIBUTE', code, at, action, e.detail));
      keepRaw(attrs, code, flags, b.subarray(p, vEnd));
    }
    p = vEnd;
  }
  w.attrCount = attrCount;
  return w;
}

function keepRaw(attrs: PathAttributes, code: number, flags: number, value: Uint8Array): void {
  if (attrs.unknown === null) attrs.unknown = [];
  attrs.unknown.push({ code, flags, value });
}

function overrun(code: number, at: number, message: string): UpdateWarning {
  return warn('BGP_WARN_ATTRIBUTE', code, at, 'treat_as_withdraw', message);
}

function warn(
  code: UpdateWarning['code'],
  attr: number,
  offset: number,
  action: WarningAction,
  message: string,
): UpdateWarning {
  return { code, attr, offset, action, message };
}

/** RFC 4724 End-of-RIB: an empty UPDATE (IPv4 unicast), or one holding only an empty MP_UNREACH_NLRI. */
function endOfRib(
  withdrawnLen: number,
  attrCount: number,
  nlriLen: number,
  attrs: PathAttributes,
): BgpUpdate['endOfRib'] {
  if (withdrawnLen !== 0 || nlriLen !== 0) return null;
  if (attrCount === 0) return { afi: 1, safi: 1 };
  const un = attrs.mpUnreach;
  if (
    attrCount === 1 &&
    un !== null &&
    (un.nlri === null ? un.raw!.length === 3 : un.nlri.prefixes.length === 0)
  ) {
    return { afi: un.afi, safi: un.safi };
  }
  return null;
}

/** RFC 6793 §4.2.3: for a 2-byte path, fold AS4_PATH and AS4_AGGREGATOR into the real path and aggregator. */
function applyAs4(b: Uint8Array, aStart: number, aEnd: number, attrs: PathAttributes): void {
  let as4Agg = null;
  // Find AS4_AGGREGATOR again (rare; keeps the main loop free of its state).
  for (let p = aStart; p + 3 <= aEnd; ) {
    const flags = b[p];
    const ext = (flags & AttrFlag.EXTENDED_LENGTH) !== 0;
    const len = ext ? (b[p + 2] << 8) | b[p + 3] : b[p + 2];
    const v = p + (ext ? 4 : 3);
    if (v + len > aEnd) break;
    if (b[p + 1] === Attr.AS4_AGGREGATOR) {
      if (len === 8) as4Agg = decodeAs4Aggregator(b, v, v + len);
      break;
    }
    p = v + len;
  }
  // An AGGREGATOR with a real (non-AS_TRANS) ASN means AS4_* came from an old speaker's stale copy: ignore them.
  if (attrs.aggregator !== null && attrs.aggregator.asn !== AS_TRANS && as4Agg !== null) return;
  if (as4Agg !== null && attrs.aggregator !== null) attrs.aggregator = as4Agg;
  if (attrs.as4Path !== null && attrs.asPath !== null)
    attrs.asPath = mergeAs4Path(attrs.asPath, attrs.as4Path);
}
