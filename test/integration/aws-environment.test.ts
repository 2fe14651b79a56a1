/**
 * The AWS and network conventions the SDKs and the AWS CLI honour, over real sockets on loopback:
 * the endpoint URL from the environment, HTTP_PROXY through a forward proxy and NO_PROXY around it,
 * an HTTPS endpoint signed by a CA made in this test and trusted through AWS_CA_BUNDLE, the Promise
 * twins retrying an always-503 endpoint as the SDK's send() does, and a client whose clock is 20
 * minutes off corrected from the service's Date header.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';

const credentials = EMULATOR_CREDENTIALS;
const base = { region: 'us-east-1', credentials };
let emulator: Emulator;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-env-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** Sets only these AWS/proxy variables for the test (the rest of the environment stays). */
function setEnv(vars: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (/^(AWS_|HTTPS?_PROXY$|NO_PROXY$)/i.test(key)) delete process.env[key];
  process.env.AWS_CONFIG_FILE = join(dir, 'no-such-config');
  Object.assign(process.env, vars);
}

const listen = <S extends Server | TlsServer>(server: S): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server | TlsServer, sockets: Set<Socket>) => {
  for (const s of sockets) s.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

describe('the endpoint URL from the environment', () => {
  it('sends to AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME when the code names no endpoint', async () => {
    setEnv({ AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: emulator.url });
    const before = emulator.requests.length;
    const client = new SageMakerRuntime(base);
    try {
      const out = await client.invokeEndpoint({ EndpointName: 'echo', Body: 'from the environment' });
      expect(new TextDecoder().decode(out.Body)).toBe('from the environment');
      expect(emulator.requests.length).toBe(before + 1);
    } finally {
      await client.destroy();
    }
  });
});

describe('proxies', () => {
  let proxy: Server;
  let proxyPort: number;
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // A forward proxy: CONNECT opens a tunnel (undici tunnels http too); absolute-form requests are answered 502.
    proxy = createServer((_req, res) => res.writeHead(502).end());
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url!);
      sockets.add(client);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxyPort = await listen(proxy);
  });
  afterAll(() => close(proxy, sockets));

  it('sends through the proxy HTTP_PROXY names', async () => {
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    tunnels.length = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: emulator.url });
    try {
      await client.invokeEndpoint({ EndpointName: 'echo', Body: 'via proxy' });
      expect(tunnels).toEqual([new URL(emulator.url).host]);
    } finally {
      await client.destroy();
    }
  });

  it('honours the lower-case http_proxy too', async () => {
    setEnv({ http_proxy: `http://127.0.0.1:${proxyPort}` });
    tunnels.length = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: emulator.url });
    try {
      await client.invokeEndpoint({ EndpointName: 'echo', Body: 'via proxy' });
      expect(tunnels).toHaveLength(1);
    } finally {
      await client.destroy();
    }
  });

  it('goes around the proxy for a host NO_PROXY lists', async () => {
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: '127.0.0.1' });
    tunnels.length = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: emulator.url });
    try {
      const out = await client.invokeEndpoint({ EndpointName: 'echo', Body: 'direct' });
      expect(new TextDecoder().decode(out.Body)).toBe('direct');
      expect(tunnels).toEqual([]);
    } finally {
      await client.destroy();
    }
  });
});

