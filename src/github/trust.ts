import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LibraryHandler } from '../shared/library-handler';

/** GitHub's OIDC issuer host (one provider per AWS account), and its URL. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** A repository the role trusts, with its immutable id when given. */
export interface TrustedRepository {
  readonly name: string;
  readonly id?: number;
}

/** What the trusted subjects are made of. */
export interface TrustedSubjectsOptions {
  readonly owner: string;
  readonly ownerId?: number;
  readonly repositories: TrustedRepository[];
  /** The part after the repository: `ref:refs/heads/BRANCH` or `environment:NAME`. */
  readonly contexts: string[];
  /** Also trust the name-only form. */
  readonly nameOnly: boolean;
}

/**
 * The `sub` claims to trust, in both of GitHub's forms (GitHub's OIDC reference, "Immutable subject claims"):
 *
 * - name-only, `repo:OWNER/REPO:CONTEXT`, presented by repositories older than 2026-07-15;
 * - immutable, `repo:OWNER@OWNER_ID/REPO@REPO_ID:CONTEXT`, presented by repositories created, forked, renamed or
 *   transferred since; an id not given is `*` (matched by `StringLike`).
 */
export function trustedSubjects(options: TrustedSubjectsOptions): string[] {
  const { owner, ownerId, repositories, contexts, nameOnly } = options;
  return repositories.flatMap((repo) => [
    ...(nameOnly ? contexts.map((context) => `repo:${owner}/${repo.name}:${context}`) : []),
    ...contexts.map((context) => `repo:${owner}@${ownerId ?? '*'}/${repo.name}@${repo.id ?? '*'}:${context}`),
  ]);
}

/**
 * A subject with more colons than any trusted one. Every trusted subject has exactly three (`repo:`, the one before
 * the context, the one inside it: branch names cannot hold a colon, and the construct refuses one in an environment
 * name). A `*` standing for an id could otherwise stretch over another repository's subject whose environment name
 * ends like a trusted one, e.g. `repo:OWNER@1/other@2:environment:x/jwt-pizza@3:environment:production`; such a
 * subject has at least four colons, and this pattern refuses it.
 */
export const SMUGGLED_SUBJECT = '*:*:*:*:*';

/**
 * The trust policy's conditions (IAM evaluates every operator of a block, and every key in it, as AND; the values
 * of one key as OR, and for a negated operator as NOR):
 *
 * - exact subjects only: `StringEquals` on the audience and the subjects;
 * - with a `*` in a subject (an id not given): `StringLike` on the subjects, and `StringNotLike` refusing a subject
 *   a `*` could stretch over (see `SMUGGLED_SUBJECT`). The name-only subjects have no wildcard, so `StringLike`
 *   matches them exactly.
 */
export function trustConditions(
  audienceKey: string,
  audience: string,
  subjectKey: string,
  subjects: string[],
): Record<string, Record<string, unknown>> {
  if (!subjects.some((subject) => subject.includes('*'))) {
    return { StringEquals: { [audienceKey]: audience, [subjectKey]: subjects } };
  }
  return {
    StringEquals: { [audienceKey]: audience },
    StringLike: { [subjectKey]: subjects },
    StringNotLike: { [subjectKey]: SMUGGLED_SUBJECT },
  };
}

/**
 * Ensures the account's GitHub OIDC provider exists (`providerArn`): a custom resource, in `scope`, that creates it
 * with the `sts.amazonaws.com` audience when the account has none, adds that audience to an existing one that lacks
 * it, and never deletes it (another stack, or a person following the course by hand, may use it).
 */
export function ensureGitHubOidcProvider(scope: Construct, providerArn: string): LibraryHandler['resource'] {
  const handler = new LibraryHandler(scope, 'OidcProviderEnsured', {
    handler: 'oidc-provider',
    description: 'pizza-constructs: creates the GitHub OIDC provider when the account has none; never deletes it',
    resourceType: 'Custom::PizzaGitHubOidcProvider',
    properties: { ProviderArn: providerArn, Url: GITHUB_OIDC_URL, ClientId: GITHUB_OIDC_AUDIENCE },
    statements: [
      new iam.PolicyStatement({
        actions: [
          'iam:GetOpenIDConnectProvider',
          'iam:CreateOpenIDConnectProvider',
          'iam:AddClientIDToOpenIDConnectProvider',
        ],
        resources: [providerArn],
      }),
      new iam.PolicyStatement({
        // a Create or Update that fails during a rollback answers SUCCESS rather than wedge the stack
        actions: ['cloudformation:DescribeStacks'],
        resources: [Stack.of(scope).stackId],
      }),
    ],
  });
  return handler.resource;
}
