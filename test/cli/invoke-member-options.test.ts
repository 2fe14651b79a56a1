/**
 * `invoke` takes one option per header-bound member of InvokeEndpoint, from the model: a member
 * the model gains is an option without touching the CLI. Checked on the command's spec and as a
 * real process against the emulator.
 */
import { invokeCommand } from '../../src/cli/commands/invoke.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { REQUEST_HEADERS } from '../../src/model/index.js';
import { runCliProcess } from '../integration/cli-process.js';

describe('invoke member options', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ endpoints: { echo: { model: 'echo' } } });
  });
  afterAll(() => emu.close());

  it('offers an option for every header-bound member of the model, in the AWS CLI spelling', () => {
    const names = invokeCommand.options?.map((o) => o.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['content-type', 'target-container-hostname', 'inference-component-name', 'prefix-aware-id']));
    expect(names.filter((n) => !['body', 'out', 'retries', 'timeout-ms', 'region', 'profile', 'endpoint-url', 'max-connections', 'help'].includes(n)).length).toBeGreaterThanOrEqual(
      Object.keys(REQUEST_HEADERS.InvokeEndpoint).length,
    );
  });

  it('sends --prefix-aware-id as the member\'s header', async () => {
    const run = await runCliProcess(['invoke', 'echo', '--body', 'hi', '--prefix-aware-id', 'user-42', '--endpoint-url', emu.url]);
    expect(run.code).toBe(0);
    expect(emu.requests.at(-1)?.headers['x-amzn-sagemaker-prefix-aware-id']).toBe('user-42');
  });
});
