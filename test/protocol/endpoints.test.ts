import { InvalidRequestError } from '../../src/errors/client-errors';
import { PARTITIONS, partitionOf, resolveEndpoint } from '../../src/protocol/endpoints';

describe('resolveEndpoint', () => {
  // The endpoint test vectors of the service model.
  const vectors: [string, { useFipsEndpoint?: boolean; useDualstackEndpoint?: boolean }, string][] = [
    ['us-east-1', {}, 'https://runtime.sagemaker.us-east-1.amazonaws.com'],
    ['us-east-1', { useFipsEndpoint: true }, 'https://runtime-fips.sagemaker.us-east-1.amazonaws.com'],
    ['us-east-1', { useDualstackEndpoint: true }, 'https://runtime.sagemaker.us-east-1.api.aws'],
    ['us-east-1', { useFipsEndpoint: true, useDualstackEndpoint: true }, 'https://runtime.sagemaker-fips.us-east-1.api.aws'],
    ['cn-north-1', {}, 'https://runtime.sagemaker.cn-north-1.amazonaws.com.cn'],
    ['cn-north-1', { useFipsEndpoint: true }, 'https://runtime.sagemaker-fips.cn-north-1.amazonaws.com.cn'],
    ['cn-north-1', { useDualstackEndpoint: true }, 'https://runtime.sagemaker.cn-north-1.api.amazonwebservices.com.cn'],
    ['us-gov-west-1', {}, 'https://runtime.sagemaker.us-gov-west-1.amazonaws.com'],
    ['us-gov-west-1', { useFipsEndpoint: true }, 'https://runtime.sagemaker.us-gov-west-1.amazonaws.com'],
    ['us-gov-east-1', { useFipsEndpoint: true, useDualstackEndpoint: true }, 'https://runtime.sagemaker-fips.us-gov-east-1.api.aws'],
    ['us-iso-east-1', {}, 'https://runtime.sagemaker.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', { useFipsEndpoint: true }, 'https://runtime.sagemaker-fips.us-isob-east-1.sc2s.sgov.gov'],
  ];

  it.each(vectors)('resolves %s %j to %s', (region, flags, expected) => {
    expect(resolveEndpoint({ region, ...flags }).origin).toBe(expected);
  });

  it('falls back to the aws partition for a region no regex matches', () => {
    expect(partitionOf('xx-unknown-1').id).toBe('aws');
    expect(resolveEndpoint({ region: 'xx-unknown-1' }).origin).toBe('https://runtime.sagemaker.xx-unknown-1.amazonaws.com');
  });

  it('matches each partition by its own region regex', () => {
    const samples: Record<string, string> = {
      aws: 'eu-west-1',
      'aws-cn': 'cn-northwest-1',
      'aws-us-gov': 'us-gov-east-1',
      'aws-iso': 'us-iso-west-1',
      'aws-iso-b': 'us-isob-east-1',
      'aws-iso-e': 'eu-isoe-west-1',
      'aws-iso-f': 'us-isof-south-1',
      'aws-eusc': 'eusc-de-east-1',
    };
    expect(PARTITIONS.map((p) => p.id).sort()).toEqual(Object.keys(samples).sort());
    for (const [id, region] of Object.entries(samples)) expect(partitionOf(region).id).toBe(id);
    expect(resolveEndpoint({ region: 'eusc-de-east-1' }).origin).toBe('https://runtime.sagemaker.eusc-de-east-1.amazonaws.eu');
    expect(resolveEndpoint({ region: 'eu-isoe-west-1', useDualstackEndpoint: true }).origin).toBe(
      'https://runtime.sagemaker.eu-isoe-west-1.api.cloud-aws.adc-e.uk',
    );
  });

  it('uses a custom endpoint verbatim, keeping its base path and port', () => {
    const url = resolveEndpoint({ region: 'us-east-1', endpoint: 'http://127.0.0.1:8080/proxy/sm' });
    expect(url.href).toBe('http://127.0.0.1:8080/proxy/sm');
    expect(url.pathname).toBe('/proxy/sm');
  });

  it('needs no region with a custom endpoint', () => {
    expect(resolveEndpoint({ endpoint: 'https://vpce-123.runtime.sagemaker.us-east-1.vpce.amazonaws.com' }).host).toBe(
      'vpce-123.runtime.sagemaker.us-east-1.vpce.amazonaws.com',
    );
  });

  it.each([
    [{ region: 'us-east-1', endpoint: 'https://x.example', useFipsEndpoint: true }, 'useFipsEndpoint', 'Invalid Configuration: FIPS and custom endpoint are not supported'],
    [{ region: 'us-east-1', endpoint: 'https://x.example', useDualstackEndpoint: true }, 'useDualstackEndpoint', 'Invalid Configuration: Dualstack and custom endpoint are not supported'],
    [{}, 'region', 'Invalid Configuration: Missing Region'],
    [{ region: '' }, 'region', 'Invalid Configuration: Missing Region'],
  ])('rejects %j with the rule set message', (params, member, message) => {
    let caught: unknown;
    try {
      resolveEndpoint(params);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect((caught as InvalidRequestError).member).toBe(member);
    expect((caught as InvalidRequestError).message).toBe(message);
    expect((caught as InvalidRequestError).retryable).toBe(false);
  });

  it('rejects an endpoint that is not an absolute http(s) URL', () => {
    expect(() => resolveEndpoint({ endpoint: 'localhost:8080' })).toThrow(/endpoint: must be an absolute http\(s\) URL/);
    expect(() => resolveEndpoint({ endpoint: '/relative' })).toThrow(InvalidRequestError);
  });

  it('rejects a region that cannot be a host label', () => {
    expect(() => resolveEndpoint({ region: 'us-east-1.evil.com/' })).toThrow(/region: must be a region name/);
  });
});
