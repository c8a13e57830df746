/**
 * The restore guard of a PizzaDatabase (see `guardRestore` in pizza-database.ts): it refuses the one update that would replace a
 * restored database with a new, empty one, before CloudFormation touches the database.
 *
 * A database restored with `snapshotIdentifier` is created without `MasterUsername` and `StorageEncrypted` (AWS's
 * documentation says not to give them with a snapshot). Both are create-only, so a template without
 * `snapshotIdentifier`, which has them again, makes CloudFormation replace the instance with an empty one. The database
 * instance depends on this resource, so CloudFormation updates this resource first; failing here rolls the stack back
 * before the database is replaced.
 *
 * CloudFormation events:
 * - Create and Delete succeed.
 * - Update fails when the old properties name a snapshot and the new ones name none, unless the stack is rolling
 *   back (a rollback undoes a restore that failed: refusing it would wedge the stack in UPDATE_ROLLBACK_FAILED). When
 *   the stack's status cannot be read, the update succeeds: a custom resource must never fail an update on a
 *   transient error, nor wedge a rollback. With the default removal policy (SNAPSHOT) the replaced instance's final
 *   snapshot then still keeps the data.
 * - Another snapshot, or a first one, succeeds: that is a restore the user asked for.
 * - The physical id never changes.
 */
import { Answer, CloudFormationEvent, LambdaContext, respond, workDeadline } from '../../shared/handlers/cfn-response';
import { stackStatus } from '../../shared/handlers/stack-status';

/** The physical id of every restore guard. */
export const PHYSICAL_ID = 'pizza-restore-guard';

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await guard(event, context));
}

/** The answer to one event (see above). */
export async function guard(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  const physicalResourceId = event.PhysicalResourceId ?? PHYSICAL_ID;
  const before = String(event.OldResourceProperties?.SnapshotIdentifier ?? '');
  const after = String(event.ResourceProperties.SnapshotIdentifier ?? '');
  if (event.RequestType !== 'Update' || before === '' || after !== '') {
    return { status: 'SUCCESS', physicalResourceId };
  }
  const status = await stackStatus(event.StackId, workDeadline(context));
  if (status === undefined || status.includes('ROLLBACK')) {
    console.log(`snapshotIdentifier removed while the stack is ${status ?? 'in an unknown state'}: allowed`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const database = String(event.ResourceProperties.Database ?? 'the PizzaDatabase');
  return {
    status: 'FAILED',
    physicalResourceId,
    reason:
      `${database} was restored from snapshot "${before}", and this update removes \`snapshotIdentifier\`: ` +
      'CloudFormation would replace the restored database with a new, empty one. Put `snapshotIdentifier` back ' +
      '(it restores nothing again on later deploys). To start over with an empty database on purpose, remove the ' +
      'PizzaDatabase in one deploy (its final snapshot is kept) and add it again in the next.',
  };
}
