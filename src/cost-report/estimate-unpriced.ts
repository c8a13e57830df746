import { Estimator, PriceResource, ResourceFamily } from './estimator';

/** Resource types with an idle cost this report does not estimate; they are listed with a zero amount. */
const UNPRICED_TYPES = new Set([
  'AWS::EC2::Instance',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBCluster',
  'AWS::DocDB::DBCluster',
  'AWS::Neptune::DBCluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::OpenSearchService::Domain',
  'AWS::Redshift::Cluster',
  'AWS::EKS::Cluster',
  'AWS::MSK::Cluster',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::VPNConnection',
  'AWS::EC2::ClientVpnEndpoint',
]);

/** Resources with an idle cost the report does not estimate: each is listed with a zero amount and a pointer. */
export const UNPRICED_FAMILY: ResourceFamily = {
  prices: Object.fromEntries([...UNPRICED_TYPES].map((type): [string, PriceResource] => [type, unpriced])),
};

/** Lists a resource this report does not price, at zero. */
function unpriced(estimator: Estimator, id: string, type: string): void {
  estimator.add(id, type, 'Not priced by this report', 1, 'resource', 0, [
    'this resource type has an idle cost that PizzaCostReport does not estimate: see its pricing page',
  ]);
}
