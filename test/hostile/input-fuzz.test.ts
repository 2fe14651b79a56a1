/**
 * A seeded input fuzzer over every operation: member values valid and not (wrong types, unicode,
 * lone surrogates, over-long, NaN, -0, bigint, symbols, every body type, detached and resizable
 * buffers), behind exotic carriers (getters that throw, getters that answer differently on a
 * second read, inherited members, Proxies whose traps throw, revoked Proxies, frozen and
 * null-prototype objects, non-objects). Every case must end in events — never an error
 * notification — and a sent request must be, byte for byte, the serialization of the values
 * the client read once and validated: what the recording server received is compared with it.
 */
import fc from 'fast-check';
import { InvalidRequestError } from '../../src/errors/client-errors';
import type { AnyInvokeEvent } from '../../src/events/invoke-event';
import { REQUEST_MEMBERS, type Member, type OperationName } from '../../src/model/index';
import { serializeRequest } from '../../src/protocol/serialize';
import { validateInput } from '../../src/protocol/validate';
import { newClient } from './helpers';
import { startHostileServer, STREAM_HEADERS, type HostileServer } from './hostile-server';

const CASES = Number(process.env.FUZZ_CASES ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const OPERATIONS = Object.keys(REQUEST_MEMBERS) as OperationName[];

let server: HostileServer;

// ── arbitraries ──────────────────────────────────────────────────────────────────────────
const printable = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });

function validString(rule: Extract<Member, { kind: 'string' }>): fc.Arbitrary<string> {
  const base = rule.pattern
    ? matching(rule.pattern)
    : rule.charset === 'print'
      ? fc.tuple(fc.integer({ min: 0x21, max: 0x7e }), printable(0, 30)).map(([c, rest]) => String.fromCharCode(c) + rest)
      : printable(0, 40);
  return base.filter((s) => s.length >= (rule.min ?? 0) && s.length <= rule.max && /^[\x20-\x7e]*$/.test(s) && !(rule.forbidden && Object.hasOwn(rule.forbidden, s)));
}

/** Strings of a pattern; for a pattern fast-check cannot generate from (lookahead), filtered printable text. */
function matching(pattern: RegExp): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(pattern, { size: 'small' });
  } catch {
    return fc.oneof(fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.\-/]{0,20}$/), printable(1, 20)).filter((s) => pattern.test(s));
  }
}

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('\ud800', 'a\udc00b', '\u0000', '\r\nx-injected: 1', ' padded ', '', 'x'.repeat(1100)),
  fc.double(),
  fc.constantFrom(NaN, -0, Infinity, -Infinity, 0, 1, 60, 3600, 21_600, 2 ** 53),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(null, undefined, Symbol('s'), () => 'f', [], {}, new Date(0), new String('boxed'), Object.create(null)),
);

function bodyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => b.buffer) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 2, maxLength: 64 }).map((b) => new DataView(b.buffer, 1)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }).map((b) => new Int16Array(b.buffer.slice(0, b.byteLength - (b.byteLength % 2)))) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 32 }).map((b) => {
        const resizable = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(b.byteLength, { maxByteLength: 1024 });
        new Uint8Array(resizable).set(b);
        return new Uint8Array(resizable);
      }),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 32 }).map((b) => {
        const shared = new SharedArrayBuffer(b.byteLength);
        new Uint8Array(shared).set(b);
        return new Uint8Array(shared);
      }),
    },
    { weight: 1, arbitrary: fc.constant('detached') },
    { weight: 1, arbitrary: oddValue },
  );
}

function memberValue(rule: Member): fc.Arbitrary<unknown> {
  switch (rule.kind) {
    case 'string':
      return fc.oneof({ weight: 14, arbitrary: validString(rule) }, { weight: 1, arbitrary: oddValue });
    case 'integer':
      return fc.oneof({ weight: 14, arbitrary: fc.integer({ min: rule.min, max: rule.max }) }, { weight: 1, arbitrary: oddValue });
    case 'body':
      return bodyValue();
  }
}

type Carrier = 'plain' | 'getter' | 'throwing-getter' | 'flip-getter' | 'inherited';
type Wrapper = 'plain' | 'proxy' | 'proxy-ownkeys-throws' | 'proxy-get-throws' | 'revoked' | 'frozen' | 'null-prototype' | 'not-an-object';

interface FuzzCase {
  operation: OperationName;
  members: { name: string; value: unknown; carrier: Carrier; second: unknown }[];
  unknown: { name: string; value: unknown } | undefined;
  wrapper: Wrapper;
}

