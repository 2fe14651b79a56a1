import { join } from 'node:path';
import { importEdges, partOf, violation } from './layers';

const SRC = join(__dirname, '..', '..', 'src');

describe('the layering of src/', () => {
  it('has no import that points up, across a layer, or from the core into a product', () => {
    const edges = importEdges(SRC);
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.map(violation).filter((v) => v !== undefined)).toEqual([]);
  });

  it('knows every part of src/', () => {
    const parts = new Set(importEdges(SRC).map((e) => partOf(e.from)));
    for (const part of parts) expect(violation({ from: `${part}/x.ts`, specifier: './y.js', to: `${part}/y.ts` })).toBeUndefined();
    expect([...parts].filter((p) => violation({ from: p.endsWith('.ts') ? p : `${p}/x.ts`, specifier: '../model/index.js', to: 'model/index.ts' }) !== undefined && p !== 'model')).toEqual([]);
  });
});

describe('the layering rule', () => {
  it('reports an upward import: client importing an operator', () => {
    expect(violation({ from: 'client/sagemaker-runtime.ts', specifier: '../operators/resilience/retry-invocation.js', to: 'operators/resilience/retry-invocation.ts' })).toMatch(/must point down/);
  });

  it('reports an import across one rank: signing importing transport', () => {
    expect(violation({ from: 'signing/request-signer.ts', specifier: '../transport/transport.js', to: 'transport/transport.ts' })).toMatch(/must point down/);
  });

  it('reports the core importing a product: the client importing the emulator', () => {
    expect(violation({ from: 'client/attempt.ts', specifier: '../emulator/index.js', to: 'emulator/index.ts' })).toMatch(/imports the product/);
  });

  it('reports a product importing a product it may not: nestjs importing the CLI', () => {
    expect(violation({ from: 'nestjs/module.ts', specifier: '../cli/main.js', to: 'cli/main.ts' })).toMatch(/which it may not/);
  });

  it('reports a Node-only import in a portable part, and allows it in a browser twin\'s place', () => {
    expect(violation({ from: 'protocol/body.ts', specifier: 'node:buffer' })).toMatch(/Node-only/);
    expect(violation({ from: 'operators/pipelines/invoke-each.ts', specifier: 'undici' })).toMatch(/Node-only/);
    expect(violation({ from: 'transport/undici-transport.ts', specifier: 'undici' })).toBeUndefined();
  });

  it('allows downward imports and products over the core', () => {
    expect(violation({ from: 'client/attempt.ts', specifier: '../protocol/serialize.js', to: 'protocol/serialize.ts' })).toBeUndefined();
    expect(violation({ from: 'operators/pipelines/invoke-each.ts', specifier: '../resilience/retry-invocation.js', to: 'operators/resilience/retry-invocation.ts' })).toBeUndefined();
    expect(violation({ from: 'cli/main.ts', specifier: '../index.js', to: 'index.ts' })).toBeUndefined();
    expect(violation({ from: 'testing/test-emulator.ts', specifier: '../emulator/index.js', to: 'emulator/index.ts' })).toBeUndefined();
  });
});
