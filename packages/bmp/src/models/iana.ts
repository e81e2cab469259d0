/** IANA registry numbers used on the wire, as named constants (BMP, BGP, capabilities, address families). */

/** BMP message types (RFC 7854 §4.1). */
export const BmpType = {
  ROUTE_MONITORING: 0,
  STATISTICS_REPORT: 1,
  PEER_DOWN: 2,
  PEER_UP: 3,
  INITIATION: 4,
  TERMINATION: 5,
  ROUTE_MIRRORING: 6,
} as const;

export const BMP_TYPE_NAMES = [
  'route_monitoring',
  'statistics_report',
  'peer_down',
  'peer_up',
  'initiation',
  'termination',
  'route_mirroring',
] as const;
export type BmpTypeName = (typeof BMP_TYPE_NAMES)[number];

/** Per-peer header peer types (RFC 7854, RFC 9069 Loc-RIB). */
export const PEER_TYPE_NAMES = ['global', 'rd', 'local', 'loc_rib'] as const;
export type PeerTypeName = (typeof PEER_TYPE_NAMES)[number];

/** Per-peer header flags (RFC 7854 §4.2, RFC 8671). */
export const PeerFlag = {
  V_IPV6: 0x80,
  L_POST_POLICY: 0x40,
  A_LEGACY_AS_PATH: 0x20,
  O_ADJ_RIB_OUT: 0x10,
  /** Loc-RIB only (RFC 9069): the F flag, Loc-RIB is filtered. */
  F_FILTERED: 0x80,
} as const;

/** Peer Down reasons (RFC 7854 §4.9, RFC 9069). */
export const PEER_DOWN_REASONS: Record<number, string> = {
  1: 'local_notification',
  2: 'local_no_notification',
  3: 'remote_notification',
  4: 'remote_no_notification',
  5: 'peer_deconfigured',
  6: 'local_system_closed',
};

/** Initiation / Termination / Peer Up information TLV types (RFC 7854 §4.3, §4.4, RFC 9069). */
export const INFO_TLV_NAMES: Record<number, string> = {
  0: 'string',
  1: 'sys_descr',
  2: 'sys_name',
  3: 'vrf_table_name',
  4: 'admin_label',
};

export const TERMINATION_TLV_NAMES: Record<number, string> = { 0: 'string', 1: 'reason' };
export const TERMINATION_REASONS: Record<number, string> = {
  0: 'admin_close',
  1: 'unspecified',
  2: 'out_of_resources',
  3: 'redundant_connection',
  4: 'permanently_admin_close',
};

/** Route Mirroring TLV types (RFC 7854 §4.7). */
export const MirrorTlv = { BGP_MESSAGE: 0, INFORMATION: 1 } as const;

/**
 * BMP Statistics types (IANA "BMP Statistics Types"). `kind` says how the value is laid out:
 * counter32, gauge64, or AFI/SAFI followed by a gauge64.
 */
