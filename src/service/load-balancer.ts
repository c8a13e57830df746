import { Annotations, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { createHostRecords, HostRecordForm, HostTarget } from './host-record';
import type { PizzaDatabase } from '../database/pizza-database';
import type { PizzaDns } from '../dns/pizza-dns';
import type { PizzaLoadBalancer } from '../load-balancer/pizza-load-balancer';
import { addListeners, createInternetLoadBalancer } from '../shared/load-balancer';

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

/** The service's tasks as the load balancer sees them. */
interface TargetOptions {
  readonly vpc: ec2.IVpc;
  readonly service: ecs.FargateService;
  readonly containerPort: number;
  readonly healthCheckPath?: string;
  readonly database?: PizzaDatabase;
}

/**
 * Creates, in `scope` (id `TargetGroup`, or `id`), the target group of the service's tasks, with its health check.
 */
function createTargetGroup(scope: Construct, options: TargetOptions, id = 'TargetGroup'): elbv2.ApplicationTargetGroup {
  return new elbv2.ApplicationTargetGroup(scope, id, {
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
  /** The form of the host record. */
  readonly hostRecordForm: HostRecordForm;
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
  const loadBalancer = createInternetLoadBalancer(scope, options);
  const targetGroup = createTargetGroup(scope, options);

  const { listener, redirectListener } = addListeners(
    loadBalancer,
    dns && hostname ? dns.certificate : undefined,
    elbv2.ListenerAction.forward([targetGroup]),
  );
  if (dns && hostname) {
    createHostRecords(scope, dns, hostname, options.hostRecordForm, loadBalancerTarget(loadBalancer));
    return { loadBalancer, targetGroup, listener, redirectListener, domainName: hostname, url: `https://${hostname}` };
  }

  const domainName = loadBalancer.loadBalancerDnsName;
  const url = `http://${loadBalancer.loadBalancerDnsName}`;
  Annotations.of(scope).addWarningV2(
    'pizza-constructs:service-no-https',
    'PizzaService has no `dns`, so it serves plain HTTP on the load balancer name (no certificate can be issued ' +
      'for it): browsers block calls from an HTTPS frontend to it. Pass a PizzaDns for HTTPS.',
  );
  return { loadBalancer, targetGroup, listener, domainName, url };
}

/** Where a host record of `loadBalancer` points. */
function loadBalancerTarget(loadBalancer: elbv2.ApplicationLoadBalancer): HostTarget {
  return {
    alias: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
    domainName: loadBalancer.loadBalancerDnsName,
  };
}

/** How a service joins a shared `PizzaLoadBalancer`. */
export interface SharedLoadBalancerOptions extends TargetOptions {
  readonly shared: PizzaLoadBalancer;
  readonly dns: PizzaDns;
  readonly hostname: string;
  readonly hostRecordForm: HostRecordForm;
}

/**
 * Joins the service to a shared load balancer: in `scope`, its target group, a listener rule for its host (and its
 * domain's certificate on the listener when that is not the load balancer's own), and its host record.
 *
 * The target group's id is `SharedTargetGroup`, not the `TargetGroup` of a service's own load balancer: an ALB target
 * group belongs to one load balancer, and CloudFormation creates the new listener rule before it deletes the old
 * listener, so a target group that kept its logical id across a move onto (or off) a shared load balancer would
 * be refused (TargetGroupAssociationLimit). With its own id the move is a new target group, which ECS moves the
 * tasks to in a rolling update, and the old one goes in the cleanup.
 */
export function attachToSharedLoadBalancer(scope: Construct, options: SharedLoadBalancerOptions): ServiceLoadBalancer {
  const { shared, dns, hostname } = options;
  const targetGroup = createTargetGroup(scope, options, 'SharedTargetGroup');
  if (shared.dns && shared.dns !== dns) {
    new elbv2.ApplicationListenerCertificate(scope, 'ListenerCertificate', {
      listener: shared.listener,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(dns.certificate)],
    });
  }
  new elbv2.ApplicationListenerRule(scope, 'ListenerRule', {
    listener: shared.listener,
    priority: shared._claimHost(hostname, scope.node.path),
    conditions: [elbv2.ListenerCondition.hostHeaders([hostname])],
    targetGroups: [targetGroup],
  });
  createHostRecords(scope, dns, hostname, options.hostRecordForm, loadBalancerTarget(shared.loadBalancer));
  return {
    loadBalancer: shared.loadBalancer,
    targetGroup,
    listener: shared.listener,
    redirectListener: shared.redirectListener,
    domainName: hostname,
    url: `${shared.protocol}://${hostname}`,
  };
}
