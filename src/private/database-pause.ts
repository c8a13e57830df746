import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { LibraryHandler } from './library-handler';

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

/** The template metadata that marks a paused instance (the cost report reads it). */
export const PAUSED_METADATA = 'pizza-constructs:paused';

/**
 * The pause of a PizzaDatabase (see `paused`): a custom resource in every template, so that a resumed template is
 * the one never paused and the start happens in the update (before a service that depends on it), not in cleanup.
 * While paused, two rules run the same function as a keeper: on RDS's start events for the instance and every six
 * hours, it stops the instance again. Returns the custom resource.
 */
export function pauseDatabase(scope: Construct, instance: rds.DatabaseInstanceBase, paused: boolean): CustomResource {
  const pause = new LibraryHandler(scope, 'Pause', {
    handler: 'database-pause',
    description: 'JWT Pizza database: stops the instance while paused, keeps it stopped, starts it on resume',
    resourceType: 'Custom::PizzaDatabasePause',
    properties: {
      DBInstanceIdentifier: instance.instanceIdentifier,
      Paused: String(paused),
      Database: scope.node.path,
    },
    // the keeper acts only while PAUSED is 'true'; on resume the function is updated before the custom resource
    environment: { PAUSED: String(paused), DB_INSTANCE_IDENTIFIER: instance.instanceIdentifier },
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
    (instance.node.defaultChild as rds.CfnDBInstance).addMetadata(PAUSED_METADATA, true);
  }
  return pause.resource;
}
