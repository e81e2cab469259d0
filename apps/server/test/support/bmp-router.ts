/**
 * A scripted BMP speaker for tests: connects to the server's BMP listener and sends messages built with the
 * encoder (Initiation, Peer Up, Route Monitoring, …), or raw bytes.
 */
import { connect, type Socket } from 'node:net';
import {
  type BmpMessageInput,
  communityFrom,
  encodeBmp,
  type OpenInput,
  typicalOpen,
} from '@bmpwatch/bmp/encode';

export interface TestPeer {
  address: string;
  asn: number;
  bgpId: string;
}

export function open(asn: number, bgpId: string, afi = 1): OpenInput {
  return typicalOpen(asn, bgpId, { families: [{ afi, safi: 1 }] });
}

export const msg = {
  initiation: (sysName: string): Uint8Array =>
    encodeBmp({
      type: 'initiation',
      information: [
        { type: 2, value: sysName },
        { type: 1, value: 'test router' },
      ],
    }),
  peerUp: (p: TestPeer, ts = 1_700_000_000): Uint8Array =>
    encodeBmp({
      type: 'peer_up',
      peer: { ...p, timestamp: ts },
      localAddress: '192.0.2.1',
      localPort: 179,
      remotePort: 40000,
      sentOpen: open(65000, '192.0.2.1', p.address.includes(':') ? 2 : 1),
      receivedOpen: open(p.asn, p.bgpId, p.address.includes(':') ? 2 : 1),
    }),
  peerDown: (p: TestPeer, ts = 1_700_000_100): Uint8Array =>
    encodeBmp({
      type: 'peer_down',
      peer: { ...p, timestamp: ts },
      reason: 3,
      notification: { code: 6, subcode: 2 },
    }),
  announce: (p: TestPeer, prefixes: string[], path: number[], ts = 1_700_000_001): Uint8Array => {
    const v6 = prefixes[0].includes(':');
    const m: BmpMessageInput = {
      type: 'route_monitoring',
      peer: { ...p, timestamp: ts },
      update: v6
        ? {
            attributes: {
              origin: 'igp',
              asPath: [{ type: 'sequence', asns: path }],
              mpReach: {
                afi: 2,
                safi: 1,
                nextHop: '2001:db8::1',
                nextHopLinkLocal: null,
                nlri: { afi: 2, safi: 1, prefixes, pathIds: null },
                raw: null,
              },
            },
          }
        : {
            announced: prefixes,
            attributes: {
              origin: 'igp',
              asPath: [{ type: 'sequence', asns: path }],
              nextHop: p.address,
              communities: [communityFrom(64512, 100)],
            },
          },
    };
    return encodeBmp(m);
  },
  withdraw: (p: TestPeer, prefixes: string[], ts = 1_700_000_002): Uint8Array =>
    encodeBmp({ type: 'route_monitoring', peer: { ...p, timestamp: ts }, update: { withdrawn: prefixes } }),
  stats: (p: TestPeer, adjRibIn: number): Uint8Array =>
    encodeBmp({
      type: 'statistics_report',
      peer: { ...p, timestamp: 1_700_000_003 },
      stats: [{ type: 7, value: adjRibIn }],
    }),
  termination: (): Uint8Array =>
    encodeBmp({ type: 'termination', information: [{ type: 1, raw: new Uint8Array([0, 0]) }] }),
};

export class TestRouter {
  private constructor(readonly socket: Socket) {}

  static connect(port: number, host = '127.0.0.1'): Promise<TestRouter> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new TestRouter(s)));
      s.once('error', reject);
    });
  }

  send(...chunks: Uint8Array[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(Buffer.concat(chunks), (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}
