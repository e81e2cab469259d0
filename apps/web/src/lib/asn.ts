import type { Parsed } from './prefix.ts';

export const ASN_MAX = 4294967295;

/** "64500", "AS64500", "as64500" or asdot "1.10" (= 65546) → ASN. */
export function parseAsn(input: string): Parsed<number> {
  const s = input.trim();
  const body = /^as/i.test(s) ? s.slice(2) : s;
  let n: number;
  if (/^[0-9]{1,20}$/.test(body)) {
    n = Number(body);
  } else if (/^[0-9]{1,5}\.[0-9]{1,5}$/.test(body)) {
    const [hi, lo] = body.split('.').map(Number);
    if (hi > 65535 || lo > 65535) return { ok: false, error: `"${s}": asdot halves are 0–65535` };
    n = hi * 65536 + lo;
  } else {
    return { ok: false, error: `"${s}" is not an AS number (e.g. 64500 or AS64500)` };
  }
  if (n > ASN_MAX) return { ok: false, error: `"${s}" is out of range (0–${ASN_MAX})` };
  return { ok: true, value: n };
}

/** Splits a list typed into one box: commas and/or whitespace separate items. */
export function splitList(s: string): string[] {
  return s.split(/[\s,]+/).filter((x) => x !== '');
}
