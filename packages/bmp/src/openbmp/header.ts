/**
 * OpenBMP `raw_bmp` header v1.7: what an OpenBMP collector puts before each BMP message in Kafka. The binary
 * form is read here; the 2.x text form in text-header.ts; `decodeOpenBmpHeader` tells them apart by the first
 * bytes ("OBMP" or "V:").
 */
import { formatIPv4, formatIPv6, parseIP } from '../address.ts';
import { checkMax, EncodeError, utf8, type Writer } from '../encode/writer.ts';
import { BmpError, fault, toBmpError } from '../errors.ts';
import {
  OBMP_FLAG_ROUTER,
  OBMP_FLAG_ROUTER_IPV6,
  OBMP_MAGIC,
  OBMP_OBJECT_BMP_RAW,
  type OpenBmpHeader,
  type OpenBmpHeaderForm,
} from '../models/openbmp.ts';
import { hex, seconds, u16, u32, utf8Text } from '../read.ts';
import {
  decodeTextHeader,
  encodeTextHeader,
  isTextHeader,
  MAX_TEXT_HEADER,
  scanTextHeader,
  TextHeaderScan,
} from './text-header.ts';

/** Fixed part before the variable admin id and router group. */
const MIN_HEADER = 78;

/** True when the bytes start with the OpenBMP magic "OBMP". */
export function isOpenBmp(b: Uint8Array, o = 0): boolean {
  return b.length - o >= 4 && u32(b, o) === OBMP_MAGIC;
}

/**
 * The last text rendered for one header field, by its bytes: a Kafka partition carries mostly one router, so
 * hashes, names and addresses repeat message after message and are rendered once (bounded: one entry a field).
 */
class FieldMemo {
  private bytes = new Uint8Array(64);
  private len = -1;
  private text = '';

  get(
    b: Uint8Array,
    o: number,
    end: number,
    render: (b: Uint8Array, o: number, end: number) => string,
  ): string {
    const n = end - o;
    if (n === this.len) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (b[o + i] !== this.bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.text;
    }
    this.text = render(b, o, end);
    if (n <= this.bytes.length) {
      this.bytes.set(b.subarray(o, end));
      this.len = n;
    } else this.len = -1;
    return this.text;
  }
}

const memoCollector = new FieldMemo();
const memoAdmin = new FieldMemo();
const memoRouter = new FieldMemo();
const memoRouterIp = new FieldMemo();
const memoGroup = new FieldMemo();

/**
 * Reads the header at `o`. Returns it; the BMP message is [o + headerLength, o + headerLength + bmpLength).
 * Uses the header-length field to find the message (not our own sum), as the format asks.
 */
export function decodeOpenBmpHeader(b: Uint8Array, o: number, end: number): OpenBmpHeader {
  if (!isOpenBmp(b, o)) {
    if (isTextHeader(b, o)) return decodeTextHeader(b, o, end);
    fault('OBMP_ERR_MAGIC', o);
  }
  if (end - o < 12) fault('BMP_ERR_TRUNCATED', o, 'OpenBMP header truncated');
  const majorVersion = b[o + 4];
  const minorVersion = b[o + 5];
  if (majorVersion !== 1)
    fault('OBMP_ERR_VERSION', o + 4, `OpenBMP header version ${majorVersion}.${minorVersion}`);
  const headerLength = u16(b, o + 6);
  const bmpLength = u32(b, o + 8);
  if (headerLength < MIN_HEADER)
    fault('OBMP_ERR_LENGTH', o + 6, `OpenBMP header length ${headerLength} below ${MIN_HEADER}`);
  if (o + headerLength > end) fault('BMP_ERR_TRUNCATED', o + 6, 'OpenBMP header longer than the input');
  if (o + headerLength + bmpLength > end) {
    fault(
      'BMP_ERR_TRUNCATED',
      o + 8,
      `OpenBMP says ${bmpLength} BMP bytes follow, ${end - o - headerLength} do`,
    );
  }
  const flags = b[o + 12];
  const objectType = b[o + 13];
  if (objectType !== OBMP_OBJECT_BMP_RAW)
    fault('OBMP_ERR_OBJECT_TYPE', o + 13, `OpenBMP object type ${objectType}`);
  const hEnd = o + headerLength;
  const collectionTime = seconds(u32(b, o + 14), u32(b, o + 18));
  const collectorHash = memoCollector.get(b, o + 22, o + 38, hex);
  const adminLen = u16(b, o + 38);
  let p = o + 40 + adminLen;
  if (p + 34 > hEnd) fault('OBMP_ERR_LENGTH', o + 38, `admin id length ${adminLen} overruns the header`);
  const adminId = memoAdmin.get(b, o + 40, p, utf8Text);
  const routerHash = memoRouter.get(b, p, p + 16, hex);
  const isRouter = (flags & OBMP_FLAG_ROUTER) !== 0;
  const v6 = (flags & OBMP_FLAG_ROUTER_IPV6) !== 0;
  // The family is part of the memo key: the same 16 bytes read as IPv4 and IPv6 are different texts.
  const routerIp = !isRouter
    ? null
    : memoRouterIp.get(b, p + 16, p + (v6 ? 32 : 20), v6 ? formatIPv6 : formatIPv4);
  const groupLen = u16(b, p + 32);
  p += 34;
  if (p + groupLen + 4 > hEnd)
    fault('OBMP_ERR_LENGTH', p - 2, `router group length ${groupLen} overruns the header`);
  const routerGroup = memoGroup.get(b, p, p + groupLen, utf8Text);
  const rowCount = u32(b, p + groupLen);
  return {
    form: 'binary',
    majorVersion,
    minorVersion,
    headerLength,
    bmpLength,
    flags,
    objectType,
    collectionTime,
    collectorHash,
    adminId,
    routerHash,
    routerIp,
    routerGroup,
    rowCount,
  };
}