export type StatKind = 'counter32' | 'gauge64' | 'afisafi_gauge64';
export const STAT_TYPES: Record<number, { name: string; kind: StatKind }> = {
  0: { name: 'rejected_prefixes', kind: 'counter32' },
  1: { name: 'duplicate_prefix_advertisements', kind: 'counter32' },
  2: { name: 'duplicate_withdraws', kind: 'counter32' },
  3: { name: 'invalidated_cluster_list_loop', kind: 'counter32' },
  4: { name: 'invalidated_as_path_loop', kind: 'counter32' },
  5: { name: 'invalidated_originator_id', kind: 'counter32' },
  6: { name: 'invalidated_as_confed_loop', kind: 'counter32' },
  7: { name: 'adj_rib_in_routes', kind: 'gauge64' },
  8: { name: 'loc_rib_routes', kind: 'gauge64' },
  9: { name: 'adj_rib_in_routes_afisafi', kind: 'afisafi_gauge64' },
  10: { name: 'loc_rib_routes_afisafi', kind: 'afisafi_gauge64' },
  11: { name: 'updates_treat_as_withdraw', kind: 'counter32' },
  12: { name: 'prefixes_treat_as_withdraw', kind: 'counter32' },
  13: { name: 'duplicate_update_messages', kind: 'counter32' },
  14: { name: 'adj_rib_out_pre_policy_routes', kind: 'gauge64' },
  15: { name: 'adj_rib_out_post_policy_routes', kind: 'gauge64' },
  16: { name: 'adj_rib_out_pre_policy_routes_afisafi', kind: 'afisafi_gauge64' },
  17: { name: 'adj_rib_out_post_policy_routes_afisafi', kind: 'afisafi_gauge64' },
  18: { name: 'adj_rib_in_post_policy_routes', kind: 'gauge64' },
  19: { name: 'adj_rib_in_post_policy_routes_afisafi', kind: 'afisafi_gauge64' },
  20: { name: 'adj_rib_in_pre_policy_rejected_routes', kind: 'gauge64' },
  21: { name: 'adj_rib_in_pre_policy_rejected_routes_afisafi', kind: 'afisafi_gauge64' },
  22: { name: 'adj_rib_in_post_policy_accepted_routes', kind: 'gauge64' },
  23: { name: 'adj_rib_in_post_policy_accepted_routes_afisafi', kind: 'afisafi_gauge64' },
  24: { name: 'adj_rib_in_pre_policy_suppressed_routes', kind: 'gauge64' },
  25: { name: 'adj_rib_in_pre_policy_suppressed_routes_afisafi', kind: 'afisafi_gauge64' },
  26: { name: 'adj_rib_in_post_policy_filtered_routes', kind: 'gauge64' },
  27: { name: 'adj_rib_in_post_policy_filtered_routes_afisafi', kind: 'afisafi_gauge64' },
  28: { name: 'adj_rib_in_stale_routes', kind: 'gauge64' },
  29: { name: 'adj_rib_in_stale_routes_afisafi', kind: 'afisafi_gauge64' },
  30: { name: 'adj_rib_in_llgr_stale_routes', kind: 'gauge64' },
  31: { name: 'adj_rib_in_llgr_stale_routes_afisafi', kind: 'afisafi_gauge64' },
  32: { name: 'adj_rib_in_prefix_threshold_exceeded', kind: 'counter32' },
  33: { name: 'adj_rib_in_prefix_threshold_exceeded_afisafi', kind: 'afisafi_gauge64' },
  34: { name: 'adj_rib_out_pre_policy_suppressed_routes', kind: 'gauge64' },
  35: { name: 'adj_rib_out_pre_policy_suppressed_routes_afisafi', kind: 'afisafi_gauge64' },
  36: { name: 'adj_rib_out_post_policy_filtered_routes', kind: 'gauge64' },
  37: { name: 'adj_rib_out_post_policy_filtered_routes_afisafi', kind: 'afisafi_gauge64' },
  38: { name: 'adj_rib_out_pre_policy_rejected_routes', kind: 'gauge64' },
  39: { name: 'adj_rib_out_pre_policy_rejected_routes_afisafi', kind: 'afisafi_gauge64' },
  40: { name: 'loc_rib_filtered_routes', kind: 'gauge64' },
  41: { name: 'loc_rib_filtered_routes_afisafi', kind: 'afisafi_gauge64' },
  42: { name: 'loc_rib_stale_routes', kind: 'gauge64' },
  43: { name: 'loc_rib_stale_routes_afisafi', kind: 'afisafi_gauge64' },
};

/** BGP message types (RFC 4271 §4.1, RFC 2918 ROUTE-REFRESH). */
export const BgpType = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, ROUTE_REFRESH: 5 } as const;

/** Path attribute type codes. */
export const Attr = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MED: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  COMMUNITIES: 8,
  ORIGINATOR_ID: 9,
  CLUSTER_LIST: 10,
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  EXTENDED_COMMUNITIES: 16,
  AS4_PATH: 17,
  AS4_AGGREGATOR: 18,
  LARGE_COMMUNITY: 32,
  OTC: 35,
} as const;

export const AttrFlag = { OPTIONAL: 0x80, TRANSITIVE: 0x40, PARTIAL: 0x20, EXTENDED_LENGTH: 0x10 } as const;

export const Afi = { IPV4: 1, IPV6: 2, L2VPN: 25 } as const;
export const Safi = {
  UNICAST: 1,
  MULTICAST: 2,
  MPLS_LABEL: 4,
  EVPN: 70,
  MPLS_VPN: 128,
  FLOWSPEC: 133,
} as const;

/** The AS number a 2-byte speaker puts in place of a 4-byte one (RFC 6793). */
export const AS_TRANS = 23456;

/** BGP capability codes (IANA "Capability Codes"). */
export const Cap = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  EXTENDED_NEXT_HOP: 5,
  EXTENDED_MESSAGE: 6,
  GRACEFUL_RESTART: 64,
  FOUR_OCTET_AS: 65,
  ADD_PATH: 69,
  ENHANCED_ROUTE_REFRESH: 70,
  LLGR: 71,
  FQDN: 73,
  ROUTE_REFRESH_CISCO: 128,
} as const;

export const NOTIFICATION_CODES: Record<number, string> = {
  1: 'message_header_error',
  2: 'open_message_error',
  3: 'update_message_error',
  4: 'hold_timer_expired',
  5: 'fsm_error',
  6: 'cease',
  7: 'route_refresh_message_error',
};

/** Cease subcodes (RFC 4486, RFC 8203, RFC 9003). */
export const CEASE_SUBCODES: Record<number, string> = {
  1: 'maximum_prefixes_reached',
  2: 'administrative_shutdown',
  3: 'peer_deconfigured',
  4: 'administrative_reset',
  5: 'connection_rejected',
  6: 'other_configuration_change',
  7: 'connection_collision_resolution',
  8: 'out_of_resources',
  9: 'hard_reset',
  10: 'bfd_down',
};
