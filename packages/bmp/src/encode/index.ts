/** The encoder: for tests, the benchmark, the demo feed and `bmpwatch produce`. */

export { communityFrom } from '../bgp/attributes/attr-08-communities.ts';
export type { PerPeerHeaderInput } from '../bmp/per-peer-header.ts';
export type { TlvInput } from '../bmp/tlv.ts';
export type { OpenBmpHeaderInput } from '../openbmp/header.ts';
export type { BgpMessageInput, OpenInput, UpdateInput } from './bgp.ts';
export { encodeBgpMessage, encodeUpdateBody, typicalOpen, writeBgpMessage } from './bgp.ts';
export type { BmpMessageInput, StatInput } from './bmp.ts';
export { encodeBmp, wrapOpenBmp, writeBmp } from './bmp.ts';
export { EncodeError, Writer } from './writer.ts';
