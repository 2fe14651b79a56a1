/**
 * End-to-end tests (`npm run test:e2e`): the Nest app over real HTTP, the Angular app in Chromium,
 * the packed tarball in a fresh consumer. Run under Node 24 (scripts/with-node.mjs), where Jest
 * loads ES-module-only packages (Nest 12, Angular) with require(esm).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  // test/angular: Angular's packages are ES modules only, loaded here through require(esm).
  roots: ['<rootDir>/test/e2e', '<rootDir>/test/angular'],
  testTimeout: 120000,
  maxWorkers: 1,
};
