/**
 * fast-check generators of canonical decoded models: what the decoder would return for the bytes the encoder
 * writes from them. decode(encode(x)) must equal x exactly.
 */

import fc from 'fast-check';
import { formatPrefix4, formatPrefix6 } from '../../src/address.ts';
import { formatExtCommunity } from '../../src/bgp/attributes/attr-16-ext-communities.ts';
import { emptyAttributes as newAttributes } from '../../src/bgp/path-attributes.ts';
import type {
  AsPathSegment,
  BgpUpdate,
  MpReach,
  MpUnreach,
  Nlri,
  PathAttributes,
  RawAttribute,
} from '../../src/models/bgp.ts';
import type { PerPeerHeader } from '../../src/models/bmp.ts';
import { seconds } from '../../src/read.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });

export const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
export const ipv6 = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((b) => formatPrefix6(b, 0, 128).replace('/128', ''));

export const prefix4 = fc
  .tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }))
  .map(([b, len]) => formatPrefix4(b, 0, len));
export const prefix6 = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 }))
  .map(([b, len]) => formatPrefix6(b, 0, len));

function nlri(
  afi: number,
  safi: number,
  prefix: fc.Arbitrary<string>,
  addPath: boolean,
  min = 0,
): fc.Arbitrary<Nlri> {
  return fc
    .array(prefix, { minLength: min, maxLength: 5 })
    .chain(
      (prefixes): fc.Arbitrary<Nlri> =>
        addPath
          ? fc
              .array(u32, { minLength: prefixes.length, maxLength: prefixes.length })
              .map((ids) => ({ afi, safi, prefixes, pathIds: ids }))
          : fc.constant({ afi, safi, prefixes, pathIds: null }),
    );
}

const segment = (as4: boolean): fc.Arbitrary<AsPathSegment> =>
  fc.record({
    type: fc.constantFrom('sequence', 'sequence', 'set', 'confed_sequence', 'confed_set') as fc.Arbitrary<
      AsPathSegment['type']
    >,
    asns: fc.array(as4 ? u32 : fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 8 }),
  });

const extCommunity = fc
  .tuple(
    fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x40, 0x06),
    fc.constantFrom(0x02, 0x03, 0x09),
    fc.uint8Array({ minLength: 6, maxLength: 6 }),
  )
  .map(([t, st, rest]) => formatExtCommunity(Uint8Array.from([t, st, ...rest]), 0));

const unknownAttr: fc.Arbitrary<RawAttribute> = fc
  .record({
    code: fc.constantFrom(19, 20, 22, 26, 28, 29, 33, 40, 128, 200, 255),
    flags: fc.constantFrom(0xc0, 0x80, 0xe0),
    value: fc.uint8Array({ maxLength: 300 }),
  })
  .map((a) => ({ ...a, flags: (a.flags & ~0x10) | (a.value.length > 255 ? 0x10 : 0) }));

const mpReach6 = (addPath: boolean): fc.Arbitrary<MpReach> =>
  fc
    .record({
      safi: fc.constantFrom(1, 2),
      nextHop: ipv6,
      nextHopLinkLocal: fc.option(ipv6, { nil: null }),
      prefixes: fc.array(prefix6, { minLength: 1, maxLength: 4 }),
      ids: fc.array(u32, { minLength: 4, maxLength: 4 }),
    })
    .map((r) => ({
      afi: 2,
      safi: r.safi,
      nextHop: r.nextHop,
      nextHopLinkLocal: r.nextHopLinkLocal,
      nlri: {
        afi: 2,
        safi: r.safi,
        prefixes: r.prefixes,
        pathIds: addPath ? r.ids.slice(0, r.prefixes.length) : null,
      },
      raw: null,
    }));

/** An MP_REACH of a family we keep raw (EVPN here): AFI, SAFI, a 4-byte next hop, reserved, opaque NLRI. */
const mpReachRaw: fc.Arbitrary<MpReach> = fc
  .tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 40 }))
  .map(([nh, rest]) => {
    const raw = Uint8Array.from([0, 25, 70, 4, ...nh, 0, ...rest]);
    return { afi: 25, safi: 70, nextHop: nh.join('.'), nextHopLinkLocal: null, nlri: null, raw };
  });

