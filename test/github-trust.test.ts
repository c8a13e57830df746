import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaGitHubDeployRoleProps, PizzaService } from '../src';

/**
 * The deploy role's trust policy, evaluated the way IAM evaluates it (IAM User Guide, "IAM JSON policy elements:
 * Condition operators" and "Creating a condition with multiple keys or values"): every operator of a Condition block
 * and every key in it must match (AND); the values of one key are alternatives (OR), and for a negated operator
 * (`StringNotLike`) the key must match none of them. `StringEquals` is exact and case-sensitive; `StringLike` matches
 * `*` (any run of characters, `/` and `:` included) and `?` (one character). An operator this evaluator does not
 * know fails the test rather than pass silently.
 */
function like(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

function conditionHolds(operator: string, expected: unknown, actual: string | undefined): boolean {
  const values = [expected].flat() as string[];
  switch (operator) {
    case 'StringEquals':
      return actual !== undefined && values.includes(actual);
    case 'StringLike':
      return actual !== undefined && values.some((pattern) => like(pattern, actual));
    case 'StringNotLike':
      return actual === undefined || !values.some((pattern) => like(pattern, actual));
    default:
      throw new Error(`the evaluator does not know the operator ${operator}`);
  }
}

function statementAllows(statement: any, claims: Record<string, string>): boolean {
  if (statement.Effect !== 'Allow' || ![statement.Action].flat().includes('sts:AssumeRoleWithWebIdentity')) {
    return false;
  }
  return Object.entries(statement.Condition ?? {}).every(([operator, block]) =>
    Object.entries(block as Record<string, unknown>).every(([key, expected]) =>
      conditionHolds(operator, expected, claims[key]),
    ),
  );
}

function trustPolicy(props: Partial<PizzaGitHubDeployRoleProps> = {}): any {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns });
  const service = new PizzaService(stack, 'Service', { dns });
  new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service, ...props });
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity' }] } },
  });
  return (Object.values(roles)[0] as any).Properties.AssumeRolePolicyDocument;
}

