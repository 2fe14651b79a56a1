/**
 * The targets (issue 6) and goals (issues 14 and 17), checked against one run's medians. Each target is a ratio of
 * requests/s (or records/s) measured in the same run, or an RSS bound.
 */
import type { ClientId } from '../clients/registry.js';
import type { BatchingResult, InvokeEachResult } from '../pipeline/pipeline-result.js';
import { formatBytes } from './body.js';
import type { ConfigResult } from './client-rounds.js';

export interface TargetCheck {
  target: string;
  where: string;
  measured: string;
  required: string;
  /** `undefined` when it could not be measured in this run. */
  met: boolean | undefined;
  /** measured / required − 1 for ratios (negative: missed by that fraction). */
  margin?: number;
}

interface RatioTarget {
  target: string;
  client: ClientId;
  versus: ClientId;
  bodyBytes: number;
  concurrencies: readonly number[];
  atLeast: number;
}

/** The ratio targets: bars (issue 6) and goals (issues 14 and 17), as the issues state them. */
export const RATIO_TARGETS: readonly RatioTarget[] = [
  { target: 'invokeEndpoint$ ≥ 4× official SDK (bar)', client: 'sagemaker-rx', versus: 'aws-sdk', bodyBytes: 1024, concurrencies: [16, 64], atLeast: 4 },
  { target: 'invokeEndpoint$ ≥ 0.9× undici + signer (bar)', client: 'sagemaker-rx', versus: 'undici-signed', bodyBytes: 1024, concurrencies: [16, 64], atLeast: 0.9 },
  { target: 'invokeEndpoint$ ≥ 1.8× official SDK, 256 KiB (bar)', client: 'sagemaker-rx', versus: 'aws-sdk', bodyBytes: 262_144, concurrencies: [16, 64], atLeast: 1.8 },
  { target: 'retry + timeout + throttle ≥ 0.9× bare invokeEndpoint$ (bar)', client: 'sagemaker-rx-operators', versus: 'sagemaker-rx', bodyBytes: 1024, concurrencies: [1, 16, 64], atLeast: 0.9 },
  { target: 'retry + timeout + throttle ≥ 0.9× bare invokeEndpoint$, 256 KiB (bar)', client: 'sagemaker-rx-operators', versus: 'sagemaker-rx', bodyBytes: 262_144, concurrencies: [1, 16, 64], atLeast: 0.9 },
  { target: 'OpenTelemetry registered ≥ 0.95× the same operators without (goal, issue 17)', client: 'sagemaker-rx-otel', versus: 'sagemaker-rx-operators', bodyBytes: 1024, concurrencies: [1, 16, 64], atLeast: 0.95 },
  { target: 'invokeEndpoint$ ≥ 0.5× bare undici (goal, issue 14)', client: 'sagemaker-rx', versus: 'undici', bodyBytes: 1024, concurrencies: [16, 64], atLeast: 0.5 },
  { target: 'invokeEndpoint$ faster than undici + signer (goal, issue 14)', client: 'sagemaker-rx', versus: 'undici-signed', bodyBytes: 1024, concurrencies: [16, 64], atLeast: 1 },
  { target: 'invokeEndpoint$ ≥ 2× official SDK, 256 KiB (goal, issue 14)', client: 'sagemaker-rx', versus: 'aws-sdk', bodyBytes: 262_144, concurrencies: [16, 64], atLeast: 2 },
];

/** With `--baseline REF`: the working tree's clients over the same clients as committed at REF (after ÷ before). */
export const BASELINE_TARGETS: readonly RatioTarget[] = [
  { target: 'invokeEndpoint$ after ÷ before (--baseline)', client: 'sagemaker-rx', versus: 'sagemaker-rx-baseline', bodyBytes: 1024, concurrencies: [1, 16, 64], atLeast: 1 },
  { target: 'invokeEndpoint$ after ÷ before, 256 KiB (--baseline)', client: 'sagemaker-rx', versus: 'sagemaker-rx-baseline', bodyBytes: 262_144, concurrencies: [1, 16, 64], atLeast: 1 },
  { target: '+ operators after ÷ before (--baseline)', client: 'sagemaker-rx-operators', versus: 'sagemaker-rx-operators-baseline', bodyBytes: 1024, concurrencies: [1, 16, 64], atLeast: 1 },
];

export const INVOKE_EACH_PEAK_RSS_MIB = 200;
export const BATCHING_SPEEDUP = 10;

export function rpsOf(configs: readonly ConfigResult[], client: ClientId, bodyBytes: number, concurrency: number): number | undefined {
  const config = configs.find((c) => c.bodyBytes === bodyBytes && c.concurrency === concurrency);
  return config?.rows.find((r) => r.client === client)?.requestsPerSecond;
}

export function checkTargets(configs: readonly ConfigResult[], invokeEach?: InvokeEachResult, batching?: { unbatched: BatchingResult; batched: BatchingResult }): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const measured = (id: ClientId) => configs.some((c) => c.rows.some((r) => r.client === id));
  for (const t of [...RATIO_TARGETS, ...BASELINE_TARGETS.filter((b) => measured(b.versus))]) {
    for (const concurrency of t.concurrencies) {
      if (!configs.some((c) => c.bodyBytes === t.bodyBytes && c.concurrency === concurrency)) continue;
      const ours = rpsOf(configs, t.client, t.bodyBytes, concurrency);
      const theirs = rpsOf(configs, t.versus, t.bodyBytes, concurrency);
      const where = `${formatBytes(t.bodyBytes)}, c=${concurrency}`;
      if (ours === undefined || theirs === undefined || !(ours > 0) || !(theirs > 0)) {
        checks.push({ target: t.target, where, measured: 'not measured', required: `≥ ${t.atLeast}×`, met: undefined });
        continue;
      }
      const ratio = ours / theirs;
      checks.push({ target: t.target, where, measured: `${ratio.toFixed(2)}×`, required: `≥ ${t.atLeast}×`, met: ratio >= t.atLeast, margin: ratio / t.atLeast - 1 });
    }
  }
  if (invokeEach) {
    const { p10, p50, p100 } = invokeEach.rssMiBAt;
    checks.push({
      target: `invokeEach peak RSS < ${INVOKE_EACH_PEAK_RSS_MIB} MiB, flat`,
      where: `${invokeEach.records.toLocaleString('en-US')} records, c=${invokeEach.concurrency}`,
      measured: `peak ${invokeEach.peakRssMiB.toFixed(0)} MiB (10/50/100 %: ${p10.toFixed(0)}/${p50.toFixed(0)}/${p100.toFixed(0)})`,
      required: `< ${INVOKE_EACH_PEAK_RSS_MIB} MiB`,
      met: invokeEach.peakRssMiB < INVOKE_EACH_PEAK_RSS_MIB && invokeEach.results === invokeEach.records,
      margin: INVOKE_EACH_PEAK_RSS_MIB / invokeEach.peakRssMiB - 1,
    });
  }
  if (batching) {
    const ratio = batching.batched.recordsPerSecond / batching.unbatched.recordsPerSecond;
    checks.push({
      target: `batches of ${batching.batched.batchSize} ≥ ${BATCHING_SPEEDUP}× unbatched records/s`,
      where: `${batching.batched.records.toLocaleString('en-US')} records, ${batching.batched.latencyMs} ms latency, c=${batching.batched.concurrency}`,
      measured: `${ratio.toFixed(1)}×`,
      required: `≥ ${BATCHING_SPEEDUP}×`,
      met: ratio >= BATCHING_SPEEDUP,
      margin: ratio / BATCHING_SPEEDUP - 1,
    });
  }
  return checks;
}
