// (a) The embedded default: `pnpm start` with nothing configured runs the demo feed. The dashboard
// shows a rate chart with non-zero data, a filled peers table and a live feed that honours an
// origin-ASN filter typed into the filter bar; the filter lives in the URL. Screenshots of each view
// go to the test's output folder (e2e/test-results); BMPWATCH_SAVE_SCREENSHOT=1 also writes
// docs/screenshot.png for the README.
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { DOCS_DIR } from '../support/paths.ts';
import { type RunningServer, startServer } from '../support/server.ts';

let server: RunningServer | null = null;
let base = process.env.BMPWATCH_E2E_URL ?? '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  if (base) return;
  // A brisker churn than the default 40 updates/s, so that one origin ASN recurs within seconds.
  server = await startServer(['--demo', 'on', '--demo-rate', '400']);
  base = server.url;
});

test.afterAll(async () => {
  await server?.stop();
});

async function openDashboard(page: Page, query = ''): Promise<void> {
  await page.goto(`${base}/${query}`);
  await expect(page.getByTestId('connection-state')).toHaveText('live');
}

/** Origin ASNs of the announcements in the feed rows currently rendered (withdrawals carry none). */
async function feedOrigins(page: Page): Promise<string[]> {
  return page
    .getByTestId('feed-row')
    .evaluateAll((rows) =>
      rows
        .filter((r) => r.getAttribute('data-kind') === 'announce')
        .map((r) => r.getAttribute('data-origin-asn') ?? ''),
    );
}

test('rate chart draws non-zero data, peers table fills, feed streams', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openDashboard(page);

  const chart = page.getByTestId('rate-chart');
  await expect(chart).toHaveAttribute('data-has-data', 'true', { timeout: 30_000 });
  // Two lines drawn by recharts, the announcements one with a real path.
  const curve = chart.locator('path.recharts-line-curve').first();
  await expect(curve).toHaveAttribute('d', /M.+L/);

  const rows = page.getByTestId('peer-row');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('peer-state').first()).toHaveAttribute('data-state', /up|down|unknown/);
  await expect(page.getByTestId('router-row').first()).toBeVisible();

  await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('ingest-rate').textContent()).toMatch(/msg\/s/);

  await page.waitForTimeout(2_000); // a few more rate ticks on the chart
  await page.screenshot({ path: testInfo.outputPath('dashboard-light.png'), fullPage: true });
  for (const id of ['rate-chart', 'peers-table', 'live-feed', 'top-talkers', 'peer-timeline', 'filter-bar']) {
    const el = id === 'rate-chart' ? page.locator('#rates') : page.getByTestId(id);
    await el.screenshot({ path: testInfo.outputPath(`view-${id}.png`) });
  }
  await page.locator('header').screenshot({ path: testInfo.outputPath('view-header.png') });
  if (process.env.BMPWATCH_SAVE_SCREENSHOT === '1') {
    await page.screenshot({ path: join(DOCS_DIR, 'screenshot.png') });
  }
  expect(errors).toEqual([]);
});