const mpUnreach6 = (addPath: boolean): fc.Arbitrary<MpUnreach> =>
  fc
    .tuple(
      fc.constantFrom(1, 2),
      fc.array(prefix6, { minLength: 1, maxLength: 4 }),
      fc.array(u32, { minLength: 4, maxLength: 4 }),
    )
    .map(([safi, prefixes, ids]) => ({
      afi: 2,
      safi,
      nlri: { afi: 2, safi, prefixes, pathIds: addPath ? ids.slice(0, prefixes.length) : null },
      raw: null,
    }));

export interface UpdateCase {
  update: BgpUpdate;
  as4: boolean;
  addPath: boolean;
}

/** A decoded UPDATE as the decoder would produce it, with the session facts (as4, ADD-PATH) it was encoded under. */
export const updateCase: fc.Arbitrary<UpdateCase> = fc
  .tuple(fc.boolean(), fc.boolean())
  .chain(([as4, addPath]) =>
    fc
      .record({
        withdrawn: nlri(1, 1, prefix4, addPath),
        announced: nlri(1, 1, prefix4, addPath),
        hasAttrs: fc.boolean(),
        origin: fc.constantFrom('igp', 'egp', 'incomplete') as fc.Arbitrary<'igp' | 'egp' | 'incomplete'>,
        asPath: fc.array(segment(as4 || true), { maxLength: 4 }),
        nextHop: ipv4,
        med: fc.option(u32, { nil: null }),
        localPref: fc.option(u32, { nil: null }),
        atomicAggregate: fc.boolean(),
        aggregator: fc.option(fc.record({ asn: u32, address: ipv4 }), { nil: null }),
        communities: fc.option(fc.array(u32, { maxLength: 6 }), { nil: null }),
        originatorId: fc.option(ipv4, { nil: null }),
        clusterList: fc.option(fc.array(ipv4, { maxLength: 4 }), { nil: null }),
        mpReach: fc.option(fc.oneof(mpReach6(addPath), mpReachRaw), { nil: null }),
        mpUnreach: fc.option(mpUnreach6(addPath), { nil: null }),
        extCommunities: fc.option(fc.array(extCommunity, { maxLength: 4 }), { nil: null }),
        largeCommunities: fc.option(fc.array(fc.tuple(u32, u32, u32), { minLength: 1, maxLength: 3 }), {
          nil: null,
        }),
        otc: fc.option(u32, { nil: null }),
        unknown: fc.option(fc.array(unknownAttr, { minLength: 1, maxLength: 2 }), { nil: null }),
      })
      .map((r): UpdateCase => {
        const announcing = r.announced.prefixes.length > 0 || (r.mpReach?.nlri?.prefixes.length ?? 0) > 0;
        // Well-known mandatory attributes must be present when announcing (else RFC 7606 treat-as-withdraw).
        const withAttrs = r.hasAttrs || announcing;
        // A 2-byte session: the encoder writes AS_TRANS + AS4_PATH for big ASNs; the decoder merges them back.
        // Confederation segments are not carried in AS4_PATH, so keep them out of 2-byte paths with big ASNs.
        const big = (p: AsPathSegment[]) => p.some((s) => s.asns.some((a) => a > 0xffff));
        let asPath = r.asPath;
        if (!as4 && big(asPath)) asPath = asPath.filter((s) => s.type === 'sequence' || s.type === 'set');
        const as4Path = !as4 && big(asPath) ? asPath : null;
        const unknown = r.unknown ? dedupeCodes(r.unknown) : null;
        const attributes: PathAttributes = withAttrs
          ? {
              origin: r.origin,
              asPath,
              as4Path,
              nextHop: r.announced.prefixes.length > 0 || r.hasAttrs ? r.nextHop : null,
              med: r.med,
              localPref: r.localPref,
              atomicAggregate: r.atomicAggregate,
              aggregator: r.aggregator,
              communities: r.communities,
              originatorId: r.originatorId,
              clusterList: r.clusterList,
              mpReach: r.mpReach,
              mpUnreach: r.mpUnreach,
              extCommunities: r.extCommunities,
              largeCommunities: r.largeCommunities,
              otc: r.otc,
              unknown,
            }
          : emptyAttributes(r.mpUnreach);
        const anyNlri =
          r.withdrawn.prefixes.length > 0 ||
          r.announced.prefixes.length > 0 ||
          (attributes.mpReach?.nlri?.prefixes.length ?? 0) > 0 ||
          (attributes.mpUnreach?.nlri?.prefixes.length ?? 0) > 0;
        const attrCount = countAttributes(attributes);
        let endOfRib: BgpUpdate['endOfRib'] = null;
        if (r.withdrawn.prefixes.length === 0 && r.announced.prefixes.length === 0) {
          if (attrCount === 0) endOfRib = { afi: 1, safi: 1 };
          else if (attrCount === 1 && attributes.mpUnreach?.nlri?.prefixes.length === 0)
            endOfRib = { afi: 2, safi: attributes.mpUnreach.safi };
        }
        const emptyFieldNlri = (n: Nlri): Nlri => (n.prefixes.length === 0 ? { ...n, pathIds: null } : n);
        return {
          as4,
          addPath,
          update: {
            kind: 'update',
            withdrawn: emptyFieldNlri(r.withdrawn),
            attributes,
            announced: emptyFieldNlri(r.announced),
            endOfRib,
            treatAsWithdraw: false,
            warnings: null,
            encoding: { as4, addPath: addPath && anyNlri, guessed: false },
          },
        };
      }),
  );

