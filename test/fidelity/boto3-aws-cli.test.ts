// boto3 (Debian's python3-boto3) and the AWS CLI v2 (/usr/bin/aws), run as real processes
// against the emulator on port 0: every operation their botocore knows and each injected error,
// async inference read back through the emulator's S3 store, and botocore's retry decisions.
// Each tool is skipped, saying why, only when its binary is absent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type ModelResponse } from '../../src/emulator/index.js';

const PYTHON = '/usr/bin/python3';
const AWS = '/usr/bin/aws';
const DRIVER = join(__dirname, 'boto3-driver.py');

const hasBoto3 = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
const hasAwsCli = existsSync(AWS) && spawnSync(AWS, ['--version'], { stdio: 'ignore' }).status === 0;

let emulator: Emulator;
let dir: string;

/** The environment of every child: the emulator's key pair and region, nothing from the machine's AWS setup. */
function awsEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
}

/** Runs a process to its end; resolves with its exit code and output. */
function run(command: string, args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: awsEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

const TIMEOUT_TEXT = /^Your invocation timed out while waiting for a response from container primary\./;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-fidelity-'));
  emulator = await startEmulator({
    modelTimeoutMs: 300,
    endpoints: {
      echo: { model: 'echo', variant: 'blue' },
      sentiment: { model: 'sentiment' },
      generator: { model: 'text-generator', generator: { tokensPerSecond: 2_000 } },
      'stream-broken': { model: 'text-generator', generator: { tokensPerSecond: 2_000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 2, errorCode: 'StreamBroken' } } },
      'model-error': { model: 'echo', faults: { modelErrorRate: 1, modelErrorStatus: 418 } },
      'not-ready': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
      throttled: { model: 'echo', faults: { throttleRate: 1 } },
      'throttled-retried': { model: 'echo', faults: { throttleRate: 1 } },
      'not-ready-retried': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
      unavailable: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 503 } },
      internal: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 500 } },
      dependency: { model: 'echo', faults: { failWhen: () => 'dependencyError' } },
      hanging: { model: (req) => new Promise<ModelResponse>((resolve) => req.signal.addEventListener('abort', () => resolve({ body: '' }))) },
      mme: { model: 'echo', targetModels: ['a.tar.gz'] },
      upper: { model: (req) => ({ body: req.body.toString().toUpperCase(), contentType: 'text/x-upper' }) },
      refusing: { model: () => ({ status: 400, body: '{"error":"no"}', contentType: 'application/json' }) },
    },
  });
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Boto3Result {
  ok?: boolean;
  skipped?: string;
  code?: string;
  message?: string | null;
  status?: number;
  attempts?: number;
  requestId?: string;
  [member: string]: unknown;
}

const boto3Cases = {
  success: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'héllo', ContentType: 'text/plain', Accept: 'text/plain', CustomAttributes: 'trace=1' } },
  sentiment: { op: 'invoke_endpoint', params: { EndpointName: 'sentiment', Body: '{"text":"great value"}', ContentType: 'application/json' } },
  modelError: { op: 'invoke_endpoint', params: { EndpointName: 'model-error', Body: 'x' } },
  notReady: { op: 'invoke_endpoint', params: { EndpointName: 'not-ready', Body: 'x' } },
  throttled: { op: 'invoke_endpoint', params: { EndpointName: 'throttled', Body: 'x' } },
  unavailable: { op: 'invoke_endpoint', params: { EndpointName: 'unavailable', Body: 'x' } },
  internal: { op: 'invoke_endpoint', params: { EndpointName: 'internal', Body: 'x' } },
  dependency: { op: 'invoke_endpoint', params: { EndpointName: 'dependency', Body: 'x' } },
  timeout: { op: 'invoke_endpoint', params: { EndpointName: 'hanging', Body: 'x' } },
  unknownEndpoint: { op: 'invoke_endpoint', params: { EndpointName: 'nowhere', Body: 'x' } },
  targetModelMismatch: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x', TargetModel: 'a.tar.gz' } },
  unknownVariant: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x', TargetVariant: 'green' } },
  hostnameOnSingle: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x', TargetContainerHostname: 'c-1' } },
  explanationsWithoutExplainer: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x', EnableExplanations: '`true`' } },
  multiModel: { op: 'invoke_endpoint', params: { EndpointName: 'mme', Body: 'x', TargetModel: 'a.tar.gz' } },
  echoHeaders: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: '{"__echoHeaders":true}', ContentType: 'application/json', CustomAttributes: 'c=1' } },
  tooLong: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x', CustomAttributes: 'a'.repeat(1_025) } },
  wrongSecret: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x' }, credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong' } },
  unknownKey: { op: 'invoke_endpoint', params: { EndpointName: 'echo', Body: 'x' }, credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } },
  throttledRetried: { op: 'invoke_endpoint', params: { EndpointName: 'throttled-retried', Body: 'x' }, retries: { mode: 'standard', total_max_attempts: 3 } },
  notReadyRetried: { op: 'invoke_endpoint', params: { EndpointName: 'not-ready-retried', Body: 'x' }, retries: { mode: 'standard', total_max_attempts: 3 } },
  asyncOutput: { op: 'invoke_endpoint_async', params: { EndpointName: 'upper', InputLocation: 's3://inputs/boto3.txt', InferenceId: 'boto3-1' }, wait: true },
  asyncFailure: { op: 'invoke_endpoint_async', params: { EndpointName: 'refusing', InputLocation: 's3://inputs/boto3.txt' }, wait: true },
  asyncNotReady: { op: 'invoke_endpoint_async', params: { EndpointName: 'not-ready', InputLocation: 's3://inputs/boto3.txt' } },
  stream: { op: 'invoke_endpoint_with_response_stream', params: { EndpointName: 'generator', Body: '{}' } },
  streamBroken: { op: 'invoke_endpoint_with_response_stream', params: { EndpointName: 'stream-broken', Body: '{}' } },
  streamNotReady: { op: 'invoke_endpoint_with_response_stream', params: { EndpointName: 'not-ready', Body: '{}' } },
} as const;

