/**
 * @bmpwatch/bmp — OpenBMP / BMP v3 / BGP-4 decoding with zero dependencies, for Node and browsers.
 *
 * Bytes → messages: `BmpFramer` cuts a byte stream into messages, `BmpSession.decode` / `decodeBmp` /
 * `decodeOpenBmp` turn one into a typed `BmpMessage`, `routeElems` flattens Route Monitoring into route changes,
 * and `scanRoutes` is the allocation-free fast path for peer, prefixes and origin.
 */

export type { ParsedPrefix } from './address.ts';
export {
  formatIPv4,
  formatIPv6,
  formatParsedPrefix,
  parseIP,
  parseIPv4,
  parseIPv6,
  parsePrefix,
} from './address.ts';
export { originAsn } from './bgp/attributes/attr-02-17-as-path.ts';
export { communityPair } from './bgp/attributes/attr-08-communities.ts';
export type { UpdateHints } from './bgp/update.ts';
export type { HintSource } from './bmp/messages/route-monitoring.ts';
export { ByteKeyMap } from './byte-key-map.ts';
export type { CaptureItem } from './capture.ts';
export { frameCapture } from './capture.ts';
export type { OpenBmpMessage, StreamItem } from './decode.ts';
export { decodeOpenBmp, decodeStream, isOpenBmp, readOpenBmpHeader } from './decode.ts';
export type { AnnounceElem, Elem, PathHop, WithdrawElem } from './elems.ts';
export { announceCount, pathHops, routeElems, withdrawCount } from './elems.ts';
export { ElemsNdjson, routeElemsNdjson } from './elems-ndjson.ts';
export type { ErrorCode } from './errors.ts';
export { BmpError, ErrorCodes, isBmpError } from './errors.ts';
export type { FramerOptions, StreamFormat } from './framer.ts';
export { BmpFramer } from './framer.ts';
export * from './models/bgp.ts';
export * from './models/bmp.ts';
export * from './models/iana.ts';
export * from './models/openbmp.ts';
export { decodeOpenBmpHeader, locateOpenBmp, OpenBmpSpan } from './openbmp/header.ts';
export type { OpenBmpRouter, OpenBmpRoutersOptions } from './openbmp/routers.ts';
export { OpenBmpRouters } from './openbmp/routers.ts';
export { isTextHeader, MAX_TEXT_HEADER, scanTextHeader, TextHeaderScan } from './openbmp/text-header.ts';
export { ANNOUNCE, RouteScan, scanRoutes, WITHDRAW } from './scan.ts';
export { BmpSession, decodeBmp, statelessHints } from './session.ts';
