// enrichRecords and pullFrom against the emulator on a real loopback socket.
import { firstValueFrom, from, lastValueFrom, tap, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/index';
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator } from '../../src/emulator/index';
import { enrichRecords, isCircuitOpenError, pullFrom, type EnrichOutcome, type EnrichRecord } from '../../src/node/index';

/** Records whose text must survive: big ints, decimal spellings, -0, escapes, duplicate keys, nesting. */
export const TRICKY_LINES = [
  '{"id":12345678901234567891,"price":1.10,"big":1e400,"text":"great","nested":{"x":-0}}',
  '{"id":2,"text":"caf\\u00e9 \\"awful\\" \\ud83d\\ude00","dup":1,"dup":2.50}',
  '{ "id" : 3 , "text" : "good",   "deep":{"a":{"b":[1.0,2E+3,-0.0]}} }',
  '{"id":4,"text":"terrible \\/ slash","n":-0,"e":1E-7}',
  '{"text":"great","id":5,"z":null,"t":true,"f":false,"empty":{},"arr":[]}',
];

let emulator: Emulator;
let client: SageMakerRuntime;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    endpoints: {
      echo: { model: 'echo' },
      sentiment: { model: 'sentiment' },
      slow: { model: 'sentiment', faults: { latencyMs: 5, jitterMs: 20 } },
      broken: { model: 'sentiment', faults: { modelErrorRate: 1 } },
    },
  });
  client = new SageMakerRuntime({ region: EMULATOR_REGION, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
});
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});
beforeEach(() => emulator.reset());

const records = (lines: string[]): EnrichRecord<number>[] => lines.map((line, i) => ({ line, meta: i + 1 }));

/** The output line with the added member cut out: must equal the input byte for byte. */
function withoutAdded(out: string, input: string): string {
  const prefix = input.slice(0, input.lastIndexOf('}'));
  expect(out.startsWith(prefix)).toBe(true);
  expect(out.endsWith(input.slice(input.lastIndexOf('}')))).toBe(true);
  return prefix + input.slice(input.lastIndexOf('}'));
}

describe.each([
  ['single, ordered', { batchSize: 1, ordered: true }],
  ['single, unordered', { batchSize: 1, ordered: false }],
  ['batched json, ordered', { batchSize: 3, ordered: true, codec: 'json' as const }],
  ['batched jsonl, unordered', { batchSize: 2, ordered: false, codec: 'jsonl' as const }],
])('enrichRecords (%s)', (_name, mode) => {
  it('writes each record byte for byte with only the answer added', async () => {
    const outcomes = await lastValueFrom(
      from(records(TRICKY_LINES)).pipe(enrichRecords({ client, endpointName: 'slow', field: 'text', as: 'sentiment', concurrency: 3, ...mode }), toArray()),
    );
    expect(outcomes).toHaveLength(TRICKY_LINES.length);
    if (mode.ordered) expect(outcomes.map((o) => o.record.meta)).toEqual([1, 2, 3, 4, 5]);
    for (const o of outcomes) {
      if (o.kind !== 'enriched') throw new Error(`expected enriched, got ${o.kind}`);
      const input = o.record.line;
      expect(withoutAdded(o.line, input)).toBe(input);
      const added = o.line.slice(input.lastIndexOf('}'), o.line.length - (input.length - input.lastIndexOf('}')));
      expect(added).toMatch(/^,"sentiment":\{"label":"(POSITIVE|NEGATIVE|NEUTRAL)","score":[0-9.]+\}$/);
    }
    expect(emulator.endpointStats('slow').total).toBe(Math.ceil(TRICKY_LINES.length / mode.batchSize));
  });
});

