import { BmpError, type BmpMessage, BmpSession, decodeBmp } from '@bmpwatch/bmp';
import { encodeBmp, wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { describe, expect, it } from 'vitest';
import type { RouterRef } from '../../src/model/events.ts';
import { OpenBmpDecoder } from '../../src/pipeline/decode.ts';
import { type ScannedRoutes, toEvent } from '../../src/pipeline/events.ts';
import { msg, type TestPeer } from '../support/bmp-router.ts';

const router: RouterRef = {
  id: '192.0.2.3',
  address: '192.0.2.3',
  source: 'bmp-tcp',
  sourceId: 'bmp-tcp',
  collector: null,
  group: null,
};
const A: TestPeer = { address: '192.0.2.11', asn: 4200000001, bgpId: '192.0.2.11' };
const decode = (b: Uint8Array): BmpMessage => {
  const m = decodeBmp(b);
  if (m instanceof BmpError) throw new Error(m.toString());
  return m;
};

describe('toEvent', () => {
  it('turns Route Monitoring into groups of withdrawn and announced prefixes', () => {
    const ev = toEvent(
      decode(msg.announce(A, ['10.0.0.0/24', '10.0.1.0/24'], [4200000001, 64500])),
      router,
      5,
    );
    expect(ev).toMatchObject({
      type: 'routes',
      ts: 1700000001,
      announceCount: 2,
      withdrawCount: 0,
      announced: [{ prefixes: ['10.0.0.0/24', '10.0.1.0/24'], pathIds: null, nextHop: '192.0.2.11' }],
      withdrawn: [],
    });
    const v6 = toEvent(decode(msg.announce(A, ['2001:db8::/32'], [1])), router, 5);
    expect(v6).toMatchObject({ announced: [{ prefixes: ['2001:db8::/32'], nextHop: '2001:db8::1' }] });
    const w = toEvent(decode(msg.withdraw(A, ['10.0.0.0/24'])), router, 5);
    expect(w).toMatchObject({ withdrawCount: 1, announceCount: 0, attributes: null });
  });

  it('uses arrival time when the router leaves the timestamp zero', () => {
    const ev = toEvent(decode(msg.announce(A, ['10.0.0.0/24'], [1], 0)), router, 1234.5);
    expect(ev).toMatchObject({ ts: 1234.5 });
  });

  it('gives readable peer down reasons and OPEN facts', () => {
    expect(toEvent(decode(msg.peerDown(A)), router, 0)).toMatchObject({
      type: 'peer_down',
      reason: 'remote_notification: cease/administrative_shutdown',
    });
    const fsm = encodeBmp({ type: 'peer_down', peer: { ...A, timestamp: 1 }, reason: 2, fsmCode: 7 });
    expect(toEvent(decode(fsm), router, 0)).toMatchObject({ reason: 'local_no_notification: fsm_event 7' });
    const shut = encodeBmp({
      type: 'peer_down',
      peer: { ...A, timestamp: 1 },
      reason: 1,
      notification: { code: 6, subcode: 2, shutdownMessage: 'maintenance' },
    });
    expect(toEvent(decode(shut), router, 0)).toMatchObject({
      reason: 'local_notification: cease/administrative_shutdown ("maintenance")',
    });
    expect(toEvent(decode(msg.peerUp(A)), router, 0)).toMatchObject({
      type: 'peer_up',
      open: {
        local_address: '192.0.2.1',
        local_port: 179,
        remote_port: 40000,
        hold_time: 90,
        four_octet_as: true,
        families: ['ipv4/unicast'],
        add_path: [],
        capabilities: ['multiprotocol', 'four_octet_as'],
      },
    });
  });

  it('reads sysName / sysDescr, termination reasons and Adj-RIB-In statistics', () => {
    expect(toEvent(decode(msg.initiation('r1')), router, 9)).toMatchObject({
      type: 'router_up',
      name: 'r1',
      descr: 'test router',
      ts: 9,
    });
    expect(toEvent(decode(msg.termination()), router, 9)).toMatchObject({
      type: 'router_down',
      reason: 'termination: admin_close',
    });
    expect(toEvent(decode(msg.stats(A, 42)), router, 9)).toMatchObject({ type: 'stats', adjRibIn: 42 });
    const perFamily = encodeBmp({
      type: 'statistics_report',
      peer: { ...A, timestamp: 1 },
      stats: [
        { type: 9, afi: 1, safi: 1, value: 10 },
        { type: 9, afi: 2, safi: 1, value: 5 },
      ],
    });
    expect(toEvent(decode(perFamily), router, 9)).toMatchObject({ adjRibIn: 15 });
  });
});

describe('OpenBmpDecoder', () => {
  it.each(['binary', 'text'] as const)(
    'keeps one session and one router identity per OpenBMP router (%s header)',
    (form) => {
      const d = new OpenBmpDecoder('kafka', 'kafka');
      const wrap = (b: Uint8Array, ip: string) =>
        wrapOpenBmp(b, {
          form,
          collectionTime: 1,
          adminId: 'collector-1',
          routerIp: ip,
          routerHash: ip === '10.0.0.1' ? 'a'.repeat(32) : 'b'.repeat(32),
        });
      const r1 = d.decode(wrap(msg.peerUp(A), '10.0.0.1'), 0);
      const r2 = d.decode(wrap(msg.announce(A, ['10.9.0.0/16'], [1]), '2001:db8::9'), 0);
      const r3 = d.decode(wrap(msg.announce(A, ['10.8.0.0/16'], [1]), '10.0.0.1'), 0);
      if (r1 instanceof BmpError || r2 instanceof BmpError || r3 instanceof BmpError)
        throw new Error('decode failed');
      expect(r1.router).toEqual({
        id: '10.0.0.1',
        address: '10.0.0.1',
        source: 'kafka',
        sourceId: 'kafka',
        // The text form carries no collector name.
        collector: form === 'binary' ? 'collector-1' : null,
        group: null,
      });
      expect(r2.router.id).toBe('2001:db8::9');
      expect(r3.router).toBe(r1.router);
      // Route Monitoring comes out of the fast path: scanned numbers, the full decode on demand.
      const scanned = r3.event as ScannedRoutes;
      expect(scanned.type).toBe('scanned');
      expect([scanned.scan.count, scanned.scan.length[0], scanned.scan.addr[0] >>> 0]).toEqual([
        1, 16, 0x0a080000,
      ]);
      expect(scanned.full()).toMatchObject({ type: 'routes', announced: [{ prefixes: ['10.8.0.0/16'] }] });
    },
  );

  it('refuses a malformed text header with a typed error that says why', () => {
    const d = new OpenBmpDecoder('kafka', 'kafka');
    const bad = new TextEncoder().encode('V: 1.7\nR_IP: 10.0.0.1\nL: x\n\n');
    expect(d.decode(bad, 0)).toMatchObject({ code: 'OBMP_ERR_TEXT_HEADER', message: /length "x"/ });
    const text = wrapOpenBmp(msg.peerUp(A), {
      form: 'text',
      collectionTime: 0,
      adminId: '',
      routerIp: '10.0.0.3',
    });
    const broken = new TextEncoder().encode(new TextDecoder().decode(text).replace('10.0.0.3', '10.0.0.999'));
    expect(d.decode(broken, 0)).toMatchObject({ code: 'OBMP_ERR_TEXT_HEADER', message: /not an address/ });
  });

  it('returns typed errors for garbage and broken messages', () => {
    const d = new OpenBmpDecoder('kafka', 'kafka');
    expect(d.decode(new Uint8Array([1, 2, 3]), 0)).toMatchObject({ code: 'OBMP_ERR_MAGIC' });
    expect(d.decode(new TextEncoder().encode('V: 1.7\nC_HASH_ID: x\n\n'), 0)).toMatchObject({
      code: 'OBMP_ERR_TEXT_HEADER',
    });
    const ok = wrapOpenBmp(msg.announce(A, ['10.0.0.0/8'], [1]), {
      collectionTime: 1,
      adminId: 'c',
      routerIp: '10.0.0.1',
    });
    expect(d.decode(ok.subarray(0, ok.length - 3), 0)).toMatchObject({ code: 'BMP_ERR_TRUNCATED' });
    const bad = ok.slice();
    bad[bad.length - 30] = 0xff; // inside the UPDATE: attribute lengths no longer add up
    const r = d.decode(bad, 0);
    expect(r instanceof BmpError || (r as { event: unknown }).event !== undefined).toBe(true);
    // The session survives errors.
    expect(d.decode(ok, 0)).toMatchObject({ event: { type: 'scanned' } });
    expect(new BmpSession()).toBeDefined();
  });
});