function dedupeCodes(list: RawAttribute[]): RawAttribute[] {
  const seen = new Set<number>();
  return list.filter((a) => !seen.has(a.code) && seen.add(a.code));
}

function emptyAttributes(mpUnreach: MpUnreach | null): PathAttributes {
  return { ...newAttributes(), mpUnreach };
}

function countAttributes(a: PathAttributes): number {
  let n = 0;
  for (const [k, v] of Object.entries(a)) {
    if (k === 'as4Path') continue;
    if (k === 'unknown') n += (v as RawAttribute[] | null)?.length ?? 0;
    else if (k === 'atomicAggregate') n += v ? 1 : 0;
    else if (v !== null) n++;
  }
  return n;
}

export const peerHeader = (opts: { ipv6?: boolean } = {}): fc.Arbitrary<PerPeerHeader> =>
  fc
    .record({
      peerTypeCode: fc.constantFrom(0, 0, 1, 2),
      v6: opts.ipv6 === undefined ? fc.boolean() : fc.constant(opts.ipv6),
      a4: ipv4,
      a6: ipv6,
      asn: u32,
      bgpId: ipv4,
      sec: u32,
      usec: fc.integer({ min: 0, max: 999_999 }),
      postPolicy: fc.boolean(),
      adjRibOut: fc.boolean(),
      rdAdmin: u16,
      rdAssigned: u32,
    })
    .map((r) => {
      const ipv6 = r.v6;
      const flags = (ipv6 ? 0x80 : 0) | (r.postPolicy ? 0x40 : 0) | (r.adjRibOut ? 0x10 : 0);
      return {
        peerType: (['global', 'rd', 'local', 'loc_rib'] as const)[r.peerTypeCode],
        peerTypeCode: r.peerTypeCode,
        flags,
        ipv6,
        postPolicy: r.postPolicy,
        legacyAsPath: false,
        adjRibOut: r.adjRibOut,
        filtered: false,
        distinguisher: r.peerTypeCode === 1 ? `${r.rdAdmin}:${r.rdAssigned}` : '0:0',
        address: ipv6 ? r.a6 : r.a4,
        asn: r.asn,
        bgpId: r.bgpId,
        timestamp: seconds(r.sec, r.usec),
      };
    });

export { u16, u32 };
