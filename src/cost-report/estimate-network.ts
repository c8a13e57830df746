import { Estimator, isObject, ResourceFamily } from './estimator';
import { PRICES } from './price-list';
import { show } from '../shared/validation';

/** Assumed Availability Zones when a subnet list is not known at synth (the CDK's usual `maxAzs` of 2). */
const ASSUMED_AZS = 2;

/** Network: load balancers and their public IPv4 addresses, NAT gateways, Elastic IPs, interface VPC endpoints. */
export const NETWORK_FAMILY: ResourceFamily = {
  prices: {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancer,
    'AWS::EC2::NatGateway': (estimator, id, type) =>
      estimator.hourly(id, type, 'NAT gateway', 1, 'gateway', PRICES.natGatewayHour),
    'AWS::EC2::EIP': (estimator, id, type) =>
      estimator.hourly(id, type, 'Elastic IP (public IPv4)', 1, 'address', PRICES.publicIpv4Hour),
    'AWS::EC2::VPCEndpoint': vpcEndpoint,
  },
};

/** Prices an application or network load balancer and, when internet-facing, its public IPv4 addresses. */
function loadBalancer(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  const lbType = props.Type ?? 'application';
  if (lbType !== 'application' && lbType !== 'network') {
    estimator.add(id, type, `Load balancer (${String(lbType)})`, 1, 'load balancer', 0, [
      `load balancer type ${show(lbType)} is not priced by this report`,
    ]);
    return;
  }
  const name = lbType === 'application' ? 'Application Load Balancer' : 'Network Load Balancer';
  estimator.hourly(id, type, name, 1, 'load balancer', lbType === 'application' ? PRICES.albHour : PRICES.nlbHour);

  const scheme = props.Scheme ?? 'internet-facing';
  if (scheme !== 'internet-facing' || props.IpAddressType === 'dualstack-without-public-ipv4') {
    return;
  }
  const notes: string[] = [];
  let addresses: number;
  if (Array.isArray(props.SubnetMappings)) {
    // a mapping with an Elastic IP uses that address, which is priced as the EIP itself
    addresses = props.SubnetMappings.filter((m: any) => !isObject(m) || m.AllocationId === undefined).length;
  } else if (Array.isArray(props.Subnets)) {
    addresses = props.Subnets.length;
  } else {
    addresses = ASSUMED_AZS;
    notes.push(`its subnets are not known at synth: assumed ${ASSUMED_AZS} Availability Zones`);
  }
  notes.push('one address per Availability Zone at idle; the load balancer adds addresses when it scales out');
  if (addresses > 0) {
    estimator.hourly(
      id,
      type,
      'Public IPv4 addresses of the load balancer',
      addresses,
      'address',
      PRICES.publicIpv4Hour,
      notes,
    );
  }
}

/** Prices an interface endpoint per Availability Zone; gateway endpoints are free. */
function vpcEndpoint(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  if (props.VpcEndpointType !== 'Interface') {
    return; // gateway endpoints (S3, DynamoDB) are free
  }
  if (Array.isArray(props.SubnetIds)) {
    estimator.hourly(
      id,
      type,
      'Interface VPC endpoint',
      props.SubnetIds.length,
      'endpoint-AZ',
      PRICES.interfaceEndpointAzHour,
      ['one endpoint network interface per subnet (Availability Zone)'],
    );
  } else {
    estimator.hourly(id, type, 'Interface VPC endpoint', ASSUMED_AZS, 'endpoint-AZ', PRICES.interfaceEndpointAzHour, [
      `its subnets are not known at synth: assumed ${ASSUMED_AZS} Availability Zones`,
    ]);
  }
}
