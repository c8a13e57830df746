import { Annotations, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { PizzaDatabase } from '../pizza-database';
import type { PizzaDns } from '../pizza-dns';

/**
 * The health check of a service with a database: the menu, one SELECT. The upstream service answers `/` with 200
 * even when its database never initialised, and never retries that initialisation.
 */
const DATABASE_HEALTH_CHECK_PATH = '/api/order/menu';

/**
 * Target group timing. The modelled rollout overhead per deploy is HEALTH_CHECK_INTERVAL × HEALTHY_THRESHOLD (a new
 * task's first passing verdict) + DEREGISTRATION_DELAY (draining an old one): 5 s × 2 + 10 s = 20 s.
 */
const HEALTH_CHECK_INTERVAL = Duration.seconds(5);
const HEALTH_CHECK_TIMEOUT = Duration.seconds(4);
const HEALTHY_THRESHOLD = 2;
const UNHEALTHY_THRESHOLD = 3;
const DEREGISTRATION_DELAY = Duration.seconds(10);

/**
 * Creates, in `scope`, the load balancer's security group: HTTP (and HTTPS with `dns`) in from anywhere, over IPv6
 * too when `dualStack`; out only to the tasks (the rule comes with the target group).
 */
export function createLoadBalancerSecurityGroup(
  scope: Construct,
  vpc: ec2.IVpc,
  dns: PizzaDns | undefined,
  dualStack: boolean,
): ec2.SecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
    vpc,
    description: 'JWT Pizza load balancer: HTTP(S) from anywhere, to the service tasks only',
    allowAllOutbound: false,
  });
  const servicePorts = dns ? [443, 80] : [80];
  for (const port of servicePorts) {
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv4`);
    if (dualStack) {
      securityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv6`);
    }
  }
  return securityGroup;
}

/** Where and how the load balancer serves the service. */
export interface ServiceLoadBalancerOptions {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly dualStack: boolean;
  /** The service whose tasks the target group holds. */
  readonly service: ecs.FargateService;
  readonly containerPort: number;
  /** The `healthCheckPath` prop, if given. */
  readonly healthCheckPath?: string;
  /** The service's database, if any (it changes the default health check). */
  readonly database?: PizzaDatabase;
  /** With `hostname`: serve HTTPS there, with alias records and HTTP redirecting to HTTPS. */
  readonly dns?: PizzaDns;
  readonly hostname?: string;
}

/** The load balancer wiring, as `PizzaService` exposes it. */
export interface ServiceLoadBalancer {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly listener: elbv2.ApplicationListener;
  readonly redirectListener?: elbv2.ApplicationListener;
  readonly domainName: string;
  readonly url: string;
}

/**
 * Creates, in `scope`, the internet-facing load balancer, the target group of the service's tasks with its health
 * check, and the listeners: HTTPS on 443 with alias records and 80 redirecting to it with `dns`, else plain HTTP on
 * 80 (with a warning).
 */
export function createServiceLoadBalancer(scope: Construct, options: ServiceLoadBalancerOptions): ServiceLoadBalancer {
  const { dns, hostname } = options;
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    internetFacing: true,
    securityGroup: options.securityGroup,
    ipAddressType: options.dualStack ? elbv2.IpAddressType.DUAL_STACK : elbv2.IpAddressType.IPV4,
    dropInvalidHeaderFields: true,
  });
  const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'TargetGroup', {
    vpc: options.vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: options.containerPort,
    deregistrationDelay: DEREGISTRATION_DELAY,
    healthCheck: {
      path: options.healthCheckPath ?? (options.database ? DATABASE_HEALTH_CHECK_PATH : '/'),
      protocol: elbv2.Protocol.HTTP,
      interval: HEALTH_CHECK_INTERVAL,
      timeout: HEALTH_CHECK_TIMEOUT,
      healthyThresholdCount: HEALTHY_THRESHOLD,
      unhealthyThresholdCount: UNHEALTHY_THRESHOLD,
      healthyHttpCodes: '200',
    },
    targets: [options.service],
  });

  if (dns && hostname) {
    const listener = loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(dns.certificate)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [targetGroup],
      open: false,
    });
    const redirectListener = loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      open: false,
    });
    const target = route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer));
    new route53.ARecord(scope, 'AliasRecord', { zone: dns.hostedZone, recordName: hostname, target });
    new route53.AaaaRecord(scope, 'AliasRecordIpv6', { zone: dns.hostedZone, recordName: hostname, target });
    return { loadBalancer, targetGroup, listener, redirectListener, domainName: hostname, url: `https://${hostname}` };
  }

  const listener = loadBalancer.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    defaultTargetGroups: [targetGroup],
    open: false,
  });
  const domainName = loadBalancer.loadBalancerDnsName;
  const url = `http://${loadBalancer.loadBalancerDnsName}`;
  Annotations.of(scope).addWarningV2(
    'pizza-constructs:service-no-https',
    'PizzaService has no `dns`, so it serves plain HTTP on the load balancer name (no certificate can be issued ' +
      'for it): browsers block calls from an HTTPS frontend to it. Pass a PizzaDns for HTTPS.',
  );
  return { loadBalancer, targetGroup, listener, domainName, url };
}
