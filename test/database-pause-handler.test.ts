/**
 * The database pause and wake handlers, run with the real AWS SDK v3 clients against a local stand-in for RDS,
 * CloudFormation and CloudFormation's response URL (test/handler-harness.ts), its status scripted to move as RDS's
 * does. Polls are 20 ms apart instead of 15 s, and the Lambda context has seconds left, so every wait that runs out
 * ends quickly.
 */
import { DeleteDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { FakeAws, lambdaContext } from './handler-harness';
import * as pauseHandler from '../src/database/handlers/database-pause';
import * as wakeHandler from '../src/database/handlers/database-wake';
import { CloudFormationEvent, respond, RESPONSE_RESERVE_MS } from '../src/shared/handlers/cfn-response';

/** The handler's 15 s between two status reads, shortened. */
const POLL_MS = 20;
/** A Lambda context as the handler sees it a little after start: two seconds of work, then the answer. */
const REMAINING_MS = RESPONSE_RESERVE_MS + 2_000;
/** A resume also keeps three seconds for reading the stack's status before it answers FAILED. */
const RESUME_REMAINING_MS = RESPONSE_RESERVE_MS + 5_000;

// a handler given a few seconds of work can take longer than jest's default 5 s on a loaded machine (answering
// CloudFormation included): what these tests bound is the handler's own deadline, asserted where it matters
jest.setTimeout(30_000);
const PHYSICAL_ID = 'database-pause-pizza-db';

let aws: FakeAws;
let log: jest.SpyInstance;
let quiet: jest.SpyInstance[];

beforeEach(async () => {
  aws = new FakeAws();
  await aws.start();
  log = jest.spyOn(console, 'log').mockImplementation();
  quiet = [log, jest.spyOn(console, 'error').mockImplementation()];
});

afterEach(async () => {
  quiet.forEach((s) => s.mockRestore());
  delete process.env.STACK_ID;
  await aws.stop();
});

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1';

function pauseEvent(
  RequestType: 'Create' | 'Update' | 'Delete',
  paused: boolean,
  identifier = 'pizza-db',
  PhysicalResourceId: string | undefined = RequestType === 'Create' ? undefined : PHYSICAL_ID,
  properties: Record<string, string> = {},
  oldProperties?: Record<string, string>,
): CloudFormationEvent {
  return {
    RequestType,
    ResponseURL: aws.responseUrl,
    StackId: STACK_ID,
    RequestId: 'request-1',
    LogicalResourceId: 'DatabasePauseResource',
    PhysicalResourceId,
    ResourceProperties: {
      DBInstanceIdentifier: identifier,
      Paused: String(paused),
      Database: 'Pizza/Database',
      ...properties,
    },
    ...(oldProperties ? { OldResourceProperties: oldProperties } : {}),
  };
}

/** The handler as Lambda runs it, with short polls. */
async function pollingHandler(event: CloudFormationEvent, context: any): Promise<void> {
  await respond(event, context, await pauseHandler.decide(event, context, POLL_MS));
}

/** Run `handler` on `event`; the one accepted answer, which arrived before the function's time was up. */
async function answer(
  event: CloudFormationEvent,
  remainingMs = REMAINING_MS,
  handler: (event: any, context: any) => Promise<void> = pollingHandler,
): Promise<any> {
  const started = Date.now();
  await handler(event, lambdaContext(remainingMs));
  expect(aws.accepted).toHaveLength(1);
  expect(aws.accepted[0].at - started).toBeLessThan(remainingMs);
  return aws.accepted[0].body;
}

/** The RDS calls made, without the instance identifier. */
function rdsCalls(): string[] {
  return aws.rdsCalls.map((c) => c.replace(/ pizza-db$/, ''));
}

function logged(): string {
  return log.mock.calls.map((c) => c.join(' ')).join('\n');
}

describe('paused: make sure the instance is stopped, always SUCCESS', () => {
  test('stops an available instance', async () => {
    const body = await answer(pauseEvent('Create', true));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: PHYSICAL_ID,
      LogicalResourceId: 'DatabasePauseResource',
      RequestId: 'request-1',
    });
    expect(aws.rdsCalls).toEqual(['DescribeDBInstances pizza-db', 'StopDBInstance pizza-db']);
    expect(aws.dbInstance!.status).toBe('stopping');
    expect(logged()).toContain('Create, paused: Pizza/Database (RDS instance pizza-db) was available: stopping it');
  });

  test.each(['stopped', 'stopping'])('leaves a %s instance alone', async (status) => {
    aws.dbInstance!.status = status;
    expect((await answer(pauseEvent('Update', true))).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual(['DescribeDBInstances']);
  });

  test('waits through a backup, then stops the instance', async () => {
    aws.dbInstance!.status = 'backing-up';
    aws.dbInstance!.next = ['backing-up', 'available'];
    expect((await answer(pauseEvent('Create', true))).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual(['DescribeDBInstances', 'DescribeDBInstances', 'DescribeDBInstances', 'StopDBInstance']);
  });

  test('an instance still modifying at the deadline: SUCCESS in time, left to the keeper', async () => {
    aws.dbInstance!.status = 'modifying';
    const body = await answer(pauseEvent('Update', true));
    expect(body.Status).toBe('SUCCESS');
    expect(rdsCalls()).not.toContain('StopDBInstance');
    expect(rdsCalls().length).toBeGreaterThan(10);
    expect(logged()).toContain("could not be stopped in time (is modifying); the keeper's next run stops it");
  });

  test('an instance that left `available` between the two calls is read again', async () => {
    aws.dbInstance!.next = ['backing-up', 'available'];
    // described as available, then backing up when the stop arrives (refused), then available again
    expect((await answer(pauseEvent('Update', true))).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual([
      'DescribeDBInstances',
      'StopDBInstance',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'StopDBInstance',
    ]);
    expect(aws.dbInstance!.status).toBe('stopping');
  });

  test.each<[string, () => void]>([
    ['RDS refuses the stop', () => aws.operations.set('StopDBInstance', 'denied')],
    ['RDS refuses every call', () => (aws.behaviour = 'denied')],
    ['RDS never answers', () => (aws.behaviour = 'hang')],
    ['the instance does not exist', () => (aws.dbInstance = undefined)],
    ['the instance failed', () => (aws.dbInstance!.status = 'failed')],
  ])('%s: SUCCESS in time, never FAILED (this is also the rollback of a resume)', async (_, setUp) => {
    setUp();
    expect(await answer(pauseEvent('Update', true))).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: PHYSICAL_ID,
    });
  });

  test('throttling past the SDK retries is polled again', async () => {
    aws.operations.set('DescribeDBInstances', 'throttle');
    setTimeout(() => aws.operations.delete('DescribeDBInstances'), 500);
    expect((await answer(pauseEvent('Update', true), RESPONSE_RESERVE_MS + 12_000)).Status).toBe('SUCCESS');
    expect(aws.dbInstance!.status).toBe('stopping');
  }, 30_000);
});

