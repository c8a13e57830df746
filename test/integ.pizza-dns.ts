/**
 * PizzaDns in the course region (us-east-1: one certificate serves CloudFront and the ALB) and in us-east-2 (a
 * regional certificate plus a us-east-1 one requested by the construct's custom resource).
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertions check that both
 * certificates were issued.
 *
 * A third stack creates its own hosted zone (with the cleanup of validation records that lets the zone be deleted).
 * It is synthesized, linted and checked by cdk-nag with the others, but not deployed: its certificates would wait
 * for a registrar to delegate the domain to the new zone.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);

const stacks = ['us-east-1', 'us-east-2'].map((region) => {
  const stack = new Stack(app, `PizzaDnsInteg-${region}`, { env: { account: TEST_ACCOUNT, region } });
  const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
  new CfnOutput(stack, 'ServiceHostname', { value: dns.fqdn('pizza-service') });
  new CfnOutput(stack, 'CertificateArn', { value: dns.certificate.certificateArn });
  new CfnOutput(stack, 'CloudFrontCertificateArn', { value: dns.cloudFrontCertificate.certificateArn });
  return { stack, dns };
});

const createdZone = new Stack(app, 'PizzaDnsInteg-created-zone', {
  env: { account: TEST_ACCOUNT, region: 'us-east-2' },
});
new PizzaDns(createdZone, 'Dns', { domainName: `created.${domainName}` });

for (const { stack, dns } of stacks) {
  // the assertions run in the test stack's own region, where its regional certificate lives
  const assertionStack = new Stack(app, `${stack.stackName}-Assertions`, {
    env: { account: stack.account, region: stack.region },
  });
  const integ = new IntegTest(app, `PizzaDnsTest-${stack.region}`, { testCases: [stack], assertionStack });
  integ.assertions
    .awsApiCall('ACM', 'describeCertificate', { CertificateArn: dns.certificate.certificateArn })
    .expect(ExpectedResult.objectLike({ Certificate: { Status: 'ISSUED' } }));
}

synthIntegApp(app, [...stacks.map((s) => s.stack), createdZone]);