function assumable(policy: any, sub: string, aud = 'sts.amazonaws.com'): boolean {
  const claims = { 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': aud };
  return policy.Statement.some((statement: any) => statementAllows(statement, claims));
}

/** What a fork made before 2026-07-15 presents, and what one made since presents (GitHub's OIDC reference). */
const TRUSTED = [
  'repo:byucsstudent/jwt-pizza:ref:refs/heads/main',
  'repo:byucsstudent/jwt-pizza:environment:production',
  'repo:byucsstudent/jwt-pizza-service:ref:refs/heads/main',
  'repo:byucsstudent/jwt-pizza-service:environment:production',
  'repo:byucsstudent@1234567/jwt-pizza@987654321:ref:refs/heads/main',
  'repo:byucsstudent@1234567/jwt-pizza@987654321:environment:production',
  'repo:byucsstudent@1234567/jwt-pizza-service@987654322:ref:refs/heads/main',
  'repo:byucsstudent@1234567/jwt-pizza-service@987654322:environment:production',
];

/** Subjects that must never assume the role, in either form. */
const REFUSED: Array<[string, string]> = [
  ['another owner', 'repo:mallory/jwt-pizza:environment:production'],
  ['another owner, immutable form', 'repo:mallory@666/jwt-pizza@667:environment:production'],
  ['an owner whose name starts the same', 'repo:byucsstudent2/jwt-pizza:environment:production'],
  ['an owner whose name starts the same, immutable', 'repo:byucsstudent2@666/jwt-pizza@667:environment:production'],
  ['an owner named with a hyphen suffix', 'repo:byucsstudent-x@666/jwt-pizza@667:ref:refs/heads/main'],
  ['the owner in another case (IAM compares case-sensitively)', 'repo:ByuCsStudent/jwt-pizza:ref:refs/heads/main'],
  ['another repository of the owner', 'repo:byucsstudent@1234567/notes@55:environment:production'],
  ['a repository whose name starts the same', 'repo:byucsstudent@1234567/jwt-pizza-admin@55:environment:production'],
  ['a repository whose name starts the same, name-only', 'repo:byucsstudent/jwt-pizza2:ref:refs/heads/main'],
  [
    "another repository whose environment name ends like a trusted subject (the '*' stretched over it)",
    'repo:byucsstudent@1234567/notes@55:environment:x/jwt-pizza@1:environment:production',
  ],
  [
    'a trusted repository with an environment named like a trusted context',
    'repo:byucsstudent@1234567/jwt-pizza@987654321:environment:staging:environment:production',
  ],
  ['a pull request', 'repo:byucsstudent@1234567/jwt-pizza@987654321:pull_request'],
  ['a pull request, name-only', 'repo:byucsstudent/jwt-pizza:pull_request'],
  ['another branch', 'repo:byucsstudent@1234567/jwt-pizza@987654321:ref:refs/heads/feature'],
  ['a branch whose name starts the same', 'repo:byucsstudent@1234567/jwt-pizza@987654321:ref:refs/heads/main2'],
  ['a tag', 'repo:byucsstudent@1234567/jwt-pizza@987654321:ref:refs/tags/main'],
  ['another environment', 'repo:byucsstudent@1234567/jwt-pizza@987654321:environment:staging'],
  ['another environment, name-only', 'repo:byucsstudent/jwt-pizza-service:environment:staging'],
];

describe('PizzaGitHubDeployRole trust, evaluated as IAM does', () => {
  const policy = trustPolicy();

  test.each(TRUSTED)('trusts %s', (sub) => {
    expect(assumable(policy, sub)).toBe(true);
  });

  test.each(REFUSED)('refuses %s', (_what, sub) => {
    expect(assumable(policy, sub)).toBe(false);
  });

  test('refuses a trusted subject with another audience', () => {
    expect(assumable(policy, TRUSTED[0], 'https://github.com/byucsstudent')).toBe(false);
  });

  test('the smuggling guard is what refuses a stretched wildcard (without it the subject would pass)', () => {
    const stretched = 'repo:byucsstudent@1234567/notes@55:environment:x/jwt-pizza@1:environment:production';
    const withoutGuard = {
      Statement: policy.Statement.map((s: any) => ({ ...s, Condition: { ...s.Condition, StringNotLike: {} } })),
    };
    expect(assumable(withoutGuard, stretched)).toBe(true);
    expect(assumable(policy, stretched)).toBe(false);
  });

  describe('with the numeric ids', () => {
    const pinned = trustPolicy({ ownerId: 1234567, frontendRepositoryId: 987654321, serviceRepositoryId: 987654322 });

    test('every subject is exact (StringEquals only)', () => {
      expect(Object.keys(pinned.Statement[0].Condition)).toEqual(['StringEquals']);
    });

    test.each(TRUSTED)('trusts %s', (sub) => {
      expect(assumable(pinned, sub)).toBe(true);
    });

    test.each([
      ['an account that took over the owner name', 'repo:byucsstudent@7654321/jwt-pizza@987654321:ref:refs/heads/main'],
      ['a recreated repository of the same name', 'repo:byucsstudent@1234567/jwt-pizza@5:environment:production'],
      [
        'the frontend id on the service repository',
        'repo:byucsstudent@1234567/jwt-pizza-service@987654321:ref:refs/heads/main',
      ],
      ...REFUSED,
    ])('refuses %s', (_what, sub) => {
      expect(assumable(pinned, sub)).toBe(false);
    });

    test('trustNameOnlySubjects: false trusts the immutable form only', () => {
      const immutableOnly = trustPolicy({
        ownerId: 1234567,
        frontendRepositoryId: 987654321,
        serviceRepositoryId: 987654322,
        trustNameOnlySubjects: false,
      });
      for (const sub of TRUSTED) {
        expect(assumable(immutableOnly, sub)).toBe(sub.includes('@'));
      }
    });
  });

  test('an owner id alone pins the owner; repositories keep any id', () => {
    const ownerPinned = trustPolicy({ ownerId: 1234567 });
    expect(assumable(ownerPinned, 'repo:byucsstudent@1234567/jwt-pizza@42:environment:production')).toBe(true);
    expect(assumable(ownerPinned, 'repo:byucsstudent@7654321/jwt-pizza@42:environment:production')).toBe(false);
  });

  describe('bad ids are refused at synth, naming the prop and the value', () => {
    test.each([
      [{ ownerId: 0 }, /`ownerId` must be GitHub's numeric id.*got: 0/],
      [{ ownerId: 1.5 }, /`ownerId` must be GitHub's numeric id.*got: 1.5/],
      [{ frontendRepositoryId: -3 }, /`frontendRepositoryId` must be GitHub's numeric id.*got: -3/],
      [{ serviceRepositoryId: Number.NaN }, /serviceRepositoryId/],
      [{ trustNameOnlySubjects: false }, /`trustNameOnlySubjects: false` needs `ownerId`/],
    ])('%j', (props, message) => {
      expect(() => trustPolicy(props as Partial<PizzaGitHubDeployRoleProps>)).toThrow(message);
    });

    test('a repository id without its construct', () => {
      const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
      const service = new PizzaService(stack, 'Service');
      expect(
        () => new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'o', service, frontendRepositoryId: 5 }),
      ).toThrow(/`frontendRepositoryId` is set but there is no `frontend`/);
    });
  });
});
