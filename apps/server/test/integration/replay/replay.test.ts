// Replaying the GoBGP lab capture (raw BMP) and an OpenBMP rendering of it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameCapture } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';

const FIXTURE = fileURLToPath(
  new URL('../../../../../packages/bmp/test/fixtures/lab-gobgp.bmp', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'bmpwatch-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay source', () => {
  it('plays a raw BMP capture at full speed: routers, peers and routes appear', async () => {
    const t = await startTestServer([
      '--no-bmp',
      '--replay',
      FIXTURE,
      '--replay-speed',
      '0',
      '--no-replay-loop',
      '--replay-router',
      'lab',
    ]);
    try {
      const peers = await waitUntil(async () => {
        const p = (await t.server.app.inject('/api/peers')).json().peers as { announcements: number }[];
        return p.length > 0 && p.some((x) => x.announcements > 0) ? p : undefined;
      }, 'peers from the capture');
      expect(peers.length).toBeGreaterThan(0);
      const routers = (await t.server.app.inject('/api/routers')).json().routers;
      expect(routers[0]).toMatchObject({ id: 'lab', source: 'replay' });
      expect(routers[0].name).toBe('lab-r1'); // the capture's sysName
      const health = (await t.server.app.inject('/api/health')).json();
      expect(health.sources[0]).toMatchObject({ id: 'replay', status: 'ok', errors: 0 });
    } finally {
      await t.close();
    }
  });

  it('plays OpenBMP captures (router identity from the headers), looping', async () => {
    const raw = new Uint8Array(readFileSync(FIXTURE));
    const items = frameCapture(raw, () => undefined);
    const wrapped = items.map((i) =>
      wrapOpenBmp(i.bytes, { collectionTime: i.t, adminId: 'test-collector', routerIp: '198.51.100.7' }),
    );
    const file = join(dir, 'lab.obmp');
    writeFileSync(file, Buffer.concat(wrapped));
    const t = await startTestServer(['--no-bmp', '--replay', file, '--replay-speed', '0']);
    try {
      await waitUntil(async () => {
        const s = (await t.server.app.inject('/api/health')).json().sources[0];
        return s.messages > 2 * items.length ? s : undefined;
      }, 'a second pass over the file');
      const routers = (await t.server.app.inject('/api/routers')).json().routers;
      expect(routers).toHaveLength(1);
      expect(routers[0]).toMatchObject({ id: '198.51.100.7', collector: 'test-collector', source: 'replay' });
    } finally {
      await t.close();
    }
  });
});