/** The arbitrary of one operation's cases, built once (building `stringMatching` is not cheap). */
function caseOf(operation: OperationName): fc.Arbitrary<FuzzCase> {
  const rules = REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>;
  const member = (name: string, rule: Member) =>
    fc.record({
      name: fc.constant(name),
      value: memberValue(rule),
      second: oddValue,
      carrier: fc.oneof(
        { weight: 24, arbitrary: fc.constant<Carrier>('plain') },
        { weight: 1, arbitrary: fc.constantFrom<Carrier>('getter', 'throwing-getter', 'flip-getter', 'inherited') },
      ),
    });
  const entries = Object.entries(rules).map(([name, rule]) => {
    const always = name === 'EndpointName' || (name === 'Body' && operation !== 'InvokeEndpointAsync');
    return always ? member(name, rule).map((m) => [m]) : fc.option(member(name, rule), { freq: 2 }).map((m) => (m ? [m] : []));
  });
  return fc.record({
    operation: fc.constant(operation),
    members: fc.tuple(...entries).map((lists) => lists.flat()),
    unknown: fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('endpointName', 'Extra', '__proto__', 'constructor'), value: oddValue }) },
    ),
    wrapper: fc.oneof(
      { weight: 14, arbitrary: fc.constant<Wrapper>('plain') },
      { weight: 1, arbitrary: fc.constantFrom<Wrapper>('proxy', 'proxy-ownkeys-throws', 'proxy-get-throws', 'revoked', 'frozen', 'null-prototype', 'not-an-object') },
    ),
  });
}

const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(...OPERATIONS.map(caseOf));

