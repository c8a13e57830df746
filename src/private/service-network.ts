import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PizzaDatabase } from '../pizza-database';

/** VPCs this library created (dual-stack, public + isolated subnets): the load balancer can then be dual-stack. */
const leanVpcs = new WeakSet<ec2.IVpc>();

/**
 * The cheapest VPC that runs the course architecture with nothing avoidable on the bill:
 *
 * - 2 availability zones (an ALB and an RDS subnet group both need two);
 * - public subnets for the load balancer and the tasks (tasks get public IPs and reach ECR, the pizza factory and
 *   Grafana through the internet gateway), isolated subnets for the database;
 * - no NAT gateway, no Elastic IP, no interface endpoint (each would cost more per month than the tasks);
 * - dual-stack (IPv6 is free), so the load balancer can answer AAAA queries;
 * - a flow log of rejected traffic into a log group kept one month (a few cents a month), removed with the stack;
 * - the default security group left as EC2 creates it (restricting it needs a custom resource; nothing uses it).
 */
export function createLeanVpc(scope: Construct, id: string): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const flowLogs = new logs.LogGroup(vpc, 'FlowLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  vpc.addFlowLog('RejectedTraffic', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
    trafficType: ec2.FlowLogTrafficType.REJECT,
  });
  leanVpcs.add(vpc);
  return vpc;
}

/** True when `vpc` was made by `createLeanVpc` (so its public subnets have IPv6). */
export function isLeanVpc(vpc: ec2.IVpc): boolean {
  return leanVpcs.has(vpc);
}

/**
 * The VPC a service runs in: `vpc`, else the database's, else a lean VPC created in `scope` (id `Vpc`). Throws when
 * it has no public subnets.
 */
export function serviceVpc(scope: Construct, vpc: ec2.IVpc | undefined, database: PizzaDatabase | undefined): ec2.IVpc {
  const chosen = vpc ?? database?.vpc ?? createLeanVpc(scope, 'Vpc');
  if (chosen.publicSubnets.length === 0) {
    throw new Error(
      '`vpc` has no public subnets: PizzaService puts its load balancer and its tasks (with public IPs, as no ' +
        'NAT gateway is used) in public subnets',
    );
  }
  return chosen;
}

/**
 * Lets the service's tasks reach `database` on its port, and orders the deploy around a pause:
 *
 * - normally (and on resume) the service depends on the database's pause resource, so a resume starts the database
 *   and waits for it before the tasks that need it come back;
 * - when both are paused and in one stack, the other way round: the service goes to zero tasks before the database
 *   stops, so no task fails its health check against a stopped database in between;
 * - when both are paused in two stacks, the database's stack deploys first whatever the order in code (the service's
 *   imports from it): a synth-time note gives the two deploys that pause in the right order.
 */
export function connectDatabase(
  service: ecs.FargateService,
  serviceSecurityGroup: ec2.ISecurityGroup,
  database: PizzaDatabase,
  paused: boolean,
): void {
  allowDatabaseAccess(service, serviceSecurityGroup, database);
  if (paused && database.paused && Stack.of(service) === Stack.of(database)) {
    database.pause.node.addDependency(service);
  } else {
    service.node.addDependency(database.pause);
  }
  if (paused && database.paused && Stack.of(service) !== Stack.of(database)) {
    // across stacks the order cannot be reversed: the service's stack imports from the database's, which deploys first
    const compute = Stack.of(service).stackName;
    const data = Stack.of(database).stackName;
    Annotations.of(service).addInfo(
      `The service and its database are paused in two stacks. \`cdk deploy --all\` deploys ${data} first (${compute} ` +
        `imports from it): the database stops while the service's tasks still run, and they fail their health checks ` +
        `until ${compute} scales them to zero. Pause the service first, then the database: \`cdk deploy ${compute} ` +
        `--exclusively\` with the service paused, then \`cdk deploy --all\`. A resume (\`cdk deploy --all\`) is in ` +
        'the right order already: the database starts before the tasks come back.',
    );
  }
}

/** Lets the service's tasks reach `database` on its port. */
function allowDatabaseAccess(
  service: ecs.FargateService,
  serviceSecurityGroup: ec2.ISecurityGroup,
  database: PizzaDatabase,
): void {
  // allowTo (not the database's allowFrom): with the database in another stack the rule is then created in
  // this stack, which already depends on the database's; a literal port exports nothing a restore would change
  service.connections.allowTo(database, ec2.Port.tcp(database.port), 'JWT Pizza service tasks');
  // the tasks already reach everything outbound, so the egress half of that rule is rightly skipped
  Annotations.of(serviceSecurityGroup).acknowledgeWarning(
    '@aws-cdk/aws-ec2:ipv4IgnoreEgressRule',
    'the task security group allows all outbound traffic (ECR, the pizza factory, metrics); only the ingress rule on the database matters',
  );
}
