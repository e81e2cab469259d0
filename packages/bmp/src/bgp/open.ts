/** BGP OPEN (RFC 4271 §4.2) with capabilities (RFC 5492) and extended optional parameters (RFC 9072). */
import { formatIPv4 } from '../address.ts';
import { checkMax, type Writer } from '../encode/writer.ts';
import { fault } from '../errors.ts';
import type { BgpOpen, Capability } from '../models/bgp.ts';
import { AS_TRANS } from '../models/iana.ts';
import { u16 } from '../read.ts';
import { encodeIPv4 } from './attributes/attr-03-09-10-addresses.ts';
import { decodeCapability, encodeCapability } from './capabilities.ts';

const PARAM_CAPABILITIES = 2;

export function decodeOpen(b: Uint8Array, o: number, end: number): BgpOpen {
  if (end - o < 10) fault('BGP_ERR_OPEN', o, 'OPEN shorter than its fixed fields');
  const version = b[o];
  const myAs = u16(b, o + 1);
  const holdTime = u16(b, o + 3);
  const bgpId = formatIPv4(b, o + 5);
  let optLen = b[o + 9];
  let p = o + 10;
  // RFC 9072: a non-extended length of 255 followed by type 255 means 2-byte lengths follow.
  let extended = false;
  if (optLen === 255 && p < end && b[p] === 255) {
    if (p + 3 > end) fault('BGP_ERR_OPEN', p, 'extended optional parameters header truncated');
    optLen = u16(b, p + 1);
    p += 3;
    extended = true;
  }
  const optEnd = p + optLen;
  if (optEnd > end) fault('BGP_ERR_OPEN', o + 9, 'optional parameters overrun the OPEN');
  const capabilities: Capability[] = [];
  const otherParams: BgpOpen['otherParams'] = [];
  while (p < optEnd) {
    const hdr = extended ? 3 : 2;
    if (p + hdr > optEnd) fault('BGP_ERR_OPEN', p, 'optional parameter header truncated');
    const type = b[p];
    const len = extended ? u16(b, p + 1) : b[p + 1];
    const v = p + hdr;
    const vEnd = v + len;
    if (vEnd > optEnd) fault('BGP_ERR_OPEN', p, 'optional parameter overruns the parameters');
    if (type === PARAM_CAPABILITIES) {
      for (let c = v; c < vEnd; ) {
        if (c + 2 > vEnd) fault('BGP_ERR_OPEN', c, 'capability header truncated');
        const code = b[c];
        const cEnd = c + 2 + b[c + 1];
        if (cEnd > vEnd) fault('BGP_ERR_OPEN', c, `capability ${code} overruns its parameter`);
        capabilities.push(decodeCapability(code, b, c + 2, cEnd));
        c = cEnd;
      }
    } else {
      otherParams.push({ type, value: b.subarray(v, vEnd) });
    }
    p = vEnd;
  }
  let asn = myAs;
  for (const c of capabilities) if (c.name === 'four_octet_as') asn = c.asn;
  return { kind: 'open', version, myAs, asn, holdTime, bgpId, capabilities, otherParams };
}

/** Encodes an OPEN body. `myAs` defaults to the ASN, or AS_TRANS when the ASN needs 4 bytes. */
export function encodeOpen(w: Writer, open: Omit<BgpOpen, 'kind' | 'myAs'> & { myAs?: number }): void {
  const myAs = open.myAs ?? (open.asn > 0xffff ? AS_TRANS : open.asn);
  checkMax('OPEN my AS', myAs, 0xffff);
  checkMax('OPEN hold time', open.holdTime, 0xffff);
  w.u8(open.version).u16(myAs).u16(open.holdTime);
  encodeIPv4(w, open.bgpId, 'OPEN BGP identifier');
  const optLenAt = w.reserve(1);
  const start = w.pos;
  if (open.capabilities.length > 0) {
    w.u8(PARAM_CAPABILITIES);
    const capLenAt = w.reserve(1);
    const capStart = w.pos;
    for (const cap of open.capabilities) encodeCapability(w, cap);
    checkMax('OPEN capabilities parameter length', w.pos - capStart, 255);
    w.buf[capLenAt] = w.pos - capStart;
  }
  for (const prm of open.otherParams) {
    checkMax('OPEN parameter length', prm.value.length, 255);
    w.u8(prm.type).u8(prm.value.length).bytes(prm.value);
  }
  checkMax('OPEN optional parameters length', w.pos - start, 255);
  w.buf[optLenAt] = w.pos - start;
}

/** True when both OPENs carry the 4-octet AS capability (RFC 6793: then AS_PATH is 4-byte). */
export function bothFourOctet(a: BgpOpen, b: BgpOpen): boolean {
  return a.capabilities.some((c) => c.code === 65) && b.capabilities.some((c) => c.code === 65);
}
