import { Estimator, isObject, ResourceFamily } from './estimator';
import { PRICES } from './price-list';

/**
 * The KeyValueStore API calls of one PizzaFrontend release through the example workflows: release.yml reads the
 * version production serves (GetKey), then the store's ETag (DescribeKeyValueStore), then moves the pointer (PutKey).
 */
export const KEY_VALUE_STORE_CALLS_PER_RELEASE = 3;

/**
 * Edge: Route 53 hosted zones; CloudFront distributions and KeyValueStores, which have no idle charge and are listed
 * at $0 with what their use costs, so that they are seen rather than silently left out.
 */
export const EDGE_FAMILY: ResourceFamily = {
  prices: {
    'AWS::Route53::HostedZone': (estimator, id, type) =>
      estimator.add(id, type, 'Route 53 hosted zone', 1, 'hosted zone', PRICES.hostedZoneMonth),
    'AWS::CloudFront::Distribution': distribution,
    'AWS::CloudFront::KeyValueStore': keyValueStore,
  },
};

/** Lists a distribution at its idle cost, $0, with the host names (aliases) it serves. */
function distribution(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  const config = isObject(props.DistributionConfig) ? props.DistributionConfig : {};
  const aliases = Array.isArray(config.Aliases) ? config.Aliases : [];
  const names = aliases.every((alias: unknown) => typeof alias === 'string') ? ` (${aliases.join(', ')})` : '';
  const notes = [
    'no monthly charge (pay-as-you-go): its requests and data transfer are traffic-priced and excluded',
    ...(aliases.length > 1
      ? [`one distribution serves the ${aliases.length} host names${names}: each alias costs nothing more`]
      : []),
    'Route 53 alias records to a distribution, and the queries they answer, are free',
  ];
  estimator.add(id, type, 'CloudFront distribution', 1, 'distribution', PRICES.cloudFrontDistributionMonth, notes);
}

/** Lists a KeyValueStore at its idle cost, $0, with the prices of its reads and API calls. */
function keyValueStore(estimator: Estimator, id: string, type: string): void {
  const perCall = PRICES.keyValueStoreApiCallsPerThousand / 1000;
  const release = KEY_VALUE_STORE_CALLS_PER_RELEASE * perCall;
  estimator.add(id, type, 'CloudFront KeyValueStore', 1, 'key value store', PRICES.keyValueStoreMonth, [
    'no storage or idle charge: only its use is billed, and that is not in the total',
    `reads by CloudFront Functions $${PRICES.keyValueStoreReadsPerMillion.toFixed(2)} per million; API calls ` +
      `$${PRICES.keyValueStoreApiCallsPerThousand.toFixed(2)} per 1,000`,
    `a PizzaFrontend release (release.yml: get, describe, put) is ~${KEY_VALUE_STORE_CALLS_PER_RELEASE} API calls, ` +
      `~$${release.toFixed(3)}`,
  ]);
}
