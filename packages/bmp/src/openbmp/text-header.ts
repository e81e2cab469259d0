/**
 * OpenBMP 2.x text header: what OpenBMP's current collector (obmp-collector) puts before each BMP message it
 * writes to `openbmp.bmp_raw`. ASCII lines `KEY: value\n`, ended by an empty line, then the raw BMP message:
 *
 *     V: 1.7\nC_HASH_ID: <32 hex>\nR_HASH: <32 hex>\nR_IP: <address>\nL: <BMP length>\n\n<BMP message>
 *
 * Read: V (must be 1.x), L (required), C_HASH_ID, R_HASH, R_IP; other keys are skipped, so a collector that
 * adds lines keeps working. `\r\n` line ends are accepted. The scan records where each value is and builds no
 * string, so the hot path can find the router by its bytes; `decodeTextHeader` renders the strings.
 */
import { formatIPv4, formatIPv6, parseIP } from '../address.ts';
import { EncodeError, utf8, type Writer } from '../encode/writer.ts';
import { type ErrorCode, fault } from '../errors.ts';
import {
  OBMP_FLAG_ROUTER,
  OBMP_FLAG_ROUTER_IPV6,
  OBMP_OBJECT_BMP_RAW,
  type OpenBmpHeader,
} from '../models/openbmp.ts';
import { latin1 } from '../read.ts';

/** A header longer than this is not a header (bounds the scan of junk that happens to start with "V:"). */
export const MAX_TEXT_HEADER = 1024;

/** Where the fields of one text header are, in the buffer given to scanTextHeader. -1: absent. */
export class TextHeaderScan {
  /** Bytes from the first "V" to the BMP message (both line ends of the empty line included). */
  headerLength = 0;
  bmpLength = 0;
  minorVersion = 0;
  hashAt = -1;
  hashEnd = -1;
  ipAt = -1;
  ipEnd = -1;
  collectorAt = -1;
  collectorEnd = -1;
  /** After a failure: the code, the byte offset and what was wrong. */
  errorAt = 0;
  detail = '';
}

/** True when the bytes at `o` start like a text header ("V:"). */
export function isTextHeader(b: Uint8Array, o: number): boolean {
  return b.length - o >= 2 && b[o] === 0x56 /* V */ && b[o + 1] === 0x3a /* : */;
}

const NL = 0x0a;
const CR = 0x0d;
const SP = 0x20;

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const R_IP = ascii('R_IP');
const R_HASH = ascii('R_HASH');
const C_HASH_ID = ascii('C_HASH_ID');

