/** The `bmpwatch decode` contract: pure NDJSON on stdout, problems on stderr, exit codes. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BmpError, decodeStream } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = join(root, 'packages/bmp/test/fixtures/lab-gobgp.bmp');
const main = join(root, 'apps/cli/src/main.ts');

function cli(args: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

describe('bmpwatch decode', () => {
  it('--summary: one JSON object with counts, exit 0 on a clean capture', () => {
    const r = cli(['decode', '--summary', fixture]);
    expect(r.code).toBe(0);
    const out = lines(r.out);
    expect(out).toHaveLength(1);
    const s = JSON.parse(out[0]);
    expect(s.by_type.route_monitoring).toBeGreaterThan(10_000);
    expect(s.by_type.peer_up).toBeGreaterThan(0);
    expect(s.errors).toEqual({});
    expect(s.route_changes.announce).toBeGreaterThan(0);
    expect(typeof s.elapsed_s).toBe('number');
  });

  it('--elems: one route change per line with the documented fields', () => {
    const r = cli(['decode', '--elems', fixture]);
    expect(r.code).toBe(0);
    const elems = lines(r.out).map((l) => JSON.parse(l));
    const summary = JSON.parse(cli(['decode', '--summary', fixture]).out);
    expect(elems.length).toBe(summary.route_changes.announce + summary.route_changes.withdraw);
    for (const key of [
      'type',
      'timestamp',
      'router',
      'peer',
      'peer_asn',
      'peer_type',
      'post_policy',
      'adj_rib_out',
      'path_id',
      'prefix',
    ]) {
      expect(elems[0]).toHaveProperty(key);
    }
    const a = elems.find((e) => e.type === 'announce');
    for (const key of [
      'path',
      'origin',
      'next_hop',
      'med',
      'local_pref',
      'community',
      'large_community',
      'ext_community',
    ])
      expect(a).toHaveProperty(key);
    const w = elems.find((e) => e.type === 'withdraw');
    expect(w).not.toHaveProperty('path');
  });

  it('--messages: one object per BMP message, typed', () => {
    const r = cli(['decode', '--messages', fixture]);
    expect(r.code).toBe(0);
    const types = new Set(lines(r.out).map((l) => JSON.parse(l).type));
    expect([...types].sort()).toEqual([
      'initiation',
      'peer_down',
      'peer_up',
      'route_monitoring',
      'statistics_report',
      'termination',
    ]);
  });

  it('reads stdin with -', () => {
    const r = cli(['decode', '--summary', '-'], readFileSync(fixture));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).by_type.route_monitoring).toBeGreaterThan(10_000);
  });

  it('corrupt input: prints what decoded, reports the error on stderr, exits 1', () => {
    const good = readFileSync(fixture);
    const bad = Buffer.concat([
      good.subarray(0, 50_000),
      Buffer.from('garbage garbage garbage'),
      good.subarray(50_000, 100_013),
    ]);
    const file = join(tmpdir(), `bmpwatch-corrupt-${process.pid}.bmp`);
    writeFileSync(file, bad);
    const r = cli(['decode', '--elems', file]);
    expect(r.code).toBe(1);
    expect(lines(r.out).length).toBeGreaterThan(100);
    for (const l of lines(r.out)) JSON.parse(l);
    expect(r.err).toMatch(/BMP_ERR_/);
  });

  it('usage errors exit 2 with help', () => {
    const r = cli(['decode', '--elems', '--summary', fixture]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Usage: bmpwatch decode/);
    expect(cli(['decode', '--help']).code).toBe(0);
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('`pnpm --silent bmpwatch decode` leaves stdout pure NDJSON', () => {
    const r = spawnSync('pnpm', ['--silent', 'bmpwatch', 'decode', '--summary', fixture], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(1);
    expect(() => JSON.parse(out[0])).not.toThrow();
  });
});

describe('bmpwatch decode of OpenBMP captures in both header forms', () => {
  // The lab capture wrapped by the project's encoder, once per form, as the two collectors write it.
  const raw = new Uint8Array(readFileSync(fixture));
  const wrapped = (form: 'binary' | 'text') => {
    const parts: Uint8Array[] = [];
    for (const item of decodeStream(raw)) {
      if (item.message instanceof BmpError) continue;
      const len = new DataView(raw.buffer, raw.byteOffset + item.offset + 1, 4).getUint32(0);
      parts.push(
        wrapOpenBmp(raw.subarray(item.offset, item.offset + len), {
          form,
          collectionTime: 1_700_000_000,
          adminId: 'lab-collector',
          routerHash: '5e'.repeat(16),
          routerIp: '192.0.2.200',
        }),
      );
    }
    const path = join(tmpdir(), `bmpwatch-${form}-${process.pid}.obmp`);
    writeFileSync(path, Buffer.concat(parts));
    return path;
  };

  it('decodes the text form to the same route changes as the binary form, router included', () => {
    const binary = cli(['decode', '--elems', wrapped('binary')]);
    const text = cli(['decode', '--elems', wrapped('text')]);
    expect(binary.code).toBe(0);
    expect(text.code, text.err).toBe(0);
    const a = lines(binary.out);
    expect(a.length).toBeGreaterThan(10_000);
    expect(lines(text.out)).toEqual(a);
    expect(JSON.parse(a[0]).router).toBe('192.0.2.200');
    const summary = JSON.parse(cli(['decode', '--summary', wrapped('text')]).out);
    expect(summary.errors).toEqual({});
    expect(summary.skipped_bytes).toBe(0);
  });
});
