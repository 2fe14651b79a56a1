/**
 * Chunk bytes are read in place from undici's socket reads (no copy per PayloadPart): a chunk a
 * caller keeps must never change afterwards, while later streams run over the same pooled socket.
 */
import { lastValueFrom, Observable, toArray } from 'rxjs';
import type { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { startTestEmulator } from '../../src/testing/index.js';
import type { InvokeStreamEvent } from '../../src/events/invoke-event.js';

const collect = <T>(o: Observable<T>) => lastValueFrom(o.pipe(toArray()));

describe('streamed chunk bytes', () => {
  let client: SageMakerRuntime;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ client, close } = await startTestEmulator({
      endpoints: {
        // The request body `{"fill":N,"parts":P,"size":S}`: P PayloadParts of S bytes, all N.
        fill: {
          model: (req) => {
            const { fill, parts, size } = JSON.parse(req.body.toString('utf8')) as { fill: number; parts: number; size: number };
            return { chunks: Array.from({ length: parts }, () => Buffer.alloc(size, fill)), contentType: 'application/octet-stream' };
          },
        },
      },
    }));
  });

  afterAll(async () => {
    await close();
  });

  const chunksOf = async (fill: number, parts: number, size: number): Promise<Uint8Array[]> => {
    const events = await collect(client.invokeEndpointWithResponseStream$({ EndpointName: 'fill', Body: JSON.stringify({ fill, parts, size }), ContentType: 'application/json' }));
    expect(events.at(-1)!.type).toBe('response');
    return events.filter((e): e is Extract<InvokeStreamEvent, { type: 'chunk' }> => e.type === 'chunk').map((e) => e.bytes);
  };

  it('stay as they arrived while later streams reuse the connection', async () => {
    const kept = [...(await chunksOf(0x61, 200, 37)), ...(await chunksOf(0x62, 8, 70_000))];
    // Some small parts came in one socket read and share its memory: the in-place path ran.
    expect(new Set(kept.slice(0, 200).map((c) => c.buffer)).size).toBeLessThan(200);
    for (let i = 0; i < 6; i++) await chunksOf(0x30 + i, 300, 1 + ((i * 977) % 3000));
    expect(kept.slice(0, 200).every((c) => c.length === 37 && c.every((b) => b === 0x61))).toBe(true);
    expect(kept.slice(200).every((c) => c.length === 70_000 && c.every((b) => b === 0x62))).toBe(true);
  });
});
