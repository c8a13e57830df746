import { Annotations, CfnOutput, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { PizzaLoadBalancerProps } from './props';
import { PizzaDns } from '../dns/pizza-dns';
import { createLeanVpc, isLeanVpc } from '../shared/lean-vpc';
import {
  acknowledgeLoadBalancerNag,
  addListeners,
  createInternetLoadBalancer,
  createLoadBalancerSecurityGroup,
} from '../shared/load-balancer';
import { show, validatePropsShape } from '../shared/validation';

/** What the load balancer answers for a host no service claimed: the upstream service's own 404. */
const UNKNOWN_HOST_BODY = JSON.stringify({ message: 'unknown endpoint' });

/** Listener rule priorities run from 1 to 50,000; a host's priority is derived from its name (see `_claimHost`). */
const MAX_RULE_PRIORITY = 50_000;

/** A prime above the priority range: the host hash is taken modulo it, then spread over the priorities. */
const HASH_MODULUS = 1_000_003;

/**
 * One internet-facing Application Load Balancer that several `PizzaService`s share (their `loadBalancer` prop),
 * instead of one each: staging and production of the course cost one load balancer and its public IPv4 addresses
 * (about $24 a month) instead of two.
 *
 * - HTTPS on 443 with the `PizzaDns` certificate and the TLS 1.3 policy, and port 80 redirecting to it;
 * - each service adds a host-based listener rule (`pizza-service.DOMAIN`, `stage-pizza-service.DOMAIN`), its own
 *   target group and its own alias records; a host no service claimed gets a JSON 404;
 * - its security group admits HTTP(S) from anywhere and reaches each service's tasks on their port only.
 *
 * @example
 * const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
 * const loadBalancer = new PizzaLoadBalancer(this, 'LoadBalancer', { dns });
 * new PizzaService(this, 'Production', { dns, loadBalancer });
 * new PizzaService(this, 'Staging', { dns, loadBalancer, subdomain: 'stage-pizza-service' });
 */
export class PizzaLoadBalancer extends Construct {
  /** The VPC of the load balancer and of every service on it. */
  public readonly vpc: ec2.IVpc;

  /** The internet-facing Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener the services add their host rules to: HTTPS on 443 with `dns`, HTTP on 80 without. */
  public readonly listener: elbv2.ApplicationListener;

  /** With `dns`, the HTTP listener on 80 that redirects to HTTPS. */
  public readonly redirectListener?: elbv2.ApplicationListener;

  /** The load balancer's security group: HTTP(S) in from anywhere, out to the services' tasks only. */
  public readonly securityGroup: ec2.SecurityGroup;

  /** The domain whose certificate the HTTPS listener serves, if any. */
  public readonly dns?: PizzaDns;

  /** True when the load balancer answers over IPv6 too (in a VPC this library created). */
  public readonly dualStack: boolean;

  /** The hosts of the services on this load balancer, with the construct path of the service that claimed each. */
  private readonly hosts = new Map<string, string>();
  private readonly priorities = new Map<number, string>();

  constructor(scope: Construct, id: string, props: PizzaLoadBalancerProps = {}) {
    super(scope, id);
    validatePropsShape('PizzaLoadBalancer', props, { dns: { kind: PizzaDns }, vpc: { kind: 'object' } });
    this.dns = props.dns;
    this.vpc = props.vpc ?? createLeanVpc(this, 'Vpc');
    if (this.vpc.publicSubnets.length === 0) {
      throw new Error('`vpc` has no public subnets: PizzaLoadBalancer is internet-facing and needs public subnets');
    }
    this.dualStack = isLeanVpc(this.vpc);
    this.securityGroup = createLoadBalancerSecurityGroup(this, this.vpc, props.dns?.certificate, this.dualStack);
    this.loadBalancer = createInternetLoadBalancer(this, {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dualStack: this.dualStack,
    });

    const unknownHost = elbv2.ListenerAction.fixedResponse(404, {
      contentType: 'application/json',
      messageBody: UNKNOWN_HOST_BODY,
    });
    const listeners = addListeners(this.loadBalancer, props.dns?.certificate, unknownHost);
    this.listener = listeners.listener;
    this.redirectListener = listeners.redirectListener;
    if (!props.dns) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:load-balancer-no-https',
        'PizzaLoadBalancer has no `dns`, so its services are served over plain HTTP (no certificate): browsers ' +
          'block calls from an HTTPS frontend to them. Pass a PizzaDns for HTTPS.',
      );
    }

    new CfnOutput(this, 'DnsName', {
      value: this.loadBalancer.loadBalancerDnsName,
      description: `JWT Pizza shared load balancer (${this.node.path})`,
    });
    acknowledgeLoadBalancerNag(this.loadBalancer, this.securityGroup);
  }

  /** The URL scheme the services on this load balancer are served with. */
  public get protocol(): string {
    return this.dns ? 'https' : 'http';
  }

  /**
   * Registers `hostname` for the service at `owner` and returns its listener rule priority.
   *
   * The priority is derived from the host name, not from the order services are added in: reordering services in
   * the code then changes no rule (two rules swapping priorities in one deploy would collide in the load balancer).
   * Two names with the same priority (about one pair in 50,000) are refused.
   *
   * @internal
   */
  public _claimHost(hostname: string, owner: string): number {
    const claimed = this.hosts.get(hostname);
    if (claimed !== undefined) {
      throw new Error(
        `Two services on PizzaLoadBalancer ${this.node.path} have the host ${show(hostname)}: ${claimed} and ` +
          `${owner}. Give each service its own \`subdomain\`.`,
      );
    }
    this.hosts.set(hostname, owner);
    const priority = Token.isUnresolved(hostname) ? this.hosts.size : hostPriority(hostname);
    const taken = this.priorities.get(priority);
    if (taken !== undefined) {
      // not the next free number: that would depend on the order services are added in, and pausing one service
      // would move another's rule onto a priority the old rule still holds during the deploy
      throw new Error(
        `The hosts ${show(taken)} and ${show(hostname)} on PizzaLoadBalancer ${this.node.path} get the same listener ` +
          `rule priority (${priority}, from their names): change one service's \`subdomain\`.`,
      );
    }
    this.priorities.set(priority, hostname);
    return priority;
  }
}

/** A stable listener rule priority from 1 to 50,000 for a host name (a polynomial hash modulo a prime). */
function hostPriority(hostname: string): number {
  let hash = 0;
  for (let i = 0; i < hostname.length; i++) {
    hash = (hash * 31 + hostname.charCodeAt(i)) % HASH_MODULUS;
  }
  return (hash % MAX_RULE_PRIORITY) + 1;
}
