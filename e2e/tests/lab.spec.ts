// (b) Real Kafka plus a real GoBGP router fed by ExaBGP: GoBGP → BMP → an OpenBMP-style relay →
// Kafka (a real broker, KRaft) → bmpwatch server → the dashboard in Chromium.
//   - filtering by an origin ASN shows only the routes ExaBGP injected with that origin;
//   - disabling the neighbour on GoBGP shows the peer down within 2 s with its reason, enabling it
//     shows it up again;
//   - the filter survives a reload via the URL.
// Needs root, gobgpd, exabgp (lab/) and Java for Kafka; skipped with the reason otherwise.

import { expect, type Page, test } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { type KafkaBroker, startKafka } from '../../apps/server/test/support/kafka-broker.ts';
import { type InjectedRoute, type Lab, labUnavailableReason, startLab } from '../../lab/lab.ts';
import { type Relay, startRelay } from '../support/openbmp-relay.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const unavailable = labUnavailableReason();
test.skip(unavailable !== undefined, `lab unavailable: ${unavailable}`);
test.describe.configure({ mode: 'serial' });

let kafka: KafkaBroker | null = null;
let relay: Relay | null = null;
let server: RunningServer | null = null;
let lab: Lab | null = null;
let injected: InjectedRoute[] = [];
let origin = 0;
let expectedPrefixes: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  kafka = await startKafka();
  const topic = `e2e.lab${Date.now()}.bmp_raw`;
  const admin = new Kafka({
    clientId: 'bmpwatch-e2e',
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  relay = await startRelay({ brokers: kafka.brokers, topic });
  server = await startServer([
    '--demo',
    'off',
    '--kafka-brokers',
    kafka.brokers.join(','),
    '--kafka-topics',
    topic,
    '--kafka-start',
    'earliest',
  ]);
  lab = await startLab({
    name: 'e2elab',
    collector: { host: '0.0.0.0', port: relay.port },
    routeMonitoringPolicy: 'pre',
    feed: { size: 300 },
  });
  await lab.waitConverged(90_000);
  injected = await lab.injected();
  // The origin ASN with the most injected routes (ending in a single ASN).
  const byOrigin = new Map<number, number>();
  for (const r of injected)
    if (r.originAsn !== null) byOrigin.set(r.originAsn, (byOrigin.get(r.originAsn) ?? 0) + 1);
  origin = [...byOrigin.entries()].sort((a, b) => b[1] - a[1])[0][0];
  expectedPrefixes = [...new Set(injected.filter((r) => r.originAsn === origin).map((r) => r.prefix))].sort();
});

test.afterAll(async () => {
  await lab?.stop();
  await server?.stop();
  await relay?.close();
  await kafka?.stop();
});

/** Every feed row (scrolling the virtualised list), as kind / prefix / origin. */
async function allFeedRows(page: Page): Promise<{ kind: string; prefix: string; origin: string }[]> {
  return page.evaluate(async () => {
    const box = document.querySelector('.feed-scroll') as HTMLElement;
    const seen = new Map<string, { kind: string; prefix: string; origin: string }>();
    const collect = () => {
      for (const el of box.querySelectorAll('[data-testid="feed-row"]')) {
        const key = `${el.getAttribute('style')}|${el.getAttribute('data-prefix')}`;
        seen.set(key, {
          kind: el.getAttribute('data-kind') ?? '',
          prefix: el.getAttribute('data-prefix') ?? '',
          origin: el.getAttribute('data-origin-asn') ?? '',
        });
      }
    };
    box.scrollTop = 0;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      collect();
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
      box.scrollTop += box.clientHeight - 40;
    }
    box.scrollTop = 0;
    return [...seen.values()];
  });
}

async function announcedPrefixes(page: Page): Promise<{ prefixes: string[]; origins: Set<string> }> {
  const rows = (await allFeedRows(page)).filter((r) => r.kind === 'announce');
  return {
    prefixes: [...new Set(rows.map((r) => r.prefix))].sort(),
    origins: new Set(rows.map((r) => r.origin)),
  };
}

test('filtering by an origin ASN shows exactly the routes ExaBGP injected with it', async ({
  page,
}, testInfo) => {
  await page.goto(server?.url ?? '');
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  await expect
    .poll(() => page.getByTestId('peer-row').count(), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2);
  // Type the filter, then replay the table: each feed withdraws and re-announces routes; the lab's
  // initial announcements happened before this page subscribed, so ask the speakers again.
  const input = page.getByTestId('filter-origin-asn');
  await input.fill(`AS${origin}`);
  await input.press('Enter');
  await expect(page).toHaveURL(new RegExp(`origin=${origin}`));
  for (const s of lab?.speakers ?? []) {
    await lab?.disableNeighbor(s.name);
    await lab?.enableNeighbor(s.name);
  }
  await lab?.waitConverged(90_000);
  await expect
    .poll(async () => (await announcedPrefixes(page)).prefixes, { timeout: 60_000 })
    .toEqual(expectedPrefixes);
  const { origins } = await announcedPrefixes(page);
  expect(origins).toEqual(new Set([String(origin)]));
  await page.screenshot({ path: testInfo.outputPath('lab-origin-filter.png'), fullPage: true });

  // Reload: the filter comes back from the URL; new changes still honour it.
  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  await expect(page.getByTestId('filter-origin-asn')).toHaveValue(String(origin));
  // The speakers announce their tables again (a session reset), so matching routes arrive anew.
  for (const sp of lab?.speakers ?? []) {
    await lab?.disableNeighbor(sp.name);
    await lab?.enableNeighbor(sp.name);
  }
  await lab?.waitConverged(90_000);
  await expect
    .poll(async () => (await announcedPrefixes(page)).prefixes, { timeout: 60_000 })
    .toEqual(expectedPrefixes);
  expect((await announcedPrefixes(page)).origins).toEqual(new Set([String(origin)]));
});

test('disabling the neighbour shows the peer down within 2 s with its reason; enabling brings it up', async ({
  page,
}, testInfo) => {
  await page.goto(server?.url ?? '');
  await expect(page.getByTestId('connection-state')).toHaveText('live');
  const speaker = lab?.speakers[0];
  if (!speaker) throw new Error('no speaker');
  const row = page.locator(`[data-testid="peer-row"][data-peer-key$="|${speaker.address}"]`);
  await expect(row).toHaveAttribute('data-state', 'up', { timeout: 30_000 });

  const t0 = Date.now();
  await lab?.disableNeighbor(speaker.name);
  await expect(row).toHaveAttribute('data-state', 'down', { timeout: 2_000 });
  const downAfterMs = Date.now() - t0;
  await expect(row.getByTestId('peer-reason')).not.toHaveText('—');
  await expect(page.getByTestId('peer-event').first()).toHaveAttribute('data-kind', 'peer_down');
  await expect(page.getByTestId('peer-event-reason').first()).not.toBeEmpty();
  testInfo.annotations.push({ type: 'peer down shown after', description: `${downAfterMs} ms` });
  await page.screenshot({ path: testInfo.outputPath('lab-peer-down.png'), fullPage: true });

  await lab?.enableNeighbor(speaker.name);
  await expect(row).toHaveAttribute('data-state', 'up', { timeout: 60_000 });
  await expect(page.getByTestId('peer-event').first()).toHaveAttribute('data-kind', 'peer_up');
});
