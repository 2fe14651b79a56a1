export * from './codec.js';
export * from './json-array-codec.js';
export * from './json-lines-codec.js';
export * from './csv-codec.js';
export * from './resolve-codec.js';
