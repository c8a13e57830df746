/**
 * The pause of a PizzaDatabase (see src/database/pause.ts): it stops the RDS instance while the
 * database is `paused`, keeps it stopped past RDS's automatic start after seven days, and starts it again on resume.
 *
 * CloudFormation events (`Custom::PizzaDatabasePause`, properties `DBInstanceIdentifier`, `Paused`, `Database`,
 * `InstanceProperties` (a digest of the instance's properties: a change makes an Update, which stops the instance
 * again after the wake resource started it for the change) and `StartBeforeDelete`):
 * - The physical id names the instance (`database-pause-<DBInstanceIdentifier>`): a replaced instance gets a new
 *   one, and CloudFormation sends the old one a Delete in its cleanup, before it deletes the old instance.
 * - Paused 'true' (Create or Update): make sure the instance is stopped. `available` is stopped; `stopped` and
 *   `stopping` are left as they are; a state on the way to `available` (creating, backing up, modifying,
 *   starting...) is polled until it is `available`, then stopped. Always SUCCESS, also when RDS refuses or the
 *   instance cannot be stopped in time (that is logged, and the keeper stops it later). While the stack rolls back
 *   (the rollback of a resume, or of a pause that failed elsewhere) it stops nothing: CloudFormation may still have
 *   to roll the instance itself back, which RDS refuses on a stopped instance (UPDATE_ROLLBACK_FAILED). The keeper
 *   stops it once the stack has settled. A rollback Update that changes `InstanceProperties` (a change of the
 *   instance while paused, which this resource stopped again, then a later resource failed) means the instance is
 *   rolled back too: it is started (as for Paused 'false', but always SUCCESS), in case the rollback reaches this
 *   resource before the instance (the wake does the same for a rollback in dependency order).
 * - Paused 'false': make sure the instance runs. `stopped` is started (`stopping` first waits until `stopped`), then
 *   polled until `available`; a start accepted but not `available` by the deadline answers SUCCESS (it is on its
 *   way). A start RDS refuses (AccessDenied, a state that does not change), or one that could not be made in time,
 *   answers FAILED: the stack rolls back to paused, which the path above always completes. While the stack is
 *   rolling back (a pause that failed elsewhere) or its status cannot be read, it answers SUCCESS instead, with the
 *   problem in the logs: a rollback must never wedge. Any other state is running already: SUCCESS at once.
 * - Delete: the instance is going away (the stack or the database is deleted, or the instance is replaced), and
 *   with `StartBeforeDelete` (the instance's DeletionPolicy is Snapshot) RDS takes its final snapshot only from
 *   `available`: a stopped or stopping instance is started and awaited, so that CloudFormation's delete of the
 *   instance, which comes next, succeeds. The keeper stays idle meanwhile (the stack is in progress). Always
 *   SUCCESS: when the instance is not available in time, the instance's own delete fails and a retry finds it
 *   available. Without `StartBeforeDelete` (Delete or Retain) nothing is started.
 *
 * Keeper invocations (EventBridge: RDS's start events for the instance, and a schedule every six hours) act only
 * while the function's `PAUSED` is 'true' and the stack (`STACK_ID`) is not being created, updated, rolled back or
 * deleted (any `*_IN_PROGRESS` status): a stop in the middle of a stack operation is what CloudFormation's update or
 * delete of the instance would then meet. The schedule catches up once the stack has settled. It makes sure the
 * instance is stopped, waiting for a start in progress until the function's time is nearly up. Nothing is thrown:
 * Lambda's retries of an asynchronous event would only repeat what the next scheduled run does, and every problem is
 * logged.
 */
import {
  DescribeDBInstancesCommand,
  RDSClient,
  StartDBInstanceCommand,
  StopDBInstanceCommand,
} from '@aws-sdk/client-rds';
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

/** The physical id is this prefix and the instance identifier. */
export const PHYSICAL_ID_PREFIX = 'database-pause-';

/** How often the instance's status is read while it moves (starting, stopping, backing up take minutes). */
export const POLL_INTERVAL_MS = 15_000;