/** Whether the bytes at [at, end) are `key` (compared in place: every message has these lines). */
function isKey(b: Uint8Array, at: number, end: number, key: Uint8Array): boolean {
  if (end - at !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (b[at + i] !== key[i]) return false;
  return true;
}

/** The key of the line at [at, colon): which field, by its bytes. */
function keyId(b: Uint8Array, at: number, colon: number): number {
  if (colon - at === 1) return b[at] === 0x56 /* V */ ? KEY_V : b[at] === 0x4c /* L */ ? KEY_L : KEY_OTHER;
  if (isKey(b, at, colon, R_IP)) return KEY_R_IP;
  if (isKey(b, at, colon, R_HASH)) return KEY_R_HASH;
  if (isKey(b, at, colon, C_HASH_ID)) return KEY_C_HASH;
  return KEY_OTHER;
}
const KEY_OTHER = 0;
const KEY_V = 1;
const KEY_L = 2;
const KEY_R_IP = 3;
const KEY_R_HASH = 4;
const KEY_C_HASH = 5;

/**
 * Scans the text header at [o, end) into `s`. Returns null when it is well formed and the whole BMP message
 * it announces is in the input, else the error code (`s.errorAt`, `s.detail` say where and what).
 */
export function scanTextHeader(b: Uint8Array, o: number, end: number, s: TextHeaderScan): ErrorCode | null {
  s.hashAt = s.hashEnd = s.ipAt = s.ipEnd = s.collectorAt = s.collectorEnd = -1;
  let version = -1;
  let length = -1;
  const limit = Math.min(end, o + MAX_TEXT_HEADER);
  let p = o;
  for (;;) {
    if (p >= limit) {
      return fail(
        s,
        end - o < MAX_TEXT_HEADER ? 'BMP_ERR_TRUNCATED' : 'OBMP_ERR_TEXT_HEADER',
        o,
        end - o < MAX_TEXT_HEADER
          ? 'OpenBMP text header truncated (no empty line)'
          : `OpenBMP text header has no empty line within ${MAX_TEXT_HEADER} bytes`,
      );
    }
    // An empty line ends the header.
    if (b[p] === NL) {
      p++;
      break;
    }
    if (b[p] === CR && p + 1 < limit && b[p + 1] === NL) {
      p += 2;
      break;
    }
    const lineAt = p;
    let colon = -1;
    while (p < limit && b[p] !== NL) {
      if (colon < 0 && b[p] === 0x3a) colon = p;
      p++;
    }
    if (p >= limit) continue; // reported above, on the next turn
    let vEnd = p;
    p++; // past \n
    if (colon <= lineAt)
      return fail(s, 'OBMP_ERR_TEXT_HEADER', lineAt, 'OpenBMP text header line without "KEY:"');
    let vAt = colon + 1;
    while (vAt < vEnd && b[vAt] === SP) vAt++;
    while (vEnd > vAt && (b[vEnd - 1] === CR || b[vEnd - 1] === SP)) vEnd--;
    switch (keyId(b, lineAt, colon)) {
      case KEY_V: {
        // "1.7": major 1, any minor.
        if (vEnd - vAt < 3 || b[vAt] !== 0x31 || b[vAt + 1] !== 0x2e)
          return fail(s, 'OBMP_ERR_VERSION', vAt, `OpenBMP text header version "${latin1(b, vAt, vEnd)}"`);
        const minor = decimal(b, vAt + 2, vEnd);
        if (minor < 0)
          return fail(s, 'OBMP_ERR_VERSION', vAt, `OpenBMP text header version "${latin1(b, vAt, vEnd)}"`);
        version = minor;
        break;
      }
      case KEY_L:
        length = decimal(b, vAt, vEnd);
        if (length < 0)
          return fail(s, 'OBMP_ERR_TEXT_HEADER', vAt, `OpenBMP text header length "${latin1(b, vAt, vEnd)}"`);
        break;
      case KEY_R_HASH:
        s.hashAt = vAt;
        s.hashEnd = vEnd;
        break;
      case KEY_R_IP:
        s.ipAt = vAt;
        s.ipEnd = vEnd;
        break;
      case KEY_C_HASH:
        s.collectorAt = vAt;
        s.collectorEnd = vEnd;
        break;
    }
    if (lineAt === o && version < 0)
      return fail(s, 'OBMP_ERR_TEXT_HEADER', o, 'OpenBMP text header does not start with "V:"');
  }
  if (length < 0) return fail(s, 'OBMP_ERR_TEXT_HEADER', o, 'OpenBMP text header has no "L:" (BMP length)');
  if (s.hashAt < 0 && s.ipAt < 0)
    return fail(s, 'OBMP_ERR_TEXT_HEADER', o, 'OpenBMP text header names no router (no R_HASH or R_IP)');
  s.minorVersion = version;
  s.headerLength = p - o;
  s.bmpLength = length;
  if (p + length > end)
    return fail(
      s,
      'BMP_ERR_TRUNCATED',
      o,
      `OpenBMP text header says ${length} BMP bytes follow, ${end - p} do`,
    );
  return null;
}

function fail(s: TextHeaderScan, code: ErrorCode, at: number, detail: string): ErrorCode {
  s.errorAt = at;
  s.detail = detail;
  return code;
}

/** A decimal number of 1–10 digits at [at, end), or -1. */
function decimal(b: Uint8Array, at: number, end: number): number {
  if (end <= at || end - at > 10) return -1;
  let n = 0;
  for (let i = at; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n > 0xffffffff ? -1 : n;
}

/** Hex text as written (lowercased); '' when absent. */
function hexField(b: Uint8Array, at: number, end: number): string {
  return at < 0 ? '' : latin1(b, at, end).toLowerCase();
}

const scratch = new TextHeaderScan();

/**
 * Reads the text header at `o` into the same OpenBmpHeader the binary form gives; throws a Fault (turned into
 * a BmpError at the API boundary) when it is malformed.
 */
export function decodeTextHeader(b: Uint8Array, o: number, end: number): OpenBmpHeader {
  const s = scratch;
  const code = scanTextHeader(b, o, end, s);
  if (code !== null) fault(code, s.errorAt, s.detail);
  let routerIp: string | null = null;
  let flags = 0;
  if (s.ipAt >= 0) {
    const text = latin1(b, s.ipAt, s.ipEnd);
    const ip = parseIP(text);
    if (ip === null)
      fault('OBMP_ERR_TEXT_HEADER', s.ipAt, `OpenBMP text header R_IP "${text}" is not an address`);
    // Canonical text (RFC 5952 for IPv6), the same the binary header's bytes give.
    routerIp = ip.length === 4 ? formatIPv4(ip, 0) : formatIPv6(ip, 0);
    flags = OBMP_FLAG_ROUTER | (ip.length === 16 ? OBMP_FLAG_ROUTER_IPV6 : 0);
  }
  return {
    form: 'text',
    majorVersion: 1,
    minorVersion: s.minorVersion,
    headerLength: s.headerLength,
    bmpLength: s.bmpLength,
    flags,
    objectType: OBMP_OBJECT_BMP_RAW,
    // The text form carries no collection time; consumers take the BMP per-peer timestamp anyway.
    collectionTime: 0,
    collectorHash: hexField(b, s.collectorAt, s.collectorEnd),
    adminId: '',
    routerHash: hexField(b, s.hashAt, s.hashEnd),
    routerIp,
    routerGroup: '',
    rowCount: 1,
  };
}

/** The router fields a text header is written from (see OpenBmpHeaderInput). */
export interface TextHeaderInput {
  collectorHash?: string;
  routerHash?: string;
  routerIp: string | null;
}

/** Writes a 2.x text header for a BMP message of `bmpLength` bytes (write the message right after). */
export function encodeTextHeader(w: Writer, h: TextHeaderInput, bmpLength: number): void {
  const hash = (x: string | undefined, field: string) => {
    const v = x ?? '0'.repeat(32);
    if (!/^[0-9a-f]{32}$/i.test(v)) throw new EncodeError(`${field} (32 hex digits expected)`, v.length, 32);
    return v.toLowerCase();
  };
  let text = `V: 1.7\nC_HASH_ID: ${hash(h.collectorHash, 'collector hash')}\nR_HASH: ${hash(h.routerHash, 'router hash')}\n`;
  if (h.routerIp !== null) {
    const ip = parseIP(h.routerIp);
    if (ip === null) throw new EncodeError(`OpenBMP router IP "${h.routerIp}"`, 0, 0);
    text += `R_IP: ${ip.length === 4 ? formatIPv4(ip, 0) : formatIPv6(ip, 0)}\n`;
  }
  text += `L: ${bmpLength}\n\n`;
  w.bytes(utf8(text));
}