// ── building a case's input and what the client must do with it ────────────────────────
function detachedBuffer(): ArrayBuffer {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

interface Built {
  input: unknown;
  /** The values a single read gives (what must be validated and sent), or why the input cannot be read. */
  firstRead: Record<string, unknown> | 'unreadable';
}

function build(c: FuzzCase): Built {
  let unreadable = false;
  const proto: Record<string, unknown> = {};
  const target: Record<string, unknown> = c.wrapper === 'null-prototype' ? (Object.create(null) as Record<string, unknown>) : {};
  const firstRead: Record<string, unknown> = {};
  for (const m of c.members) {
    const value = m.name === 'Body' && m.value === 'detached' ? detachedBuffer() : m.value;
    if (m.name === 'Body' && m.value === 'detached') unreadable = true;
    firstRead[m.name] = value;
    switch (m.carrier) {
      case 'plain':
        target[m.name] = value;
        break;
      case 'getter':
        Object.defineProperty(target, m.name, { get: () => value, enumerable: true, configurable: true });
        break;
      case 'throwing-getter':
        unreadable = true;
        Object.defineProperty(target, m.name, {
          get: () => {
            throw new Error(`getter of ${m.name} threw`);
          },
          enumerable: true,
          configurable: true,
        });
        break;
      case 'flip-getter': {
        let reads = 0;
        Object.defineProperty(target, m.name, { get: () => (reads++ === 0 ? value : m.second), enumerable: true, configurable: true });
        break;
      }
      case 'inherited':
        proto[m.name] = value;
        break;
    }
  }
  if (c.unknown && c.unknown.name !== '__proto__') {
    target[c.unknown.name] = c.unknown.value;
    firstRead[c.unknown.name] = c.unknown.value;
  }
  if (Object.keys(proto).length > 0) Object.setPrototypeOf(target, proto);
  const readable = (input: unknown): Built => ({ input, firstRead: unreadable ? 'unreadable' : firstRead });
  switch (c.wrapper) {
    case 'plain':
    case 'null-prototype':
      return readable(target);
    case 'frozen':
      return readable(Object.freeze(target));
    case 'proxy':
      return readable(new Proxy(target, {}));
    case 'proxy-ownkeys-throws':
      return {
        input: new Proxy(target, {
          ownKeys: () => {
            throw new Error('ownKeys trap');
          },
        }),
        firstRead: 'unreadable',
      };
    case 'proxy-get-throws':
      return {
        input: new Proxy(target, {
          get: () => {
            throw new Error('get trap');
          },
        }),
        firstRead: 'unreadable',
      };
    case 'revoked': {
      const { proxy, revoke } = Proxy.revocable(target, {});
      revoke();
      return { input: proxy, firstRead: 'unreadable' };
    }
    case 'not-an-object':
      return { input: c.members[0]?.value ?? 'text', firstRead: { notAnObject: true } };
  }
}

function run(operation: OperationName, input: unknown): Promise<{ events: AnyInvokeEvent[]; defect?: unknown }> {
  const client = sharedClient;
  const source =
    operation === 'InvokeEndpoint'
      ? client.invokeEndpoint$(input as never)
      : operation === 'InvokeEndpointWithResponseStream'
        ? client.invokeEndpointWithResponseStream$(input as never)
        : client.invokeEndpointAsync$(input as never);
  return new Promise((resolve) => {
    const events: AnyInvokeEvent[] = [];
    (source as import('rxjs').Observable<AnyInvokeEvent>).subscribe({
      next: (e) => events.push(e),
      error: (defect: unknown) => resolve({ events, defect }),
      complete: () => resolve({ events }),
    });
  });
}

let sharedClient: ReturnType<typeof newClient>;
const refusedBy: Record<string, number> = Object.create(null) as Record<string, number>;

describe('the seeded input fuzzer', () => {
  beforeAll(async () => {
    server = await startHostileServer(
      new Proxy({} as Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void>, {
        get: () => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
          const path = req.url ?? '';
          if (path.endsWith('/invocations-response-stream')) res.writeHead(200, STREAM_HEADERS).end();
          else if (path.endsWith('/async-invocations')) res.writeHead(202, { 'content-type': 'application/json' }).end('{"InferenceId":"i"}');
          else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        },
      }),
    );
    sharedClient = newClient(server.url);
  });
  afterAll(async () => {
    await sharedClient.destroy();
    await server.close();
  });

  it(`ends ${CASES} seeded cases in events, sending exactly what was validated`, async () => {
    const tally = { cases: 0, sent: 0, invalid: 0, errorNotifications: 0, wronglyEncoded: 0, byOperation: {} as Record<string, number> };
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        tally.cases += 1;
        tally.byOperation[c.operation] = (tally.byOperation[c.operation] ?? 0) + 1;
        const { input, firstRead } = build(c);
        const before = server.received.length;
        const { events, defect } = await run(c.operation, input);
        if (defect !== undefined) {
          tally.errorNotifications += 1;
          throw new Error(`error notification: ${String(defect)}`);
        }
        const terminal = events[events.length - 1];
        const expectedInvalid =
          firstRead === 'unreadable' || 'notAnObject' in firstRead ? 'InvalidRequestError' : validateInput(c.operation, firstRead)?.message;
        if (expectedInvalid !== undefined) {
          tally.invalid += 1;
          if (terminal?.type === 'error') {
            const key = (terminal.error as InvalidRequestError).member;
            refusedBy[key] = (refusedBy[key] ?? 0) + 1;
          }
          expect(events.map((e) => e.type)).toEqual(['error']);
          expect(terminal?.type === 'error' && terminal.error).toBeInstanceOf(InvalidRequestError);
          if (expectedInvalid !== 'InvalidRequestError' && terminal?.type === 'error') expect(terminal.error.message).toBe(expectedInvalid);
          expect(server.received.length).toBe(before);
          return;
        }
        tally.sent += 1;
        expect(events[0]?.type).toBe('sent');
        expect(terminal?.type).not.toBe('error');
        const expected = serializeRequest(c.operation, firstRead as never);
        const got = server.received[before];
        const mismatch =
          got === undefined ||
          got.path !== expected.path ||
          !Buffer.from(expected.body).equals(got.body) ||
          Object.entries(expected.headers).some(([name, value]) => String(got.headers[name] ?? '').trim() !== value.trim());
        if (mismatch) {
          tally.wronglyEncoded += 1;
          throw new Error(`wrongly encoded: expected ${JSON.stringify({ path: expected.path, headers: expected.headers })}, got ${JSON.stringify(got && { path: got.path, headers: got.headers })}`);
        }
      }),
      { numRuns: CASES, seed: SEED, endOnFailure: true },
    );
    console.log(`input fuzzer (seed ${SEED}): ${JSON.stringify(tally)}, refused by member ${JSON.stringify(refusedBy)}`);
    expect(tally.cases).toBe(CASES);
    expect(tally.errorNotifications).toBe(0);
    expect(tally.wronglyEncoded).toBe(0);
    // the generator reaches both sides: requests sent and inputs refused
    expect(tally.sent).toBeGreaterThan(CASES / 10);
    expect(tally.invalid).toBeGreaterThan(CASES / 10);
  }, 300_000);
});