/**
 * The longest a CloudFormation request works. The function may run 15 minutes, as long as CloudFormation waits
 * (`ServiceTimeout`, 900 s), but that wait counts from the request, and Lambda may start an asynchronous invocation
 * later: `workDeadline` alone (the function's time less the response reserve) could answer after CloudFormation gave up.
 */
export const CLOUDFORMATION_WORK_MS = 12 * 60_000;

/** Kept for reading the stack's status before a resume answers FAILED. */
const STACK_STATUS_MS = 3_000;

/** What a keeper run leaves of the function's time, for its last log lines. */
const KEEPER_MARGIN_MS = 30_000;

/** StartDBInstance refused with InvalidDBInstanceState this many times (polls apart) is a refusal that persists. */
const START_ATTEMPTS = 3;

/** States that waiting will not turn into `available`: the instance needs its owner, or is going away. */
const STUCK_STATES = new Set([
  'delete-precheck',
  'deleting',
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-create',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
]);

/** Throttling past the SDK's own retries: a later poll may get through. */
const THROTTLING_ERRORS = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

/** An EventBridge event that runs the keeper: an RDS instance event, or the schedule's. */
export interface KeeperEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: { readonly EventID?: string };
}

export async function handler(event: CloudFormationEvent | KeeperEvent, context: LambdaContext): Promise<void> {
  if ('RequestType' in event && 'ResponseURL' in event) {
    await respond(event, context, await decide(event, context));
    return;
  }
  await keepStopped(event as KeeperEvent, context);
}

