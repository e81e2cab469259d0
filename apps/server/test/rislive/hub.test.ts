// The RIS Live sink behind a real pipeline: BMP bytes in, ris_message frames out to fake sockets.

import type { BmpSession } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/fanout/hub.ts';
import { OpenBmpDecoder, routerConnection } from '../../src/pipeline/decode.ts';
import { Pipeline } from '../../src/pipeline/ingest.ts';
import { SinkTee } from '../../src/pipeline/sink-tee.ts';
import { RisLiveHub } from '../../src/rislive/hub.ts';
import { parseRisFrame, type RisClientFrame } from '../../src/rislive/protocol.ts';
import { handleRisFrame } from '../../src/rislive/route.ts';
import { msg, type TestPeer } from '../support/bmp-router.ts';
import { FakeSocket } from '../support/fake-socket.ts';

/** The shared double with the views these tests read: frames as loose JSON, ris_messages, the close code. */
class RisSocket extends FakeSocket {
  // biome-ignore lint/suspicious/noExplicitAny: frames are JSON checked by the tests themselves
  get json(): any[] {
    return this.frames;
  }
  messages(type?: string) {
    return this.json.filter((f) => f.type === 'ris_message' && (type === undefined || f.data.type === type));
  }
  get closed(): number | null {
    return this.closeCodes.at(-1) ?? null;
  }
}

const A: TestPeer = { address: '192.0.2.11', asn: 4200000001, bgpId: '192.0.2.11' };
const B: TestPeer = { address: '192.0.2.12', asn: 65012, bgpId: '192.0.2.12' };

function setup(maxBuffered?: number) {
  const hub = new Hub();
  const ris = new RisLiveHub(maxBuffered);
  const pipeline = new Pipeline(new SinkTee([hub, ris]), Fastify({ logger: false }).log);
  ris.attach(pipeline);
  const conn = routerConnection('bmp-tcp', 'bmp-tcp', '198.51.100.1', '198.51.100.1');
  const feed = (...m: Uint8Array[]) => {
    for (const b of m) pipeline.bmp(conn, b);
  };
  const client = (...frames: unknown[]) => {
    const s = new RisSocket();
    const c = ris.addClient(s);
    for (const f of frames) handleRisFrame(ris, c, JSON.stringify(f));
    return { s, c };
  };
  return { hub, ris, pipeline, feed, client };
}

const sub = (data: unknown) => ({ type: 'ris_subscribe', data });