describe('enrichRecords', () => {
  it('sends a whole record as its own text, so the model sees big numbers unchanged', async () => {
    const [o] = await lastValueFrom(from(records([TRICKY_LINES[0]!])).pipe(enrichRecords({ client, endpointName: 'echo' }), toArray()));
    expect(o?.kind).toBe('enriched');
    expect(emulator.requests[0]?.body.toString()).toBe(TRICKY_LINES[0]);
    expect((o as { line: string }).line).toBe(`${TRICKY_LINES[0]!.slice(0, -1)},"prediction":${TRICKY_LINES[0]}}`);
  });

  it('reads nested fields and writes nested answers, strips a BOM, and reports each bad record once', async () => {
    const lines = ['\ufeff{"r":{"body":"great"}}', 'not json', '{"r":{}}', '{"r":{"body":"awful"},"ml":5}'];
    const outcomes = await lastValueFrom(
      from(records(lines)).pipe(enrichRecords({ client, endpointName: 'sentiment', field: 'r.body', as: 'ml.s', errorContext: (line) => ({ line }) }), toArray()),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['enriched', 'malformed', 'failed', 'malformed']);
    expect((outcomes[0] as { line: string }).line).toMatch(/^\{"r":\{"body":"great"\},"ml":\{"s":\{"label":"POSITIVE"/);
    const errorLines = outcomes.slice(1).map((o) => JSON.parse((o as { errorLine: string }).errorLine));
    expect(errorLines[0]).toMatchObject({ line: 2, record: null, raw: 'not json', error: { name: 'SyntaxError' } });
    expect(errorLines[1]).toMatchObject({ line: 3, record: { r: {} }, error: { name: 'InvalidRequestError', member: 'field' } });
    expect(errorLines[2].error.message).toMatch(/"ml" is not an object/);
    expect((outcomes[2] as { errorLine: string }).errorLine.endsWith(',"record":{"r":{}}}')).toBe(true);
    expect(emulator.endpointStats('sentiment').total).toBe(1);
  });

  it('stops an unknown endpoint after 20 results with a CircuitOpenError naming it, having sent only those', async () => {
    const seen: EnrichOutcome<number>[] = [];
    const lines = Array.from({ length: 5_000 }, (_, i) => `{"id":${i},"text":"fine"}`);
    const error = await new Promise<unknown>((resolve) =>
      pullFrom(records(lines), enrichRecords({ client, endpointName: 'nope', field: 'text', concurrency: 4 }), { maxInFlight: 32 }).subscribe({
        next: (o) => seen.push(o),
        error: resolve,
        complete: () => resolve(undefined),
      }),
    );
    expect(isCircuitOpenError(error)).toBe(true);
    expect((error as Error).message).toMatch(/endpoint 'nope' not found in us-east-1/);
    expect(seen).toHaveLength(20);
    expect(seen.every((o) => o.kind === 'failed')).toBe(true);
    expect(emulator.stats.total).toBeLessThanOrEqual(40);
  });

  it('does not open the breaker for ordinary model errors', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `{"id":${i},"text":"fine"}`);
    const outcomes = await lastValueFrom(from(records(lines)).pipe(enrichRecords({ client, endpointName: 'broken', field: 'text', retry: false }), toArray()));
    expect(outcomes).toHaveLength(60);
    expect(outcomes.every((o) => o.kind === 'failed' && o.error.name === 'ModelError')).toBe(true);
  });
});

describe('pullFrom', () => {
  it('reads no further ahead than maxInFlight while the pipeline works', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let emitted = 0;
    function* source() {
      for (let i = 0; i < 200; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - emitted);
        yield { line: `{"text":"good ${i}"}`, meta: i };
      }
    }
    const outcomes = await lastValueFrom(
      pullFrom(source(), enrichRecords({ client, endpointName: 'slow', field: 'text', concurrency: 4 }), { maxInFlight: 10 }).pipe(
        tap(() => emitted++),
        toArray(),
      ),
    );
    expect(outcomes).toHaveLength(200);
    expect(maxAhead).toBeLessThanOrEqual(11);
    expect(await firstValueFrom(pullFrom([1, 2, 3], (s) => s, { maxInFlight: 1 }).pipe(toArray()))).toEqual([1, 2, 3]);
  });
});
