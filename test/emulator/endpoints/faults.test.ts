// Faults answered as each operation's model allows, over real sockets: throttling with the
// live service's {"message":null}, and no ModelNotReadyException or InternalDependencyException
// on the streaming operation, whose model does not list them.
import { Agent } from 'undici';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { send } from '../../integration/emulator-helpers.js';

let emulator: Emulator;
let agent: Agent;

beforeAll(async () => {
  agent = new Agent();
  emulator = await startEmulator({
    endpoints: {
      throttled: { model: 'echo', faults: { throttleRate: 1 } },
      'not-ready': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
      dependency: { model: 'echo', faults: { failWhen: () => 'dependencyError' } },
      capped: { model: 'echo', faults: { maxConcurrency: 0, overConcurrencyAs: 'ModelNotReadyException' } },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await emulator.close();
});

const invoke = (endpoint: string, operation: string) => send(emulator, agent, { path: `/endpoints/${endpoint}/${operation}`, body: '{}' });

it('answers throttling with 400 ThrottlingException and {"message":null}', async () => {
  const res = await invoke('throttled', 'invocations');
  expect(res.status).toBe(400);
  expect(res.headers['x-amzn-errortype']).toBe('ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/');
  expect(res.body.toString()).toBe('{"message":null}');
});

it.each([
  ['not-ready', 'invocations', 429, 'ModelNotReadyException'],
  ['not-ready', 'invocations-response-stream', 400, 'ThrottlingException'],
  ['capped', 'invocations', 429, 'ModelNotReadyException'],
  ['capped', 'invocations-response-stream', 400, 'ThrottlingException'],
  ['dependency', 'invocations', 530, 'InternalDependencyException'],
  ['dependency', 'invocations-response-stream', 500, 'InternalFailure'],
])('%s on %s is %d %s', async (endpoint, operation, status, name) => {
  const res = await invoke(endpoint, operation);
  expect(res.status).toBe(status);
  expect(res.headers['x-amzn-errortype']).toMatch(new RegExp(`^${name}:`));
});
