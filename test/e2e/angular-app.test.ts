/**
 * The Angular example app in a real browser: built for production by the Angular CLI (Node 24),
 * served on loopback, talking to the emulator (with CORS) from Debian's Chromium, driven headless by
 * playwright-core. A user types a review and sees its label, watches a streamed answer appear token
 * by token, and leaves mid-stream; the emulator must see that request closed by the client. Each
 * state is kept as a screenshot under test/e2e/output/angular-app/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index';

const ROOT = join(__dirname, '..', '..');
const APP_OUTPUT = join(ROOT, 'examples', 'angular-app', 'dist', 'browser');
const SCREENSHOTS = join(__dirname, 'output', 'angular-app');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

let emulator: Emulator;
let site: Server;
let siteUrl: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** What /config.json answers; a test may change it and reload the page. */
let pageConfig: Record<string, unknown> = {};
/** Requests the same-origin proxy forwarded. */
let proxied = 0;

/**
 * Forwards `/sagemaker/*` unchanged to the emulator, with the emulator's Host (the host the page
 * signed for), streaming both ways; a client that leaves closes the upstream request. What nginx's
 * `proxy_pass` does in the production setup docs/angular.md shows.
 */
function forward(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, path: string): void {
  proxied += 1;
  const target = new URL(emulator.url);
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host, 'x-forwarded-by': 'test-proxy' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Serves the built app, config.json, and the forwarding proxy. */
function serveApp(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pageConfig));
      return;
    }
    if (path.startsWith('/sagemaker/')) {
      forward(req, res, (req.url ?? '/').slice('/sagemaker'.length));
      return;
    }
    const file = normalize(join(APP_OUTPUT, path === '/' ? 'index.html' : path));
    if (!file.startsWith(APP_OUTPUT) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Resolves once `condition()` holds. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`until: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  // The production build of the app on the library's current dist/ (installs the app once per lockfile).
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-angular-app.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  emulator = await startEmulator({
    cors: true,
    endpoints: {
      sentiment: { model: 'sentiment', faults: { latencyMs: 150 } },
      // Slow enough that a person (and this test) sees the answer grow.
      generator: { model: 'text-generator', generator: { tokensPerSecond: 12 } },
    },
  });
  pageConfig = {
    region: emulator.region,
    endpoint: emulator.url,
    credentials: EMULATOR_CREDENTIALS,
    reviewsEndpointName: 'sentiment',
    generatorEndpointName: 'generator',
  };
  site = await serveApp();
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A failed load is logged by the browser as an error too; the response listener names its URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) pageErrors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(siteUrl);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await emulator?.close();
});

it('classifies a typed review: the label appears after the click, through HttpClient', async () => {
  await page.locator('#review').fill('Great tent, sturdy and easy to pitch. I love it.');
  await shot('1-review-typed');
  const before = emulator.requests.length;
  await page.locator('#classify').click();
  await page.locator('#status').waitFor(); // the resource is loading (150 ms of model latency)
  await shot('2-classifying');
  await page.locator('#label').waitFor();
  expect(await page.locator('#label').textContent()).toBe('POSITIVE');
  await shot('3-label');
  const calls = emulator.requests.slice(before);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ operation: 'InvokeEndpoint', endpointName: 'sentiment', status: 200 });
  expect(calls[0]!.headers.origin).toBe(siteUrl.replace(/\/$/, '')); // a cross-origin call, allowed by CORS
  expect(JSON.parse(calls[0]!.body.toString('utf8'))).toEqual({ text: 'Great tent, sturdy and easy to pitch. I love it.' });
  // The app's HttpClient interceptor counted it: the call went through HttpClient.
  expect(await page.evaluate(() => (window as unknown as { sagemakerCalls?: number }).sagemakerCalls)).toBe(1);

  await page.locator('#review').fill('Awful. It broke after a week');
  await page.locator('#classify').click();
  await page.waitForFunction(() => document.querySelector('#label')?.textContent === 'NEGATIVE');
  await shot('4-second-label');
});

it('shows a streamed answer token by token as it arrives', async () => {
  await page.locator('#show-stream').click();
  const before = emulator.requests.length;
  await page.locator('#generate').click();
  // Sample the token count the page shows; it must pass through several values before the end.
  const seen: number[] = [];
  let midStreamShot = false;
  for (;;) {
    const tokens = Number((await page.locator('#tokens').getAttribute('data-tokens').catch(() => null)) ?? -1);
    if (tokens >= 0 && seen.at(-1) !== tokens) seen.push(tokens);
    if (!midStreamShot && tokens >= 5) {
      await shot('5-streaming');
      midStreamShot = true;
    }
    if ((await page.locator('#stream-status').textContent().catch(() => ''))?.startsWith('done')) break;
    await page.waitForTimeout(20);
  }
  await shot('6-stream-done');
  const text = await page.locator('#tokens').textContent();
  expect(text).toMatch(/^The quick/);
  expect(seen.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5); // seen growing, not all at once
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  const streamed = emulator.requests.slice(before).filter((r) => r.operation === 'InvokeEndpointWithResponseStream');
  expect(streamed).toHaveLength(1);
  expect(streamed[0]).toMatchObject({ status: 200, closedByClient: false });
});

it('aborts the stream when the user leaves mid-stream: the emulator sees the request closed by the client', async () => {
  const before = emulator.requests.length;
  await page.locator('#prompt').fill('Tell me more about foxes.');
  await page.locator('#generate').click();
  await page.waitForFunction(() => Number(document.querySelector('#tokens')?.getAttribute('data-tokens')) >= 3);
  await shot('7-before-leaving');
  await page.locator('#show-classify').click(); // the stream component is destroyed
  await shot('8-left');
  const upstream = () => emulator.requests.slice(before).find((r) => r.operation === 'InvokeEndpointWithResponseStream');
  await until(() => upstream()?.completedAt !== undefined);
  expect(upstream()).toMatchObject({ status: 200, closedByClient: true });
  expect(pageErrors).toEqual([]);
});

it('works through a same-origin forwarding proxy, the setup for AWS (which serves no CORS): signed for the service, sent to the proxy', async () => {
  pageConfig = { ...pageConfig, proxyPath: '/sagemaker' };
  await page.goto(siteUrl); // the app reads config.json at start-up
  const before = emulator.requests.length;
  const proxiedBefore = proxied;
  await page.locator('#review').fill('Great tent, I love it.');
  await page.locator('#classify').click();
  await page.locator('#label').waitFor();
  expect(await page.locator('#label').textContent()).toBe('POSITIVE');
  await page.locator('#show-stream').click();
  await page.locator('#generate').click();
  await page.waitForFunction(() => document.querySelector('#stream-status')?.textContent?.startsWith('done'));
  await shot('9-through-proxy');
  const calls = emulator.requests.slice(before);
  expect(calls.map((r) => [r.operation, r.status])).toEqual([
    ['InvokeEndpoint', 200],
    ['InvokeEndpointWithResponseStream', 200],
  ]);
  // Both came through the proxy (the page sent nothing to the emulator's origin), their signatures
  // for the emulator's host verified.
  expect(calls.every((r) => r.headers['x-forwarded-by'] === 'test-proxy')).toBe(true);
  expect(proxied - proxiedBefore).toBe(2);
  expect(pageErrors).toEqual([]);
});
