import { Annotations, CfnOutput, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PizzaGitHubDeployRoleProps } from './props';
import {
  ensureGitHubOidcProvider,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  GITHUB_OIDC_URL,
  TrustedRepository,
  trustConditions,
  trustedSubjects,
} from './trust';
import { validateGitHubDeployRoleProps } from './validation';
import { PizzaFrontend } from '../frontend/pizza-frontend';
import { PizzaService } from '../service/pizza-service';
import { AppClaims } from '../shared/app-claims';
import { acknowledgeNag, NagAcknowledgment, nagResourceText } from '../shared/nag';
import { validatePropsShape } from '../shared/validation';

/** The OIDC providers created in each app, by account: there can be one per account. */
const providerClaims = new AppClaims();

/**
 * The stack outputs a GitHub workflow needs, by the GitHub Actions variable each one fills.
 *
 * The output's logical id is `<construct id><name>`, e.g. `GitHubRoleArn` for a construct with id `GitHub`.
 */
export class PizzaGitHubOutput {
  /** The role `aws-actions/configure-aws-credentials` assumes (`role-to-assume`). */
  public static readonly ROLE_ARN = new PizzaGitHubOutput('RoleArn', 'AWS_ROLE_ARN');
  /** The region of the stack (`aws-region`). */
  public static readonly REGION = new PizzaGitHubOutput('Region', 'AWS_REGION');
  /** The frontend bucket the SPA build is synced to. */
  public static readonly BUCKET = new PizzaGitHubOutput('Bucket', 'APP_BUCKET');
  /** The CloudFront distribution to invalidate. */
  public static readonly DISTRIBUTION_ID = new PizzaGitHubOutput('DistributionId', 'DISTRIBUTION_ID');
  /** The site URL (the GitHub environment URL of the frontend workflow). */
  public static readonly SITE_URL = new PizzaGitHubOutput('SiteUrl', 'SITE_URL');
  /** The ECR repository URI the service image is pushed to. */
  public static readonly REPOSITORY_URI = new PizzaGitHubOutput('RepositoryUri', 'ECR_REPOSITORY_URI');
  /** The ECS cluster of the service. */
  public static readonly CLUSTER = new PizzaGitHubOutput('Cluster', 'ECS_CLUSTER');
  /** The ECS service to roll. */
  public static readonly SERVICE = new PizzaGitHubOutput('Service', 'ECS_SERVICE');
  /** The service URL (the GitHub environment URL of the service workflow). */
  public static readonly SERVICE_URL = new PizzaGitHubOutput('ServiceUrl', 'SERVICE_URL');
  /** With a frontend's `staging`: the release pointer (KeyValueStore ARN) `ci.yml` and `release.yml` move. */
  public static readonly RELEASE_POINTER_ARN = new PizzaGitHubOutput('ReleasePointerArn', 'RELEASE_POINTER_ARN');
  /** With a frontend's `staging`: the staging site's URL (`ci.yml` waits until it serves the new version). */
  public static readonly STAGING_URL = new PizzaGitHubOutput('StagingUrl', 'STAGING_URL');

  /** Every output, in the order they are created. */
  public static all(): PizzaGitHubOutput[] {
    return [
      PizzaGitHubOutput.ROLE_ARN,
      PizzaGitHubOutput.REGION,
      PizzaGitHubOutput.BUCKET,
      PizzaGitHubOutput.DISTRIBUTION_ID,
      PizzaGitHubOutput.SITE_URL,
      PizzaGitHubOutput.REPOSITORY_URI,
      PizzaGitHubOutput.CLUSTER,
      PizzaGitHubOutput.SERVICE,
      PizzaGitHubOutput.SERVICE_URL,
      PizzaGitHubOutput.RELEASE_POINTER_ARN,
      PizzaGitHubOutput.STAGING_URL,
    ];
  }

  /**
   * @param name suffix of the output's logical id
   * @param variable the GitHub Actions variable the example workflows read it from
   */
  private constructor(
    public readonly name: string,
    public readonly variable: string,
  ) {}
}

