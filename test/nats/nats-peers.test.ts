import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importNatsPeers } from '../../src/nats/nats-peers';
import { isNatsPeerMissingError, NatsPeerMissingError } from '../../src/nats/nats-peer-missing-error';

const notFound = (specifier: string) => Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });

describe('loading the optional NATS peers', () => {
  it('names every missing peer and how to install them', async () => {
    const error = await importNatsPeers(async (specifier) => {
      if (specifier === '@nats-io/jetstream') throw notFound(specifier);
      return {};
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NatsPeerMissingError);
    expect(isNatsPeerMissingError(error)).toBe(true);
    expect((error as NatsPeerMissingError).missing).toEqual(['@nats-io/jetstream']);
    expect((error as Error).message).toMatch(/needs the optional peer dependencies @nats-io\/transport-node and @nats-io\/jetstream \(3\.x\); missing: @nats-io\/jetstream/);
    expect((error as Error).message).toMatch(/npm install @nats-io\/transport-node@3 @nats-io\/jetstream@3/);
  });

  it('passes on a failure that is not a missing package', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(importNatsPeers(async () => { throw broken; })).rejects.toBe(broken);
  });

  it('loads both when they are installed', async () => {
    const peers = await importNatsPeers();
    expect(typeof peers.transport.connect).toBe('function');
    expect(typeof peers.jetstream.jetstream).toBe('function');
  });
});

const root = resolve(__dirname, '../..');
const built = existsSync(join(root, 'dist/cjs/nats/index.js')) && existsSync(join(root, 'dist/esm/nats/index.js'));
(built ? describe : describe.skip)('the built package without the NATS peers installed', () => {
  let dir: string;
  beforeAll(() => {
    // An app whose node_modules has everything but @nats-io: the package and its dependencies as links.
    dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-no-nats-'));
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    // The package as its files, not the repository (whose own node_modules holds the peers).
    mkdirSync(join(modules, 'sagemaker-rx'));
    symlinkSync(join(root, 'dist'), join(modules, 'sagemaker-rx', 'dist'), 'dir');
    symlinkSync(join(root, 'package.json'), join(modules, 'sagemaker-rx', 'package.json'), 'file');
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry === '@nats-io' || entry === 'sagemaker-rx' || entry.startsWith('.')) continue;
      symlinkSync(join(root, 'node_modules', entry), join(modules, entry), 'dir');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    execFileSync(process.execPath, ['--preserve-symlinks', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  it('imports (CommonJS) and fails only on use, naming the peers', () => {
    const out = run(['-e', `
      const nats = require('sagemaker-rx/nats');
      nats.loadNatsPeers().then(() => console.log('loaded'), (e) => console.log(e.name + ' | ' + e.missing.join(',') + ' | ' + e.message));
    `]);
    expect(out).toMatch(/^NatsPeerMissingError \| @nats-io\/transport-node,@nats-io\/jetstream \| sagemaker-rx\/nats needs the optional peer dependencies/);
  });

  it('imports (ES module) and fails only on use, naming the peers', () => {
    const out = run(['--input-type=module', '-e', `
      import { loadNatsPeers, pullJetStream$ } from 'sagemaker-rx/nats';
      console.log(typeof pullJetStream$);
      await loadNatsPeers().then(() => console.log('loaded'), (e) => console.log(e.name + ' | ' + e.missing.join(',')));
    `]);
    expect(out).toBe('function\nNatsPeerMissingError | @nats-io/transport-node,@nats-io/jetstream');
  });
});
