import { writeFileSync } from 'fs';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { nagFindings } from './nag';
import { PizzaDns } from '../src';

/** The test account and regions: placeholders, never a real account. */
export const TEST_ACCOUNT = '123456789012';
export const TEST_DOMAIN = 'integ.example.com';
export const TEST_HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';

/**
 * The domain and hosted zone an integ scenario uses. A user with an AWS account deploys a scenario against their
 * own zone with `-c domainName=... -c hostedZoneId=...`; the committed snapshots use the placeholders.
 */
export function integDomain(app: App): { domainName: string; hostedZoneId: string } {
  return {
    domainName: app.node.tryGetContext('domainName') ?? TEST_DOMAIN,
    hostedZoneId: app.node.tryGetContext('hostedZoneId') ?? TEST_HOSTED_ZONE_ID,
  };
}

/**
 * Synthesize an integ app, then run cdk-nag AwsSolutions over its test stacks. Any unacknowledged finding fails the
 * app (and so `integ-runner`); with `PIZZA_NAG_REPORT` set the findings are also written there for the jest test.
 */
export function synthIntegApp(app: App, testStacks: Stack[]): void {
  app.synth();
  const findings = testStacks.flatMap((s) => nagFindings(s));
  const reportFile = process.env.PIZZA_NAG_REPORT;
  if (reportFile) {
    writeFileSync(reportFile, JSON.stringify({ stacks: testStacks.map((s) => s.stackName), findings }, undefined, 2));
  }
  if (findings.length > 0) {
    for (const f of findings) {
      process.stderr.write(`cdk-nag ${f.severity}: ${f.rule} at ${f.path}\n`);
    }
    throw new Error(`cdk-nag AwsSolutions: ${findings.length} unacknowledged finding(s)`);
  }
}

/**
 * One PizzaDns scenario as an integ app (one test case per app: integ-runner reads one integ.json per app, and each
 * `IntegTest` writes its own): a stack `PizzaDnsInteg-<name>` in `region`, with the zone imported (`createZone`
 * false) or created as `created.DOMAIN` and delegated from the imported zone, so that its certificates validate. The
 * assertion checks, in the stack's region, that the regional certificate was issued.
 */
export function dnsIntegApp(name: string, region: string, createZone: boolean): void {
  const app = new App();
  const { domainName, hostedZoneId } = integDomain(app);
  const stack = new Stack(app, `PizzaDnsInteg-${name}`, { env: { account: TEST_ACCOUNT, region } });
  const imported = { hostedZoneId, zoneName: domainName };
  const dns = createZone
    ? new PizzaDns(stack, 'Dns', { domainName: `created.${domainName}` })
    : new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
  if (dns.createdHostedZone) {
    new route53.ZoneDelegationRecord(stack, 'Delegation', {
      zone: route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'ParentZone', imported),
      recordName: 'created',
      nameServers: dns.createdHostedZone.hostedZoneNameServers!,
    });
  }
  new CfnOutput(stack, 'ServiceHostname', { value: dns.fqdn('pizza-service') });
  new CfnOutput(stack, 'CertificateArn', { value: dns.certificate.certificateArn });
  new CfnOutput(stack, 'CloudFrontCertificateArn', { value: dns.cloudFrontCertificate.certificateArn });

  // the assertions run in the test stack's own region, where its regional certificate lives
  const assertionStack = new Stack(app, `${stack.stackName}-Assertions`, { env: { account: TEST_ACCOUNT, region } });
  const integ = new IntegTest(app, `PizzaDnsTest-${name}`, { testCases: [stack], assertionStack });
  integ.assertions
    .awsApiCall('ACM', 'describeCertificate', { CertificateArn: dns.certificate.certificateArn })
    .expect(ExpectedResult.objectLike({ Certificate: { Status: 'ISSUED' } }));
  synthIntegApp(app, [stack]);
}
