/**
 * Staging and production on one shared PizzaLoadBalancer: one ALB with host rules for pizza-service.DOMAIN and
 * stage-pizza-service.DOMAIN, each service with its own target group (a public nginx image that answers 200 on `/`).
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertions are what a user
 * checks after a deploy: both hosts answer 200 over HTTPS through the one load balancer, and a host no service
 * claimed gets the load balancer's JSON 404.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns, PizzaLoadBalancer, PizzaService } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaLoadBalancerInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
const production = new PizzaService(stack, 'Production', { dns, loadBalancer, image });
const staging = new PizzaService(stack, 'Staging', { dns, loadBalancer, image, subdomain: 'stage-pizza-service' });
new CfnOutput(stack, 'ProductionUrl', { value: production.url });
new CfnOutput(stack, 'StagingUrl', { value: staging.url });

const assertionStack = new Stack(app, 'PizzaLoadBalancerInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaLoadBalancerTest', { testCases: [stack], assertionStack });
integ.assertions.httpApiCall(`${production.url}/`).expect(ExpectedResult.objectLike({ status: 200 }));
integ.assertions.httpApiCall(`${staging.url}/`).expect(ExpectedResult.objectLike({ status: 200 }));
// the load balancer's own name is no service's host: its default answer
integ.assertions
  .httpApiCall(`https://${loadBalancer.loadBalancer.loadBalancerDnsName}/`)
  .expect(ExpectedResult.objectLike({ status: 404 }));

synthIntegApp(app, [stack]);