export interface OpenBmpHeaderInput {
  /** 'binary' (default, RouteViews' collector) or 'text' (OpenBMP 2.x: router hash, IP and length only). */
  form?: OpenBmpHeaderForm;
  collectionTime: number;
  collectorHash?: string;
  adminId: string;
  routerHash?: string;
  routerIp: string | null;
  routerGroup?: string;
}

function hashBytes(w: Writer, h: string | undefined, field: string): void {
  if (h === undefined) {
    w.zeros(16);
    return;
  }
  if (!/^[0-9a-f]{32}$/i.test(h)) throw new EncodeError(`${field} (32 hex digits expected)`, h.length, 32);
  for (let i = 0; i < 32; i += 2) w.u8(parseInt(h.slice(i, i + 2), 16));
}

/** Writes a v1.7 header (of `h.form`) for a BMP message of `bmpLength` bytes (write the message right after). */
export function encodeOpenBmpHeader(w: Writer, h: OpenBmpHeaderInput, bmpLength: number): void {
  if (h.form === 'text') {
    encodeTextHeader(w, h, bmpLength);
    return;
  }
  const admin = utf8(h.adminId);
  const group = utf8(h.routerGroup ?? '');
  checkMax('OpenBMP admin id length', admin.length, 0xffff);
  checkMax('OpenBMP router group length', group.length, 0xffff);
  const headerLength = MIN_HEADER + admin.length + group.length;
  checkMax('OpenBMP header length', headerLength, 0xffff);
  const ip = h.routerIp === null ? null : parseIP(h.routerIp);
  if (h.routerIp !== null && !ip) throw new EncodeError(`OpenBMP router IP "${h.routerIp}"`, 0, 0);
  let flags = 0;
  if (ip) flags |= OBMP_FLAG_ROUTER | (ip.length === 16 ? OBMP_FLAG_ROUTER_IPV6 : 0);
  const sec = Math.floor(h.collectionTime);
  w.u32(OBMP_MAGIC).u8(1).u8(7).u16(headerLength).u32(bmpLength).u8(flags).u8(OBMP_OBJECT_BMP_RAW);
  w.u32(sec).u32(Math.round((h.collectionTime - sec) * 1e6));
  hashBytes(w, h.collectorHash, 'collector hash');
  w.u16(admin.length).bytes(admin);
  hashBytes(w, h.routerHash, 'router hash');
  if (ip) {
    w.bytes(ip);
    if (ip.length === 4) w.zeros(12);
  } else w.zeros(16);
  w.u16(group.length).bytes(group);
  w.u32(1);
}

/**
 * The collection time of the OpenBMP message at `o` (whole and checked, e.g. by the framer): a binary header's,
 * or null for a text header, which has none.
 */
export function openBmpCollectionTime(b: Uint8Array, o: number): number | null {
  return isOpenBmp(b, o) ? seconds(u32(b, o + 14), u32(b, o + 18)) : null;
}

