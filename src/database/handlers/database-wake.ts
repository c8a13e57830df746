/**
 * The wake of a PizzaDatabase (see `wakeBeforeChanges` in src/database/pause.ts): RDS refuses to modify
 * a stopped instance, and CloudFormation's RDS provider calls ModifyDBInstance on every update of the instance
 * without waiting for `available`, and again on rollback: an update of a paused (stopped) database would end in
 * UPDATE_ROLLBACK_FAILED. The instance depends on this resource, so CloudFormation runs it first.
 *
 * CloudFormation events (`Custom::PizzaDatabaseWake`, properties `InstanceLogicalId`, `InstanceProperties` (a digest
 * of the instance's rendered properties), `InstanceReferences` (the values CloudFormation resolves for the references
 * in them: a changed security group or parameter changes the instance without changing the digest), `Database`):
 * - Create, or Update with another digest (the deploy changes the instance): when the instance exists and is
 *   stopped or stopping, start it and wait until it is `available`, so that the update and its rollback both meet an
 *   available instance; the pause resource, which depends on the instance and carries the same digest, stops it
 *   again afterwards. An instance that cannot be made available in time, or whose status cannot be read, answers
 *   FAILED, before anything was changed: the deploy rolls back untouched, and the reason says to deploy again.
 * - Update with the same digest: nothing.
 * - While the stack rolls back, an Update with another digest means that CloudFormation rolls the instance back too
 *   (another ModifyDBInstance), and the pause may have stopped the instance since the change (a resource after it
 *   failed): a stopped or stopping instance is started and awaited as above, but the answer is always SUCCESS (a
 *   FAILED rollback is UPDATE_ROLLBACK_FAILED; a problem is logged). The instance depends on this resource, so a
 *   rollback in dependency order meets it here first; the pause does the same for one in the reverse order. The
 *   keeper stops the instance once the stack has settled.
 * - Delete: nothing.
 * - The instance is found by its logical id (DescribeStackResource): naming it by reference would make the instance
 *   depend on itself.
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { RDSClient } from '@aws-sdk/client-rds';
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
// the bundle lays modules out in import order: cfn-response first, as in every released bundle of this handler
// eslint-disable-next-line import/order
import {
  changesInstance,
  CLOUDFORMATION_WORK_MS,
  ensureRunning,
  instanceStatus,
  POLL_INTERVAL_MS,
} from './database-pause';
import { stackStatus } from '../../shared/handlers/stack-status';

export const PHYSICAL_ID_PREFIX = 'database-wake-';

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await wake(event, context));
}

/** The answer to one event (see above). */
export async function wake(
  event: CloudFormationEvent,
  context: LambdaContext,
  pollMs = POLL_INTERVAL_MS,
): Promise<Answer> {
  const logicalId = String(event.ResourceProperties.InstanceLogicalId ?? '');
  const physicalResourceId = event.PhysicalResourceId ?? `${PHYSICAL_ID_PREFIX}${logicalId}`;
  const changed = event.RequestType === 'Create' || (event.RequestType === 'Update' && changesInstance(event));
  if (!changed) {
    return { status: 'SUCCESS', physicalResourceId };
  }
  const deadline = Math.min(workDeadline(context), Date.now() + CLOUDFORMATION_WORK_MS);
  const stack = await stackStatus(event.StackId, Math.min(deadline, Date.now() + 3_000));
  const rollback = stack !== undefined && stack.includes('ROLLBACK');
  const database = `${event.ResourceProperties.Database ?? 'the PizzaDatabase'}`;
  let id: string | undefined;
  try {
    id = await instanceId(event.StackId, logicalId, deadline);
  } catch (err) {
    if (rollback) {
      console.error(
        `${database}: could not find its instance (${logicalId}) while the stack is ${stack} (${describeError(err)}): ` +
          'answering SUCCESS (a rollback must not fail here); if the instance is stopped, its rollback fails',
      );
      return { status: 'SUCCESS', physicalResourceId };
    }
    return {
      status: 'FAILED',
      physicalResourceId,
      reason:
        `Could not find ${database}'s instance (${logicalId}) to make sure it is not stopped before this deploy ` +
        `changes it: ${describeError(err)}. Nothing was changed: deploy again.`,
    };
  }
  if (id === undefined) {
    console.log(`${database}: no instance yet (${logicalId}): nothing to wake`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const rds = new RDSClient(SDK_CLIENT_CONFIG);
  let status: string | typeof TIMED_OUT;
  let unreadable: string | undefined;
  try {
    status = await instanceStatus(rds, id, deadline);
    unreadable = status === TIMED_OUT ? 'RDS did not answer in time' : undefined;
  } catch (err) {
    status = `unreadable (${describeError(err)})`;
    // an instance RDS does not know (deleted outside CloudFormation) is CloudFormation's to report
    unreadable = (err as Error).name === 'DBInstanceNotFoundFault' ? undefined : describeError(err);
  }
  if (unreadable !== undefined && !rollback) {
    // it may be stopped: CloudFormation's change, and the change back on rollback, would meet a stopped instance
    return {
      status: 'FAILED',
      physicalResourceId,
      reason:
        `Could not read the status of ${database}'s RDS instance ${id} to make sure it is not stopped before this ` +
        `deploy changes it (${unreadable}). Nothing was changed: deploy again.`,
    };
  }
  if (status !== 'stopped' && status !== 'stopping') {
    console.log(`${database} (RDS instance ${id}) is ${String(status)}: nothing to wake`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const started = await ensureRunning(rds, id, deadline, pollMs);
  if (started.running && !started.message.startsWith('was started but')) {
    console.log(
      `${database} (RDS instance ${id}) ${started.message}: CloudFormation may now change it` +
        (rollback ? ` back (the stack is ${stack}); the keeper stops it once the stack has settled` : ''),
    );
    return { status: 'SUCCESS', physicalResourceId };
  }
  if (rollback) {
    console.error(
      `${database} (RDS instance ${id}) ${started.message}, while the stack is ${stack}: answering SUCCESS (a ` +
        'rollback must not fail here); the rollback of the instance fails if it is still stopped',
    );
    return { status: 'SUCCESS', physicalResourceId };
  }
  return {
    status: 'FAILED',
    physicalResourceId,
    reason:
      `${database} is paused (RDS instance ${id} is stopped) and this deploy changes the instance, which RDS refuses ` +
      `while it is stopped. It was started to take the change, but it ${started.message}. Nothing was changed: ` +
      'deploy again in a few minutes, once the instance is available (the pause stops it again afterwards).',
  };
}

/** The physical id of the stack's resource `logicalId`, or undefined before CloudFormation created it. */
async function instanceId(stackId: string, logicalId: string, deadline: number): Promise<string | undefined> {
  const cloudFormation = new CloudFormationClient(SDK_CLIENT_CONFIG);
  try {
    const out = await raceDeadline(
      cloudFormation.send(new DescribeStackResourceCommand({ StackName: stackId, LogicalResourceId: logicalId })),
      deadline,
    );
    if (out === TIMED_OUT) {
      throw new Error('DescribeStackResource timed out');
    }
    return out.StackResourceDetail?.PhysicalResourceId || undefined;
  } catch (err) {
    // "Resource X does not exist for stack Y": the instance is created later in this deploy
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      return undefined;
    }
    throw err;
  }
}
