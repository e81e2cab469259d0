import { LabError } from './errors.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Names the awaited condition in the timeout error. */
  what: string;
  /** Appended to the timeout error: log tails, last observed state. */
  diagnostics?: () => Promise<string> | string;
}

/**
 * Polls `probe` until it returns something other than `undefined`. A probe that throws counts as
 * "not yet" (gobgpd's API is not up for the first few hundred ms); the last error is reported on
 * timeout. A LAB_PROCESS error (a process died) ends the wait at once.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 200;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      // A dead process will not come back by waiting: report it now, not at the timeout.
      if (err instanceof LabError && err.code === 'LAB_PROCESS') throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  let message = `timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`;
  if (lastError !== undefined)
    message += `\nlast error: ${(lastError as Error).message ?? String(lastError)}`;
  if (opts.diagnostics) {
    try {
      message += `\n${await opts.diagnostics()}`;
    } catch (err) {
      message += `\n(diagnostics failed: ${(err as Error).message})`;
    }
  }
  throw new LabError('LAB_TIMEOUT', message);
}
