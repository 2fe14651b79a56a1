/**
 * The package as users get it: `npm pack` of the built library, installed into a fresh project in a
 * temp dir (from the npm cache when it can). First as a plain Node consumer without any peer: the
 * core loads through `import` and `require` and loads no framework; a subpath whose peer is missing
 * fails with an error naming that peer. Then with the peers installed: both subpaths load through
 * ESM and CJS (CJS reaches the ES-module-only Nest 12 and Angular through require(esm)), and a consumer using them type-checks with `tsc` under `NodeNext` and `Bundler`
 * resolution.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };

let work: string;
let consumer: string;

const sh = (command: string, args: string[], options: ExecFileSyncOptions = {}) =>
  execFileSync(command, args, { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }) as string;
const npmInstall = (...specs: string[]) =>
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--no-package-lock', ...specs]);
/** Runs a script in the consumer with plain Node; returns stdout, or the error's stderr. */
const runNode = (file: string, source: string) => {
  writeFileSync(join(consumer, file), source);
  return sh(process.execPath, [file]);
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sagemaker-rx-consumer-'));
  consumer = join(work, 'app');
  execFileSync('mkdir', ['-p', consumer]);
  // dist/ as built by `npm run build` (npm test builds first).
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }, null, 2));
  npmInstall(join(work, tarball));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a plain Node consumer without the peers', () => {
  it('has no @nestjs or @angular package installed (they are optional peers)', () => {
    const installed = sh('npm', ['ls', '--all', '--parseable']).split('\n');
    expect(installed.filter((p) => /node_modules\/@(nestjs|angular)\//.test(p))).toEqual([]);
    expect(installed.some((p) => p.endsWith('node_modules/sagemaker-rx'))).toBe(true);
  });

  it('loads the core through require and import, without loading any framework', () => {
    const out = runNode(
      'core.mjs',
      `import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const cjs = require('sagemaker-rx');
       const esm = await import('sagemaker-rx');
       const loaded = Object.keys(require.cache).filter((f) => /@(nestjs|angular)/.test(f));
       console.log(JSON.stringify({ cjs: typeof cjs.SageMakerRuntime, esm: typeof esm.SageMakerRuntime, loaded }));`,
    );
    expect(JSON.parse(out)).toEqual({ cjs: 'function', esm: 'function', loaded: [] });
  });

  it.each([
    ['sagemaker-rx/nestjs', '@nestjs/common'],
    ['sagemaker-rx/angular', '@angular/core'],
  ])('fails to import %s with an error naming the missing peer %s', (subpath, peer) => {
    const out = runNode(
      'subpath.mjs',
      `try { await import(${JSON.stringify(subpath)}); console.log('loaded'); } catch (e) { console.log(e.code + ': ' + e.message); }`,
    );
    expect(out).toMatch(/^ERR_MODULE_NOT_FOUND: /);
    expect(out).toContain(`'${peer}'`);
  });
});

describe('a Nest and Angular consumer with the peers', () => {
  beforeAll(() => {
    const dev = rootPackage.devDependencies;
    // The versions the repository tests with, so the npm cache usually has them.
    npmInstall(
      ...['@nestjs/common', '@nestjs/core', '@angular/core', '@angular/common', '@angular/compiler', 'reflect-metadata', '@types/node'].map((p) => `${p}@${dev[p]}`),
    );
  }, 180_000);

  it('loads both subpaths through import and require', () => {
    const out = runNode(
      'subpaths.mjs',
      `import 'reflect-metadata';
       import '@angular/compiler'; // Angular's packages are partially compiled: outside a CLI build, Node needs the JIT compiler
       import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const nestEsm = await import('sagemaker-rx/nestjs');
       const angularEsm = await import('sagemaker-rx/angular');
       const nestCjs = require('sagemaker-rx/nestjs');
       const angularCjs = require('sagemaker-rx/angular');
       console.log(JSON.stringify([typeof nestEsm.SageMakerModule.forRoot, typeof nestCjs.InjectSageMaker, typeof angularEsm.provideSageMaker, typeof angularCjs.withHttpClientTransport]));`,
    );
    expect(JSON.parse(out)).toEqual(['function', 'function', 'function', 'function']);
  });

  it.each(['NodeNext', 'Bundler'])('type-checks a consumer of both subpaths with %s resolution', (resolution) => {
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { Injectable, Module } from '@nestjs/common';
       import { ApplicationConfig } from '@angular/core';
       import { output, type SageMakerRuntime } from 'sagemaker-rx';
       import { InjectSageMaker, SageMakerModule, SageMakerExceptionFilter, SageMakerHealthIndicator, mapSageMakerError } from 'sagemaker-rx/nestjs';
       import { provideSageMaker, withHttpClientTransport, SageMakerClient, invocationResource, tokenStreamResource } from 'sagemaker-rx/angular';

       @Injectable()
       export class Reviews {
         constructor(@InjectSageMaker() private readonly client: SageMakerRuntime) {}
         classify(text: string) {
           return this.client.invokeEndpoint$({ EndpointName: 'reviews', Body: text }).pipe(output());
         }
       }
       @Module({ imports: [SageMakerModule.forRoot({ region: 'eu-west-1', isGlobal: true })], providers: [Reviews, SageMakerExceptionFilter, SageMakerHealthIndicator] })
       export class AppModule {}
       export const status: number = mapSageMakerError(new Error('x') as never).status;

       export const appConfig: ApplicationConfig = { providers: [provideSageMaker({ region: 'eu-west-1' }, withHttpClientTransport())] };
       export type Client = SageMakerClient;
       export const helpers = [invocationResource, tokenStreamResource] as const;
      `,
    );
    // The repository's compiler (the consumer's own would be one more large install).
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const module = resolution === 'NodeNext' ? 'NodeNext' : 'ESNext';
    // Declarations checked in full once (NodeNext); the Bundler run checks how the consumer resolves.
    const skipLibCheck = resolution === 'NodeNext' ? 'false' : 'true';
    let diagnostics = '';
    try {
      sh(process.execPath, [tsc, '--noEmit', '--strict', '--experimentalDecorators', '--skipLibCheck', skipLibCheck, '--target', 'ES2022', '--lib', 'ES2023,DOM', '--module', module, '--moduleResolution', resolution, '--types', 'node', 'consumer.ts']);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout) + String((error as { stderr?: string }).stderr);
    }
    expect(diagnostics).toBe('');
  });
});