describe('resumed: make sure the instance runs, and is available before the service deploys', () => {
  test('starts a stopped instance and waits until it is available', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = ['starting', 'available'];
    const body = await answer(pauseEvent('Update', false), RESUME_REMAINING_MS);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(rdsCalls()).toEqual([
      'DescribeDBInstances',
      'StartDBInstance',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'DescribeDBInstances',
    ]);
    expect(logged()).toContain('Update, resumed: Pizza/Database (RDS instance pizza-db) was started and is available');
  });

  test('waits for a stopping instance to stop, then starts it', async () => {
    aws.dbInstance!.status = 'stopping';
    aws.dbInstance!.next = ['stopped'];
    expect((await answer(pauseEvent('Update', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual([
      'DescribeDBInstances',
      'DescribeDBInstances',
      'StartDBInstance',
      'DescribeDBInstances',
      'DescribeDBInstances',
    ]);
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('an instance stopped again after the start (a keeper of the paused template) is started again', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStarts = [['stopping', 'stopped'], ['available']];
    expect((await answer(pauseEvent('Update', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
    expect(rdsCalls().filter((c) => c === 'StartDBInstance')).toHaveLength(2);
    expect(aws.dbInstance!.status).toBe('available');
    expect(logged()).toContain('was started and is available');
  });

  test.each(['available', 'backing-up'])('an instance that is %s runs already: SUCCESS at once', async (status) => {
    aws.dbInstance!.status = status;
    expect((await answer(pauseEvent('Create', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual(['DescribeDBInstances']);
  });

  test('a start that is accepted but not available by the deadline: SUCCESS in time, never wedge', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = []; // starting for ever
    expect((await answer(pauseEvent('Update', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
    expect(rdsCalls().filter((c) => c === 'StartDBInstance')).toHaveLength(1);
    expect(logged()).toContain('was started but is not available yet (is starting)');
  });

  test('a start RDS refuses: FAILED with a reason that says what happens and what to do', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.operations.set('StartDBInstance', 'denied');
    const body = await answer(pauseEvent('Update', false), RESUME_REMAINING_MS);
    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    expect(body.Reason).toBe(
      'Could not resume Pizza/Database (RDS instance pizza-db): it could not be started (AccessDenied: not ' +
        'authorized to perform rds:StartDBInstance). The stack rolls back to `paused: true` (the instance stays ' +
        'stopped, its data kept). Check that the instance can be started in the RDS console, then deploy with ' +
        '`paused: false` again.',
    );
    expect(aws.calls).toEqual(['DescribeDBInstances', 'StartDBInstance', 'DescribeStacks']);
  });

  test('a refusal for the instance state that persists: FAILED after three attempts', async () => {
    // described as stopped each time, and stopping again by the time the start arrives
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.next = ['stopping', 'stopped', 'stopping', 'stopped', 'stopping'];
    const body = await answer(pauseEvent('Update', false), RESUME_REMAINING_MS);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/it could not be started \(InvalidDBInstanceStateFault: Instance pizza-db is not in/);
    expect(rdsCalls().filter((c) => c === 'StartDBInstance')).toHaveLength(3);
  });

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])(
    'a refused start while the stack is in %s (a pause rolled back): SUCCESS, a rollback must not wedge',
    async (status) => {
      aws.stackStatus = status;
      aws.dbInstance!.status = 'stopped';
      aws.operations.set('StartDBInstance', 'denied');
      expect((await answer(pauseEvent('Update', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
    },
  );

  test('a refused start when the stack status cannot be read: SUCCESS', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.operations.set('StartDBInstance', 'denied');
    aws.operations.set('DescribeStacks', 'denied');
    expect((await answer(pauseEvent('Update', false), RESUME_REMAINING_MS)).Status).toBe('SUCCESS');
  });

  test('RDS never answers: FAILED in time (nothing was started; the rollback to paused is safe)', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.operations.set('DescribeDBInstances', 'hang');
    const body = await answer(pauseEvent('Update', false), RESUME_REMAINING_MS);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/it could not be started in time \(RDS did not answer\)/);
  });

  test('an instance still stopping at the deadline: FAILED in time', async () => {
    aws.dbInstance!.status = 'stopping';
    const body = await answer(pauseEvent('Update', false), RESUME_REMAINING_MS);
    expect(body.Reason).toMatch(/it could not be started in time \(is stopping\)/);
  });
});

describe('every request', () => {
  test('Delete: SUCCESS without a single AWS call, even with AWS unreachable', async () => {
    aws.behaviour = 'hang';
    aws.dbInstance!.status = 'stopped';
    const started = Date.now();
    const body = await answer(pauseEvent('Delete', false), REMAINING_MS, pauseHandler.handler);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(aws.calls).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('a replaced instance gets a new physical id; the old one keeps its own for its Delete', async () => {
    aws.dbInstance = { ...aws.dbInstance!, identifier: 'pizza-db-2' };
    const body = await answer(pauseEvent('Update', false, 'pizza-db-2'), RESUME_REMAINING_MS);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'database-pause-pizza-db-2' });
    aws.accepted.length = 0;
    const old = await answer(pauseEvent('Delete', false, 'pizza-db-2', PHYSICAL_ID), REMAINING_MS);
    expect(old.PhysicalResourceId).toBe(PHYSICAL_ID);
  });

  test('the handler Lambda runs answers CloudFormation (an instance with nothing to wait for)', async () => {
    aws.dbInstance!.status = 'stopped';
    const body = await answer(pauseEvent('Create', true), REMAINING_MS, pauseHandler.handler);
    expect(body.Status).toBe('SUCCESS');
  });
});

describe('the keeper (EventBridge: RDS start events and a schedule)', () => {
  const autoStart = {
    source: 'aws.rds',
    'detail-type': 'RDS DB Instance Event',
    detail: { EventID: 'RDS-EVENT-0154' },
  };

  test('stops an instance RDS starts after seven days: waits until it is available, then stops it', async () => {
    aws.dbInstance!.status = 'starting';
    aws.dbInstance!.next = ['starting', 'available'];
    await pauseHandler.keepStopped(autoStart, lambdaContext(60_000), POLL_MS);
    expect(rdsCalls()).toEqual(['DescribeDBInstances', 'DescribeDBInstances', 'DescribeDBInstances', 'StopDBInstance']);
    expect(aws.dbInstance!.status).toBe('stopping');
    expect(aws.responses).toEqual([]);
    expect(logged()).toContain('RDS-EVENT-0154: paused RDS instance pizza-db was available: stopping it');
  });

  test('does nothing when the database is not paused (the resume itself starts it)', async () => {
    process.env.PAUSED = 'false';
    await pauseHandler.keepStopped({ ...autoStart, detail: { EventID: 'RDS-EVENT-0088' } }, lambdaContext(60_000));
    expect(aws.calls).toEqual([]);
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('the handler takes a scheduled event as a keeper run: no CloudFormation answer', async () => {
    await pauseHandler.handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext(60_000));
    expect(rdsCalls()).toEqual(['DescribeDBInstances', 'StopDBInstance']);
    expect(aws.responses).toEqual([]);
    expect(logged()).toContain('Scheduled Event: paused RDS instance pizza-db was available: stopping it');
  });

  test.each<['denied' | 'hang']>([['denied'], ['hang']])(
    'never throws when RDS is %s, and ends before the function times out',
    async (behaviour) => {
      aws.behaviour = behaviour;
      const started = Date.now();
      await expect(
        pauseHandler.keepStopped(autoStart, lambdaContext(RESPONSE_RESERVE_MS + 2_000), POLL_MS),
      ).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(RESPONSE_RESERVE_MS + 2_000);
    },
  );
});

describe('Delete: the final snapshot needs an available instance (StartBeforeDelete), always SUCCESS', () => {
  const snapshot = { StartBeforeDelete: 'true' };

  test('StartBeforeDelete true: a stopped instance is started and awaited; RDS then takes its final snapshot', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = ['starting', 'starting', 'available'];
    const body = await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, snapshot));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { Available: 'true' } });
    expect(rdsCalls().filter((c) => c !== 'DescribeDBInstances')).toEqual(['StartDBInstance']);
    expect(aws.dbInstance!.status).toBe('available');
    // what CloudFormation does next: delete the instance with a final snapshot
    await new RDSClient({}).send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: 'pizza-db',
        SkipFinalSnapshot: false,
        FinalDBSnapshotIdentifier: 'pizza-db-final',
      }),
    );
    expect(aws.dbInstance).toBeUndefined();
    expect(aws.dbSnapshots).toEqual(['pizza-db-final']);
  });

  test('the harness refuses a final snapshot of a stopped instance (what the start prevents)', async () => {
    aws.dbInstance!.status = 'stopped';
    await expect(
      new RDSClient({}).send(
        new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'pizza-db', SkipFinalSnapshot: false }),
      ),
    ).rejects.toThrow(/not in available state/);
    expect(aws.dbInstance!.status).toBe('stopped');
    expect(aws.dbSnapshots).toEqual([]);
  });

  test('a stopping instance is awaited until stopped, then started', async () => {
    aws.dbInstance!.status = 'stopping';
    aws.dbInstance!.next = ['stopped'];
    const body = await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, snapshot));
    expect(body.Data).toEqual({ Available: 'true' });
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('the Delete of a replaced pause starts the instance its physical id names, not the new one', async () => {
    aws.dbInstance!.status = 'stopped';
    const body = await answer(pauseEvent('Delete', true, 'pizza-db-2', PHYSICAL_ID, snapshot));
    expect(body.Status).toBe('SUCCESS');
    expect(aws.rdsCalls).toContain('StartDBInstance pizza-db');
    expect(aws.rdsCalls.some((c) => c.endsWith('pizza-db-2'))).toBe(false);
  });

  test.each(['available', 'backing-up'])('an instance that is %s: nothing to start', async (status) => {
    aws.dbInstance!.status = status;
    expect((await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, snapshot))).Status).toBe('SUCCESS');
    expect(rdsCalls()).toEqual(['DescribeDBInstances']);
  });

  test('StartBeforeDelete false (DeletionPolicy Delete or Retain): nothing started, no AWS call', async () => {
    aws.dbInstance!.status = 'stopped';
    const body = await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, { StartBeforeDelete: 'false' }));
    expect(body.Status).toBe('SUCCESS');
    expect(aws.calls).toEqual([]);
    expect(aws.dbInstance!.status).toBe('stopped');
  });

  test('a start accepted but not available by the deadline: SUCCESS in time (the instance delete is retried)', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = []; // starting for ever
    const body = await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, snapshot));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Available: 'false' } });
    expect(logged()).toContain('its delete may fail until it is available');
  });

  test.each<[string, () => void]>([
    ['the instance is gone', () => (aws.dbInstance = undefined)],
    ['RDS refuses every call', () => (aws.behaviour = 'denied')],
    [
      'RDS refuses the start',
      () => ((aws.dbInstance!.status = 'stopped'), aws.operations.set('StartDBInstance', 'denied')),
    ],
    ['RDS never answers', () => (aws.behaviour = 'hang')],
  ])('%s: SUCCESS in time', async (_, setUp) => {
    setUp();
    const body = await answer(pauseEvent('Delete', true, 'pizza-db', PHYSICAL_ID, snapshot));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
  });
});

