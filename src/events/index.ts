export * from './invoke-event.js';
export * from './guards.js';
