/** Polling with a deadline: tests wait for conditions, never for fixed sleeps. */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 25,
  diagnostics?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${diagnostics ? `\n${diagnostics()}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** waitUntil for a WebSocket test client: on timeout, the last frames it received say what it saw instead. */
export function waitForFrames<T>(
  frames: readonly unknown[],
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return waitUntil(
    check,
    what,
    timeoutMs,
    20,
    () => `last frames: ${JSON.stringify(frames.slice(-3)).slice(0, 1500)}`,
  );
}

/** Closes a WebSocket and waits until it is closed (at once if it already is). */
export async function closeSocket(ws: {
  readyState: number;
  once(e: 'close', f: () => void): unknown;
  close(): void;
}): Promise<void> {
  if (ws.readyState === 3) return;
  const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.close();
  await done;
}
