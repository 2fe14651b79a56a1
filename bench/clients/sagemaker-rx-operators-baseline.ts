/**
 * `sagemaker-rx-operators` as committed at `--baseline REF`: the same client code over the baseline's build
 * (the worker runs only this client, so pointing its library at the baseline is local to it).
 */
import { BASELINE_DIR_ENV, LIBRARY_DIR_ENV } from '../lib/build-library.js';
import type { BenchClient, BenchTarget } from './bench-client.js';
import { createClient as createCurrent } from './sagemaker-rx-operators.js';

export function createClient(target: BenchTarget): BenchClient {
  const dir = process.env[BASELINE_DIR_ENV];
  if (!dir) throw new Error('no baseline build: run with --baseline REF');
  process.env[LIBRARY_DIR_ENV] = dir;
  return createCurrent(target);
}
