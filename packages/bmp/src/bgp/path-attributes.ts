/** The PathAttributes record with every field set in one place, so all instances share one shape. */
import type {
  Aggregator,
  AsPathSegment,
  MpReach,
  MpUnreach,
  Origin,
  PathAttributes,
  RawAttribute,
} from '../models/bgp.ts';

export class PathAttributesRecord implements PathAttributes {
  origin: Origin | null = null;
  asPath: AsPathSegment[] | null = null;
  as4Path: AsPathSegment[] | null = null;
  nextHop: string | null = null;
  med: number | null = null;
  localPref: number | null = null;
  atomicAggregate = false;
  aggregator: Aggregator | null = null;
  communities: number[] | null = null;
  originatorId: string | null = null;
  clusterList: string[] | null = null;
  mpReach: MpReach | null = null;
  mpUnreach: MpUnreach | null = null;
  extCommunities: string[] | null = null;
  largeCommunities: [number, number, number][] | null = null;
  otc: number | null = null;
  unknown: RawAttribute[] | null = null;
}

/** A fresh, empty attribute set (for building updates by hand). */
export function emptyAttributes(): PathAttributes {
  return new PathAttributesRecord();
}
