// One line per operator file; each owner appends its own line.
export * from './retry-quota.js';
