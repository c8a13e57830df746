/**
 * A paused JWT Pizza deployment: the service with no load balancer and no task, the database stopped (and kept
 * stopped), and pizza-service.DOMAIN answering 503 with a JSON message from CloudFront.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`; deploy again with
 * `-c paused=false` to resume. The assertions are what a user checks while paused: the service's host answers 503
 * with the paused message, and the database instance is stopping or stopped, not deleted. The database keeps the
 * default removal policy (a final snapshot), so the test's destroy is the one a user's `cdk destroy` of a paused
 * stack makes: the instance is started and awaited before CloudFormation deletes it.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDatabase, PizzaDns, PizzaService } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const paused = app.node.tryGetContext('paused') !== 'false';
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaPausedInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
// the default SNAPSHOT policy, as a real database keeps it: the destroy of this paused stack starts the instance for
// its final snapshot (delete that snapshot afterwards: `aws rds delete-db-snapshot`)
const database = new PizzaDatabase(stack, 'Database', { paused });
const service = new PizzaService(stack, 'Service', { dns, database, paused });
new CfnOutput(stack, 'Url', { value: service.url });

const assertionStack = new Stack(app, 'PizzaPausedInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaPausedTest', { testCases: [stack], assertionStack });
integ.assertions
  .httpApiCall(`${service.url}/api/order/menu`)
  .expect(ExpectedResult.objectLike({ status: 503, body: { message: Match.stringLikeRegexp('paused') } }));
integ.assertions
  .awsApiCall('RDS', 'describeDBInstances', { DBInstanceIdentifier: database.instance.instanceIdentifier })
  .expect(
    ExpectedResult.objectLike({
      DBInstances: Match.arrayWith([Match.objectLike({ DBInstanceStatus: Match.stringLikeRegexp('^stop') })]),
    }),
  );

synthIntegApp(app, [stack]);
