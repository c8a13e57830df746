import { createHash } from 'crypto';
import { ArnFormat, CfnDeletionPolicy, CfnResource, CustomResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { LibraryHandler } from '../shared/library-handler';
import { acknowledgeNag, nagResourceText } from '../shared/nag';
import { PAUSE_RESOURCE_TYPE } from '../shared/resource-types';

/**
 * The pause handler waits for RDS (a start or a stop takes minutes): its function may run the 15 minutes Lambda
 * allows, and CloudFormation waits as long for its answer (the handler answers within 12 minutes of starting).
 */
const PAUSE_HANDLER_TIMEOUT = Duration.minutes(15);
const PAUSE_SERVICE_TIMEOUT = Duration.minutes(15);

/** How often the keeper checks a paused instance, besides RDS's start events (which are best effort). */
const KEEPER_SCHEDULE = Duration.hours(6);

/**
 * The RDS events that start a paused instance's keeper: the instance "is being started because it exceeded the
 * maximum allowed time being stopped" (seven days), and "has been started".
 */
const RDS_START_EVENTS = ['RDS-EVENT-0154', 'RDS-EVENT-0088'];

/**
 * What shows a change of the instance, for the wake and the pause resources (the instance resource itself is the
 * same paused and running):
 *
 * - `digest`: a digest of the instance's rendered properties (resolved at synth, so every change of the instance
 *   changes it, whatever prop or library default caused it);
 * - `references`: the references in those properties (a security group's id, the subnet group, a parameter's
 *   value...), left for CloudFormation to resolve: a referenced value that changes modifies the instance without
 *   changing the digest, and changes these. A dynamic reference (the generated password, `{{resolve:...}}`) is left
 *   out, so that no secret reaches a handler's event.
 *
 * Both come from one resolution of the instance's properties, and both resources get the same two tokens.
 */
export interface InstanceChange {
  readonly digest: string;
  readonly references: unknown;
}

export function instanceChange(instance: rds.DatabaseInstanceBase): InstanceChange {
  const cfn = instance.node.defaultChild as CfnResource;
  let rendered: unknown;
  const properties = (): unknown => {
    if (rendered === undefined) {
      const template = Stack.of(instance).resolve(
        (
          cfn as unknown as { _toCloudFormation(): { Resources: Record<string, { Properties?: unknown }> } }
        )._toCloudFormation(),
      );
      const [resource] = Object.values(template.Resources as Record<string, { Properties?: unknown }>);
      rendered = resource.Properties ?? {};
    }
    return rendered;
  };
  return {
    digest: Lazy.string({
      produce: () => createHash('sha256').update(JSON.stringify(properties())).digest('hex').slice(0, 32),
    }),
    references: Lazy.any({ produce: () => referencesIn(properties()) }),
  };
}

/** The `Ref`, `Fn::GetAtt` and `Fn::ImportValue` expressions in `properties`, but none inside a dynamic reference. */
function referencesIn(properties: unknown): unknown[] {
  const found = new Map<string, unknown>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ('Fn::Join' in o && JSON.stringify(o['Fn::Join']).includes('{{resolve:')) {
        return; // a dynamic reference: the password
      }
      if ('Ref' in o || 'Fn::GetAtt' in o || 'Fn::ImportValue' in o) {
        found.set(JSON.stringify(o), o);
      } else {
        Object.values(o).forEach(visit);
      }
    }
  };
  visit(properties);
  return [...found.keys()].sort().map((key) => found.get(key));
}

/**
 * The wake of a PizzaDatabase (see `src/database/handlers/database-wake.ts`): a custom resource the instance depends
 * on, which starts a stopped instance before a deploy changes it (RDS refuses to modify a stopped instance). Its
 * function may only describe and start DB instances: it cannot name the instance (the instance depends on it), so
 * its grant is on the account's instances in the region, and it finds the instance by logical id.
 */
