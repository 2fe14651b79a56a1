/**
 * Endpoint resolution of the SageMaker Runtime rule set: the partition table,
 * the FIPS and dual-stack host patterns, and a custom endpoint taken verbatim.
 */
import { InvalidRequestError } from '../errors/client-errors.js';

/** One AWS partition: which regions it holds and its DNS suffixes (botocore `partitions.json`). */
export interface Partition {
  readonly id: string;
  readonly regionRegex: RegExp;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
}

/** The partitions, in the order the rule set matches them; `aws` is also the fallback. */
export const PARTITIONS: readonly Partition[] = [
  { id: 'aws', regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws' },
  { id: 'aws-cn', regionRegex: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn', dualStackDnsSuffix: 'api.amazonwebservices.com.cn' },
  { id: 'aws-us-gov', regionRegex: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws' },
  { id: 'aws-iso', regionRegex: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov' },
  { id: 'aws-iso-b', regionRegex: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud' },
  { id: 'aws-iso-e', regionRegex: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk', dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk' },
  { id: 'aws-iso-f', regionRegex: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov' },
  { id: 'aws-eusc', regionRegex: /^eusc-(de)-\w+-\d+$/, dnsSuffix: 'amazonaws.eu', dualStackDnsSuffix: 'api.amazonwebservices.eu' },
];

/**
 * Host templates per flag combination. `{region}`, `{dns}` (the partition's DNS suffix) and
 * `{dualStackDns}` are filled in; `byPartition` overrides the default for one partition.
 */
const HOST_TEMPLATES: Readonly<Record<'default' | 'fips' | 'dualStack' | 'fipsDualStack', { default: string; byPartition?: Readonly<Record<string, string>> }>> = {
  default: { default: 'runtime.sagemaker.{region}.{dns}' },
  dualStack: { default: 'runtime.sagemaker.{region}.{dualStackDns}' },
  fipsDualStack: { default: 'runtime.sagemaker-fips.{region}.{dualStackDns}' },
  fips: {
    default: 'runtime.sagemaker-fips.{region}.{dns}',
    byPartition: {
      aws: 'runtime-fips.sagemaker.{region}.{dns}',
      // GovCloud's normal endpoint is already FIPS.
      'aws-us-gov': 'runtime.sagemaker.{region}.{dns}',
    },
  },
};

/** The inputs of the endpoint rule set, with the AWS SDK v3 config names. */
export interface EndpointParams {
  region?: string;
  /** @default false */
  useFipsEndpoint?: boolean;
  /** @default false */
  useDualstackEndpoint?: boolean;
  /** A custom URL, used verbatim (its base path is kept). */
  endpoint?: string;
}

/** Returns the partition a region belongs to, falling back to `aws` as the rule set does. */
export function partitionOf(region: string): Partition {
  return PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[0]!;
}

/**
 * Resolves the service URL for a region and flags, or returns the custom `endpoint` verbatim.
 * Throws `InvalidRequestError` with the rule set's own `Invalid Configuration: …` messages.
 *
 * @example
 * ```ts
 * resolveEndpoint({ region: 'us-east-1', useFipsEndpoint: true }).href;
 * // 'https://runtime-fips.sagemaker.us-east-1.amazonaws.com/'
 * ```
 */
export function resolveEndpoint({ region, useFipsEndpoint = false, useDualstackEndpoint = false, endpoint }: EndpointParams): URL {
  if (endpoint !== undefined) {
    if (useFipsEndpoint) throw configError('useFipsEndpoint', 'Invalid Configuration: FIPS and custom endpoint are not supported');
    if (useDualstackEndpoint) throw configError('useDualstackEndpoint', 'Invalid Configuration: Dualstack and custom endpoint are not supported');
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch (cause) {
      throw new InvalidRequestError({ member: 'endpoint', rule: `must be an absolute http(s) URL (got ${JSON.stringify(endpoint)})`, cause });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InvalidRequestError({ member: 'endpoint', rule: `must be an absolute http(s) URL (got ${JSON.stringify(endpoint)})` });
    }
    return url;
  }
  if (region === undefined || region === '') throw configError('region', 'Invalid Configuration: Missing Region');
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new InvalidRequestError({ member: 'region', rule: `must be a region name such as us-east-1 (got ${JSON.stringify(region)})` });
  }
  const partition = partitionOf(region);
  const key = useFipsEndpoint ? (useDualstackEndpoint ? 'fipsDualStack' : 'fips') : useDualstackEndpoint ? 'dualStack' : 'default';
  const template = HOST_TEMPLATES[key];
  const host = (template.byPartition?.[partition.id] ?? template.default)
    .replace('{region}', region)
    .replace('{dns}', partition.dnsSuffix)
    .replace('{dualStackDns}', partition.dualStackDnsSuffix);
  return new URL(`https://${host}`);
}

function configError(member: string, message: string): InvalidRequestError {
  return new InvalidRequestError({ member, rule: message, message });
}
