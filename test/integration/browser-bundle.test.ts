/**
 * The core bundle for browsers and edge runtimes: esbuild bundles the built `dist/esm/index.js`
 * for `platform: 'browser'` (so the package's `browser` field swaps in the `.browser.js` twins),
 * the bundle holds no Node-only package and no `node:` import, and the same inputs, evaluated in
 * a fresh `node:vm` context that has only browser globals (fetch, WebCrypto, TextEncoder, URL,
 * AbortController, timers, performance; no require, process or Buffer), invoke the emulator with the fetch
 * transport, signed with WebCrypto HMAC that the emulator verifies.
 *
 * Runs against `dist/` (`npm test` builds first; while developing: `node scripts/build.mjs`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { createContext, runInContext, type Context } from 'node:vm';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';

// esbuild comes with tsx (a dev dependency); typed loosely to avoid depending on its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuild = require('esbuild') as {
  build(options: Record<string, unknown>): Promise<{
    metafile: { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    outputFiles: { text: string }[];
  }>;
};

const root = join(__dirname, '..', '..');
const entry = join(root, 'dist', 'esm', 'index.js');

/** Packages that must never reach a browser bundle. */
const NODE_ONLY_PACKAGES = ['undici', '@smithy/hash-node', '@aws-sdk/credential-providers', '@smithy/shared-ini-file-loader'];
/** The twins the `browser` field must swap in. */
const BROWSER_TWINS = [
  'dist/esm/platform/default-transport.browser.js',
  'dist/esm/transport/undici-transport.browser.js',
  'dist/esm/platform/default-provider.browser.js',
  'dist/esm/platform/profile-region.browser.js',
  'dist/esm/platform/shared-config.browser.js',
  'dist/esm/platform/signing-crypto.browser.js',
  'dist/esm/diagnostics/diagnostics-channel.browser.js',
];

const bundle = (format: 'esm' | 'iife') =>
  esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'sagemakerRx' } : {}),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });

interface Calls {
  fetch: string[];
  subtle: string[];
}

/** A context with only what browsers and edge runtimes offer; `fetch` and `crypto.subtle` count their calls. */
function browserContext(calls: Calls): Context {
  const subtle = {
    digest: (...a: Parameters<typeof webcrypto.subtle.digest>) => (calls.subtle.push('digest'), webcrypto.subtle.digest(...a)),
    sign: (...a: Parameters<typeof webcrypto.subtle.sign>) => (calls.subtle.push('sign'), webcrypto.subtle.sign(...a)),
    importKey: (...a: Parameters<typeof webcrypto.subtle.importKey>) => (calls.subtle.push('importKey'), webcrypto.subtle.importKey(...a)),
  };
  return createContext({
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      calls.fetch.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    },
    Headers,
    Request,
    Response,
    ReadableStream,
    crypto: { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto), randomUUID: webcrypto.randomUUID.bind(webcrypto) },
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    DOMException,
    Event,
    EventTarget,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
  });
}

/** Runs an async function body in the context with `rx` (the bundle's exports) and `emulatorUrl`; returns its JSON result. */
async function runInBrowser<T>(context: Context, body: string): Promise<T> {
  const json = (await runInContext(`(async (rx) => JSON.stringify(await (async () => { ${body} })()))(sagemakerRx)`, context)) as string;
  return JSON.parse(json) as T;
}

/** Collects a cold Observable's events in the context (the bundle does not export rxjs' helpers). */
const COLLECT = `const collect = (o) => new Promise((resolve, reject) => { const events = []; o.subscribe({ next: (e) => events.push(e), error: reject, complete: () => resolve(events) }); });`;

