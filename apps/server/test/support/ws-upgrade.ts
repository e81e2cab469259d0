/** Opens a WebSocket and says how the upgrade went: the open socket, or the HTTP status and JSON body it got. */
import WebSocket from 'ws';
import { closeSocket } from './wait.ts';

export type UpgradeResult =
  | { status: 101; ws: WebSocket }
  | { status: number; body: Record<string, unknown> | null };

export function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<UpgradeResult> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => {
        ws.terminate();
        let body: Record<string, unknown> | null = null;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', (err) => reject(err));
  });
}

/** Closes every open socket among the results. */
export async function closeAll(results: UpgradeResult[]): Promise<void> {
  await Promise.all(results.map((r) => ('ws' in r ? closeSocket(r.ws) : undefined)));
}