(hasBoto3 ? describe : describe.skip)(hasBoto3 ? 'boto3 against the emulator' : `boto3 against the emulator (skipped: ${PYTHON} with boto3 is not installed; apt-get install python3-boto3)`, () => {
  const results: Partial<Record<keyof typeof boto3Cases, Boto3Result>> = {};
  let versions = '';

  beforeAll(async () => {
    emulator.objects.set('s3://inputs/boto3.txt', { body: 'from boto3', contentType: 'text/plain' });
    const names = Object.keys(boto3Cases) as (keyof typeof boto3Cases)[];
    const spec = { endpoint_url: emulator.url, cases: names.map((n) => boto3Cases[n]) };
    const out = await run(PYTHON, [DRIVER], JSON.stringify(spec));
    if (out.code !== 0) throw new Error(`boto3 driver exited ${out.code}: ${out.stderr}`);
    const parsed = JSON.parse(out.stdout) as { boto3: string; botocore: string; results: Boto3Result[] };
    versions = `boto3 ${parsed.boto3}, botocore ${parsed.botocore}`;
    names.forEach((n, i) => (results[n] = parsed.results[i]));
  }, 120_000);

  it('runs a known botocore', () => {
    expect(versions).toMatch(/^boto3 \d+\.\d+\.\d+, botocore \d+\.\d+\.\d+$/);
  });

  it('InvokeEndpoint: the body byte for byte and every output member', () => {
    expect(results.success).toMatchObject({ ok: true, status: 200, body: 'héllo', ContentType: 'text/plain', InvokedProductionVariant: 'blue', CustomAttributes: 'trace=1' });
    expect(results.sentiment).toMatchObject({ ok: true, body: '{"label":"POSITIVE","score":0.75}', ContentType: 'application/json' });
  });

  it.each([
    ['modelError', 'ModelError', 424],
    ['notReady', 'ModelNotReadyException', 429],
    ['throttled', 'ThrottlingException', 400],
    ['unavailable', 'ServiceUnavailable', 503],
    ['internal', 'InternalFailure', 500],
    ['dependency', 'InternalDependencyException', 530],
    ['timeout', 'ModelError', 424],
    ['unknownEndpoint', 'ValidationError', 400],
    ['targetModelMismatch', 'ValidationError', 400],
    ['unknownVariant', 'ValidationError', 400],
    ['hostnameOnSingle', 'ValidationError', 400],
    ['explanationsWithoutExplainer', 'ValidationError', 400],
    ['tooLong', 'ValidationError', 400],
    ['wrongSecret', 'InvalidSignatureException', 403],
    ['unknownKey', 'UnrecognizedClientException', 403],
  ] as const)('InvokeEndpoint %s: botocore raises %s with HTTP %d and the emulator request id', (name, code, status) => {
    const result = results[name]!;
    expect(result).toMatchObject({ ok: false, code, status, attempts: 1 });
    expect(emulator.requests.some((r) => r.id === result.requestId)).toBe(true);
  });

  it('a multi-model endpoint answers the TargetModel botocore sends', () => {
    expect(results.multiModel).toMatchObject({ ok: true, status: 200, body: 'x' });
  });

  it('only the API headers of what botocore sends reach the container (no user-agent, x-amz-*, amz-sdk-*)', () => {
    const seen = JSON.parse(String(results.echoHeaders!['body'])) as { __headers: Record<string, string> };
    expect(seen.__headers).toEqual({ 'content-type': 'application/json', 'x-amzn-sagemaker-custom-attributes': 'c=1', ...(seen.__headers['accept'] !== undefined ? { accept: seen.__headers['accept'] } : {}) });
    // …while the request that arrived had them: the emulator stripped them, as the service does.
    const arrived = emulator.requests.find((r) => r.body.toString() === '{"__echoHeaders":true}')!;
    expect(arrived.headers['user-agent']).toMatch(/Boto3|botocore/);
    expect(arrived.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('reads the ModelError members botocore models, and the model timeout as OriginalStatusCode 0', () => {
    expect(results.modelError).toMatchObject({ OriginalStatusCode: 418, OriginalMessage: '{"error":"injected model error (418)"}', LogStreamArn: expect.stringMatching(/^arn:aws:logs:us-east-1:123456789012:log-group:/) });
    expect(results.timeout).toMatchObject({ OriginalStatusCode: 0, OriginalMessage: expect.stringMatching(TIMEOUT_TEXT) });
    expect(results.targetModelMismatch!.message).toBe('Endpoint echo of account 123456789012 is not a multi-model endpoint and does not support target model header.');
  });

  it('sees no message in the live service throttling body, and still retries it as throttling; a 429 is not retried in standard mode', () => {
    expect(results.throttled!.message).toBeFalsy();
    expect(results.throttledRetried).toMatchObject({ code: 'ThrottlingException', attempts: 3 });
    expect(emulator.endpointStats('throttled-retried').total).toBe(3);
    expect(results.notReadyRetried).toMatchObject({ code: 'ModelNotReadyException', attempts: 1 });
    expect(emulator.endpointStats('not-ready-retried').total).toBe(1);
  });

  it('InvokeEndpointAsync: 202, then the output read back through the emulator S3 store by polling HeadObject/GetObject', () => {
    expect(results.asyncOutput).toMatchObject({
      ok: true,
      status: 202,
      InferenceId: 'boto3-1',
      OutputLocation: 's3://sagemaker-emulator/upper/output/boto3-1.out',
      written: 'output',
      object: 'FROM BOTO3',
      objectContentType: 'text/x-upper',
    });
  });

  it('InvokeEndpointAsync: a failing model leaves its answer at the FailureLocation', () => {
    expect(results.asyncFailure).toMatchObject({ ok: true, status: 202, written: 'failure', object: '{"error":"no"}' });
  });

  it('InvokeEndpointAsync is throttled with ThrottlingException, never ModelNotReadyException', () => {
    expect(results.asyncNotReady).toMatchObject({ ok: false, code: 'ThrottlingException', status: 400 });
  });

  it('InvokeEndpointWithResponseStream: the parts, a mid-stream ModelStreamError, and throttling without ModelNotReadyException (when this botocore has the operation)', () => {
    const stream = results.stream!;
    if (stream.skipped !== undefined) {
      // An older botocore than the operation (added mid-2023): nothing to compare.
      expect(stream.skipped).toMatch(/has no InvokeEndpointWithResponseStream/);
      return;
    }
    const text = (r: Boto3Result) => (r['parts'] as string[]).map((p) => Buffer.from(p, 'base64').toString('utf8')).join('');
    expect(stream).toMatchObject({ ok: true, status: 200, ContentType: 'application/jsonlines' });
    expect(text(stream)).toContain('{"token":{"text":"The"}}');
    expect(results.streamBroken).toMatchObject({ ok: true, streamError: 'ModelStreamError' });
    expect(results.streamBroken!['parts']).toHaveLength(2);
    expect(results.streamNotReady).toMatchObject({ ok: false, code: 'ThrottlingException', status: 400 });
  });
});

(hasAwsCli ? describe : describe.skip)(hasAwsCli ? 'the AWS CLI v2 against the emulator' : `the AWS CLI v2 against the emulator (skipped: ${AWS} is not installed; apt-get install awscli)`, () => {
  const aws = (...args: string[]) => run(AWS, [...args, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--output', 'json']);
  const input = () => join(dir, 'input.txt');
  // Each `aws` is a Python process that takes a second or more to start; a test runs several.
  jest.setTimeout(120_000);

  beforeAll(() => {
    writeFileSync(input(), 'from the cli');
  });

  it('sagemaker-runtime invoke-endpoint writes the body to the outfile and prints the output members', async () => {
    const outfile = join(dir, 'out.bin');
    const res = await aws('sagemaker-runtime', 'invoke-endpoint', '--endpoint-name', 'echo', '--body', `fileb://${input()}`, '--content-type', 'text/plain', '--custom-attributes', 'c=1', outfile);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ ContentType: 'text/plain', InvokedProductionVariant: 'blue', CustomAttributes: 'c=1' });
    expect(readFileSync(outfile, 'utf8')).toBe('from the cli');
  });

  it.each([
    ['model-error', 'ModelError'],
    ['not-ready', 'ModelNotReadyException'],
    ['throttled', 'ThrottlingException'],
    ['unavailable', 'ServiceUnavailable'],
    ['internal', 'InternalFailure'],
    ['dependency', 'InternalDependencyException'],
    ['hanging', 'ModelError'],
    ['nowhere', 'ValidationError'],
    ['mme', 'ValidationError'],
  ])('invoke-endpoint on %s exits 254 naming %s', async (endpoint, code) => {
    const res = await aws('sagemaker-runtime', 'invoke-endpoint', '--endpoint-name', endpoint, '--body', `fileb://${input()}`, join(dir, 'unused.bin'));
    expect(res.code).toBe(254);
    expect(res.stderr).toContain(`An error occurred (${code}) when calling the InvokeEndpoint operation`);
    if (endpoint === 'hanging') expect(res.stderr).toMatch(/Received server error \(0\) from primary/);
  });

  it('exits 254 naming InvalidSignatureException for a wrong secret key', async () => {
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(AWS, ['sagemaker-runtime', 'invoke-endpoint', '--endpoint-name', 'echo', '--body', `fileb://${input()}`, join(dir, 'unused.bin'), '--endpoint-url', emulator.url], {
        env: { ...awsEnv(), AWS_SECRET_ACCESS_KEY: 'wrong' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(res.code).toBe(254);
    expect(res.stderr).toContain('An error occurred (InvalidSignatureException)');
  });

  it('s3api put-object stages an input, invoke-endpoint-async answers 202, s3api get-object reads the output', async () => {
    const put = await aws('s3api', 'put-object', '--bucket', 'inputs', '--key', 'cli/in.txt', '--body', input(), '--content-type', 'text/plain');
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)['ETag']).toMatch(/^"[0-9a-f]{32}"$/);
    const accepted = await aws('sagemaker-runtime', 'invoke-endpoint-async', '--endpoint-name', 'upper', '--input-location', 's3://inputs/cli/in.txt', '--inference-id', 'cli-1');
    expect(accepted.code).toBe(0);
    const out = JSON.parse(accepted.stdout) as Record<string, string>;
    // FailureLocation is printed only by CLIs whose model has it (2023-04 on).
    expect(out).toMatchObject({ InferenceId: 'cli-1', OutputLocation: 's3://sagemaker-emulator/upper/output/cli-1.out' });
    if (out['FailureLocation'] !== undefined) expect(out['FailureLocation']).toBe('s3://sagemaker-emulator/upper/failure/cli-1.out');
    await emulator.asyncIdle();
    const head = await aws('s3api', 'head-object', '--bucket', 'sagemaker-emulator', '--key', 'upper/output/cli-1.out');
    expect(head.code).toBe(0);
    expect(JSON.parse(head.stdout)).toMatchObject({ ContentLength: 12, ContentType: 'text/x-upper' });
    const target = join(dir, 'result.txt');
    const got = await aws('s3api', 'get-object', '--bucket', 'sagemaker-emulator', '--key', 'upper/output/cli-1.out', target);
    expect(got.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('FROM THE CLI');
    const missing = await aws('s3api', 'head-object', '--bucket', 'sagemaker-emulator', '--key', 'upper/failure/cli-1.out');
    expect(missing.code).toBe(254);
    expect(missing.stderr).toMatch(/\(404\)/);
  });

  it('invoke-endpoint-with-response-stream prints the parts, when this CLI has the operation', async () => {
    const help = await run(AWS, ['sagemaker-runtime', 'help']);
    if (!help.stdout.includes('invoke-endpoint-with-response-stream')) {
      // CLIs older than the operation (mid-2023) cannot call it.
      expect(help.stdout).toContain('invoke-endpoint-async');
      return;
    }
    const res = await aws('sagemaker-runtime', 'invoke-endpoint-with-response-stream', '--endpoint-name', 'generator', '--body', `fileb://${input()}`, join(dir, 'stream.out'));
    expect(res.code).toBe(0);
  });
});