describe('browser bundle of dist/esm/index.js', () => {
  let emu: Emulator;
  let esm: Awaited<ReturnType<typeof bundle>>;
  let iife: Awaited<ReturnType<typeof bundle>>;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (or node scripts/build.mjs) first`);
    [esm, iife] = await Promise.all([bundle('esm'), bundle('iife')]);
    emu = await startEmulator({
      endpoints: { echo: { model: 'echo' }, generator: { model: 'text-generator', generator: { tokensPerSecond: 5000 } } },
    });
  });

  afterAll(async () => {
    await emu?.close();
  });

  it('holds no Node-only package, swaps in every browser twin and leaves no node: import', () => {
    const inputs = Object.keys(esm.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(50);
    for (const pkg of NODE_ONLY_PACKAGES) expect(inputs.filter((i) => i.includes(`node_modules/${pkg}/`))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(BROWSER_TWINS));
    for (const twin of BROWSER_TWINS) expect(inputs).not.toContain(twin.replace('.browser.js', '.js'));
    const imports = Object.values(esm.metafile.inputs).flatMap((i) => i.imports);
    expect(imports.filter((i) => i.path.startsWith('node:') || i.external)).toEqual([]);
    const code = esm.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:[a-z_/]+["']/);
    expect(code).not.toMatch(/\brequire\(["']/);
    // The iife variant for the vm has the same inputs.
    expect(Object.keys(iife.metafile.inputs).sort()).toEqual([...inputs].sort());
  });

  describe('evaluated in a context with browser globals only', () => {
    let context: Context;
    const calls: Calls = { fetch: [], subtle: [] };

    beforeAll(() => {
      context = browserContext(calls);
      runInContext(iife.outputFiles[0]!.text, context);
    });

    beforeEach(() => {
      calls.fetch.length = 0;
      calls.subtle.length = 0;
      emu.reset();
    });

    it('has no require, process, Buffer or module, and exports the client', async () => {
      const globals = await runInBrowser<Record<string, string>>(
        context,
        `return { require: typeof require, process: typeof process, Buffer: typeof Buffer, module: typeof module, SageMakerRuntime: typeof rx.SageMakerRuntime, createFetchTransport: typeof rx.createFetchTransport };`,
      );
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', Buffer: 'undefined', module: 'undefined', SageMakerRuntime: 'function', createFetchTransport: 'function' });
    });

    it('invokes the emulator through fetch, signed with WebCrypto, and gets a response event', async () => {
      const result = await runInBrowser<{ types: string[]; body: string; contentType: string; status: number }>(
        context,
        `${COLLECT}
         const client = new rx.SageMakerRuntime({ region: 'us-east-1', credentials: ${JSON.stringify(EMULATOR_CREDENTIALS)}, endpoint: ${JSON.stringify(emu.url)} });
         const events = await collect(client.invokeEndpoint$({ EndpointName: 'echo', Body: '{"from":"the browser bundle"}', ContentType: 'application/json' }));
         await client.destroy();
         const last = events[events.length - 1];
         return { types: events.map((e) => e.type), body: last.output ? new TextDecoder().decode(last.output.Body) : String(last.error), contentType: last.output?.ContentType, status: last.output?.$metadata.httpStatusCode };`,
      );
      expect(result).toEqual({ types: ['sent', 'response'], body: '{"from":"the browser bundle"}', contentType: 'application/json', status: 200 });
      expect(calls.fetch).toEqual([`${emu.url}/endpoints/echo/invocations`]);
      // HMAC through crypto.subtle (the signing key chain and the signature), and the payload hash.
      expect(calls.subtle).toEqual(expect.arrayContaining(['digest', 'importKey', 'sign']));
      expect(emu.requests).toHaveLength(1);
      expect(emu.requests[0]!).toMatchObject({ operation: 'InvokeEndpoint', endpointName: 'echo', status: 200 });
      expect(emu.requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMULATOR\/\d{8}\/us-east-1\/sagemaker\/aws4_request, /);
    });

    it('streams a response through fetch: headers, chunks, then the summary', async () => {
      const result = await runInBrowser<{ types: string[]; text: string; chunks: number }>(
        context,
        `${COLLECT}
         const client = new rx.SageMakerRuntime({ region: 'us-east-1', credentials: ${JSON.stringify(EMULATOR_CREDENTIALS)}, endpoint: ${JSON.stringify(emu.url)} });
         const events = await collect(client.invokeEndpointWithResponseStream$({ EndpointName: 'generator', Body: JSON.stringify({ inputs: 'Hi', parameters: { max_new_tokens: 5 } }), ContentType: 'application/json' }));
         const decoder = new TextDecoder();
         const chunks = events.filter((e) => e.type === 'chunk');
         return { types: [...new Set(events.map((e) => e.type))], text: chunks.map((e) => decoder.decode(e.bytes, { stream: true })).join(''), chunks: chunks.length };`,
      );
      expect(result.types).toEqual(['sent', 'headers', 'chunk', 'response']);
      expect(result.chunks).toBeGreaterThan(0);
      expect(result.text.length).toBeGreaterThan(0);
      expect(calls.fetch).toEqual([`${emu.url}/endpoints/generator/invocations-response-stream`]);
      expect(emu.requests[0]).toMatchObject({ operation: 'InvokeEndpointWithResponseStream', status: 200 });
    });

    it('without credentials: one error event with a CredentialsError saying to pass credentials, nothing sent', async () => {
      const result = await runInBrowser<{ types: string[]; name: string; message: string }>(
        context,
        `${COLLECT}
         const client = new rx.SageMakerRuntime({ region: 'us-east-1', endpoint: ${JSON.stringify(emu.url)} });
         const events = await collect(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'hi' }));
         const last = events[events.length - 1];
         return { types: events.map((e) => e.type), name: last.error?.name, message: last.error?.message };`,
      );
      expect(result.types).toEqual(['error']);
      expect(result.name).toBe('CredentialsError');
      expect(result.message).toMatch(/browsers and edge runtimes have no default credential chain: pass credentials/);
      expect(calls.fetch).toEqual([]);
      expect(emu.requests).toHaveLength(0);
    });

    it('without a region: InvalidRequestError (member region) at construction, as there is no shared config file', async () => {
      const result = await runInBrowser<{ name: string; member: string }>(
        context,
        `try { new rx.SageMakerRuntime({ credentials: ${JSON.stringify(EMULATOR_CREDENTIALS)} }); return { name: 'none', member: '' }; }
         catch (e) { return { name: e.name, member: e.member }; }`,
      );
      expect(result).toEqual({ name: 'InvalidRequestError', member: 'region' });
    });

    it('createUndiciTransport throws a TypeError naming createFetchTransport', async () => {
      const result = await runInBrowser<{ name: string; message: string }>(
        context,
        `try { rx.createUndiciTransport(); return { name: 'none', message: '' }; } catch (e) { return { name: e.name, message: e.message }; }`,
      );
      expect(result.name).toBe('TypeError');
      expect(result.message).toMatch(/undici runs on Node only.*createFetchTransport/);
    });
  });
});