describe('paused while the stack rolls back: nothing stopped', () => {
  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'])(
    'Paused true during %s (the rollback of a resume): an available instance is not stopped, no RDS call',
    async (status) => {
      aws.stackStatus = status;
      const digest = { InstanceProperties: 'digest-1' };
      const old = { DBInstanceIdentifier: 'pizza-db', Paused: 'false', Database: 'Pizza/Database', ...digest };
      const body = await answer(pauseEvent('Update', true, 'pizza-db', PHYSICAL_ID, digest, old));
      expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
      expect(aws.rdsCalls).toEqual([]);
      expect(aws.dbInstance!.status).toBe('available');
      expect(logged()).toContain('the keeper stops it afterwards');
    },
  );

  test('a rollback that changes the instance back (another digest): a stopped instance is started for it', async () => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.dbInstance!.status = 'stopping';
    aws.dbInstance!.next = ['stopped'];
    aws.dbInstance!.afterStart = ['starting', 'available'];
    const old = { DBInstanceIdentifier: 'pizza-db', Paused: 'true', InstanceProperties: 'digest-2' };
    const body = await answer(
      pauseEvent('Update', true, 'pizza-db', PHYSICAL_ID, { InstanceProperties: 'digest-1' }, old),
      RESUME_REMAINING_MS,
    );
    expect(body.Status).toBe('SUCCESS');
    expect(rdsCalls()).not.toContain('StopDBInstance');
    expect(rdsCalls()).toContain('StartDBInstance');
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('that start refused during the rollback: SUCCESS all the same', async () => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.dbInstance!.status = 'stopped';
    aws.operations.set('StartDBInstance', 'denied');
    const old = { DBInstanceIdentifier: 'pizza-db', Paused: 'true', InstanceProperties: 'digest-2' };
    const body = await answer(
      pauseEvent('Update', true, 'pizza-db', PHYSICAL_ID, { InstanceProperties: 'digest-1' }, old),
    );
    expect(body.Status).toBe('SUCCESS');
  });
});