/** The answer to a CloudFormation request (see above): always one, before the work deadline. */
export async function decide(
  event: CloudFormationEvent,
  context: LambdaContext,
  pollMs = POLL_INTERVAL_MS,
): Promise<Answer> {
  const id = String(event.ResourceProperties.DBInstanceIdentifier ?? '');
  const physicalResourceId = `${PHYSICAL_ID_PREFIX}${id}`;
  const deadline = Math.min(workDeadline(context), Date.now() + CLOUDFORMATION_WORK_MS);
  const rds = new RDSClient(SDK_CLIENT_CONFIG);
  if (event.RequestType === 'Delete') {
    return prepareDelete(event, rds, deadline, pollMs);
  }
  const database = `${event.ResourceProperties.Database ?? 'the PizzaDatabase'} (RDS instance ${id})`;
  if (String(event.ResourceProperties.Paused) === 'true') {
    const stack = await stackStatus(event.StackId, Math.min(deadline, Date.now() + STACK_STATUS_MS));
    if (stack !== undefined && stack.includes('ROLLBACK') && changesInstance(event)) {
      const resumed = await ensureRunning(rds, id, deadline, pollMs);
      console.log(
        `${event.RequestType}, paused, while the stack is ${stack}: the rollback changes ${database} back too, which ` +
          `RDS refuses while it is stopped: it ${resumed.message}; the keeper stops it once the stack has settled`,
      );
      return { status: 'SUCCESS', physicalResourceId };
    }
    if (stack !== undefined && stack.includes('ROLLBACK')) {
      console.log(
        `${event.RequestType}, paused, while the stack is ${stack}: ${database} is left as it is (the rollback may ` +
          'still change the instance, which RDS refuses while it is stopped); the keeper stops it afterwards',
      );
      return { status: 'SUCCESS', physicalResourceId };
    }
    console.log(`${event.RequestType}, paused: ${database} ${await ensureStopped(rds, id, deadline, pollMs)}`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const resumed = await ensureRunning(rds, id, deadline - STACK_STATUS_MS, pollMs);
  if (resumed.running) {
    console.log(`${event.RequestType}, resumed: ${database} ${resumed.message}`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const stack = await stackStatus(event.StackId, deadline);
  if (stack === undefined || stack.includes('ROLLBACK')) {
    console.error(
      `${event.RequestType}, resumed: ${database} ${resumed.message}, while the stack is ` +
        `${stack ?? 'in an unknown state'}: answering SUCCESS (a rollback must not wedge). The instance may stay ` +
        'stopped: deploy with `paused: true`, then `paused: false` again to start it.',
    );
    return { status: 'SUCCESS', physicalResourceId };
  }
  return {
    status: 'FAILED',
    physicalResourceId,
    reason:
      `Could not resume ${database}: it ${resumed.message}. The stack rolls back to \`paused: true\` (the ` +
      'instance stays stopped, its data kept). Check that the instance can be started in the RDS console, then ' +
      'deploy with `paused: false` again.',
  };
}

/**
 * Whether an Update changes the instance: its digest, or a value CloudFormation resolved for one of its references.
 * CloudFormation then updates (or, rolling back, restores) the instance.
 */
export function changesInstance(event: CloudFormationEvent): boolean {
  const old = event.OldResourceProperties ?? {};
  const now = event.ResourceProperties;
  return (
    event.RequestType === 'Update' &&
    (old.InstanceProperties !== now.InstanceProperties ||
      JSON.stringify(old.InstanceReferences ?? []) !== JSON.stringify(now.InstanceReferences ?? []))
  );
}

/**
 * The Delete (see above): the instance named by the physical id (the one this resource was created or last updated
 * for) is started and awaited when its final snapshot needs it. Always SUCCESS.
 */
async function prepareDelete(
  event: CloudFormationEvent,
  rds: RDSClient,
  deadline: number,
  pollMs: number,
): Promise<Answer> {
  const physicalResourceId = event.PhysicalResourceId ?? '';
  const id = physicalResourceId.startsWith(PHYSICAL_ID_PREFIX)
    ? physicalResourceId.slice(PHYSICAL_ID_PREFIX.length)
    : String(event.ResourceProperties.DBInstanceIdentifier ?? '');
  if (String(event.ResourceProperties.StartBeforeDelete) !== 'true' || id === '') {
    return { status: 'SUCCESS', physicalResourceId };
  }
  const status = await instanceStatus(rds, id, deadline).catch((err: unknown) => `unreadable (${describeError(err)})`);
  if (status !== 'stopped' && status !== 'stopping') {
    console.log(`Delete: RDS instance ${id} is ${String(status)}: nothing to start before its final snapshot`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  const started = await ensureRunning(rds, id, deadline, pollMs);
  const available = started.running && !started.message.startsWith('was started but');
  console.log(
    `Delete: RDS instance ${id} ${started.message}` +
      (available ? ': its final snapshot can be taken' : ': its delete may fail until it is available (retry then)'),
  );
  return { status: 'SUCCESS', physicalResourceId, data: { Available: String(available) } };
}

/** A keeper run (see above): logs what it did, never throws. */
export async function keepStopped(
  event: KeeperEvent,
  context: LambdaContext,
  pollMs = POLL_INTERVAL_MS,
): Promise<void> {
  const cause = event.detail?.EventID ?? event['detail-type'] ?? 'an invocation';
  if (process.env.PAUSED !== 'true') {
    console.log(`${cause}: the database is not paused, nothing to do`);
    return;
  }
  const id = process.env.DB_INSTANCE_IDENTIFIER ?? '';
  const deadline = Date.now() + Math.max(1_000, context.getRemainingTimeInMillis() - KEEPER_MARGIN_MS);
  // a stack operation in progress may still update or delete the instance: leave it, the schedule catches up
  if (process.env.STACK_ID) {
    const stack = await stackStatus(process.env.STACK_ID, Date.now() + STACK_STATUS_MS);
    if (stack === undefined || stack.endsWith('_IN_PROGRESS')) {
      console.log(`${cause}: the stack is ${stack ?? 'in an unknown state'}: RDS instance ${id} left as it is for now`);
      return;
    }
  }
  const outcome = await ensureStopped(new RDSClient(SDK_CLIENT_CONFIG), id, deadline, pollMs);
  console.log(`${cause}: paused RDS instance ${id} ${outcome}`);
}

/**
 * Make sure the instance is stopped, or on its way (see above); what happened, for the logs. Never throws: refusals
 * and time-outs are part of the answer, and the keeper tries again later.
 */
export async function ensureStopped(rds: RDSClient, id: string, deadline: number, pollMs: number): Promise<string> {
  let problem = 'RDS did not answer';
  do {
    try {
      const status = await instanceStatus(rds, id, deadline);
      if (status === TIMED_OUT) {
        break;
      }
      if (status === 'stopped' || status === 'stopping') {
        return `is ${status}`;
      }
      if (STUCK_STATES.has(status)) {
        return `is ${status}: RDS cannot stop it in that state, left as it is`;
      }
      if (status === 'available') {
        const out = await raceDeadline(rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: id })), deadline);
        if (out === TIMED_OUT) {
          break;
        }
        return 'was available: stopping it';
      }
      problem = `is ${status}`;
    } catch (err) {
      problem = describeError(err);
      if (errorName(err) === 'DBInstanceNotFoundFault') {
        return 'does not exist: nothing to stop';
      }
      // InvalidDBInstanceState: the instance left `available` between the two calls; read it again
      if (errorName(err) !== 'InvalidDBInstanceStateFault' && !isTransient(err)) {
        return `could not be stopped (${problem}); the keeper's next run tries again`;
      }
    }
  } while (await waitToPoll(pollMs, deadline));
  return `could not be stopped in time (${problem}); the keeper's next run stops it`;
}

/** The outcome of a resume: running (or starting), or why not, for the logs and CloudFormation's status reason. */
interface Resumed {
  readonly running: boolean;
  readonly message: string;
}

/** Make sure the instance runs (see above). Never throws. */
export async function ensureRunning(rds: RDSClient, id: string, deadline: number, pollMs: number): Promise<Resumed> {
  let started = false;
  let refusals = 0;
  let problem = 'RDS did not answer';
  do {
    try {
      const status = await instanceStatus(rds, id, deadline);
      if (status === TIMED_OUT) {
        break;
      }
      if (status === 'available') {
        return { running: true, message: started ? 'was started and is available' : 'is available' };
      }
      if (STUCK_STATES.has(status)) {
        return { running: false, message: `is ${status}: RDS cannot start it in that state` };
      }
      if (status === 'stopped' && !started) {
        const out = await raceDeadline(rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: id })), deadline);
        if (out === TIMED_OUT) {
          break;
        }
        started = true;
        problem = 'is starting';
      } else if (status === 'starting' || status === 'stopped') {
        // stopped after the start was accepted: RDS has not shown the start yet
        started = true;
        problem = 'is starting';
      } else if (status === 'stopping') {
        // stopping again after a start (a keeper that read PAUSED=true before this update): start it once stopped
        started = false;
        problem = 'is stopping';
      } else {
        return { running: true, message: `is ${status}: running, not stopped` };
      }
    } catch (err) {
      problem = describeError(err);
      const refused =
        errorName(err) === 'InvalidDBInstanceStateFault' ? ++refusals >= START_ATTEMPTS : !isTransient(err);
      if (refused) {
        return { running: false, message: `could not be started (${problem})` };
      }
    }
  } while (await waitToPoll(pollMs, deadline));
  if (started) {
    return { running: true, message: `was started but is not available yet (${problem}); it will be in a few minutes` };
  }
  return { running: false, message: `could not be started in time (${problem})` };
}

/** The instance's status, or TIMED_OUT. RDS's errors are thrown. */
export async function instanceStatus(rds: RDSClient, id: string, deadline: number): Promise<string | typeof TIMED_OUT> {
  const out = await raceDeadline(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })), deadline);
  if (out === TIMED_OUT) {
    return out;
  }
  // only this instance's status, whatever else an answer might list
  const instance = out.DBInstances?.find((i) => i.DBInstanceIdentifier?.toLowerCase() === id.toLowerCase());
  return instance?.DBInstanceStatus ?? 'unknown';
}

/** Wait `ms` for the next poll; false (at once) when the deadline comes first. */
async function waitToPoll(ms: number, deadline: number): Promise<boolean> {
  if (Date.now() + ms >= deadline) {
    return false;
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
  return true;
}

function errorName(err: unknown): string {
  return (err as Error | undefined)?.name ?? '';
}

/** Throttling, RDS's own faults and network errors (no client fault): a later call may get through. */
function isTransient(err: unknown): boolean {
  return (err as { $fault?: string } | undefined)?.$fault !== 'client' || THROTTLING_ERRORS.has(errorName(err));
}
