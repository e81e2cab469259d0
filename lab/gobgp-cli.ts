import { LabError } from './errors.ts';
import { run } from './run.ts';
import type { LabNetwork } from './topology.ts';

export type SessionState =
  | 'idle'
  | 'connect'
  | 'active'
  | 'opensent'
  | 'openconfirm'
  | 'established'
  | 'unknown';

export interface NeighborInfo {
  address: string;
  asn: number;
  state: SessionState;
  /** true after `gobgp neighbor X disable`. */
  adminDown: boolean;
  /** Summed over families, as `gobgp neighbor` shows them (policy-rejected routes still count). */
  received: number;
  accepted: number;
}

export interface RibCount {
  destinations: number;
  paths: number;
}

// apipb.PeerState.SessionState; newer CLIs print the enum name instead of the number.
const SESSION_STATES: readonly SessionState[] = [
  'unknown',
  'idle',
  'connect',
  'active',
  'opensent',
  'openconfirm',
  'established',
];

function sessionState(raw: unknown): SessionState {
  if (typeof raw === 'number') return SESSION_STATES[raw] ?? 'unknown';
  if (typeof raw === 'string') {
    const name = raw
      .toLowerCase()
      .replace(/^session_state_/, '')
      .replace(/_/g, '');
    return (SESSION_STATES as readonly string[]).includes(name) ? (name as SessionState) : 'unknown';
  }
  // proto3 JSON omits zero values; 0 is UNKNOWN.
  return 'unknown';
}

function adminDown(raw: unknown): boolean {
  // apipb.PeerState.AdminState: UP = 0 (omitted), DOWN = 1, PFX_CT = 2.
  return raw === 1 || (typeof raw === 'string' && /down/i.test(raw));
}

interface RawNeighbor {
  conf?: { neighbor_address?: string; peer_asn?: number };
  state?: { session_state?: unknown; admin_state?: unknown; neighbor_address?: string; peer_asn?: number };
  afi_safis?: Array<{ state?: { received?: number; accepted?: number } }>;
}

/** Parses `gobgp neighbor -j` (the JSON form of the `gobgp neighbor` table). */
export function parseNeighbors(json: string): NeighborInfo[] {
  const raw = JSON.parse(json) as RawNeighbor[] | null;
  return (raw ?? []).map((n) => {
    const families = n.afi_safis ?? [];
    return {
      address: n.state?.neighbor_address ?? n.conf?.neighbor_address ?? '',
      asn: n.state?.peer_asn ?? n.conf?.peer_asn ?? 0,
      state: sessionState(n.state?.session_state),
      adminDown: adminDown(n.state?.admin_state),
      received: families.reduce((sum, f) => sum + (f.state?.received ?? 0), 0),
      accepted: families.reduce((sum, f) => sum + (f.state?.accepted ?? 0), 0),
    };
  });
}

/** Parses `gobgp global rib -a FAMILY summary`: "Destination: 3, Path: 4". */
export function parseRibSummary(text: string): RibCount {
  const m = /Destination:\s*(\d+),\s*Path:\s*(\d+)/.exec(text);
  if (!m) throw new LabError('LAB_COMMAND', `unexpected 'gobgp global rib summary' output: ${text.trim()}`);
  return { destinations: Number(m[1]), paths: Number(m[2]) };
}

/** The `gobgp` CLI, run inside the lab namespace against that lab's gobgpd. */
export class GobgpCli {
  constructor(private readonly net: LabNetwork) {}

  async exec(args: readonly string[], timeoutMs = 15_000): Promise<string> {
    const { stdout } = await run(
      'ip',
      [
        'netns',
        'exec',
        this.net.netns,
        'gobgp',
        '-u',
        this.net.apiAddress,
        '-p',
        String(this.net.apiPort),
        ...args,
      ],
      timeoutMs,
    );
    return stdout;
  }

  async neighbors(): Promise<NeighborInfo[]> {
    return parseNeighbors(await this.exec(['neighbor', '-j']));
  }

  async setNeighbor(address: string, action: 'enable' | 'disable'): Promise<void> {
    await this.exec(['neighbor', address, action]);
  }

  async ribCount(family: 'ipv4' | 'ipv6'): Promise<RibCount> {
    return parseRibSummary(await this.exec(['global', 'rib', '-a', family, 'summary']));
  }

  /** `gobgp bmp del` makes GoBGP send a Termination and close the BMP session. */
  async bmpDel(host: string, port: number): Promise<void> {
    await this.exec(['bmp', 'del', `${host}:${port}`]);
  }

  async bmpAdd(host: string, port: number, policy: string): Promise<void> {
    await this.exec(['bmp', 'add', `${host}:${port}`, policy]);
  }
}
