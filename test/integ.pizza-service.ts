/**
 * PizzaService in the course region, two of them in one stack (production and staging side by side):
 *
 * - `Service` on pizza-service.DOMAIN runs a public image that answers 200 on `/` (nginx), behind HTTPS;
 * - `Empty` on stage-pizza-service.DOMAIN runs the construct's own ECR repository, which is empty when the stack is
 *   created: the stack must still reach CREATE_COMPLETE, with the service waiting for its first push.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertions are what a user
 * checks after a deploy: `GET https://pizza-service.DOMAIN/` returns 200, and the empty-repository service exists,
 * ACTIVE, with autoscaling having raised it to one task that starts as soon as CI pushes an image.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns, PizzaService } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaServiceInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });

const service = new PizzaService(stack, 'Service', {
  dns,
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
});
const empty = new PizzaService(stack, 'Empty', { dns, subdomain: 'stage-pizza-service' });

new CfnOutput(stack, 'Url', { value: service.url });
new CfnOutput(stack, 'EmptyUrl', { value: empty.url });
new CfnOutput(stack, 'EmptyRepositoryUri', { value: empty.repository.repositoryUri });
new CfnOutput(stack, 'EmptyCluster', { value: empty.cluster.clusterName });
new CfnOutput(stack, 'EmptyService', { value: empty.service.serviceName });

const assertionStack = new Stack(app, 'PizzaServiceInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaServiceTest', { testCases: [stack], assertionStack });

integ.assertions.httpApiCall(`${service.url}/`).expect(ExpectedResult.objectLike({ status: 200 }));

integ.assertions
  .awsApiCall('ECS', 'describeServices', {
    cluster: empty.cluster.clusterName,
    services: [empty.service.serviceName],
  })
  .expect(
    ExpectedResult.objectLike({
      services: Match.arrayWith([Match.objectLike({ status: 'ACTIVE', desiredCount: 1 })]),
    }),
  )
  .waitForAssertions();

synthIntegApp(app, [stack]);