test('an origin-ASN filter typed into the filter bar narrows the feed and survives reload', async ({
  page,
}, testInfo) => {
  await openDashboard(page);
  // The busiest origin ASN of the window (top talkers), so that matching routes keep coming.
  const top = page.getByTestId('talkers-origins').getByRole('button').first();
  await expect(top).toBeVisible({ timeout: 30_000 });
  const origin = ((await top.textContent()) ?? '').replace(/^AS/, '').trim();
  expect(origin).toMatch(/^\d+$/);

  const input = page.getByTestId('filter-origin-asn');
  await input.fill(origin);
  await input.press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]origin=${origin}(&|$)`));
  await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(1_500);
  const after = await feedOrigins(page);
  expect(after.length).toBeGreaterThan(0);
  expect(new Set(after)).toEqual(new Set([origin]));
  await page.screenshot({ path: testInfo.outputPath('dashboard-filtered.png'), fullPage: true });

  // Reload: the filter comes back from the URL, into the form and onto the feed.
  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  await expect(page.getByTestId('filter-origin-asn')).toHaveValue(origin);
  await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(new Set(await feedOrigins(page))).toEqual(new Set([origin]));

  // Back: the unfiltered view.
  await page.goBack();
  await expect(page.getByTestId('filter-origin-asn')).toHaveValue('');
  await expect(page).not.toHaveURL(/origin=/);
  // Forward: filtered again.
  await page.goForward();
  await expect(page.getByTestId('filter-origin-asn')).toHaveValue(origin);
});

test('invalid input gets an inline message and is not applied', async ({ page }) => {
  await openDashboard(page);
  const input = page.getByTestId('filter-origin-asn');
  await input.fill('AS99999999999');
  await expect(page.getByTestId('filter-error-origin')).toContainText('out of range');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('filter-apply')).toBeDisabled();
  await page.getByTestId('filter-prefix').fill('10.0.0.0/33');
  await expect(page.getByTestId('filter-error-prefix')).toContainText('0–32');
  await input.press('Enter');
  await expect(page).not.toHaveURL(/origin=/);
});

test('pause freezes the feed; clicking an origin ASN in it filters by it', async ({ page }) => {
  await openDashboard(page);
  const rows = page.getByTestId('feed-row');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const pause = page.getByTestId('feed-pause');
  await pause.click();
  await expect(pause).toHaveText('Resume');
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  const first = await rows.first().getAttribute('data-prefix');
  const count = await rows.count();
  await page.waitForTimeout(1_500);
  expect(await rows.first().getAttribute('data-prefix')).toBe(first);
  expect(await rows.count()).toBe(count);

  const originButton = page.getByTestId('feed-origin').first();
  const asn = ((await originButton.textContent()) ?? '').trim();
  await originButton.click();
  await expect(page).toHaveURL(new RegExp(`origin=${asn}`));
  await expect(page.getByTestId('filter-origin-asn')).toHaveValue(asn);
  // A new filter starts a live feed again.
  await expect(pause).toHaveText('Pause');
  await page.getByTestId('filter-clear').click();
  await expect(page).not.toHaveURL(/origin=/);
});

test('dark theme follows the system', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await openDashboard(page);
  await expect(page.getByTestId('rate-chart')).toHaveAttribute('data-has-data', 'true', { timeout: 30_000 });
  await expect.poll(() => page.getByTestId('peer-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).toBe('rgb(15, 20, 27)');
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: testInfo.outputPath('dashboard-dark.png'), fullPage: true });
  await context.close();
});

test('reconnects with backoff when the server restarts, re-applies the filter, and live data resumes', async ({
  page,
}) => {
  // The demo feed is seeded: the restarted server replays the same churn, so the filtered origin recurs.
  const args = ['--demo', 'on', '--demo-rate', '400'];
  const own = await startServer(args);
  let again: RunningServer | null = null;
  const subscribes: { filter?: { origin_asns?: number[] } }[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const m = JSON.parse(String(f.payload));
      if (m.type === 'subscribe') subscribes.push(m);
    }),
  );
  try {
    await page.goto(own.url);
    const state = page.getByTestId('connection-state');
    await expect(state).toHaveText('live');
    const top = page.getByTestId('talkers-origins').getByRole('button').first();
    await expect(top).toBeVisible({ timeout: 30_000 });
    const origin = ((await top.textContent()) ?? '').replace(/^AS/, '').trim();
    await page.goto(`${own.url}/?origin=${origin}`);
    await expect(state).toHaveText('live');
    await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await own.stop();
    await expect(state).toHaveText(/reconnecting|offline/, { timeout: 15_000 });
    await expect(page.getByText(/retry in \d+s|retrying/)).toBeVisible();
    // Rows shown so far are marked, to tell them from what arrives after the restart.
    await page.getByTestId('feed-row').evaluateAll((rows) => {
      for (const r of rows) r.setAttribute('data-before-restart', '');
    });
    const sentBefore = subscribes.length;
    again = await startServer(args, {}, own.port);
    await expect(state).toHaveText('live', { timeout: 30_000 });

    // The same filter: still in the form and the URL, and subscribed again on the new connection.
    await expect(page.getByTestId('filter-origin-asn')).toHaveValue(origin);
    await expect(page).toHaveURL(new RegExp(`[?&]origin=${origin}(&|$)`));
    await expect
      .poll(() => subscribes.slice(sentBefore).some((m) => m.filter?.origin_asns?.includes(Number(origin))))
      .toBe(true);
    // New data arrives, and only what the filter asks for.
    const fresh = page.locator('[data-testid="feed-row"]:not([data-before-restart])');
    await expect.poll(() => fresh.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const origins = await fresh.evaluateAll((rows) =>
      rows
        .filter((r) => r.getAttribute('data-kind') === 'announce')
        .map((r) => r.getAttribute('data-origin-asn')),
    );
    expect(origins.every((o) => o === origin)).toBe(true);
    await expect.poll(() => page.getByTestId('peer-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  } finally {
    await own.stop();
    await again?.stop();
  }
});
