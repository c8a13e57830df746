import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag';

/*
 * An internet-facing JWT Pizza load balancer, as both a service's own (src/service) and a shared `PizzaLoadBalancer`
 * (src/load-balancer) build it: its security group, the load balancer, its listeners and its accepted cdk-nag
 * findings.
 */

/**
 * Creates, in `scope`, the load balancer's security group: HTTP (and HTTPS with a `certificate`, the domain's) in
 * from anywhere, over IPv6 too when `dualStack`; out only to the tasks (the rule comes with the target group).
 */
export function createLoadBalancerSecurityGroup(
  scope: Construct,
  vpc: ec2.IVpc,
  certificate: acm.ICertificate | undefined,
  dualStack: boolean,
): ec2.SecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
    vpc,
    description: 'JWT Pizza load balancer: HTTP(S) from anywhere, to the service tasks only',
    allowAllOutbound: false,
  });
  const servicePorts = certificate ? [443, 80] : [80];
  for (const port of servicePorts) {
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv4`);
    if (dualStack) {
      securityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv6`);
    }
  }
  return securityGroup;
}

/** Where an internet-facing load balancer goes. */
export interface InternetLoadBalancerOptions {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly dualStack: boolean;
}

/** Creates, in `scope` (id `LoadBalancer`), an internet-facing ALB that drops invalid header fields. */
export function createInternetLoadBalancer(
  scope: Construct,
  options: InternetLoadBalancerOptions,
): elbv2.ApplicationLoadBalancer {
  return new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    internetFacing: true,
    securityGroup: options.securityGroup,
    ipAddressType: options.dualStack ? elbv2.IpAddressType.DUAL_STACK : elbv2.IpAddressType.IPV4,
    dropInvalidHeaderFields: true,
  });
}

/**
 * Adds a JWT Pizza load balancer's listeners: with a `certificate` (the domain's), HTTPS on 443 (that certificate,
 * the TLS 1.3 policy) with `defaultAction` and port 80 redirecting to it; without, plain HTTP on 80 with
 * `defaultAction`. The security group rules come from the load balancer's own group (`open: false`).
 */
export function addListeners(
  loadBalancer: elbv2.ApplicationLoadBalancer,
  certificate: acm.ICertificate | undefined,
  defaultAction: elbv2.ListenerAction,
): { listener: elbv2.ApplicationListener; redirectListener?: elbv2.ApplicationListener } {
  if (!certificate) {
    return {
      listener: loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction,
        open: false,
      }),
    };
  }
  const listener = loadBalancer.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    defaultAction,
    open: false,
  });
  const redirectListener = loadBalancer.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    open: false,
  });
  return { listener, redirectListener };
}

/** Acknowledges the findings an internet-facing JWT Pizza load balancer (a service's own, or shared) accepts. */
export function acknowledgeLoadBalancerNag(
  loadBalancer: elbv2.ApplicationLoadBalancer,
  securityGroup: ec2.SecurityGroup,
): void {
  acknowledgeNag(loadBalancer, [
    {
      id: 'AwsSolutions-ELB2',
      reason:
        'Access logs need a log bucket with its own lifecycle and teardown; the course reads service logs and ' +
        'load balancer metrics instead. Enable them with `service.loadBalancer.logAccessLogs(bucket)`.',
    },
  ]);
  acknowledgeNag(securityGroup, [
    {
      id: 'AwsSolutions-EC23',
      reason:
        'The load balancer of a public website: its security group admits only HTTP(S) from anywhere; the tasks ' +
        'admit only the load balancer.',
    },
  ]);
}
