import { readFileSync } from 'fs';
import { join } from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { nagFindings } from './nag';
import { PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaGitHubOutput, PizzaService } from '../src';

/** The outputs only a frontend with `staging` has (its release pointer and staging URL). */
const STAGING_ONLY = [PizzaGitHubOutput.RELEASE_POINTER_ARN, PizzaGitHubOutput.STAGING_URL];

const ENV = { account: '123456789012', region: 'us-east-1' };
const OIDC_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

function setup(): { stack: Stack; frontend: PizzaFrontend; service: PizzaService } {
  const stack = new Stack(new App(), 'Test', { env: ENV });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const service = new PizzaService(stack, 'Service', { dns });
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns });
  return { stack, frontend, service };
}

/** The role's trust policy and the statements of every policy attached to it. */
function roleDocuments(stack: Stack): { trust: any; statements: any[] } {
  const template = Template.fromStack(stack);
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity' }] } },
  });
  const [roleId] = Object.keys(roles);
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ) as any[];
  return {
    trust: (roles[roleId] as any).Properties.AssumeRolePolicyDocument,
    statements: policies.flatMap((p) => p.Properties.PolicyDocument.Statement),
  };
}

describe('PizzaGitHubDeployRole', () => {
  describe('with a frontend and a service', () => {
    let stack: Stack;
    let role: PizzaGitHubDeployRole;
    beforeEach(() => {
      const s = setup();
      stack = s.stack;
      role = new PizzaGitHubDeployRole(stack, 'GitHub', {
        owner: 'byucsstudent',
        frontend: s.frontend,
        service: s.service,
      });
    });

    test('trusts exactly the two repositories on main and in production, audience sts.amazonaws.com', () => {
      const { trust } = roleDocuments(stack);
      expect(trust.Statement).toEqual([
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: {
            Federated: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
                ],
              ],
            },
          },
          // both of GitHub's subject forms (see github-trust.test.ts for how IAM evaluates them)
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: {
              'token.actions.githubusercontent.com:sub': [
                'repo:byucsstudent/jwt-pizza:ref:refs/heads/main',
                'repo:byucsstudent/jwt-pizza:environment:production',
                'repo:byucsstudent@*/jwt-pizza@*:ref:refs/heads/main',
                'repo:byucsstudent@*/jwt-pizza@*:environment:production',
                'repo:byucsstudent/jwt-pizza-service:ref:refs/heads/main',
                'repo:byucsstudent/jwt-pizza-service:environment:production',
                'repo:byucsstudent@*/jwt-pizza-service@*:ref:refs/heads/main',
                'repo:byucsstudent@*/jwt-pizza-service@*:environment:production',
              ],
            },
            StringNotLike: { 'token.actions.githubusercontent.com:sub': '*:*:*:*:*' },
          },
        },
      ]);
    });

    test('ensures the OIDC provider (created when missing, never deleted) instead of owning one', () => {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
      template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
      template.hasResourceProperties('Custom::PizzaGitHubOidcProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientId: 'sts.amazonaws.com',
      });
      // the role is created after the provider exists
      const [ensuredId] = Object.keys(template.findResources('Custom::PizzaGitHubOidcProvider'));
      const roles = template.findResources('AWS::IAM::Role', { DependsOn: Match.arrayWith([ensuredId]) });
      expect(Object.keys(roles)).toEqual([expect.stringMatching(/^GitHubRole/)]);
      expect(role.oidcProviderEnsured).toBeDefined();
      expect(stack.resolve(role.oidcProvider.openIdConnectProviderArn)).toEqual({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:oidc-provider/token.actions.githubusercontent.com'],
        ],
      });
    });

    test('grants only what the frontend and service deploys need, statement by statement', () => {
      const { statements } = roleDocuments(stack);
      const simplified = statements.map((s) => ({ Action: s.Action, Resource: stack.resolve(s.Resource) }));
      expect(simplified).toEqual([
        { Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FrontendBucket/), 'Arn'] } },
        {
          Action: ['s3:PutObject', 's3:DeleteObject'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^FrontendBucket/), 'Arn'] }, '/*']] },
        },
        {
          Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }),
        },
        {
          Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
          Resource: { Ref: expect.stringMatching(/^Service[0-9A-F]{8}$/) },
        },
        {
          Action: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceRepository/), 'Arn'] },
        },
        { Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      ]);
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        expect(s.Condition).toBeUndefined();
        for (const action of [s.Action].flat()) {
          expect(action).not.toContain('*');
        }
      }
    });

    test('the invalidation grant names the distribution', () => {
      const { statements } = roleDocuments(stack);
      const invalidation = statements.find((s) => [s.Action].flat().includes('cloudfront:CreateInvalidation'));
      expect(JSON.stringify(invalidation.Resource)).toMatch(/:distribution\//);
      expect(JSON.stringify(invalidation.Resource)).toMatch(/FrontendDistribution/);
    });

    test('outputs repository variables: the role trusts a branch', () => {
      expect(role.variableEnvironment).toBeUndefined();
      const outputs = Template.fromStack(stack).toJSON().Outputs;
      expect(Object.values(outputs).filter((o: any) => /in environment/.test(o.Description))).toEqual([]);
    });

    test('outputs every value the workflows need, named and described for their GitHub variables', () => {
      const outputs = Template.fromStack(stack).toJSON().Outputs;
      for (const output of PizzaGitHubOutput.all().filter((o) => !STAGING_ONLY.includes(o))) {
        const value = outputs[`GitHub${output.name}`];
        expect(value).toBeDefined();
        expect(value.Description).toContain(`(GitHub Actions variable ${output.variable})`);
      }
      expect(outputs.GitHubRegion.Value).toBe('us-east-1');
      expect(outputs.GitHubSiteUrl.Value).toBe('https://pizza.example.com');
      expect(outputs.GitHubServiceUrl.Value).toBe('https://pizza-service.example.com');
      // a frontend without staging has no release pointer (test/pizza-frontend-staging.test.ts has one)
      expect(STAGING_ONLY.filter((o) => outputs[`GitHub${o.name}`] !== undefined)).toEqual([]);
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(role)).toEqual([]);
    });
  });

  test('the example workflows read only variables the construct outputs, and use each of them', () => {
    const dir = join(__dirname, '..', 'examples', 'github');
    const used = new Set<string>();
    for (const file of ['jwt-pizza-frontend.yml', 'jwt-pizza-release.yml', 'jwt-pizza-service.yml']) {
      for (const match of readFileSync(join(dir, file), 'utf-8').matchAll(/\$\{\{\s*vars\.([A-Z0-9_]+)\s*\}\}/g)) {
        used.add(match[1]);
      }
    }
    const offered = PizzaGitHubOutput.all().map((o) => o.variable);
    expect([...used].sort()).toEqual([...offered].sort());
  });

  test('configurable repositories, branches and environments', () => {
    const { stack, frontend } = setup();
    new PizzaGitHubDeployRole(stack, 'GitHub', {
      owner: 'my-org',
      frontend,
      frontendRepository: 'pizza-web',
      branches: ['main', 'release'],
      environments: [],
    });
    expect(
      roleDocuments(stack).trust.Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'],
    ).toEqual([
      'repo:my-org/pizza-web:ref:refs/heads/main',
      'repo:my-org/pizza-web:ref:refs/heads/release',
      'repo:my-org@*/pizza-web@*:ref:refs/heads/main',
      'repo:my-org@*/pizza-web@*:ref:refs/heads/release',
    ]);
    // a frontend-only role grants nothing on ECR or ECS and outputs no service values
    const actions = roleDocuments(stack).statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual([
      's3:ListBucket',
      's3:PutObject',
      's3:DeleteObject',
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
    ]);
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).not.toContain('GitHubRepositoryUri');
  });

  test('creates the OIDC provider on request', () => {
    const { stack, service } = setup();
    new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', service, createOidcProvider: true });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('uses a provider brought by the user and a role name', () => {
    const { stack, service } = setup();
    const oidcProvider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', OIDC_ARN);
    const r = new PizzaGitHubDeployRole(stack, 'GitHub', {
      owner: 'byucsstudent',
      service,
      oidcProvider,
      roleName: 'github-ci',
    });
    expect(r.oidcProvider).toBe(oidcProvider);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'github-ci',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: OIDC_ARN } })] },
    });
  });

  test('a service that runs a given image gets the roll permission only and no repository output', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const service = new PizzaService(stack, 'Service', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/pizza:1'),
    });
    new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', service });
    const actions = roleDocuments(stack).statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(['ecs:UpdateService', 'ecs:DescribeServices']);
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).not.toContain('GitHubRepositoryUri');
  });

  test("a role for one environment only (staging): its outputs are that environment's variables", () => {
    const { stack, frontend, service } = setup();
    const role = new PizzaGitHubDeployRole(stack, 'StagingGitHub', {
      owner: 'byucsstudent',
      frontend,
      service,
      branches: [],
      environments: ['staging'],
    });
    expect(role.variableEnvironment).toBe('staging');
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    for (const output of PizzaGitHubOutput.all().filter((o) => !STAGING_ONLY.includes(o))) {
      expect(outputs[`StagingGitHub${output.name}`].Description).toMatch(
        new RegExp(`\\(GitHub Actions variable ${output.variable} in environment staging\\)$`),
      );
    }
    // two environments, or a branch as well: repository variables
    const other = setup();
    const both = new PizzaGitHubDeployRole(other.stack, 'GitHub', {
      owner: 'byucsstudent',
      service: other.service,
      branches: [],
      environments: ['staging', 'production'],
    });
    expect(both.variableEnvironment).toBeUndefined();
  });

  describe('bad input', () => {
    test.each(['', 'has space', '-leading', 'trailing-', 'double--hyphen', 'x'.repeat(40), 'owner/repo'])(
      'a malformed owner %j',
      (owner) => {
        const { stack, service } = setup();
        expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner, service })).toThrow(
          `\`owner\` must be a GitHub user or organization name (letters, digits and single hyphens, 1-39 characters, no leading or trailing hyphen), got: ${JSON.stringify(owner)}`,
        );
      },
    );

    test.each([
      ['frontendRepository', ''],
      ['frontendRepository', 'byucsstudent/jwt-pizza'],
      ['serviceRepository', 'has space'],
      ['serviceRepository', '..'],
    ])('a malformed %s %j', (prop, value) => {
      const { stack, service } = setup();
      expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, [prop]: value })).toThrow(
        `\`${prop}\` must be a GitHub repository name without the owner (letters, digits, ".", "_" and "-", 1-100 characters), got: ${JSON.stringify(value)}`,
      );
    });

    test.each([
      ['empty', ''],
      ['65 characters', 'r'.repeat(65)],
      ['a space', 'github ci'],
      ['a trailing space', 'github-ci '],
      ['a slash (a path is not part of the name)', 'ci/github-ci'],
      ['a colon', 'github:ci'],
      ['an asterisk', 'github-*'],
      ['unicode', 'github-cï'],
      ['an emoji', 'github-🍕'],
    ])('a roleName IAM refuses: %s', (_, roleName) => {
      const { stack, service } = setup();
      const length = roleName.length > 64 ? ` (${roleName.length} characters)` : '';
      expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, roleName })).toThrow(
        `\`roleName\` must be an IAM role name: 1-64 characters of letters, digits and "+=,.@_-" (no spaces, slashes or other characters), e.g. "github-ci", got: ${JSON.stringify(roleName)}${length}`,
      );
    });

    test.each(['github-ci', 'g', 'r'.repeat(64), 'GitHub_CI+deploy=1,a.b@c-d', '0123'])(
      'a roleName IAM accepts: %j',
      (roleName) => {
        const { stack, service } = setup();
        new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, roleName });
        Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: roleName });
      },
    );

    test('a roleName known only at deploy time is not checked', () => {
      const { stack, service } = setup();
      const roleName = new CfnParameter(stack, 'RoleName').valueAsString;
      new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, roleName });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: { Ref: 'RoleName' } });
    });

    test('no branch and no environment', () => {
      const { stack, service } = setup();
      expect(
        () => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, branches: [], environments: [] }),
      ).toThrow('Give at least one of `branches` or `environments`: with neither, no workflow could assume the role');
    });

    test.each([
      ['branches', '*'],
      ['branches', 'feature/*'],
      ['environments', 'prod uction'],
      ['environments', ''],
    ])('a wildcard or malformed entry in %s: %j', (prop, value) => {
      const { stack, service } = setup();
      expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, [prop]: [value] })).toThrow(
        `\`${prop}\` entries must be exact names (no spaces or wildcards such as "*"), got: ${JSON.stringify(value)}`,
      );
    });

    test.each([
      ['refs/heads/main', 'Write "main".'],
      ['refs/heads/release/1.0', 'Write "release/1.0".'],
      ['refs/tags/v1', 'Only branches (and `environments`) can be trusted: a tag or other ref has no branch name.'],
    ])('a branch written as a ref: %j', (branch, fix) => {
      const { stack, service } = setup();
      expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, branches: [branch] })).toThrow(
        `\`branches\` entries are branch names: the role trusts \`ref:refs/heads/BRANCH\`, so ${JSON.stringify(branch)} would become ref:refs/heads/${branch}, which no workflow presents. ${fix}`,
      );
    });

    test('two roles that create the OIDC provider in one account', () => {
      const app = new App();
      const one = new Stack(app, 'One', { env: ENV });
      const two = new Stack(app, 'Two', { env: { ...ENV, region: 'us-west-2' } });
      let count = 0;
      const service = (stack: Stack) => new PizzaService(stack, `Service${count++}`);
      new PizzaGitHubDeployRole(one, 'GitHub', { owner: 'o', service: service(one), createOidcProvider: true });
      expect(
        () => new PizzaGitHubDeployRole(two, 'GitHub', { owner: 'o', service: service(two), createOidcProvider: true }),
      ).toThrow(
        '`createOidcProvider` is true on both One/GitHub and Two/GitHub in account 123456789012: an account has one GitHub OIDC provider (token.actions.githubusercontent.com). Create it in one of them and pass it to the other (`oidcProvider`), or leave `createOidcProvider` unset on both: each then ensures it (created when missing, never deleted).',
      );
      const other = new Stack(app, 'Other', { env: { ...ENV, account: '210987654321' } });
      expect(
        () =>
          new PizzaGitHubDeployRole(other, 'GitHub', { owner: 'o', service: service(other), createOidcProvider: true }),
      ).not.toThrow();
    });

    test.each([true, false])(
      'a role that ensures the provider beside one that owns it in the same account is refused at synth (owner first: %s)',
      (ownerFirst) => {
        const app = new App();
        const one = new Stack(app, 'One', { env: ENV });
        const two = new Stack(app, 'Two', { env: { ...ENV, region: 'us-west-2' } });
        const add = (stack: Stack, id: string, createOidcProvider: boolean) =>
          new PizzaGitHubDeployRole(stack, id, {
            owner: 'o',
            service: new PizzaService(stack, `${id}Service`),
            createOidcProvider,
          });
        if (ownerFirst) {
          add(one, 'Owner', true);
          add(two, 'Ensurer', false);
        } else {
          add(two, 'Ensurer', false);
          add(one, 'Owner', true);
        }
        expect(() => app.synth()).toThrow(
          /One\/Owner creates the GitHub OIDC provider of account 123456789012 \(`createOidcProvider`\), and Two\/Ensurer would ensure it too/,
        );
      },
    );

    test('the owner passes its provider to the other role: no race, nothing ensured', () => {
      const app = new App();
      const one = new Stack(app, 'One', { env: ENV });
      const owner = new PizzaGitHubDeployRole(one, 'Owner', {
        owner: 'o',
        service: new PizzaService(one, 'S1'),
        createOidcProvider: true,
      });
      const user = new PizzaGitHubDeployRole(one, 'User', {
        owner: 'o',
        service: new PizzaService(one, 'S2'),
        oidcProvider: owner.oidcProvider,
      });
      expect(user.oidcProviderEnsured).toBeUndefined();
      expect(() => app.synth()).not.toThrow();
    });

    test('one repository for both: a serviceRepositoryId alone pins it', () => {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      const role = new PizzaGitHubDeployRole(stack, 'GitHub', {
        owner: 'o',
        ownerId: 1,
        frontend: new PizzaFrontend(stack, 'Frontend', { dns }),
        service: new PizzaService(stack, 'Service', { dns }),
        frontendRepository: 'monorepo',
        serviceRepository: 'monorepo',
        serviceRepositoryId: 42,
      });
      expect(role.subjects).toContain('repo:o@1/monorepo@42:environment:production');
      expect(role.subjects.join()).not.toContain('monorepo@*');
    });

    test('neither frontend nor service', () => {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      expect(() => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o' })).toThrow(
        'Give `frontend`, `service` or both: the role has nothing to deploy without them',
      );
    });
  });
});