describe('an HTTPS endpoint signed by a private CA', () => {
  let tlsServer: TlsServer;
  let url: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=sagemaker-rx test CA');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
    // TLS in front of the emulator, as a load balancer would terminate it.
    const target = new URL(emulator.url);
    tlsServer = createTlsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (socket) => {
      sockets.add(socket);
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    url = `https://127.0.0.1:${await listen(tlsServer)}`;
  });
  afterAll(() => close(tlsServer, sockets));

  it('is reached when AWS_CA_BUNDLE names the CA', async () => {
    setEnv({ AWS_CA_BUNDLE: join(dir, 'ca.pem') });
    const client = new SageMakerRuntime({ ...base, endpoint: url, maxAttempts: 1 });
    try {
      const out = await client.invokeEndpoint({ EndpointName: 'echo', Body: 'over TLS' });
      expect(new TextDecoder().decode(out.Body)).toBe('over TLS');
    } finally {
      await client.destroy();
    }
  });

  /** Runs the built CLI (`npm test` builds first) and resolves with its exit code and output. */
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'cjs', 'cli', 'bin.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });

  it('is reached by the CLI with --ca-bundle, or --no-verify-ssl, and refused without either', async () => {
    setEnv({});
    const withCa = await cli('invoke', 'echo', '--body', 'cli over TLS', '--endpoint-url', url, '--ca-bundle', join(dir, 'ca.pem'), '--retries', '0');
    expect([withCa.code, withCa.stdout]).toEqual([0, 'cli over TLS']);
    const unverified = await cli('invoke', 'echo', '--body', 'unverified', '--endpoint-url', url, '--no-verify-ssl', '--retries', '0');
    expect([unverified.code, unverified.stdout]).toEqual([0, 'unverified']);
    const refused = await cli('invoke', 'echo', '--body', 'refused', '--endpoint-url', url, '--retries', '0', '--cli-connect-timeout', '5');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/NetworkError/);
  });

  it('is refused without it: the certificate is not trusted', async () => {
    setEnv({});
    const client = new SageMakerRuntime({ ...base, endpoint: url, maxAttempts: 1 });
    try {
      await expect(client.invokeEndpoint({ EndpointName: 'echo', Body: 'over TLS' })).rejects.toMatchObject({
        name: 'NetworkError',
        code: expect.stringMatching(/CERT|ISSUER|SIGNATURE/),
      });
    } finally {
      await client.destroy();
    }
  });
});

describe('the Promise twins retry as the SDK send() does', () => {
  let server: Server;
  let url: string;
  let hits = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' }).end('{"message":"busy"}');
    });
    server.on('connection', (s) => sockets.add(s));
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server, sockets));

  it('makes 3 attempts against an always-503 endpoint by default', async () => {
    setEnv({});
    hits = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: url });
    try {
      await expect(client.invokeEndpoint({ EndpointName: 'busy', Body: 'x' })).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { attempts: 3 } });
      expect(hits).toBe(3);
    } finally {
      await client.destroy();
    }
  });

  it('makes 5 with AWS_MAX_ATTEMPTS=5', async () => {
    setEnv({ AWS_MAX_ATTEMPTS: '5' });
    hits = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: url });
    try {
      expect(client.maxAttempts).toBe(5);
      await expect(client.invokeEndpoint({ EndpointName: 'busy', Body: 'x' })).rejects.toMatchObject({ $metadata: { attempts: 5 } });
      expect(hits).toBe(5);
    } finally {
      await client.destroy();
    }
  });

  it('keeps the Observable at one attempt per subscription', async () => {
    setEnv({});
    hits = 0;
    const client = new SageMakerRuntime({ ...base, endpoint: url });
    try {
      const events = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'busy', Body: 'x' }).pipe(toArray()));
      expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
      expect(hits).toBe(1);
    } finally {
      await client.destroy();
    }
  });
});

describe('clock skew', () => {
  it.each([
    ['behind', -20],
    ['ahead', +20],
  ])('corrects a clock 20 minutes %s from the Date header and succeeds on the second attempt', async (_label, minutes) => {
    setEnv({});
    const before = emulator.requests.length;
    const client = new SageMakerRuntime({ ...base, endpoint: emulator.url }, { signingDate: () => new Date(Date.now() + minutes * 60_000) });
    try {
      const out = await client.invokeEndpoint({ EndpointName: 'echo', Body: 'on time' });
      expect(new TextDecoder().decode(out.Body)).toBe('on time');
      expect(out.$metadata.attempts).toBe(2);
      expect(emulator.requests.length).toBe(before + 2);
    } finally {
      await client.destroy();
    }
  });

  it('fails once when correction is off (correctClockSkew: false)', async () => {
    setEnv({ AWS_MAX_ATTEMPTS: '1' });
    const client = new SageMakerRuntime({ ...base, endpoint: emulator.url, correctClockSkew: false }, { signingDate: () => new Date(Date.now() - 20 * 60_000) });
    try {
      await expect(client.invokeEndpoint({ EndpointName: 'echo', Body: 'late' })).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    } finally {
      await client.destroy();
    }
  });
});
