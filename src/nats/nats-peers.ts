/**
 * Loads the optional NATS peers on first use, so importing `sagemaker-rx/nats` never fails and a
 * missing package gives a {@link NatsPeerMissingError} naming it instead of a resolver stack.
 */
import type * as JetStreamModule from '@nats-io/jetstream';
import type * as TransportNodeModule from '@nats-io/transport-node';
import { NatsPeerMissingError, type NatsPeerName } from './nats-peer-missing-error.js';

/** The two peer modules. */
export interface NatsPeers {
  readonly transport: typeof TransportNodeModule;
  readonly jetstream: typeof JetStreamModule;
}

/** How a module is imported; a seam for the missing-peer test. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

// The peers ship CommonJS: the CommonJS build (and Jest) requires them; the ES module build,
// where `require` does not exist, imports them.
const defaultImporter: ModuleImporter = (specifier) =>
  typeof require === 'function' ? Promise.resolve().then(() => require(specifier) as unknown) : import(specifier);

let loaded: Promise<NatsPeers> | undefined;

function isNotFound(err: unknown, specifier: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((err as Error).message).includes(specifier)
  );
}

/** Imports both peers; rejects with {@link NatsPeerMissingError} naming every one that is absent. */
export async function importNatsPeers(importer: ModuleImporter = defaultImporter): Promise<NatsPeers> {
  const attempt = async (name: NatsPeerName): Promise<{ module?: unknown; missing?: NatsPeerName; cause?: unknown }> => {
    try {
      return { module: await importer(name) };
    } catch (err) {
      if (isNotFound(err, name)) return { missing: name, cause: err };
      throw err;
    }
  };
  const [transport, jetstream] = await Promise.all([attempt('@nats-io/transport-node'), attempt('@nats-io/jetstream')]);
  const missing = [transport.missing, jetstream.missing].filter((m): m is NatsPeerName => m !== undefined);
  if (missing.length > 0) throw new NatsPeerMissingError(missing, transport.cause ?? jetstream.cause);
  return { transport: transport.module as typeof TransportNodeModule, jetstream: jetstream.module as typeof JetStreamModule };
}

/** The peers, imported once per process. */
export function loadNatsPeers(): Promise<NatsPeers> {
  loaded ??= importNatsPeers().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}