/**
 * An IAM role that the course's GitHub Actions workflows assume through GitHub's OIDC provider to deploy the
 * frontend (sync the bucket, invalidate the distribution) and the service (push the image, roll the service), and
 * nothing else.
 *
 * Trust: audience `sts.amazonaws.com` and the subjects `repo:OWNER/REPO:ref:refs/heads/BRANCH` and
 * `repo:OWNER/REPO:environment:ENV` for the repositories of the constructs given, in both of GitHub's forms: the
 * name-only one above and the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID:...` that repositories created, forked,
 * renamed or transferred since 2026-07-15 present (`ownerId` and the repository ids pin it exactly). No other owner,
 * repository, branch, environment or pull request is trusted. The account's GitHub OIDC provider is created when it
 * has none, and never deleted. Permissions: only what `frontend.grantDeploy` and `service.grantDeploy` grant. Stack
 * outputs carry every value the workflows need.
 *
 * @example
 * const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
 * const frontend = new PizzaFrontend(this, 'Frontend', { dns });
 * const service = new PizzaService(this, 'Service', { dns });
 * // byucsstudent/jwt-pizza deploys the frontend, byucsstudent/jwt-pizza-service the service, from `main`
 * new PizzaGitHubDeployRole(this, 'GitHub', { owner: 'byucsstudent', frontend, service });
 */
export class PizzaGitHubDeployRole extends Construct {
  /**
   * The GitHub environment whose variables the outputs fill, when the role trusts exactly one environment and no
   * branch (`branches: []`, as each environment of staging and production does): the outputs then say
   * "(GitHub Actions variable NAME in environment ENV)", and the variables are set on that environment, so two
   * environments of one repository never overwrite each other's. Otherwise undefined: repository variables.
   */
  public readonly variableEnvironment?: string;

  /** The role the workflows assume. */
  public readonly role: iam.Role;

  /** The account's GitHub OIDC provider (imported or created). */
  public readonly oidcProvider: iam.IOidcProvider;

  /**
   * The `sub` claims the role trusts, in both of GitHub's forms, e.g. `repo:byucsstudent/jwt-pizza:ref:refs/heads/main`
   * and `repo:byucsstudent@*\/jwt-pizza@*:ref:refs/heads/main` (`*` stands for an id not given; with every id given,
   * each subject is exact).
   */
  public readonly subjects: string[];

  /**
   * The custom resource that creates the account's GitHub OIDC provider when it has none (and never deletes it);
   * undefined with `createOidcProvider` or `oidcProvider`.
   */
  public readonly oidcProviderEnsured?: CustomResource;

