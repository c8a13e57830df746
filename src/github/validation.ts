import type { PizzaGitHubDeployRoleProps } from './props';
import { isConcrete, show } from '../shared/validation';

/** GitHub user and organization names: alphanumerics and single hyphens, at most 39 characters. */
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository names: letters, digits, `.`, `_` and `-`, at most 100 characters. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** Git branch and environment names as they appear in the OIDC `sub` claim: no spaces, no wildcards, no colon. */
const GITHUB_REF_NAME = /^[^\s*?[\]~^:\\]+$/;
/** IAM role names (CreateRole `RoleName`): `[\w+=,.@-]+`, 1-64 characters; `\w` is ASCII here, as in IAM. */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** The longest role name IAM accepts. */
const MAX_ROLE_NAME_LENGTH = 64;

/** IAM refuses the role at deploy time otherwise; aws-cdk-lib's own check names neither the prop nor the value. */
function validateRoleName(roleName: string | undefined): void {
  if (roleName === undefined || !isConcrete(roleName) || IAM_ROLE_NAME.test(roleName)) {
    return;
  }
  const length = roleName.length > MAX_ROLE_NAME_LENGTH ? ` (${roleName.length} characters)` : '';
  throw new Error(
    `\`roleName\` must be an IAM role name: 1-${MAX_ROLE_NAME_LENGTH} characters of letters, digits and ` +
      `"+=,.@_-" (no spaces, slashes or other characters), e.g. "github-ci", got: ${show(roleName)}${length}`,
  );
}

export function validateGitHubDeployRoleProps(
  props: PizzaGitHubDeployRoleProps,
  frontendRepository: string,
  serviceRepository: string,
  branches: string[],
  environments: string[],
): void {
  if (!props.owner || !GITHUB_OWNER.test(props.owner)) {
    throw new Error(
      '`owner` must be a GitHub user or organization name (letters, digits and single hyphens, 1-39 ' +
        `characters, no leading or trailing hyphen), got: ${show(props.owner)}`,
    );
  }
  for (const [prop, value] of [
    ['frontendRepository', frontendRepository],
    ['serviceRepository', serviceRepository],
  ]) {
    if (!GITHUB_REPOSITORY.test(value) || value === '.' || value === '..') {
      throw new Error(
        `\`${prop}\` must be a GitHub repository name without the owner (letters, digits, ".", "_" and "-", ` +
          `1-100 characters), got: ${show(value)}`,
      );
    }
  }
  for (const [prop, value] of [
    ['ownerId', props.ownerId],
    ['frontendRepositoryId', props.frontendRepositoryId],
    ['serviceRepositoryId', props.serviceRepositoryId],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new Error(
        `\`${prop}\` must be GitHub's numeric id (a positive whole number, e.g. from \`gh api ...\` --jq .id), ` +
          `got: ${show(value)}`,
      );
    }
  }
  if (props.frontendRepositoryId !== undefined && !props.frontend) {
    throw new Error('`frontendRepositoryId` is set but there is no `frontend`: the role trusts no frontend repository');
  }
  if (props.serviceRepositoryId !== undefined && !props.service) {
    throw new Error('`serviceRepositoryId` is set but there is no `service`: the role trusts no service repository');
  }
  if (
    frontendRepository === serviceRepository &&
    props.frontendRepositoryId !== undefined &&
    props.serviceRepositoryId !== undefined &&
    props.frontendRepositoryId !== props.serviceRepositoryId
  ) {
    throw new Error(
      `\`frontendRepository\` and \`serviceRepository\` are the same repository (${show(frontendRepository)}) but ` +
        `\`frontendRepositoryId\` (${props.frontendRepositoryId}) and \`serviceRepositoryId\` ` +
        `(${props.serviceRepositoryId}) differ: one repository has one id`,
    );
  }
  if (props.trustNameOnlySubjects === false && props.ownerId === undefined) {
    throw new Error(
      '`trustNameOnlySubjects: false` needs `ownerId` (and the repository ids): without them the immutable ' +
        'subjects are matched by name with any id, which is no safer than the name-only form',
    );
  }
  validateRoleName(props.roleName);
  if (!props.frontend && !props.service) {
    throw new Error('Give `frontend`, `service` or both: the role has nothing to deploy without them');
  }
  if (branches.length === 0 && environments.length === 0) {
    throw new Error(
      'Give at least one of `branches` or `environments`: with neither, no workflow could assume the role',
    );
  }
  for (const [prop, values] of [
    ['branches', branches],
    ['environments', environments],
  ] as const) {
    for (const value of values) {
      if (prop === 'branches' && value.startsWith('refs/')) {
        const fix = value.startsWith('refs/heads/')
          ? `Write ${show(value.slice('refs/heads/'.length))}.`
          : 'Only branches (and `environments`) can be trusted: a tag or other ref has no branch name.';
        throw new Error(
          `\`branches\` entries are branch names: the role trusts \`ref:refs/heads/BRANCH\`, so ${show(value)} would ` +
            `become ref:refs/heads/${value}, which no workflow presents. ${fix}`,
        );
      }
      if (!GITHUB_REF_NAME.test(value)) {
        throw new Error(
          `\`${prop}\` entries must be exact names (no spaces or wildcards such as "*"), got: ${show(value)}`,
        );
      }
    }
  }
}
