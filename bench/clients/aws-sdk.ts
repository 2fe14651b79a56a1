/**
 * The official `@aws-sdk/client-sagemaker-runtime`: `InvokeEndpointCommand` against the bench
 * server, static credentials, `maxAttempts: 1`, and a keep-alive `http.Agent` whose `maxSockets`
 * is the concurrency (fair pooling).
 */
import { Agent } from 'node:http';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { assertSuccess, BENCH_CONTENT_TYPE, benchCredentials, BENCH_REGION, type BenchClient, type BenchTarget } from './bench-client.js';

export function createClient(target: BenchTarget): BenchClient {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: target.concurrency });
  const client = new SageMakerRuntimeClient({
    region: BENCH_REGION,
    endpoint: target.url,
    credentials: benchCredentials(),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent }),
  });
  const input = { EndpointName: target.endpointName, Body: target.body, ContentType: BENCH_CONTENT_TYPE };
  return {
    async invoke() {
      const out = await client.send(new InvokeEndpointCommand(input));
      assertSuccess('aws-sdk', out.$metadata.httpStatusCode, out.InvokedProductionVariant);
      if (!out.Body || out.Body.length === 0) throw new Error('aws-sdk: empty body');
    },
    async close() {
      client.destroy();
      httpAgent.destroy();
    },
  };
}
