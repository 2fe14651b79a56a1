/**
 * The emulator's options with every default applied, as the server and its pipeline read them.
 */
import type { EmulatorCredential, EndpointConfig } from '../types.js';

/** Options with every default applied. */
export interface ResolvedEmulatorOptions {
  port: number;
  host: string;
  region: string;
  credentials: EmulatorCredential[] | false;
  endpoints: Record<string, EndpointConfig>;
  accountId: string;
  seed: number;
  clockSkewMs: number;
  /** Most requests kept in `requests` (0: none, Infinity: all). */
  recordRequests: number;
  cors: boolean;
  modelTimeoutMs: number;
}
