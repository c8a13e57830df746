/**
 * PizzaDatabase in its own stack and a PizzaService in another, as the course would run them so that the service
 * stack (the expensive part) can be destroyed and redeployed while the data stays.
 *
 * The service runs a public image that answers 200 on `/` (nginx) with the database's environment; it has no `dns`,
 * so it is served over HTTP on the load balancer's name. The assertions are what a user checks after a deploy: the
 * service answers 200, and the database is available, encrypted and not publicly accessible.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDatabase, PizzaService } from '../src';

const app = new App();
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const dataStack = new Stack(app, 'PizzaDatabaseInteg-Data', { env });
// the test leaves nothing behind; a real database keeps the default SNAPSHOT policy
const database = new PizzaDatabase(dataStack, 'Database', { removalPolicy: RemovalPolicy.DESTROY });
new CfnOutput(dataStack, 'DatabaseEndpoint', { value: database.endpoint });
new CfnOutput(dataStack, 'DatabaseSecretArn', { value: database.secret.secretArn });

const serviceStack = new Stack(app, 'PizzaDatabaseInteg-Service', { env });
const service = new PizzaService(serviceStack, 'Service', {
  database,
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
});
new CfnOutput(serviceStack, 'Url', { value: service.url });

const assertionStack = new Stack(app, 'PizzaDatabaseInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaDatabaseTest', { testCases: [dataStack, serviceStack], assertionStack });

integ.assertions.httpApiCall(`${service.url}/`).expect(ExpectedResult.objectLike({ status: 200 }));

integ.assertions
  .awsApiCall('RDS', 'describeDBInstances', { DBInstanceIdentifier: database.instance.instanceIdentifier })
  .expect(
    ExpectedResult.objectLike({
      DBInstances: Match.arrayWith([
        Match.objectLike({
          DBInstanceStatus: 'available',
          Engine: 'mysql',
          PubliclyAccessible: false,
          StorageEncrypted: true,
        }),
      ]),
    }),
  );

synthIntegApp(app, [dataStack, serviceStack]);
