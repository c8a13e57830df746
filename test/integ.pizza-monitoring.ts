/**
 * PizzaMonitoring over the course architecture in us-east-1: a service (a public nginx image that answers 200 on
 * `/`, health-checked on `/`), its database and the frontend, with the alarms sent to an email address.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertions are what a user
 * checks after a deploy: the service's 5xx alarm exists and is OK (no traffic is no failure), and the service's
 * deployments are wired to roll back on its alarms.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaMonitoring, PizzaService } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaMonitoringInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
const database = new PizzaDatabase(stack, 'Database', { removalPolicy: RemovalPolicy.DESTROY });
const service = new PizzaService(stack, 'Service', {
  dns,
  database,
  healthCheckPath: '/',
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
  factoryApiKeySecretName: 'pizza/factory-api-key',
});
const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });
const monitoring = new PizzaMonitoring(stack, 'Monitoring', {
  frontend,
  service,
  database,
  alarmEmail: 'alarms@example.com',
});

const assertionStack = new Stack(app, 'PizzaMonitoringInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaMonitoringTest', { testCases: [stack], assertionStack });
integ.assertions
  .awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [monitoring.alarm('ServiceTarget5xx')!.alarmName] })
  .expect(ExpectedResult.objectLike({ MetricAlarms: [Match.objectLike({ StateValue: 'OK' })] }))
  .waitForAssertions();
integ.assertions
  .awsApiCall('ECS', 'describeServices', {
    cluster: service.cluster.clusterName,
    services: [service.service.serviceName],
  })
  .expect(
    ExpectedResult.objectLike({
      services: [
        Match.objectLike({
          deploymentConfiguration: Match.objectLike({ alarms: Match.objectLike({ enable: true, rollback: true }) }),
        }),
      ],
    }),
  );

synthIntegApp(app, [stack]);
