import { ResourceFamily } from './estimator';
import { PRICES } from './price-list';

/** Edge: Route 53 hosted zones. */
export const EDGE_FAMILY: ResourceFamily = {
  prices: {
    'AWS::Route53::HostedZone': (estimator, id, type) =>
      estimator.add(id, type, 'Route 53 hosted zone', 1, 'hosted zone', PRICES.hostedZoneMonth),
  },
};
