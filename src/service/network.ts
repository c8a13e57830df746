import { Annotations, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { PizzaDatabase } from '../database/pizza-database';
import { createLeanVpc } from '../shared/lean-vpc';

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