describe('RIS Live hub', () => {
  it('sends UPDATEs in RIS Live fields to matching subscriptions only, raw when asked', () => {
    const { feed, client, ris, pipeline } = setup();
    feed(msg.initiation('edge1'), msg.peerUp(A), msg.peerUp(B));
    const all = client(sub({ type: 'UPDATE', socketOptions: { includeRaw: true, acknowledge: true } }));
    const pfx = client(sub({ prefix: ['10.1.0.0/16', '10.9.9.0/24'] }));
    const path = client(sub({ path: '64501$' }));
    const peer = client(sub({ peer: '192.0.2.12', require: 'withdrawals' }));
    expect(pipeline.routers.list()).toHaveLength(1);
    expect(ris.prefersScan).toBe(false);

    feed(
      msg.announce(A, ['10.1.2.0/24', '10.2.0.0/16'], [4200000001, 64500, 64501]),
      msg.announce(B, ['10.3.0.0/24'], [65012, 64502]),
      msg.withdraw(B, ['10.1.0.0/16']),
    );
    expect(all.s.json[0]).toEqual({
      type: 'ris_subscribe_ok',
      data: {
        subscription: { type: 'UPDATE', moreSpecific: true, lessSpecific: false },
        socketOptions: { includeRaw: true, acknowledge: true },
      },
    });
    const [first, second, third] = all.s.messages('UPDATE').map((f) => f.data);
    expect(first).toMatchObject({
      timestamp: 1_700_000_001,
      peer: '192.0.2.11',
      peer_asn: '4200000001',
      host: 'edge1',
      type: 'UPDATE',
      path: [4200000001, 64500, 64501],
      community: [[64512, 100]],
      origin: 'IGP',
      announcements: [{ next_hop: '192.0.2.11', prefixes: ['10.1.2.0/24', '10.2.0.0/16'] }],
      withdrawals: [],
    });
    expect(first.raw).toMatch(/^F{32}[0-9A-F]+02/); // the BGP UPDATE: marker, length, type 2
    expect(Number.parseInt(first.raw.slice(32, 36), 16)).toBe(first.raw.length / 2); // exactly one message
    expect(typeof first.id).toBe('string');
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    expect(third).toMatchObject({ path: [], announcements: [], withdrawals: ['10.1.0.0/16'] });
    // 10.1.2.0/24 lies in 10.1.0.0/16 (more specific, the default) and the withdrawal is the /16 itself.
    expect(pfx.s.messages().map((f) => f.data.id)).toEqual([first.id, third.id]);
    expect(pfx.s.messages()[0].data.raw).toBeUndefined();
    expect(path.s.messages().map((f) => f.data.id)).toEqual([first.id]);
    expect(peer.s.messages().map((f) => f.data.id)).toEqual([third.id]);
  });

  it('reports Peer Up and Peer Down as RIS_PEER_STATE, OPEN and NOTIFICATION', () => {
    const { feed, client } = setup();
    feed(msg.initiation('edge1'));
    const states = client(sub({ type: 'RIS_PEER_STATE' }));
    const opens = client(sub({ type: 'OPEN', host: 'edge1' }));
    const notes = client(sub({ type: 'NOTIFICATION', peer: '192.0.2.11' }));
    const elsewhere = client(sub({ host: 'other-router' }));
    feed(msg.peerUp(A), msg.peerDown(A));
    expect(states.s.messages().map((f) => f.data.state)).toEqual(['connected', 'up', 'down']);
    expect(states.s.messages()[0].data).toMatchObject({
      peer: '192.0.2.11',
      peer_asn: '4200000001',
      host: 'edge1',
    });
    expect(opens.s.messages().map((f) => [f.data.direction, f.data.asn, f.data.router_id])).toEqual([
      ['sent', 65000, '192.0.2.1'],
      ['received', 4200000001, '192.0.2.11'],
    ]);
    expect(opens.s.messages()[1].data.capabilities).toEqual({
      '1': { name: 'multiprotocol', families: ['ipv4/unicast'] },
      '65': { name: 'asn4', asn4: 4200000001 },
    });
    expect(notes.s.messages().map((f) => f.data.notification)).toEqual([{ code: 6, subcode: 2, data: '' }]);
    expect(elsewhere.s.frames).toEqual([]);
  });

  it('ends subscriptions one prefix at a time', () => {
    const { feed, client, ris } = setup();
    feed(msg.peerUp(A));
    const c = client(sub({ prefix: ['10.1.0.0/16', '10.2.0.0/16'] }));
    const unsubscribe = (data: unknown) =>
      handleRisFrame(ris, c.c, JSON.stringify({ type: 'ris_unsubscribe', data }));
    unsubscribe({ prefix: '10.1.0.0/16' });
    feed(msg.announce(A, ['10.1.1.0/24'], [1]), msg.announce(A, ['10.2.1.0/24'], [2]));
    expect(c.s.messages().map((f) => f.data.announcements[0].prefixes[0])).toEqual(['10.2.1.0/24']);
    unsubscribe({ prefix: '10.2.0.0/16' });
    expect(ris.index.size).toBe(0);
  });

  it('keeps the decoder fast path while the scan can rule subscriptions out', () => {
    const { feed, client, ris } = setup();
    feed(msg.peerUp(A), msg.announce(A, ['10.0.0.0/24'], [1])); // A is known: its messages are scanned
    expect(ris.prefersScan).toBe(true);
    const c = client(sub({ prefix: '10.7.0.0/16' }), sub({ path: '64501$' }));
    expect(ris.prefersScan).toBe(true); // prefixes and origin-only paths are decided on the scan
    for (let i = 0; i < 50; i++) feed(msg.announce(A, [`10.${10 + i}.0.0/16`], [1, 64500]));
    feed(msg.announce(A, ['10.7.1.0/24'], [1, 64500]), msg.announce(A, ['10.99.0.0/16'], [1, 64501]));
    expect(c.s.messages().map((f) => f.data.announcements[0].prefixes[0])).toEqual([
      '10.7.1.0/24',
      '10.99.0.0/16',
    ]);
    expect(ris.scannedFull).toBe(2); // only the two candidates were decoded in full
    const wide = client(sub({ path: '^1' }));
    expect(ris.prefersScan).toBe(false); // any other path needs every AS path
    wide.c.socket.close();
    ris.removeClient(wide.c);
    expect(ris.prefersScan).toBe(true);
  });

  it('names OpenBMP routers by router group, else collector, and decodes scanned messages once', () => {
    const { pipeline, client, ris, hub } = setup();
    const kafka = new OpenBmpDecoder('kafka', 'kafka');
    const obmp = (b: Uint8Array, routerIp: string, routerGroup?: string) =>
      pipeline.openBmp(
        kafka,
        wrapOpenBmp(b, { collectionTime: 1, adminId: 'route-views.amsix', routerIp, routerGroup }),
      );
    const c = client(sub({ prefix: '10.5.0.0/16', socketOptions: { includeRaw: true } }));
    obmp(msg.peerUp(A), '203.0.113.1');
    obmp(msg.peerUp(B), '203.0.113.2', 'ams-edge');
    obmp(msg.announce(A, ['10.5.1.0/24'], [1]), '203.0.113.1');
    obmp(msg.announce(B, ['10.5.2.0/24'], [2]), '203.0.113.2', 'ams-edge');
    expect(c.s.messages().map((f) => [f.data.host, f.data.raw.slice(0, 32)])).toEqual([
      ['route-views.amsix', 'F'.repeat(32)],
      ['ams-edge', 'F'.repeat(32)],
    ]);
    expect(ris.hosts()).toEqual(['ams-edge', 'route-views.amsix']);
    // The dashboard hub and the RIS Live sink both want the next message in full: it is decoded once.
    hub.subscribe(hub.addClient(new FakeSocket()), {});
    // Count full decodes through the router's decoder session.
    let full = 0;
    const routers = (kafka as unknown as { routers: Iterable<{ session: BmpSession }> }).routers;
    for (const { session } of routers) {
      const decode = session.decode.bind(session);
      session.decode = (...a: Parameters<BmpSession['decode']>) => {
        full++;
        return decode(...a);
      };
    }
    obmp(msg.announce(A, ['10.5.3.0/24'], [1]), '203.0.113.1');
    expect(full).toBe(1);
    expect(c.s.messages()).toHaveLength(3);
  });

  it('answers ping, request_rrc_list and bad frames', () => {
    const { feed, client } = setup();
    feed(msg.initiation('edge1'));
    const c = client({ type: 'ping' }, { type: 'request_rrc_list' }, { type: 'nope' }, sub({ path: 'x' }));
    expect(c.s.json).toEqual([
      { type: 'pong', data: null },
      { type: 'ris_rrc_list', data: ['edge1'] },
      { type: 'ris_error', data: { message: expect.stringContaining('unknown message type "nope"') } },
      {
        type: 'ris_error',
        data: { message: expect.stringContaining('ris_subscribe: path: "x" is not an AS number') },
      },
    ]);
  });

  it('disconnects a client that falls behind, with a final ris_error', () => {
    const { feed, client, ris } = setup(64 * 1024);
    feed(msg.peerUp(A));
    const slow = client(sub({}));
    slow.s.grow = 10_000; // it never reads: every frame adds to what waits in its socket
    const fast = client(sub({}));
    for (let i = 0; i < 20; i++) feed(msg.announce(A, [`10.${i}.0.0/16`], [1, 2]));
    expect(fast.s.messages()).toHaveLength(20);
    expect(slow.s.closed).toBe(1008);
    expect(slow.s.json.at(-1)).toEqual({
      type: 'ris_error',
      data: { message: expect.stringMatching(/too slow/) },
    });
    expect(slow.s.messages().length).toBeLessThan(8);
    expect(ris.clients.has(slow.c)).toBe(false);
    expect(ris.slowDisconnects).toBe(1);
  });
});

