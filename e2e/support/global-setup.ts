import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from './paths.ts';

/** Builds the web app once (the server serves apps/web/dist) unless E2E_SKIP_BUILD=1. */
export default function globalSetup(): void {
  if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
    throw new Error(
      'Chromium not found at /usr/bin/chromium: apt-get install chromium (scripts/ensure-system-deps.sh)',
    );
  }
  if (process.env.E2E_SKIP_BUILD === '1' || process.env.BMPWATCH_E2E_URL) return;
  execFileSync('pnpm', ['--filter', '@bmpwatch/web', 'run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
