/**
 * `sagemaker-rx demo` (`npm start`): the project's main job in one command. Starts the embedded
 * emulator with a `sentiment` endpoint that misbehaves like a busy real one (latency with jitter,
 * throttling above a request rate, a few 503s), streams the sample reviews through
 * `batchInvocations` with retries and an adaptive limiter, and proves nothing was lost.
 *
 * This module is the command's name, help, option table and the demo's settings; what it does is
 * `run-demo.ts`, loaded when it runs, so `--help` loads neither the emulator nor the client.
 */
import { join } from 'node:path';
import type { FaultConfig } from '../../emulator/index.js';
import type { Command } from '../args/command.js';

/** The demo's endpoint name on the embedded emulator. */
export const DEMO_ENDPOINT = 'reviews';

/**
 * The faults of the demo endpoint: a busy endpoint, not a broken one. Its capacity is six
 * requests at once, like a model server with six workers; more are throttled.
 */
export const DEMO_FAULTS: FaultConfig = {
  latencyMs: 5,
  jitterMs: 15,
  maxConcurrency: 6,
  overConcurrencyAs: 'ThrottlingException',
  serverErrorRate: 0.03,
  serverErrorStatus: 503,
};

/**
 * The pipeline settings of the demo. The limiter adapts the number of batches in flight (AIMD:
 * ×0.7 on a throttle, +1 per window of successes), which is what an endpoint limited by
 * concurrent requests needs; the CUBIC rate mode would start from a measured rate near zero at
 * the first throttle and crawl for seconds.
 */
export const DEMO_PIPELINE = {
  batchSize: 16,
  codec: 'jsonl' as const,
  concurrency: 8,
  batchWaitMs: 20,
  maxAttempts: 8,
} as const;

/** The sample data set, relative to the package root. */
export const DEMO_DATA = join('examples', 'data', 'reviews.jsonl');

/** The `demo` command: the main job, `npm start`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Enrich the sample reviews through a faulty embedded endpoint and show that nothing is lost.',
  synopsis: '[--records N] [--data file] [--no-faults]',
  details: `
Starts the emulator in this process with a 'reviews' endpoint running the sentiment model, with
faults: 5–20 ms latency, ThrottlingException above 6 concurrent requests and 3 % 503
ServiceUnavailable. Streams the sample reviews (examples/data/reviews.jsonl, 2,400 product
reviews) through batchInvocations (JSON Lines batches of 16, up to 8 in flight) with
retryInvocation and an adaptive limiter (AIMD on concurrency), shows progress on stderr (redrawn
on a terminal, a line a second otherwise), then prints
a summary on stdout: records, batches, retries, throttles, records/s, the labels found, how
often they agree with the stars, and "nothing lost: N in, N out".

Exit codes: 0 every record got its answer, 1 some record failed, 2 bad usage or missing data.`,
  positionals: [],
  options: [
    { name: 'records', short: 'n', type: 'string', value: 'N', description: 'Use only the first N records.', default: 'all' },
    { name: 'data', type: 'string', value: 'file', description: 'JSON Lines of reviews ({ id, rating, text, … }).', default: DEMO_DATA },
    { name: 'no-faults', type: 'boolean', description: 'Run the endpoint without latency, throttling or errors.' },
    { name: 'out', short: 'o', type: 'string', value: 'file', description: 'Also write the enriched reviews here.' },
    { name: 'no-progress', type: 'boolean', description: 'Show neither the progress line nor periodic progress lines.' },
  ],
  async run(args, io) {
    const { runDemo } = await import('./run-demo.js');
    return runDemo(args, io);
  },
};
