// HTTP reads of the server's state (issue 3: /api/health, /api/routers, /api/peers). Shapes are
// read leniently: a bare array or an object holding the array are both accepted.
import { accessToken, authHeaders } from './access-token.ts';
import type { Peer, Router, Source } from './api-types.ts';

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(path, {
    signal,
    headers: { accept: 'application/json', ...authHeaders(accessToken()) },
  });
  if (!res.ok && res.status !== 503) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function listOf<T>(body: unknown, field: string): T[] | null {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object' && Array.isArray((body as Record<string, unknown>)[field])) {
    return (body as Record<string, T[]>)[field];
  }
  return null;
}

export async function fetchPeers(signal?: AbortSignal): Promise<Peer[] | null> {
  return listOf<Peer>(await getJson('/api/peers', signal), 'peers');
}

export async function fetchRouters(signal?: AbortSignal): Promise<Router[] | null> {
  return listOf<Router>(await getJson('/api/routers', signal), 'routers');
}

/** Sources with their status, from /api/health (null if it does not list them). */
export async function fetchSources(signal?: AbortSignal): Promise<Source[] | null> {
  const body = await getJson('/api/health', signal);
  const list = listOf<Source>(body, 'sources');
  return list?.filter((s) => s && typeof s.id === 'string') ?? null;
}
