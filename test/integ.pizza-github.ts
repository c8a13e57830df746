/**
 * PizzaGitHubDeployRole for a frontend and a service on one domain, trusting `main` and the `production`
 * environment of the course repositories, with the OIDC provider created (an account that never had one).
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...` (and `-c createOidcProvider=false`
 * if your account already has GitHub's provider). The assertions read the deployed role back: GitHub's provider is
 * its only principal, and the stack carries the outputs the workflows read.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaGitHubInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
const service = new PizzaService(stack, 'Service', { dns });
const frontend = new PizzaFrontend(stack, 'Frontend', {
  dns,
  serviceUrl: service.url,
  removalPolicy: RemovalPolicy.DESTROY,
});
const github = new PizzaGitHubDeployRole(stack, 'GitHub', {
  owner: 'example-student',
  frontend,
  service,
  createOidcProvider: app.node.tryGetContext('createOidcProvider') !== 'false',
});

const assertionStack = new Stack(app, 'PizzaGitHubInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaGitHubTest', { testCases: [stack], assertionStack });

integ.assertions
  .awsApiCall('IAM', 'getRole', { RoleName: github.role.roleName })
  .expect(ExpectedResult.objectLike({ Role: { MaxSessionDuration: 3600 } }));
integ.assertions.awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName }).expect(
  ExpectedResult.objectLike({
    Stacks: Match.arrayWith([
      Match.objectLike({
        Outputs: Match.arrayWith([
          Match.objectLike({ OutputKey: 'GitHubRoleArn' }),
          Match.objectLike({ OutputKey: 'GitHubRepositoryUri' }),
        ]),
      }),
    ]),
  }),
);

synthIntegApp(app, [stack]);
