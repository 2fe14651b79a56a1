/** Starts `bench/server.ts` in its own process and learns its port over IPC. */
import { join } from 'node:path';
import type { ServerReadyMessage } from '../server.js';
import { forkTs, nextMessage, waitForExit } from './child.js';

export interface ServerProcess {
  url: string;
  pid: number;
  latencyMs: number;
  stop(): Promise<void>;
}

export async function startServerProcess(latencyMs = 0): Promise<ServerProcess> {
  const child = forkTs(join(__dirname, '..', 'server.ts'), ['--latency-ms', String(latencyMs)]);
  const ready = await nextMessage<ServerReadyMessage>(child, 'bench server', 30_000);
  if (ready.type !== 'listening' || !(ready.port > 0)) throw new Error(`bench server: unexpected message ${JSON.stringify(ready)}`);
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: ready.pid,
    latencyMs,
    async stop() {
      if (child.connected) child.disconnect();
      await waitForExit(child);
    },
  };
}
