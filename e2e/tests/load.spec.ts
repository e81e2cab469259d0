// Issue 4 §3: at 20,000 route events/s into the server, the page keeps ≥ 30 frames/s and its JS heap
// stays flat. Opt-in (it takes minutes): BMPWATCH_LOAD=1 pnpm test:e2e -- load
//
//   LOAD_SECONDS      measured duration per scenario (default 600)
//   LOAD_DEMO_RATE    demo UPDATEs/s (default 16500, about 20,000 route events/s with the demo mix)
//   LOAD_SCENARIOS    comma list of: all (no filter: every event reaches the page), origin (one origin ASN)
//
// Frames are counted with requestAnimationFrame in the page; the heap is read over CDP
// (Runtime.getHeapUsage) every 10 s, and after a forced GC at the start and the end. Results go to
// the test's output folder as load-<scenario>.json and to stdout.
import { writeFileSync } from 'node:fs';
import { type CDPSession, expect, type Page, test } from '@playwright/test';
import { type RunningServer, startServer } from '../support/server.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 600);
const DEMO_RATE = Number(process.env.LOAD_DEMO_RATE ?? 16_500);
const SCENARIOS = (process.env.LOAD_SCENARIOS ?? 'all,origin').split(',');
const SAMPLE_MS = 10_000;
const WARMUP_MS = 30_000;

test.skip(process.env.BMPWATCH_LOAD !== '1', 'load measurement: set BMPWATCH_LOAD=1');
test.describe.configure({ mode: 'serial' });

let server: RunningServer | null = null;

test.beforeAll(async () => {
  server = await startServer(['--demo', 'on', '--demo-rate', String(DEMO_RATE), '--demo-prefixes', '500']);
});

test.afterAll(async () => {
  await server?.stop();
});

interface Sample {
  t: number;
  fps: number;
  heapMB: number;
  eventsPerSec: number;
  feedReceived: number;
  feedDropped: number;
}

async function heapMB(cdp: CDPSession, gc: boolean): Promise<number> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return Math.round((usedSize / 1024 / 1024) * 10) / 10;
}

async function pageCounters(
  page: Page,
): Promise<{ frames: number; rate: number; received: number; dropped: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number };
    const feed = document.querySelector('.feed-scroll');
    return {
      frames: w.__frames,
      rate: Number(document.querySelector('[data-testid="route-rate"]')?.getAttribute('data-value') ?? 0),
      received: Number(feed?.getAttribute('data-received') ?? 0),
      dropped: Number(feed?.getAttribute('data-dropped') ?? 0),
    };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

for (const scenario of SCENARIOS) {
  test(`frame rate and heap under load: ${scenario}`, async ({ page }, testInfo) => {
    test.setTimeout((SECONDS + 180) * 1000);
    const query = scenario === 'origin' ? '?origin=64500' : '';
    await page.goto(`${server?.url}/${query}`);
    await expect(page.getByTestId('connection-state')).toHaveText('live');
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number };
      w.__frames = 0;
      const tick = () => {
        w.__frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(WARMUP_MS);
    const cdp = await page.context().newCDPSession(page);
    const heapStart = await heapMB(cdp, true);
    const samples: Sample[] = [];
    let prev = await pageCounters(page);
    let prevAt = Date.now();
    const start = prevAt;
    // After-GC heap at each quarter: caps (feed ring, top-talker windows) fill during the first
    // minutes, so "flat" means the later quarters stay level, not that the start equals the end.
    const heapAfterGc: { t: number; mb: number }[] = [{ t: 0, mb: heapStart }];
    let nextQuarter = 1;
    while (Date.now() - start < SECONDS * 1000) {
      await page.waitForTimeout(SAMPLE_MS);
      const cur = await pageCounters(page);
      const now = Date.now();
      samples.push({
        t: Math.round((now - start) / 1000),
        fps: Math.round(((cur.frames - prev.frames) / ((now - prevAt) / 1000)) * 10) / 10,
        heapMB: await heapMB(cdp, false),
        eventsPerSec: cur.rate,
        feedReceived: cur.received - prev.received,
        feedDropped: cur.dropped - prev.dropped,
      });
      prev = cur;
      prevAt = now;
      if (nextQuarter < 4 && now - start >= (SECONDS * 1000 * nextQuarter) / 4) {
        heapAfterGc.push({ t: Math.round((now - start) / 1000), mb: await heapMB(cdp, true) });
        nextQuarter++;
        prev = await pageCounters(page);
        prevAt = Date.now();
      }
    }
    const heapEnd = await heapMB(cdp, true);
    heapAfterGc.push({ t: Math.round((Date.now() - start) / 1000), mb: heapEnd });
    const fps = samples.map((s) => s.fps);
    const result = {
      scenario,
      seconds: SECONDS,
      demoRate: DEMO_RATE,
      serverEventsPerSec: { median: median(samples.map((s) => s.eventsPerSec)) },
      pageEventsPerSec: Math.round(samples.reduce((a, s) => a + s.feedReceived, 0) / SECONDS),
      droppedBySeverPerSec: Math.round(samples.reduce((a, s) => a + s.feedDropped, 0) / SECONDS),
      fps: { min: Math.min(...fps), median: median(fps), max: Math.max(...fps) },
      heapMB: {
        afterGcStart: heapStart,
        afterGcEnd: heapEnd,
        afterGc: heapAfterGc,
        sampledMin: Math.min(...samples.map((s) => s.heapMB)),
        sampledMax: Math.max(...samples.map((s) => s.heapMB)),
      },
      samples,
    };
    writeFileSync(testInfo.outputPath(`load-${scenario}.json`), JSON.stringify(result, null, 2));
    await page.screenshot({ path: testInfo.outputPath(`load-${scenario}.png`) });
    const { samples: _omit, ...summary } = result;
    console.log(JSON.stringify(summary));
    expect(result.fps.min).toBeGreaterThanOrEqual(30);
    // Flat: after GC the heap at the end is within 10 MB of the start and within 20% of the halfway mark.
    expect(heapEnd).toBeLessThanOrEqual(heapStart + 10);
    const half = heapAfterGc[2]?.mb ?? heapStart;
    expect(heapEnd).toBeLessThanOrEqual(half * 1.2);
  });
}
