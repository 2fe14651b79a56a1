// Endpoint kinds over real sockets: which model serves a request, and the service's
// ValidationError for each member that does not fit the endpoint.
import { Agent } from 'undici';
import { startEmulator, type Emulator, type ModelRequest } from '../../../src/emulator/index.js';
import { send } from '../../integration/emulator-helpers.js';

let emulator: Emulator;
let agent: Agent;

const tagged = (tag: string) => (req: ModelRequest) => ({
  body: JSON.stringify({ tag, variant: req.variant, targetModel: req.targetModel ?? null, component: req.inferenceComponent ?? null, container: req.containerHostname ?? null }),
  contentType: 'application/json',
});

beforeAll(async () => {
  agent = new Agent();
  emulator = await startEmulator({
    seed: 7,
    endpoints: {
      single: { model: tagged('single'), variant: 'only' },
      mme: { model: tagged('mme'), targetModels: ['a.tar.gz', 'b.tar.gz'] },
      variants: { variants: { blue: { model: tagged('blue'), weight: 3 }, green: { model: tagged('green'), weight: 1 } } },
      components: { inferenceComponents: { 'ic-a': { model: tagged('ic-a') }, 'ic-b': { model: 'echo' } } },
      containers: { containers: { first: { model: tagged('first') }, second: { model: tagged('second') } } },
      explained: { model: tagged('explained'), explainer: true },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await emulator.close();
});

const H = {
  model: 'x-amzn-sagemaker-target-model',
  variant: 'x-amzn-sagemaker-target-variant',
  component: 'x-amzn-sagemaker-inference-component',
  host: 'x-amzn-sagemaker-target-container-hostname',
  explain: 'x-amzn-sagemaker-enable-explanations',
};

const invoke = (endpoint: string, headers: Record<string, string> = {}, operation = 'invocations') =>
  send(emulator, agent, { path: `/endpoints/${endpoint}/${operation}`, body: '{}', headers });

function expectValidation(res: Awaited<ReturnType<typeof invoke>>, message: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers['x-amzn-errortype']).toMatch(/^ValidationError:/);
  expect(String(res.json()['message'])).toMatch(message);
}

describe('which model serves the request', () => {
  it('a single-model endpoint answers from its one variant, and accepts TargetVariant naming it', async () => {
    const res = await invoke('single', { [H.variant]: 'only' });
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-invoked-production-variant']).toBe('only');
    expect(res.json()).toMatchObject({ tag: 'single', variant: 'only' });
  });

  it('a multi-model endpoint runs its model for the TargetModel asked for', async () => {
    const res = await invoke('mme', { [H.model]: 'b.tar.gz' });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ tag: 'mme', targetModel: 'b.tar.gz' });
  });

  it('a multi-variant endpoint splits traffic by weight (seeded) and obeys TargetVariant', async () => {
    const counts: Record<string, number> = { blue: 0, green: 0 };
    for (let i = 0; i < 60; i++) {
      const res = await invoke('variants');
      const variant = res.headers['x-amzn-invoked-production-variant']!;
      expect(res.json()['tag']).toBe(variant);
      counts[variant]! += 1;
    }
    expect(counts.blue).toBeGreaterThan(counts.green!);
    expect(counts.green).toBeGreaterThan(0);
    const targeted = await invoke('variants', { [H.variant]: 'green' });
    expect(targeted.headers['x-amzn-invoked-production-variant']).toBe('green');
  });

  it('an endpoint of inference components runs the component named', async () => {
    expect((await invoke('components', { [H.component]: 'ic-a' })).json()).toMatchObject({ tag: 'ic-a', component: 'ic-a' });
    const echoed = await invoke('components', { [H.component]: 'ic-b' }, 'invocations-response-stream');
    expect(echoed.status).toBe(200);
  });

  it('a multi-container endpoint runs the container named by TargetContainerHostname', async () => {
    expect((await invoke('containers', { [H.host]: 'second' })).json()).toMatchObject({ tag: 'second', container: 'second' });
  });

  it('an endpoint with an explainer accepts EnableExplanations', async () => {
    expect((await invoke('explained', { [H.explain]: '`true`' })).status).toBe(200);
  });
});

describe('members that do not fit the endpoint are the service ValidationError', () => {
  it.each([
    ['TargetModel on a single-model endpoint', 'single', { [H.model]: 'a.tar.gz' }, /^Endpoint single of account 123456789012 is not a multi-model endpoint and does not support target model header\.$/],
    ['no TargetModel on a multi-model endpoint', 'mme', {}, /multi-model endpoint: the target model header is required/],
    ['a TargetModel the endpoint does not have', 'mme', { [H.model]: 'c.tar.gz' }, /^Failed to download model data\(bucket: .*key: .*c\.tar\.gz\)\. Please ensure that there is an object located at the URL/],
    ['an unknown TargetVariant', 'single', { [H.variant]: 'AllTraffic' }, /Target variant AllTraffic is not a production variant of Endpoint single/],
    ['an unknown TargetVariant of a multi-variant endpoint', 'variants', { [H.variant]: 'red' }, /variants are: blue, green/],
    ['InferenceComponentName on an endpoint without components', 'single', { [H.component]: 'ic-a' }, /Inference Component Name header is not allowed/],
    ['no InferenceComponentName on an endpoint of components', 'components', {}, /^Inference Component Name header is required for endpoints to which you plan to deploy inference components/],
    ['an unknown inference component', 'components', { [H.component]: 'ic-z' }, /Inference Component ic-z not found/],
    ['TargetContainerHostname on a single-container endpoint', 'single', { [H.host]: 'first' }, /does not support target container hostname header/],
    ['no TargetContainerHostname on a multi-container endpoint', 'containers', {}, /target container hostname header is required/],
    ['an unknown container hostname', 'containers', { [H.host]: 'third' }, /containers are: first, second/],
    ['EnableExplanations without an explainer', 'single', { [H.explain]: '`true`' }, /does not have an explainer configured/],
  ])('%s', async (_label, endpoint, headers, message) => {
    expectValidation(await invoke(endpoint, headers), message);
  });

  it('a multi-model endpoint refuses the streaming operation, which has no TargetModel member', async () => {
    expectValidation(await invoke('mme', {}, 'invocations-response-stream'), /multi-model endpoint, which InvokeEndpointWithResponseStream does not support/);
  });
});
