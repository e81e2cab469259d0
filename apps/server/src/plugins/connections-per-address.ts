/**
 * Open WebSocket connections per client address, so that one address cannot take every slot of --max-clients.
 * A limit of 0 turns the count off.
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Counts a new connection from `address`; false (and not counted) when that address is at the limit. */
  tryOpen(address: string): boolean {
    if (this.limit === 0) return true;
    const n = this.open.get(address) ?? 0;
    if (n >= this.limit) return false;
    this.open.set(address, n + 1);
    return true;
  }

  /** Forgets one connection from `address` (call once per successful tryOpen). */
  closed(address: string): void {
    if (this.limit === 0) return;
    const n = (this.open.get(address) ?? 0) - 1;
    if (n <= 0) this.open.delete(address);
    else this.open.set(address, n);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