  constructor(scope: Construct, id: string, props: PizzaGitHubDeployRoleProps) {
    super(scope, id);
    validatePropsShape('PizzaGitHubDeployRole', props, {
      owner: { kind: 'string', required: true },
      frontend: { kind: PizzaFrontend },
      service: { kind: PizzaService },
      frontendRepository: { kind: 'string' },
      serviceRepository: { kind: 'string' },
      branches: { kind: 'string[]' },
      environments: { kind: 'string[]' },
      ownerId: { kind: 'number' },
      frontendRepositoryId: { kind: 'number' },
      serviceRepositoryId: { kind: 'number' },
      trustNameOnlySubjects: { kind: 'boolean' },
      createOidcProvider: { kind: 'boolean' },
      oidcProvider: { kind: 'object' },
      roleName: { kind: 'string' },
      maxSessionDuration: { kind: Duration },
    });
    const frontendRepository = props.frontendRepository ?? 'jwt-pizza';
    const serviceRepository = props.serviceRepository ?? 'jwt-pizza-service';
    const branches = props.branches ?? ['main'];
    const environments = props.environments ?? ['production'];
    validateGitHubDeployRoleProps(props, frontendRepository, serviceRepository, branches, environments);
    // a role only environment jobs can assume (staging beside production): its values are that environment's
    this.variableEnvironment = branches.length === 0 && environments.length === 1 ? environments[0] : undefined;

    const stack = Stack.of(this);
    const providerArn = `arn:${stack.partition}:iam::${stack.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
    if (props.createOidcProvider) {
      this.claimOidcProvider(stack);
      this.oidcProvider = new iam.OidcProviderNative(this, 'OidcProvider', {
        url: GITHUB_OIDC_URL,
        clientIds: [GITHUB_OIDC_AUDIENCE],
      });
    } else if (props.oidcProvider) {
      this.oidcProvider = props.oidcProvider;
    } else {
      this.oidcProvider = iam.OidcProviderNative.fromOidcProviderArn(this, 'OidcProvider', providerArn);
      this.oidcProviderEnsured = ensureGitHubOidcProvider(this, providerArn);
      this.refuseBesideCreatedProvider(stack);
    }

    const repositories: TrustedRepository[] = [
      // one repository for both: either id names it
      ...(props.frontend
        ? [
            {
              name: frontendRepository,
              id:
                props.frontendRepositoryId ??
                (props.service && serviceRepository === frontendRepository ? props.serviceRepositoryId : undefined),
            },
          ]
        : []),
      ...(props.service && serviceRepository !== frontendRepository
        ? [{ name: serviceRepository, id: props.serviceRepositoryId }]
        : []),
    ];
    const contexts = [...branches.map((b) => `ref:refs/heads/${b}`), ...environments.map((e) => `environment:${e}`)];
    this.subjects = trustedSubjects({
      owner: props.owner,
      ownerId: props.ownerId,
      repositories,
      contexts,
      nameOnly: props.trustNameOnlySubjects ?? true,
    });

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `GitHub Actions deploys of JWT Pizza for ${props.owner} (pizza-constructs)`,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(
        this.oidcProvider.openIdConnectProviderArn,
        trustConditions(`${GITHUB_OIDC_HOST}:aud`, GITHUB_OIDC_AUDIENCE, `${GITHUB_OIDC_HOST}:sub`, this.subjects),
      ),
    });
    if (this.oidcProviderEnsured) {
      // the provider exists before the role that trusts it, and before any workflow can ask for credentials
      this.role.node.addDependency(this.oidcProviderEnsured);
    }

    props.frontend?.grantDeploy(this.role);
    props.service?.grantDeploy(this.role);

    this.output(PizzaGitHubOutput.ROLE_ARN, this.role.roleArn, 'IAM role the workflows assume');
    this.output(PizzaGitHubOutput.REGION, stack.region, 'AWS region of the deployment');
    if (props.frontend) {
      this.output(PizzaGitHubOutput.BUCKET, props.frontend.bucket.bucketName, 'S3 bucket the SPA build is synced to');
      this.output(
        PizzaGitHubOutput.DISTRIBUTION_ID,
        props.frontend.distribution.distributionId,
        'CloudFront distribution to invalidate',
      );
      this.output(PizzaGitHubOutput.SITE_URL, props.frontend.url, 'URL of the site');
      if (props.frontend.releasePointer && props.frontend.stagingUrl) {
        this.output(
          PizzaGitHubOutput.RELEASE_POINTER_ARN,
          props.frontend.releasePointer.keyValueStoreArn,
          'release pointer that ci.yml and release.yml move',
        );
        this.output(PizzaGitHubOutput.STAGING_URL, props.frontend.stagingUrl, 'URL of the staging site');
        this.warnStagingWorkflows(props.frontend.node.path, branches, environments);
      }
    }
    if (props.service?.hasRepository) {
      this.output(
        PizzaGitHubOutput.REPOSITORY_URI,
        props.service.repository.repositoryUri,
        'ECR repository the service image is pushed to',
      );
    }
    if (props.service) {
      this.output(PizzaGitHubOutput.CLUSTER, props.service.cluster.clusterName, 'ECS cluster of the service');
      this.output(PizzaGitHubOutput.SERVICE, props.service.service.serviceName, 'ECS service to roll');
      this.output(PizzaGitHubOutput.SERVICE_URL, props.service.url, 'URL of the service');
    }

    this.acknowledgeNagFindings(props);
  }

  /**
   * What the example workflows of a frontend with `staging` need from the role: `ci.yml`'s `stage` job runs with no
   * environment, as `ref:refs/heads/main`; `release.yml` runs in the environment `production`; and both choose
   * their job by `vars.RELEASE_POINTER_ARN`, which a job's `if:` reads from repository variables only. A role that
   * misses one deploys, but the workflow fails: a warning each (the workflows may have been changed to match).
   */
  private warnStagingWorkflows(frontend: string, branches: string[], environments: string[]): void {
    const warnings: Array<[string, string]> = [];
    if (!branches.includes('main')) {
      warnings.push([
        'pizza-constructs:github-stage-branch',
        `ci.yml stages ${frontend}'s builds from the branch main (its stage job has no environment), which this ` +
          `role does not trust (branches: ${JSON.stringify(branches)}): add "main" to \`branches\`.`,
      ]);
    }
    if (!environments.includes('production')) {
      warnings.push([
        'pizza-constructs:github-release-environment',
        `${frontend} has \`staging\`, and the example release.yml promotes from the GitHub environment ` +
          `"production", which this role does not trust (environments: ${JSON.stringify(environments)}): add ` +
          '"production" to `environments`, or change release.yml to a trusted one.',
      ]);
    }
    if (this.variableEnvironment !== undefined) {
      warnings.push([
        'pizza-constructs:github-stage-variables',
        `this role's outputs fill variables of the environment "${this.variableEnvironment}", but ci.yml picks its ` +
          `staging job with \`if: vars.RELEASE_POINTER_ARN\`, which reads repository variables only: for ${frontend}'s ` +
          'staging, trust the branch main as well (the default `branches`), so that the outputs are repository variables.',
      ]);
    }
    for (const [id, message] of warnings) {
      Annotations.of(this).addWarningV2(id, message);
    }
  }

  /** The wildcards the deploy grants cannot avoid, each acknowledged on this role's own policy only. */
  private acknowledgeNagFindings(props: PizzaGitHubDeployRoleProps): void {
    const acknowledgments: NagAcknowledgment[] = [];
    const staged = props.frontend?.releasePointer !== undefined;
    const objectPatterns = staged ? ['assets/*', PizzaFrontend.VERSION_FOLDER_PATTERN] : ['*'];
    for (const pattern of props.frontend ? objectPatterns : []) {
      const objects = nagResourceText(this, props.frontend!.bucket.arnForObjects(pattern));
      if (objects) {
        acknowledgments.push({
          id: `AwsSolutions-IAM5[Resource::${objects}]`,
          reason: staged
            ? 'CI uploads each build to its own version folder and the hashed files to assets/ (names change every build), in this one bucket and nowhere else.'
            : 'CI syncs the SPA build, whose file names change every build, into this one bucket and nowhere else.',
        });
      }
    }
    if (props.service?.hasRepository) {
      acknowledgments.push({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken supports no resource-level permissions; every other ECR action is on the repository.',
      });
    }
    acknowledgeNag(this.role, acknowledgments);
  }

  /**
   * A role that ensures the provider, in an app where another role of the same account owns it
   * (`createOidcProvider`): the ensure may create it first (then that stack's own create fails, "already exists"),
   * and the owner's `cdk destroy` deletes the provider this role trusts. Checked when the app is synthesized, whatever
   * the order the roles were created in.
   */
  private refuseBesideCreatedProvider(stack: Stack): void {
    const account = Token.isUnresolved(stack.account) ? 'the deploying account' : `account ${stack.account}`;
    this.node.addValidation({
      validate: () => {
        const owner = providerClaims.holder(this, account);
        return owner === undefined
          ? []
          : [
              `${owner} creates the GitHub OIDC provider of ${account} (\`createOidcProvider\`), and ${this.node.path} ` +
                'would ensure it too: the deploys race, and destroying the owner deletes the provider this role ' +
                `trusts. Pass it to this role instead (\`oidcProvider: <the owner>.oidcProvider\`), or drop ` +
                '`createOidcProvider` there so that every role ensures the provider (created when missing, never deleted).',
            ];
      },
    });
  }

  /** Two stacks of one app that create the provider in one account: the second deploy fails ("already exists"). */
  private claimOidcProvider(stack: Stack): void {
    const account = Token.isUnresolved(stack.account) ? 'the deploying account' : `account ${stack.account}`;
    const previous = providerClaims.claim(this, account, this.node.path);
    if (previous !== undefined) {
      throw new Error(
        `\`createOidcProvider\` is true on both ${previous} and ${this.node.path} in ${account}: an account has ` +
          `one GitHub OIDC provider (${GITHUB_OIDC_HOST}). Create it in one of them and pass it to the other ` +
          '(`oidcProvider`), or leave `createOidcProvider` unset on both: each then ensures it (created when missing, ' +
          'never deleted).',
      );
    }
  }

  private output(output: PizzaGitHubOutput, value: string, description: string): void {
    const scope = this.variableEnvironment ? ` in environment ${this.variableEnvironment}` : '';
    const cfn = new CfnOutput(this, output.name, {
      value,
      description: `${description} (GitHub Actions variable ${output.variable}${scope})`,
    });
    cfn.overrideLogicalId(`${this.node.id}${output.name}`);
  }
}
