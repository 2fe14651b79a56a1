/**
 * The one message a run stopped by the circuit breaker prints: the cause, and what to check in
 * the CLI's own words (its options and environment variables).
 */
import type { CircuitOpenError } from '../../node/index.js';

/** `endpoint 'x' not found in us-east-1 — check --region / --endpoint-url`, and the like. */
export function cliHint(error: CircuitOpenError, context: { region?: string; endpointUrl?: string }): string {
  const where = context.region ? ` in ${context.region}` : '';
  switch (error.kind) {
    case 'endpoint-not-found':
      return `endpoint '${error.endpointName}' not found${where} — check --region / --endpoint-url`;
    case 'access-denied':
      return `access to endpoint '${error.endpointName}' denied — check the IAM policy (sagemaker:InvokeEndpoint) of the credentials in use`;
    case 'credentials':
      return 'credentials refused or missing — check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or --profile';
    case 'signature':
      return 'signature refused — check the secret access key, --region, and the clock';
    case 'validation':
      return `every request was refused as invalid — check the endpoint name, --content-type, --codec and --field`;
    case 'unreachable':
      return `cannot reach ${context.endpointUrl ?? 'the endpoint'} — check --endpoint-url and the network`;
  }
}

/** `stopped after 20 consecutive failures (ValidationError: …): endpoint 'x' not found in … — check …`. */
export function stopMessage(error: CircuitOpenError, context: { region?: string; endpointUrl?: string }): string {
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : error.message;
  return `stopped after ${error.failures} consecutive failures with the same cause (${cause}): ${cliHint(error, context)}`;
}