/** Binary headers' identity tag is their flags byte (IPv4 or IPv6 address); text headers' is above any byte. */
export const TEXT_FORM_TAG = 0x100;

/**
 * Where the parts of one OpenBMP message are, found in place (no header object, no strings): the hot path's
 * view of a header. Reused from message to message.
 */
export class OpenBmpSpan {
  /** The BMP message is [bmpStart, bmpEnd) of the buffer given to locateOpenBmp. */
  bmpStart = 0;
  bmpEnd = 0;
  /**
   * The bytes that name the router are [idAt, idEnd) of `idBytes`: for a binary header its router hash and
   * address (in the input), for a text header its R_HASH and R_IP values (gathered into a scratch buffer).
   */
  idBytes: Uint8Array = new Uint8Array(0);
  idAt = 0;
  idEnd = 0;
  /** Tells identities of different kinds apart: the binary flags byte, or TEXT_FORM_TAG. */
  idTag = 0;
  /** @internal */
  readonly text = new TextHeaderScan();
  /** @internal R_HASH "\n" R_IP of the last text header. */
  readonly textId = new Uint8Array(2 * MAX_TEXT_HEADER);
}

/** The full decoder's verdict on a header the quick checks rejected (out of line: keeps the hot path small). */
function headerError(b: Uint8Array, o: number, end: number): BmpError {
  try {
    decodeOpenBmpHeader(b, o, end);
  } catch (e) {
    return toBmpError(e, 0, null);
  }
  // Unreachable while the quick checks follow from decodeOpenBmpHeader's: still a typed error, never a throw.
  return new BmpError(
    'OBMP_ERR_LENGTH',
    o,
    'OpenBMP header accepted by the decoder but not by the fast path',
  );
}

/**
 * Finds the BMP message and the router's identifying bytes of the OpenBMP message (either form) at [o, end),
 * into `span`. Returns null, or the typed error decodeOpenBmpHeader would give (same checks, done in place).
 */
export function locateOpenBmp(b: Uint8Array, o: number, end: number, span: OpenBmpSpan): BmpError | null {
  const n = Math.min(end, b.length) - o;
  // Literals: the magic "OBMP" (OBMP_MAGIC), major version 1, object type 12 (OBMP_OBJECT_BMP_RAW).
  if (
    n >= MIN_HEADER &&
    b[o] === 0x4f &&
    b[o + 1] === 0x42 &&
    b[o + 2] === 0x4d &&
    b[o + 3] === 0x50 &&
    b[o + 4] === 1 &&
    b[o + 13] === 12
  ) {
    const hLen = (b[o + 6] << 8) | b[o + 7];
    const msgEnd = hLen + u32(b, o + 8);
    const idAt = 40 + ((b[o + 38] << 8) | b[o + 39]);
    if (hLen >= MIN_HEADER && msgEnd <= n && idAt + 34 <= hLen) {
      const groupLen = (b[o + idAt + 32] << 8) | b[o + idAt + 33];
      if (idAt + 38 + groupLen <= hLen) {
        span.bmpStart = o + hLen;
        span.bmpEnd = o + msgEnd;
        span.idBytes = b;
        span.idAt = o + idAt;
        span.idEnd = o + idAt + 32;
        span.idTag = b[o + 12] & (OBMP_FLAG_ROUTER | OBMP_FLAG_ROUTER_IPV6);
        return null;
      }
    }
  } else if (n >= 2 && isTextHeader(b, o)) return locateText(b, o, o + n, span);
  return headerError(b, o, o + Math.max(n, 0));
}

/** locateOpenBmp for a text header (out of line: the binary form is the common one). */
function locateText(b: Uint8Array, o: number, end: number, span: OpenBmpSpan): BmpError | null {
  const s = span.text;
  const code = scanTextHeader(b, o, end, s);
  if (code !== null) return new BmpError(code, s.errorAt, s.detail);
  const id = span.textId;
  let k = 0;
  for (let i = s.hashAt; i < s.hashEnd; i++) id[k++] = b[i];
  id[k++] = 0x0a;
  for (let i = s.ipAt; i < s.ipEnd; i++) id[k++] = b[i];
  span.bmpStart = o + s.headerLength;
  span.bmpEnd = o + s.headerLength + s.bmpLength;
  span.idBytes = id;
  span.idAt = 0;
  span.idEnd = k;
  span.idTag = TEXT_FORM_TAG;
  return null;
}
