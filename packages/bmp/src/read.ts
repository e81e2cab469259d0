/**
 * Big-endian reads on a Uint8Array: no DataView per buffer (creating one per message costs more than it saves);
 * the OpenBMP header keeps one cached view for its 32-bit word compares.
 */

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * A BMP/OpenBMP time stamp (32-bit seconds and microseconds) as seconds: the double nearest to sec.usec, so
 * its text is exactly that decimal. (sec + usec / 1e6 rounds twice and can print as 1764000000.0010002.)
 */
export function seconds(sec: number, usec: number): number {
  return (sec * 1e6 + usec) / 1e6;
}

/** Unsigned 64-bit as a number (exact up to 2^53). */
export function u64(b: Uint8Array, o: number): number {
  return u32(b, o) * 0x100000000 + u32(b, o + 4);
}

const td = new TextDecoder('utf-8', { fatal: false });
export function utf8Text(b: Uint8Array, o: number, end: number): string {
  return td.decode(b.subarray(o, end));
}

const tdStrict = new TextDecoder('utf-8', { fatal: true });
/** UTF-8 text, or null when the bytes are not valid UTF-8. */
export function utf8Strict(b: Uint8Array, o: number, end: number): string | null {
  try {
    return tdStrict.decode(b.subarray(o, end));
  } catch {
    return null;
  }
}

const HEXD: string[] = [];
for (let i = 0; i < 256; i++) HEXD.push(i.toString(16).padStart(2, '0'));
export function hex(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end; i++) s += HEXD[b[i]];
  return s;
}

/** One character per byte (ASCII header text; anything else shows as its Latin-1 character, never throws). */
export function latin1(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
