import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { HostRecordForm } from './host-record';
import { attachToSharedLoadBalancer, createServiceLoadBalancer, ServiceLoadBalancer } from './load-balancer';
import { createPausedResponder } from './paused';
import type { PizzaDatabase } from '../database/pizza-database';
import type { PizzaDns } from '../dns/pizza-dns';
import type { PizzaLoadBalancer } from '../load-balancer/pizza-load-balancer';

/** What a `PizzaService` answers on, and with what. */
export interface ServiceFrontOptions {
  readonly paused: boolean;
  readonly shared?: PizzaLoadBalancer;
  readonly dns?: PizzaDns;
  readonly hostname?: string;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The service's own load balancer's security group (none when paused or shared). */
  readonly securityGroup?: ec2.ISecurityGroup;
  readonly dualStack: boolean;
  readonly service: ecs.FargateService;
  readonly containerPort: number;
  readonly healthCheckPath?: string;
  readonly database?: PizzaDatabase;
  readonly hostRecordForm: HostRecordForm;
}

/** The service's front: its load balancer wiring, or while paused the distribution that answers 503. */
export interface ServiceFront {
  readonly loadBalancer?: ServiceLoadBalancer;
  readonly pausedDistribution?: cloudfront.Distribution;
  readonly domainName: string;
  readonly url: string;
}

/**
 * Creates, in `scope` (the service), what serves the service, and its outputs (logical ids from the construct path,
 * so two services in one stack never collide):
 *
 * - paused: a CloudFront distribution that answers 503 on `hostname` (validation guarantees `dns`);
 * - on a shared load balancer: a host rule, a target group and the host record (validation guarantees `dns`);
 * - else its own load balancer: HTTPS on `hostname` with `dns`, plain HTTP on the load balancer's name without.
 */
export function createServiceFront(scope: Construct, options: ServiceFrontOptions): ServiceFront {
  const { dns, hostname, shared } = options;
  let front: ServiceFront;
  if (options.paused) {
    // an empty list, not an absent one: CloudFormation leaves the live load balancers of a service alone when the
    // property is absent, and the service would keep pointing at the target group the pause deletes
    (options.service.node.defaultChild as ecs.CfnService).loadBalancers = [];
    front = {
      pausedDistribution: createPausedResponder(scope, dns!, hostname!, options.hostRecordForm),
      domainName: hostname!,
      url: `https://${hostname}`,
    };
  } else {
    const loadBalancer = shared
      ? attachToSharedLoadBalancer(scope, { ...options, shared, dns: dns!, hostname: hostname! })
      : createServiceLoadBalancer(scope, { ...options, securityGroup: options.securityGroup! });
    front = { loadBalancer, domainName: loadBalancer.domainName, url: loadBalancer.url };
  }
  keepCrossStackExports(scope, options);
  new CfnOutput(scope, 'Url', { value: front.url, description: `JWT Pizza service URL (${scope.node.path})` });
  if (front.loadBalancer) {
    new CfnOutput(scope, 'LoadBalancerDnsName', {
      value: front.loadBalancer.loadBalancer.loadBalancerDnsName,
      description: `JWT Pizza service load balancer (${scope.node.path})`,
    });
  }
  return front;
}

/**
 * Keeps, in the stacks of a `PizzaDns` or `PizzaLoadBalancer` that is not the service's, the exports the service
 * imports when running and when paused, whichever it is now. A pause or resume changes what the service imports (a
 * paused service has no listener rule and uses the CloudFront certificate; a running one the listener, the load
 * balancer's security group and name, and the regional certificate); CDK would drop an export no longer imported,
 * and CloudFormation refuses to delete an export that is still in use. The producer's stack deploys first (the
 * service's stack depends on it), so its update would fail while the service's stack still imports the old value
 * ("Removing automatic cross-stack references" in the aws-cdk-lib README). `exportValue` gives each the name of the
 * automatic export, so nothing changes for the stack that imports it.
 */
function keepCrossStackExports(scope: Construct, options: ServiceFrontOptions): void {
  const here = Stack.of(scope);
  const keep = (stack: Stack, values: string[]): void => {
    if (stack === here) {
      return;
    }
    for (const value of new Set(values)) {
      if (Token.isUnresolved(value)) {
        stack.exportValue(value);
      }
    }
  };
  const { dns, shared } = options;
  if (dns && options.hostname) {
    keep(Stack.of(dns), [dns.certificate.certificateArn, dns.cloudFrontCertificate.certificateArn]);
  }
  if (shared) {
    keep(Stack.of(shared), [
      shared.listener.listenerArn,
      shared.securityGroup.securityGroupId,
      shared.loadBalancer.loadBalancerDnsName,
      shared.loadBalancer.loadBalancerCanonicalHostedZoneId,
    ]);
  }
}
