/**
 * The partition table in `src/protocol/endpoints.ts` against the one AWS maintains (the partition
 * data of the SDK's endpoint utilities, shipped in `@aws-sdk/core`, which the credential providers
 * already install). The core keeps its own small copy so that the browser bundle does not carry
 * the SDK's client middleware barrel; this test fails when an SDK update moves a region to another
 * partition or changes a DNS suffix, so the copy cannot drift silently.
 */
import { partition } from '@aws-sdk/core/client';
import { PARTITIONS, partitionOf } from '../../src/protocol/endpoints';

/** A known region of each partition, and a region name no partition lists yet (its regex decides). */
const SAMPLES = [
  'us-east-1', 'eu-central-2', 'ap-southeast-7', 'mx-central-1', 'il-central-1', 'ap-future-9',
  'cn-north-1', 'cn-northwest-1', 'cn-future-9',
  'us-gov-west-1', 'us-gov-east-1',
  'us-iso-east-1', 'us-iso-west-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'us-isof-south-1', 'us-isof-east-1',
  'eusc-de-east-1',
  'xx-unknown-1',
];

describe('the partition table', () => {
  it.each(SAMPLES)('puts %s in the partition, DNS suffix and dual-stack suffix that AWS maintains', (region) => {
    const maintained = partition(region);
    const ours = partitionOf(region);
    expect({ id: ours.id, dnsSuffix: ours.dnsSuffix, dualStackDnsSuffix: ours.dualStackDnsSuffix }).toEqual({
      id: maintained.name,
      dnsSuffix: maintained.dnsSuffix,
      dualStackDnsSuffix: maintained.dualStackDnsSuffix,
    });
  });

  it('samples every partition it holds', () => {
    const sampled = new Set(SAMPLES.map((r) => partitionOf(r).id));
    expect([...sampled].sort()).toEqual(PARTITIONS.map((p) => p.id).sort());
  });
});
