/**
 * The retry quota of the AWS SDK standard mode: a bucket of tokens shared by
 * every call of one client, so that when an endpoint fails everywhere, retries stop instead of
 * multiplying the load. A retry takes `cost` tokens (5 for throttling, 10 for other errors);
 * a success gives back 1, or the cost of the retry that led to it; never above the capacity.
 */
import { NO_RETRY_INCREMENT, RETRY_COST, TIMEOUT_RETRY_COST } from '@smithy/core/retry';
import { DEFAULT_RETRY_QUOTA_CAPACITY } from '../defaults.js';

export interface RetryQuota {
  /** Tokens left. */
  readonly available: number;
  readonly capacity: number;
  /** Takes the tokens a retry of this kind costs; returns the amount taken, or 0 when the quota is exhausted. */
  acquire(throttling: boolean): number;
  /** Gives tokens back after a success: `retryCost` of the retry that led to it, or 1 when there was none. */
  release(retryCost: number | undefined): void;
}

export interface RetryQuotaConfig {
  /** @default 500 tokens */
  capacity?: number;
  /** @default 5 tokens */
  throttlingRetryCost?: number;
  /** @default 10 tokens */
  retryCost?: number;
  /** @default 1 token */
  noRetryIncrement?: number;
}


// Read once: through the CommonJS build each read of `@smithy/core/retry`'s exports is a getter
// chain, and `retryInvocation()` without `quota` makes a quota per call.
const DEFAULT_THROTTLING_RETRY_COST: number = RETRY_COST;
const DEFAULT_RETRY_COST: number = TIMEOUT_RETRY_COST;
const DEFAULT_NO_RETRY_INCREMENT: number = NO_RETRY_INCREMENT;

function checkQuotaOption(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`createRetryQuota: ${name} must be a finite number >= 0, got ${value}`);
}

/** Creates a retry quota. `SageMakerRuntime` owns one (`client.retryQuota`); pass it to `retryInvocation({ quota })`. */
export function createRetryQuota(config: RetryQuotaConfig = {}): RetryQuota {
  const {
    capacity = DEFAULT_RETRY_QUOTA_CAPACITY,
    throttlingRetryCost = DEFAULT_THROTTLING_RETRY_COST,
    retryCost = DEFAULT_RETRY_COST,
    noRetryIncrement = DEFAULT_NO_RETRY_INCREMENT,
  } = config;
  checkQuotaOption('capacity', capacity);
  checkQuotaOption('throttlingRetryCost', throttlingRetryCost);
  checkQuotaOption('retryCost', retryCost);
  checkQuotaOption('noRetryIncrement', noRetryIncrement);
  let available = capacity;
  return {
    get available() {
      return available;
    },
    capacity,
    acquire(throttling) {
      const cost = throttling ? throttlingRetryCost : retryCost;
      if (available < cost) return 0;
      available -= cost;
      return cost;
    },
    release(cost) {
      available = Math.min(capacity, available + (cost ?? noRetryIncrement));
    },
  };
}
