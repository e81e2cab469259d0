/**
 * A router's RIS Live `host`: RIS names the collector ("rrc21"); here the monitored router plays that part.
 * The name is the one an operator configured for it, most stable first: the OpenBMP router group, the
 * OpenBMP collector (admin id), the BMP sysName from its Initiation, else its address (or id).
 */
import type { RouterState } from '../state/routers.ts';

export function routerHost(r: RouterState): string {
  return r.ref.group ?? r.ref.collector ?? r.name ?? r.ref.address ?? r.ref.id;
}

/**
 * Whether a `host` filter names the router: its host or any other name above. (The host is one of them, so
 * comparing with each is enough, and costs no array per message.)
 */
export function answersTo(r: RouterState, host: string): boolean {
  return (
    host === r.ref.id ||
    host === r.ref.group ||
    host === r.ref.collector ||
    host === r.name ||
    host === r.ref.address
  );
}
