import { writeFileSync } from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { nagFindings } from './nag';

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
