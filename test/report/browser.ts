import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's chromium; CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Screenshots (and a copy of each page) are kept here after the tests, for a person to look at. */
export const SCREENSHOT_DIR = join(tmpdir(), 'kiln-report-test');

/** What one canvas of the page holds once drawn. */
export interface CanvasInfo {
  id: string;
  width: number;
  height: number;
  /** Pixels that are not fully transparent. */
  painted: number;
  /** A Chart.js chart is attached to it. */
  chart: boolean;
  /** Data points over its datasets. */
  points: number;
  /** Its chart's legend labels. */
  legend: string[];
}

export interface RenderedPage {
  /** Every request the page made, the file itself included. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  canvases: CanvasInfo[];
  /** The body's data-charts (how many charts the page says it has) and data-charts-drawn. */
  declared: number;
  drawn: number;
  text: string;
  screenshot: string;
}

/** The browser objects the canvas check touches. */
interface PageCanvas {
  id: string;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface PageGlobals {
  document: { querySelectorAll(selector: 'canvas'): Iterable<PageCanvas> };
  Chart: { getChart(c: PageCanvas): { data: { datasets: { data: unknown[] }[] }; legend?: { legendItems?: { text: string }[] } } | undefined };
}

let browser: Browser | null = null;

export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

/** Opens the report in headless Chromium, records what it requests and logs, inspects every canvas and saves a full-page screenshot. */
export async function renderReport(file: string, name: string): Promise<RenderedPage> {
  const b = await launch();
  const context = await b.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction("document.body.hasAttribute('data-charts-drawn')", undefined, { timeout: 5000 }).catch(() => undefined);
    const canvases = await page.evaluate(() => {
      // Runs in the page; the tests compile without the DOM library, so the few types it needs are spelled here.
      const { document, Chart: ChartJs } = globalThis as unknown as PageGlobals;
      return [...document.querySelectorAll('canvas')].map((c) => {
        const ctx = c.getContext('2d');
        const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        const chart = ChartJs.getChart(c);
        return {
          id: c.id, width: c.width, height: c.height, painted, chart: chart !== undefined,
          points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
          legend: chart?.legend?.legendItems?.map((l) => l.text) ?? [],
        };
      });
    });
    const declared = Number(await page.getAttribute('body', 'data-charts'));
    const drawn = Number(await page.getAttribute('body', 'data-charts-drawn'));
    const text = await page.innerText('body');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const screenshot = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    copyFileSync(file, join(SCREENSHOT_DIR, `${name}.html`));
    return { requests, errors, canvases, declared, drawn, text, screenshot };
  } finally {
    await context.close();
  }
}
