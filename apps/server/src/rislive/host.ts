/**
 * A router's RIS Live `host`: RIS names the collector ("rrc21"); here the monitored router plays that part.
 * The name is the one an operator configured for it, most stable first: the OpenBMP router group, the
 * OpenBMP collector (admin id), the BMP sysName from its Initiation, else its address (or id).
 */
import type { RouterState } from '../state/routers.ts';

export function routerHost(r: RouterState): string {
  return r.ref.group ?? r.ref.collector ?? r.name ?? r.ref.address ?? r.ref.id;
}

/** Every name a `host` filter may use for the router: its host and each of the names above. */
export function hostNames(r: RouterState): string[] {
  const names = [routerHost(r), r.ref.id];
  for (const n of [r.ref.group, r.ref.collector, r.name, r.ref.address])
    if (n !== null && !names.includes(n)) names.push(n);
  return names;
}
