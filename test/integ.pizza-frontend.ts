/**
 * PizzaFrontend on pizza.DOMAIN in the course region, deploying a small built SPA (test/fixtures/spa-dist) and a
 * service URL written to /config.json.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertions are what a user
 * checks after a deploy: `/` and a deep link return the app (200, no-cache), a hashed asset comes with its immutable
 * Cache-Control, a missing asset is a 404 (not the app), and /config.json carries the service URL.
 */
import { join } from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns, PizzaFrontend } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaFrontendInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
const serviceUrl = `https://${dns.fqdn('pizza-service')}`;
const frontend = new PizzaFrontend(stack, 'Frontend', {
  dns,
  source: join(__dirname, 'fixtures', 'spa-dist'),
  serviceUrl,
  removalPolicy: RemovalPolicy.DESTROY,
});
new CfnOutput(stack, 'Url', { value: frontend.url });
new CfnOutput(stack, 'BucketName', { value: frontend.bucket.bucketName });
new CfnOutput(stack, 'DistributionId', { value: frontend.distribution.distributionId });

const assertionStack = new Stack(app, 'PizzaFrontendInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaFrontendTest', { testCases: [stack], assertionStack });

const noCache = { 'cache-control': ['no-cache'] };
integ.assertions.httpApiCall(`${frontend.url}/`).expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
integ.assertions
  .httpApiCall(`${frontend.url}/menu`)
  .expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
integ.assertions.httpApiCall(`${frontend.url}/assets/index-abc123.js`).expect(
  ExpectedResult.objectLike({
    status: 200,
    headers: { 'cache-control': ['public, max-age=31536000, immutable'] },
  }),
);
integ.assertions.httpApiCall(`${frontend.url}/assets/gone.js`).expect(ExpectedResult.objectLike({ status: 404 }));
integ.assertions
  .httpApiCall(`${frontend.url}/config.json`)
  .expect(ExpectedResult.objectLike({ status: 200, body: { serviceUrl } }));

synthIntegApp(app, [stack]);
