import { execFile } from 'node:child_process';
import { LabError } from './errors.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command to completion. Every call has a timeout: a hung `gobgp` CLI (gobgpd not
 * answering) must surface as an error, not as a test that never ends.
 */
export function run(file: string, args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed
            ? `timed out after ${timeoutMs} ms`
            : `exit ${String(err.code ?? err.signal)}`;
          reject(
            new LabError(
              'LAB_COMMAND',
              `${file} ${args.join(' ')}: ${why}\n${stderr.trim() || stdout.trim()}`,
            ),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

/** Like `run`, for clean-up steps where "already gone" is the expected outcome. */
export async function runQuiet(file: string, args: readonly string[], timeoutMs = 15_000): Promise<boolean> {
  try {
    await run(file, args, timeoutMs);
    return true;
  } catch {
    return false;
  }
}