describe('the keeper leaves the instance alone while the stack is in the middle of an operation (STACK_ID)', () => {
  const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event' };

  beforeEach(() => {
    process.env.STACK_ID = STACK_ID;
  });

  test.each([
    'CREATE_IN_PROGRESS',
    'UPDATE_IN_PROGRESS',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    'DELETE_IN_PROGRESS',
  ])('%s: nothing done, no RDS call', async (status) => {
    aws.stackStatus = status;
    await pauseHandler.keepStopped(scheduled, lambdaContext(60_000), POLL_MS);
    expect(aws.calls).toEqual(['DescribeStacks']);
    expect(aws.dbInstance!.status).toBe('available');
    expect(logged()).toContain(`the stack is ${status}: RDS instance pizza-db left as it is for now`);
  });

  test('the stack status cannot be read: nothing done', async () => {
    aws.operations.set('DescribeStacks', 'denied');
    await pauseHandler.keepStopped(scheduled, lambdaContext(60_000), POLL_MS);
    expect(aws.rdsCalls).toEqual([]);
  });

  test.each(['UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'CREATE_COMPLETE'])(
    '%s: an available instance is stopped',
    async (status) => {
      aws.stackStatus = status;
      await pauseHandler.keepStopped(scheduled, lambdaContext(60_000), POLL_MS);
      expect(aws.calls).toEqual(['DescribeStacks', 'DescribeDBInstances', 'StopDBInstance']);
      expect(aws.dbInstance!.status).toBe('stopping');
    },
  );

  test('without STACK_ID (a function deployed before it) it acts as before, whatever the stack does', async () => {
    delete process.env.STACK_ID;
    aws.stackStatus = 'UPDATE_IN_PROGRESS';
    await pauseHandler.keepStopped(scheduled, lambdaContext(60_000), POLL_MS);
    expect(aws.calls).toEqual(['DescribeDBInstances', 'StopDBInstance']);
  });
});

describe('the wake: a stopped instance is started before a deploy changes it', () => {
  const INSTANCE_ID = 'DatabaseInstance1A2B3C4D';
  const WAKE_ID = `database-wake-${INSTANCE_ID}`;

  beforeEach(() => {
    aws.stackResources.set(INSTANCE_ID, 'pizza-db');
  });

  function wakeEvent(
    RequestType: 'Create' | 'Update' | 'Delete',
    digest: string,
    oldDigest?: string,
  ): CloudFormationEvent {
    const properties = (d: string) => ({
      InstanceLogicalId: INSTANCE_ID,
      InstanceProperties: d,
      Database: 'Pizza/Database',
    });
    return {
      RequestType,
      ResponseURL: aws.responseUrl,
      StackId: STACK_ID,
      RequestId: 'request-1',
      LogicalResourceId: 'DatabaseWakeResource',
      PhysicalResourceId: RequestType === 'Create' ? undefined : WAKE_ID,
      ResourceProperties: properties(digest),
      ...(oldDigest !== undefined ? { OldResourceProperties: properties(oldDigest) } : {}),
    };
  }

  async function wakingHandler(event: CloudFormationEvent, context: any): Promise<void> {
    await respond(event, context, await wakeHandler.wake(event, context, POLL_MS));
  }

  const wakeAnswer = (event: CloudFormationEvent, remainingMs = RESUME_REMAINING_MS) =>
    answer(event, remainingMs, wakingHandler);

  test('Create with a stopped instance: started, and SUCCESS only once it is available', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = ['starting', 'starting', 'available'];
    const body = await wakeAnswer(wakeEvent('Create', 'digest-1'));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: WAKE_ID });
    // the answer came after the last status read, which reported `available`
    expect(aws.dbInstance!.status).toBe('available');
    expect(aws.dbInstance!.next).toEqual([]);
    expect(aws.calls).toEqual([
      'DescribeStacks',
      'DescribeStackResource',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'StartDBInstance',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'DescribeDBInstances',
    ]);
    expect(logged()).toContain('Pizza/Database (RDS instance pizza-db) was started and is available');
  });

  test('the handler Lambda runs answers CloudFormation (an instance with nothing to wait for)', async () => {
    const body = await answer(wakeEvent('Update', 'digest-2', 'digest-1'), RESUME_REMAINING_MS, wakeHandler.handler);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: WAKE_ID });
  });

  test('Update with the same digest (the instance does not change): nothing, no AWS call', async () => {
    aws.dbInstance!.status = 'stopped';
    expect(await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-1'))).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: WAKE_ID,
    });
    expect(aws.calls).toEqual([]);
  });

  test('Update with another digest on a stopped instance: started', async () => {
    aws.dbInstance!.status = 'stopped';
    expect((await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'))).Status).toBe('SUCCESS');
    expect(rdsCalls().filter((c) => c !== 'DescribeDBInstances')).toEqual(['StartDBInstance']);
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('Update with the same digest but a referenced value changed (a new security group id): started', async () => {
    aws.dbInstance!.status = 'stopped';
    const event = wakeEvent('Update', 'digest-1', 'digest-1');
    const withReferences = {
      ...event,
      ResourceProperties: { ...event.ResourceProperties, InstanceReferences: ['sg-new', 'pizza-subnets'] },
      OldResourceProperties: { ...event.OldResourceProperties, InstanceReferences: ['sg-old', 'pizza-subnets'] },
    };
    expect((await wakeAnswer(withReferences)).Status).toBe('SUCCESS');
    expect(rdsCalls().filter((c) => c !== 'DescribeDBInstances')).toEqual(['StartDBInstance']);
    expect(aws.dbInstance!.status).toBe('available');
  });

  test('Update with another digest on a stopping instance (a pause just before): awaited, then started', async () => {
    aws.dbInstance!.status = 'stopping';
    aws.dbInstance!.next = ['stopping', 'stopped'];
    expect((await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'))).Status).toBe('SUCCESS');
    expect(aws.dbInstance!.status).toBe('available');
  });

  test.each(['available', 'backing-up', 'modifying'])(
    'Update with another digest on an instance that is %s: nothing started',
    async (status) => {
      aws.dbInstance!.status = status;
      expect((await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'))).Status).toBe('SUCCESS');
      expect(rdsCalls()).toEqual(['DescribeDBInstances']);
    },
  );

  test('the instance is not created yet (DescribeStackResource: does not exist): SUCCESS, no RDS call', async () => {
    aws.stackResources.clear();
    expect((await wakeAnswer(wakeEvent('Create', 'digest-1'))).Status).toBe('SUCCESS');
    expect(aws.calls).toEqual(['DescribeStacks', 'DescribeStackResource']);
    expect(aws.rdsCalls).toEqual([]);
    expect(logged()).toContain(`no instance yet (${INSTANCE_ID})`);
  });

  test('Delete: nothing, no AWS call', async () => {
    aws.dbInstance!.status = 'stopped';
    expect((await wakeAnswer(wakeEvent('Delete', 'digest-1'))).Status).toBe('SUCCESS');
    expect(aws.calls).toEqual([]);
  });

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'])(
    'during %s with an instance that is not stopped: SUCCESS, nothing started',
    async (status) => {
      aws.stackStatus = status;
      expect((await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-2'))).Status).toBe('SUCCESS');
      expect(rdsCalls()).toEqual(['DescribeDBInstances']);
    },
  );

  test('during UPDATE_ROLLBACK_IN_PROGRESS with the same digest: SUCCESS without any RDS call', async () => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.dbInstance!.status = 'stopped';
    expect((await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-1'))).Status).toBe('SUCCESS');
    expect(aws.rdsCalls).toEqual([]);
  });

  test('a rollback that changes the instance back, the pause having stopped it since: started again', async () => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.dbInstance!.status = 'stopping';
    aws.dbInstance!.next = ['stopped'];
    expect((await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-2'))).Status).toBe('SUCCESS');
    expect(rdsCalls()).toContain('StartDBInstance');
    expect(aws.dbInstance!.status).toBe('available');
  });

  test.each<[string, () => void]>([
    ['the start is refused', () => aws.operations.set('StartDBInstance', 'denied')],
    ['the start does not end in time', () => (aws.dbInstance!.afterStart = [])],
    ['the instance cannot be found', () => aws.operations.set('DescribeStackResource', 'denied')],
  ])('during a rollback, %s: SUCCESS all the same (a rollback must not fail here)', async (_, setUp) => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.dbInstance!.status = 'stopped';
    setUp();
    expect((await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-2'))).Status).toBe('SUCCESS');
  });

  test('a start that is not available in time: FAILED before the Lambda times out, nothing changed, deploy again', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.dbInstance!.afterStart = []; // starting for ever
    const started = Date.now();
    const body = await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'), REMAINING_MS);
    expect(Date.now() - started).toBeLessThan(REMAINING_MS);
    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: WAKE_ID });
    expect(body.Reason).toContain('Pizza/Database is paused (RDS instance pizza-db is stopped)');
    expect(body.Reason).toContain('was started but is not available yet (is starting)');
    expect(body.Reason).toContain('Nothing was changed: deploy again');
  });

  test('a start RDS refuses: FAILED, nothing changed', async () => {
    aws.dbInstance!.status = 'stopped';
    aws.operations.set('StartDBInstance', 'denied');
    const body = await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'));
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/could not be started \(AccessDenied.*Nothing was changed: deploy again/);
  });

  test('the instance cannot be looked up: FAILED, nothing changed', async () => {
    aws.operations.set('DescribeStackResource', 'denied');
    const body = await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'));
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/Could not find Pizza\/Database's instance \(DatabaseInstance1A2B3C4D\).*deploy again/);
    expect(aws.rdsCalls).toEqual([]);
  });

  test.each<[string, () => void, RegExp]>([
    ['RDS never answers', () => aws.operations.set('DescribeDBInstances', 'hang'), /\(RDS did not answer in time\)/],
    ['RDS refuses the read', () => aws.operations.set('DescribeDBInstances', 'denied'), /\(AccessDenied: /],
  ])('%s: FAILED in time (the instance may be stopped), nothing changed, deploy again', async (_, setUp, problem) => {
    aws.dbInstance!.status = 'stopped';
    setUp();
    const body = await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'), REMAINING_MS);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(problem);
    expect(body.Reason).toMatch(/to make sure it is not stopped before this deploy changes it .*deploy again\.$/);
  });

  test('RDS never answers during a rollback: SUCCESS in time', async () => {
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    aws.operations.set('DescribeDBInstances', 'hang');
    expect((await wakeAnswer(wakeEvent('Update', 'digest-1', 'digest-2'), REMAINING_MS)).Status).toBe('SUCCESS');
  });

  test('an instance RDS does not know (deleted outside CloudFormation): SUCCESS, CloudFormation reports it', async () => {
    aws.dbInstance = undefined;
    expect((await wakeAnswer(wakeEvent('Update', 'digest-2', 'digest-1'))).Status).toBe('SUCCESS');
  });
});