export function wakeBeforeChanges(
  scope: Construct,
  instance: rds.DatabaseInstanceBase,
  change: InstanceChange,
): CustomResource {
  const stack = Stack.of(scope);
  const cfn = instance.node.defaultChild as CfnResource;
  const instances = stack.formatArn({
    service: 'rds',
    resource: 'db',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const wake = new LibraryHandler(scope, 'Wake', {
    handler: 'database-wake',
    description: 'JWT Pizza database: starts a paused instance before a deploy changes it',
    resourceType: 'Custom::PizzaDatabaseWake',
    properties: {
      InstanceLogicalId: cfn.logicalId,
      InstanceProperties: change.digest,
      InstanceReferences: change.references,
      Database: scope.node.path,
    },
    timeout: PAUSE_HANDLER_TIMEOUT,
    serviceTimeout: PAUSE_SERVICE_TIMEOUT,
    statements: [
      new iam.PolicyStatement({
        actions: ['rds:DescribeDBInstances', 'rds:StartDBInstance'],
        resources: [instances],
      }),
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
        resources: [stack.stackId],
      }),
    ],
  });
  acknowledgeNag(wake, [
    {
      id: `AwsSolutions-IAM5[Resource::${nagResourceText(wake, instances)}]`,
      reason:
        'The instance depends on this resource, so its policy cannot name the instance; it may only describe and ' +
        'start DB instances (no stop, modify or delete).',
    },
  ]);
  cfn.node.addDependency(wake.resource);
  return wake.resource;
}

/**
 * The pause of a PizzaDatabase (see `paused`): a custom resource in every template, so that a resumed template is
 * the one never paused and the start happens in the update (before a service that depends on it), not in cleanup.
 * While paused, two rules run the same function as a keeper: on RDS's start events for the instance and every six
 * hours, it stops the instance again. Returns the custom resource.
 */
export function pauseDatabase(
  scope: Construct,
  instance: rds.DatabaseInstanceBase,
  paused: boolean,
  change: InstanceChange,
): CustomResource {
  const cfn = instance.node.defaultChild as CfnResource;
  const pause = new LibraryHandler(scope, 'Pause', {
    handler: 'database-pause',
    description: 'JWT Pizza database: stops the instance while paused, keeps it stopped, starts it on resume',
    resourceType: PAUSE_RESOURCE_TYPE,
    properties: {
      DBInstanceIdentifier: instance.instanceIdentifier,
      Paused: String(paused),
      Database: scope.node.path,
      // a change of the instance updates this resource, which stops the instance again after the wake started it
      InstanceProperties: change.digest,
      InstanceReferences: change.references,
      // RDS takes a final snapshot only of an available instance: a Delete starts it first
      StartBeforeDelete: Lazy.string({
        produce: () => String(cfn.cfnOptions.deletionPolicy === CfnDeletionPolicy.SNAPSHOT),
      }),
    },
    // the keeper acts only while PAUSED is 'true' and the stack is not in the middle of an operation
    environment: {
      PAUSED: String(paused),
      DB_INSTANCE_IDENTIFIER: instance.instanceIdentifier,
      STACK_ID: Stack.of(scope).stackId,
    },
    timeout: PAUSE_HANDLER_TIMEOUT,
    serviceTimeout: PAUSE_SERVICE_TIMEOUT,
    statements: [
      new iam.PolicyStatement({
        actions: ['rds:DescribeDBInstances', 'rds:StartDBInstance', 'rds:StopDBInstance'],
        resources: [instance.instanceArn],
      }),
      // a start refused while the stack rolls back (a pause that failed elsewhere) must not fail the rollback
      new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(scope).stackId] }),
    ],
  });
  if (paused) {
    const keeper = new targets.LambdaFunction(pause.function);
    new events.Rule(scope, 'KeepStopped', {
      description: 'JWT Pizza database: stops the paused instance again when RDS starts it',
      eventPattern: {
        source: ['aws.rds'],
        detailType: ['RDS DB Instance Event'],
        resources: [instance.instanceArn],
        detail: { EventID: RDS_START_EVENTS },
      },
      targets: [keeper],
    });
    new events.Rule(scope, 'KeepStoppedSchedule', {
      description: 'JWT Pizza database: checks that the paused instance is stopped',
      schedule: events.Schedule.rate(KEEPER_SCHEDULE),
      targets: [keeper],
    });
  }
  return pause.resource;
}
