// One line per operator file; each owner appends its own line.
export * from './retry-quota.js';
export * from './invocation-result.js';
export * from './invoke-each.js';
export * from './backoff.js';
export * from './retry-invocation.js';
export * from './timeout-invocation.js';
export * from './reframe-error.js';
export * from './lines.js';
export * from './json-lines.js';
export * from './server-sent-events.js';
export * from './text-deltas.js';
export * from './adaptive-rate.js';
export * from './batch-invocations.js';
export * from './batch-decode-error.js';
export * from './codecs/index.js';
export * from './output.js';
