// CORS over real sockets: off by default (a preflight is an unknown operation, as at AWS), and
// with `cors: true` preflights answered and the client's response headers exposed.
import { Agent, request } from 'undici';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { send } from '../../integration/emulator-helpers.js';

let agent: Agent;
beforeAll(() => {
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
});

const ORIGIN = 'http://localhost:4200';

async function preflight(emulator: Emulator, requestHeaders: string) {
  const res = await request(`${emulator.url}/endpoints/echo/invocations`, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
    dispatcher: agent,
  });
  await res.body.dump();
  return res;
}

describe('without cors (the default)', () => {
  it('answers a preflight as an unknown operation and adds no CORS header to answers', async () => {
    const emulator = await startEmulator();
    try {
      const res = await preflight(emulator, 'authorization');
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-amzn-errortype']).toMatch(/^UnknownOperationException:/);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const ok = await send(emulator, agent, { body: 'x', headers: { origin: ORIGIN } });
      expect(ok.status).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });
});

describe('with cors: true', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ cors: true });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  it('answers a preflight with 204, the methods, and each SigV4 and SageMaker header the page asked for', async () => {
    const asked = 'authorization, content-type, x-amz-date, x-amz-content-sha256, x-amz-security-token, amz-sdk-invocation-id, amz-sdk-request, x-amzn-sagemaker-custom-attributes, accept';
    const res = await preflight(emulator, asked);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(res.headers['access-control-allow-methods']).split(', ')).toEqual(expect.arrayContaining(['POST', 'GET', 'HEAD']));
    expect(String(res.headers['access-control-allow-headers']).split(', ').sort()).toEqual(asked.split(', ').sort());
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.stats.total).toBe(0);
  });

  it('leaves a header outside the API out of the preflight answer, so the browser refuses it', async () => {
    const res = await preflight(emulator, 'authorization, x-my-tracing');
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-headers']).toBe('authorization');
  });

  it('exposes the headers the client reads on successes and on errors', async () => {
    const ok = await send(emulator, agent, { body: 'x', headers: { origin: ORIGIN } });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    const exposed = ok.headers['access-control-expose-headers']!.toLowerCase().split(', ');
    for (const name of ['x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-invoked-production-variant', 'x-amzn-sagemaker-content-type', 'x-amzn-sagemaker-custom-attributes', 'x-amzn-sagemaker-new-session-id', 'x-amzn-sagemaker-outputlocation', 'x-amzn-sagemaker-failurelocation']) {
      expect(exposed).toContain(name);
    }
    const denied = await send(emulator, agent, { body: 'x', credentials: false, headers: { origin: ORIGIN } });
    expect(denied.status).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(denied.headers['access-control-expose-headers']).toBe(ok.headers['access-control-expose-headers']);
  });

  it('allows any origin when the request names none', async () => {
    const ok = await send(emulator, agent, { body: 'x' });
    expect(ok.headers['access-control-allow-origin']).toBe('*');
  });
});
