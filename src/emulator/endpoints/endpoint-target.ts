/**
 * Endpoint kinds: which model of an endpoint serves a request, from `TargetModel`,
 * `TargetVariant`, `InferenceComponentName`, `TargetContainerHostname` and `EnableExplanations`,
 * and the service's `ValidationError` when a member does not fit the endpoint's kind.
 */
import { REQUEST_HEADERS, type OperationName } from '../../model/index.js';
import { ASYNC_BUCKET, DEFAULT_VARIANT, PRIMARY_CONTAINER } from '../constants.js';
import type { EndpointConfig, EndpointModel } from '../types.js';
import type { EmulatorErrorAnswer } from '../wire/error-response.js';
import type { Random } from './prng.js';

/** What serves the request. */
export interface EndpointTarget {
  model: EndpointModel;
  /** The production variant answered as `x-Amzn-Invoked-Production-Variant`. */
  variant: string;
  /** The container named in model error messages. */
  container: string;
  targetModel?: string;
  inferenceComponent?: string;
  containerHostname?: string;
}

/** Where the endpoint lives, for messages. */
export interface EndpointWhere {
  endpointName: string;
  accountId: string;
}

const H = REQUEST_HEADERS.InvokeEndpoint;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

const invalid = (message: string): { ok: false; error: EmulatorErrorAnswer } => ({ ok: false, error: { name: 'ValidationError', message } });

/** Picks a variant by weight with the endpoint's seeded RNG. */
function pickByWeight(variants: Array<[string, number]>, random: Random): string {
  const total = variants.reduce((sum, [, w]) => sum + w, 0);
  let at = random() * total;
  for (const [name, weight] of variants) {
    at -= weight;
    if (at < 0) return name;
  }
  return variants[variants.length - 1]![0];
}

/**
 * The model that serves the request, or the `ValidationError` the service answers. Wording is the
 * service's where it is known (multi-model, inference components) and a plausible sentence
 * elsewhere (docs/emulator.md lists which).
 */
export function resolveTarget(
  config: EndpointConfig,
  headers: Readonly<Record<string, string>>,
  operation: OperationName,
  random: Random,
  where: EndpointWhere,
): { ok: true; target: EndpointTarget } | { ok: false; error: EmulatorErrorAnswer } {
  const name = where.endpointName;
  const endpoint = `Endpoint ${name} of account ${where.accountId}`;
  // The async operation has none of these members: its headers never name a target.
  const named = operation === 'InvokeEndpointAsync' ? NO_HEADERS : headers;
  const targetModel = named[H.TargetModel];
  const targetVariant = named[H.TargetVariant];
  const component = named[H.InferenceComponentName];
  const hostname = named[H.TargetContainerHostname];
  const explanations = named[H.EnableExplanations];

  if (targetModel !== undefined && config.targetModels === undefined) {
    return invalid(`${endpoint} is not a multi-model endpoint and does not support target model header.`);
  }
  if (component !== undefined && config.inferenceComponents === undefined) {
    return invalid(`Inference Component Name header is not allowed for endpoint ${name}: it has no inference components. Remove the header or deploy inference components to the endpoint.`);
  }
  if (hostname !== undefined && config.containers === undefined) {
    return invalid(`${endpoint} is not a multi-container endpoint with direct invocation, and does not support target container hostname header.`);
  }
  if (explanations !== undefined && config.explainer !== true) {
    return invalid(`${endpoint} does not have an explainer configured (ExplainerConfig), and does not support enable explanations header.`);
  }

  let variant: string;
  if (config.variants) {
    const variants: Array<[string, number]> = Object.entries(config.variants).map(([v, c]) => [v, c.weight ?? 1]);
    if (targetVariant !== undefined && !variants.some(([v]) => v === targetVariant)) {
      return invalid(`Target variant ${targetVariant} is not a production variant of ${endpoint}. Its variants are: ${variants.map(([v]) => v).join(', ')}.`);
    }
    variant = targetVariant ?? (variants.length === 1 ? variants[0]![0] : pickByWeight(variants, random));
  } else {
    // One variant: nothing to draw, so no list to build for each request.
    variant = config.variant ?? DEFAULT_VARIANT;
    if (targetVariant !== undefined && targetVariant !== variant) {
      return invalid(`Target variant ${targetVariant} is not a production variant of ${endpoint}. Its variants are: ${variant}.`);
    }
  }

  if (config.inferenceComponents) {
    if (component === undefined) {
      return invalid(
        'Inference Component Name header is required for endpoints to which you plan to deploy inference components. Please include Inference Component Name header or consider using SageMaker models.',
      );
    }
    const hosted = config.inferenceComponents[component];
    if (!Object.hasOwn(config.inferenceComponents, component) || !hosted) {
      return invalid(`Inference Component ${component} not found on ${endpoint}.`);
    }
    return { ok: true, target: { model: hosted.model, variant, container: PRIMARY_CONTAINER, inferenceComponent: component } };
  }
  if (config.containers) {
    if (hostname === undefined) {
      return invalid(`${endpoint} is configured for direct invocation of its containers: the target container hostname header is required.`);
    }
    const hosted = Object.hasOwn(config.containers, hostname) ? config.containers[hostname] : undefined;
    if (!hosted) {
      return invalid(`Target container hostname ${hostname} is not a container of ${endpoint}. Its containers are: ${Object.keys(config.containers).join(', ')}.`);
    }
    return { ok: true, target: { model: hosted.model, variant, container: hostname, containerHostname: hostname } };
  }
  const model = config.variants ? config.variants[variant]!.model : config.model!;
  if (config.targetModels) {
    if (operation === 'InvokeEndpointWithResponseStream' || operation === 'InvokeEndpointAsync') {
      // TargetModel is not a member of these operations: a multi-model endpoint cannot serve them.
      return invalid(`${endpoint} is a multi-model endpoint, which ${operation} does not support.`);
    }
    if (targetModel === undefined) return invalid(`${endpoint} is a multi-model endpoint: the target model header is required.`);
    if (!config.targetModels.includes(targetModel)) {
      return invalid(
        `Failed to download model data(bucket: ${ASYNC_BUCKET}, key: models/${name}/${targetModel}). Please ensure that there is an object located at the URL and that the role passed to CreateModel has permissions to download the model.`,
      );
    }
    return { ok: true, target: { model, variant, container: PRIMARY_CONTAINER, targetModel } };
  }
  return { ok: true, target: { model, variant, container: PRIMARY_CONTAINER } };
}
