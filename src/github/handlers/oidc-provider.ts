/**
 * Ensures the account's GitHub OIDC provider (see `ensureGitHubOidcProvider` in src/github/trust.ts). An account has
 * at most one provider for `token.actions.githubusercontent.com`: a new account has none, and an account that followed
 * the course by hand has one already, which other roles may trust.
 *
 * CloudFormation events:
 * - Create and Update: the provider is read; when the account has none it is created with the audience
 *   `sts.amazonaws.com` (no thumbprint: IAM trusts GitHub's certificate authority itself); when it exists without that
 *   audience, the audience is added (nothing is removed). Another stack creating it at the same moment
 *   (EntityAlreadyExists) is success. A failure is reported, naming the fix, except while the stack rolls back
 *   (answering FAILED then would wedge it in UPDATE_ROLLBACK_FAILED).
 * - Delete does nothing: the provider stays, for whoever else uses it (`aws iam delete-open-id-connect-provider`
 *   removes it by hand when nothing does).
 * - The physical id is the provider's ARN.
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  Answer,
  CloudFormationEvent,
  describeError,
  LambdaContext,
  raceDeadline,
  respond,
  SDK_CLIENT_CONFIG,
  TIMED_OUT,
  workDeadline,
} from '../../shared/handlers/cfn-response';
import { stackStatus } from '../../shared/handlers/stack-status';

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await ensure(event, context));
}

/** The answer to one event (see above). */
export async function ensure(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  const arn = String(event.ResourceProperties.ProviderArn ?? '');
  const physicalResourceId = event.RequestType === 'Delete' ? (event.PhysicalResourceId ?? arn) : arn;
  if (event.RequestType === 'Delete') {
    console.log(`${physicalResourceId} is kept: other stacks or people may use it`);
    return { status: 'SUCCESS', physicalResourceId, data: { Kept: 'true' } };
  }
  // IAM gets the work time but the last 10 s, which are kept for reading the stack status after a failure
  const deadline = workDeadline(context);
  const iamDeadline = Math.max(Date.now() + 1_000, deadline - 10_000);
  let outcome: string | typeof TIMED_OUT;
  try {
    outcome = await raceDeadline(
      ensureProvider(arn, String(event.ResourceProperties.Url), String(event.ResourceProperties.ClientId)),
      iamDeadline,
    );
  } catch (err) {
    outcome = `failed: ${describeError(err)}`;
  }
  if (outcome !== TIMED_OUT && !outcome.startsWith('failed')) {
    console.log(`${arn}: ${outcome}`);
    return { status: 'SUCCESS', physicalResourceId, data: { Outcome: outcome } };
  }
  const problem = outcome === TIMED_OUT ? 'timed out' : outcome;
  console.error(`ensuring ${arn} ${problem}`);
  const status = await stackStatus(event.StackId, deadline);
  if (status !== undefined && status.includes('ROLLBACK')) {
    return { status: 'SUCCESS', physicalResourceId, data: { Outcome: `${problem} (stack rolling back)` } };
  }
  return {
    status: 'FAILED',
    physicalResourceId,
    reason:
      `The GitHub OIDC provider ${arn} could not be ensured (${problem}). Deploy with permission to ` +
      'iam:CreateOpenIDConnectProvider, or create the provider once (IAM > Identity providers > OpenID Connect, ' +
      `${String(event.ResourceProperties.Url)}, audience ${String(event.ResourceProperties.ClientId)}) and pass ` +
      'it as `oidcProvider`.',
  };
}

/** Make sure the provider exists and accepts `clientId`; what was done. */
async function ensureProvider(arn: string, url: string, clientId: string): Promise<string> {
  const iam = new IAMClient(SDK_CLIENT_CONFIG);
  let clientIds: string[] | undefined;
  try {
    clientIds = (await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).ClientIDList;
  } catch (err) {
    if (
      (err as { name?: string }).name !== 'NoSuchEntityException' &&
      (err as { name?: string }).name !== 'NoSuchEntity'
    ) {
      throw err;
    }
  }
  if (clientIds === undefined) {
    try {
      await iam.send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: [clientId] }));
      return 'created';
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (name === 'EntityAlreadyExistsException' || name === 'EntityAlreadyExists') {
        return 'created at the same time by another stack: used as it is';
      }
      throw err;
    }
  }
  if (!clientIds.includes(clientId)) {
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: clientId }),
    );
    return `existed: audience ${clientId} added`;
  }
  return 'existed: used as it is';
}
