/**
 * The hello and rates frames, built from pipeline state: pure functions of what they read (no timers, no
 * sockets), separate so the coordinator only decides when to send them and to whom.
 */
import type { SourceJson } from '../model/source-status.ts';
import type { Pipeline } from '../pipeline/ingest.ts';
import { epochSecond } from '../state/rates.ts';
import { API_VERSION } from './protocol.ts';

/** What the hub reads to build snapshots and rate ticks. */
export interface HubState {
  pipeline: Pipeline;
  sources(): SourceJson[];
}

export const SERVER_VERSION = '0.1.0';

/** The hello frame: snapshot of routers, peers, sources and the last 15 minutes of global rates. */
export function helloFrame(s: HubState): string {
  const p = s.pipeline;
  const last = epochSecond() - 1;
  return JSON.stringify({
    v: API_VERSION,
    type: 'hello',
    server: 'bmpwatch',
    version: SERVER_VERSION,
    snapshot: {
      routers: p.routers.list(),
      peers: p.peers.list(),
      sources: s.sources(),
      rates: { interval_s: 1, series: p.global.series(last) },
    },
  });
}

/** The rates frame for second `sec`. */
export function ratesFrame(p: Pipeline, sec: number): string {
  const g = p.global.at(sec);
  let routers = '';
  for (const r of p.routers.list()) {
    const x = r.rates.at(sec);
    routers += (routers === '' ? '' : ',') + JSON.stringify(r.id) + ':{"a":' + x.a + ',"w":' + x.w + '}';
  }
  let peers = '';
  for (const peer of p.peers.list()) {
    const x = peer.rates.at(sec);
    if (x.a === 0 && x.w === 0) continue;
    peers += (peers === '' ? '' : ',') + JSON.stringify(peer.key) + ':{"a":' + x.a + ',"w":' + x.w + '}';
  }
  const ingest = p.ingest.at(sec);
  return (
    `{"v":${API_VERSION},"type":"rates","t":${sec},"global":{"a":${g.a},"w":${g.w}},` +
    `"routers":{${routers}},"peers":{${peers}},"ingest":{"messages":${ingest.a},"bytes":${ingest.w}}}`
  );
}