describe('RIS Live client frames', () => {
  const parse = (f: unknown): RisClientFrame => parseRisFrame(JSON.stringify(f));

  it('turns a prefix list into one subscription per prefix, with RIS Live defaults', () => {
    const f = parse(sub({ prefix: ['10.1.2.3/16', '2001:DB8::/32'], host: 'rrc21', path: 789 }));
    expect(f.type).toBe('ris_subscribe');
    if (f.type !== 'ris_subscribe') return;
    expect(f.subscriptions.map((s) => [s.prefix, s.moreSpecific, s.lessSpecific, s.path?.text])).toEqual([
      ['10.1.0.0/16', true, false, '789'],
      ['2001:db8::/32', true, false, '789'],
    ]);
    expect(f.echo).toEqual({
      host: 'rrc21',
      path: '789',
      prefix: ['10.1.0.0/16', '2001:db8::/32'],
      moreSpecific: true,
      lessSpecific: false,
    });
  });

  it('accepts nulls as absent and says what is wrong otherwise', () => {
    expect(parse(sub({ host: null, prefix: null, socketOptions: { includeRaw: false } })).type).toBe(
      'ris_subscribe',
    );
    expect(parse(sub(null)).type).toBe('ris_subscribe');
    const errors: [unknown, RegExp][] = [
      [sub({ type: 'update!' }), /type: "update!" is not one of UPDATE/],
      [sub({ prefix: '10.0.0.0/33' }), /prefix: "10.0.0.0\/33" is not/],
      [sub({ prefix: [] }), /prefix: expected/],
      [sub({ peer: 'x' }), /peer: "x" is not an IP address/],
      [sub({ require: 'both' }), /require:/],
      [sub({ moreSpecific: 'yes' }), /moreSpecific: expected true or false/],
      [sub({ prefixes: ['10.0.0.0/8'] }), /unknown field "prefixes"/],
      [sub({ socketOptions: { raw: true } }), /unknown option "raw"/],
      [sub([1]), /data: expected an object/],
    ];
    for (const [frame, re] of errors) {
      const f = parse(frame);
      expect(f.type).toBe('error');
      if (f.type === 'error') expect(f.message).toMatch(re);
    }
    expect(parseRisFrame('{oops')).toMatchObject({ type: 'error', message: /not valid JSON/ });
  });
});
