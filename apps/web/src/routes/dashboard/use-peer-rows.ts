import { useStore } from '@nanostores/react';
import { useMemo } from 'react';
import { buildPeerRows, type PeerTableRow, type Sort } from '../../lib/peer-rows.ts';
import { $peers, $rates, $routers, rateHistory } from '../../lib/stores.ts';

/** Updates per second of a peer in the last tick (announcements + withdrawals). */
export function peerRate(key: string, t: number): number {
  const v = rateHistory.peers.get(key)?.get(t);
  return v ? v.a + v.w : 0;
}

/** The table's rows; re-sorted on each rate tick only when sorting by rate. */
export function usePeerRows(sort: Sort, search: string): { rows: PeerTableRow[]; peerCount: number } {
  const peers = useStore($peers);
  const routers = useStore($routers);
  const rates = useStore($rates);
  const tick = sort.key === 'rate' ? rates.t : 0;
  const rows = useMemo(
    () => buildPeerRows(peers.values(), routers, sort, search, (p) => peerRate(p.key, tick)),
    [peers, routers, sort, search, tick],
  );
  return { rows, peerCount: peers.size };
}
