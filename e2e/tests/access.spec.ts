// A public deployment: the server requires a token and allows only its own origin. The dashboard opened as
// /?token=… goes live (API polls and the WebSocket carry the token), drops the token from the address bar,
// keeps working after a reload, and breaks no Content-Security-Policy rule. Without the token it gets nothing.
import { expect, test } from '@playwright/test';
import { freePort, type RunningServer, startServer } from '../support/server.ts';

const TOKEN = 'e2e-token-0123456789abcdef';
let server: RunningServer;

test.beforeAll(async () => {
  const port = await freePort();
  server = await startServer(
    ['--demo', 'on', '--allowed-origins', `http://127.0.0.1:${port}`],
    { BMPWATCH_AUTH_TOKEN: TOKEN },
    port,
  );
});

test.afterAll(async () => {
  await server?.stop();
});

test('the dashboard works with a token given in its URL, and only with it', async ({ page, browser }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${server.url}/?token=${TOKEN}`);
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  await expect.poll(() => page.getByTestId('peer-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(page.url()).not.toContain('token');

  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  expect(problems).toEqual([]);

  // Another visitor without the token: the page loads, its API and WebSocket are refused.
  const stranger = await browser.newPage();
  await stranger.goto(`${server.url}/`);
  const status = await stranger.evaluate(async () => (await fetch('/api/peers')).status);
  expect(status).toBe(401);
  await expect(stranger.getByTestId('connection-state')).not.toHaveText('live', { timeout: 5_000 });
  await stranger.close();
});
