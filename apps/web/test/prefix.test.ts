import { describe, expect, it } from 'vitest';
import { formatIPv6, parseAddress, parseIPv6, parsePrefix } from '../src/lib/prefix.ts';

describe('parsePrefix', () => {
  it('accepts IPv4 and IPv6 prefixes in canonical form', () => {
    expect(parsePrefix('10.0.0.0/8')).toEqual({
      ok: true,
      value: { family: 4, length: 8, text: '10.0.0.0/8' },
    });
    expect(parsePrefix(' 2001:DB8::/32 ')).toEqual({
      ok: true,
      value: { family: 6, length: 32, text: '2001:db8::/32' },
    });
  });

  it('clears host bits', () => {
    expect(parsePrefix('10.1.2.3/8')).toMatchObject({ ok: true, value: { text: '10.0.0.0/8' } });
    expect(parsePrefix('192.0.2.255/25')).toMatchObject({ ok: true, value: { text: '192.0.2.128/25' } });
    expect(parsePrefix('2001:db8:ffff::1/33')).toMatchObject({
      ok: true,
      value: { text: '2001:db8:8000::/33' },
    });
    expect(parsePrefix('1.2.3.4/0')).toMatchObject({ ok: true, value: { text: '0.0.0.0/0' } });
  });

  it('treats a bare address as a host prefix', () => {
    expect(parsePrefix('192.0.2.1')).toMatchObject({ ok: true, value: { text: '192.0.2.1/32' } });
    expect(parsePrefix('2001:db8::1')).toMatchObject({ ok: true, value: { text: '2001:db8::1/128' } });
  });

  it('refuses bad input with a message quoting it', () => {
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '300.0.0.0/8',
      '10.0.0/8',
      'foo',
      '10.0.0.0/',
      '1::2::3/64',
    ]) {
      const r = parsePrefix(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(bad);
    }
    expect(parsePrefix('')).toEqual({ ok: false, error: 'empty prefix' });
    expect(parsePrefix('10.0.0.0/33')).toMatchObject({ error: expect.stringContaining('0–32') });
  });
});

describe('IPv6 text', () => {
  it('parses compressed forms and embedded IPv4', () => {
    expect(parseIPv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('::ffff:192.0.2.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('fe80::1%eth0')).toBeNull();
  });

  it('formats per RFC 5952', () => {
    expect(formatIPv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIPv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(formatIPv6([1, 0, 0, 0, 0, 0, 0, 0])).toBe('1::');
  });

  it('parseAddress canonicalises', () => {
    expect(parseAddress('2001:0DB8:0:0::11')).toEqual({
      ok: true,
      value: { family: 6, text: '2001:db8::11' },
    });
    expect(parseAddress('192.0.2.011').ok).toBe(false);
  });
});
