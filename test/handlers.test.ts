/**
 * The custom resource handlers, run with the real AWS SDK v3 clients against a local stand-in for ECS, ECR, S3 and
 * CloudFormation's response URL (test/handler-harness.ts). Every test asserts the answer CloudFormation gets, and
 * that it arrives before the Lambda function would time out.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSync } from 'esbuild';
import { FakeAws, lambdaContext } from './handler-harness';
import * as cleanupHandler from '../src/private/handlers/asset-cleanup';
import { CloudFormationEvent, RESPONSE_RESERVE_MS } from '../src/private/handlers/cfn-response';
import * as desiredCountHandler from '../src/private/handlers/desired-count';
import * as restoreGuardHandler from '../src/private/handlers/restore-guard';
import * as validationCleanupHandler from '../src/private/handlers/validation-cleanup';

/** A Lambda context as the handler sees it a little after start: enough to keep tests that hang short. */
const REMAINING_MS = RESPONSE_RESERVE_MS + 2_000;
const TAG = cleanupHandler.ASSET_RETIRED_TAG;
const DAY_MS = 24 * 60 * 60 * 1000;

let aws: FakeAws;
let quiet: jest.SpyInstance[];

beforeEach(async () => {
  aws = new FakeAws();
  await aws.start();
  quiet = [jest.spyOn(console, 'log').mockImplementation(), jest.spyOn(console, 'error').mockImplementation()];
});

afterEach(async () => {
  quiet.forEach((s) => s.mockRestore());
  await aws.stop();
});

function cfnEvent(
  RequestType: 'Create' | 'Update' | 'Delete',
  PhysicalResourceId?: string,
  ResourceProperties: Record<string, unknown> = {},
): CloudFormationEvent {
  return {
    RequestType,
    ResponseURL: aws.responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1',
    RequestId: 'request-1',
    LogicalResourceId: 'ServiceDesiredCount',
    PhysicalResourceId,
    ResourceProperties,
  };
}

/** Run `handler` on `event`; the one accepted answer, and how long it took. */
async function answer(
  handler: (event: any, context: any) => Promise<void>,
  event: CloudFormationEvent,
  remainingMs = REMAINING_MS,
): Promise<{ body: any; ms: number }> {
  const started = Date.now();
  await handler(event, lambdaContext(remainingMs));
  expect(aws.accepted).toHaveLength(1);
  const ms = aws.accepted[0].at - started;
  // the answer is in before the Lambda function's time is up
  expect(ms).toBeLessThan(remainingMs);
  return { body: aws.accepted[0].body, ms };
}

/** Time for the SDK's throttling back-off (its three attempts wait up to a few seconds) before the deadline. */
const THROTTLE_REMAINING_MS = RESPONSE_RESERVE_MS + 12_000;

describe('the desired-count handler', () => {
  const { handler } = desiredCountHandler;

  test('Create with an empty repository: 0, so the first deploy completes', async () => {
    const { body } = await answer(handler, cfnEvent('Create'));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'pizza-desired-count',
      LogicalResourceId: 'ServiceDesiredCount',
      RequestId: 'request-1',
      Data: { DesiredCount: 0 },
    });
    expect(aws.calls).toEqual(['DescribeServices', 'DescribeImages']);
  });

  test('Create once the image is pushed: the minimum', async () => {
    aws.image = true;
    const { body } = await answer(handler, cfnEvent('Create'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { DesiredCount: 1 } });
  });

  test('Update with tasks running: the live count (autoscaling is not undone), clamped to [min, max]', async () => {
    aws.image = true;
    aws.service = { desiredCount: 3, runningCount: 3 };
    // the physical id stays as it is when the count changes: a new one would be a replacement, and a rollback
    // would then restore the old count instead of asking again
    expect((await answer(handler, cfnEvent('Update', 'pizza-desired-count'))).body).toMatchObject({
      Data: { DesiredCount: 3 },
      PhysicalResourceId: 'pizza-desired-count',
    });
    aws.accepted.length = 0;
    aws.service = { desiredCount: 9, runningCount: 9 };
    expect((await answer(handler, cfnEvent('Update', 'pizza-desired-count'))).body.Data).toEqual({
      DesiredCount: 4,
    });
  });

  test('Update to a tag not pushed yet while tasks run: never 0 (the running tasks stay)', async () => {
    aws.image = false;
    aws.service = { desiredCount: 2, runningCount: 2 };
    const { body } = await answer(handler, cfnEvent('Update', 'pizza-desired-count'));
    expect(body.Data).toEqual({ DesiredCount: 2 });
  });

  test('Update with no task running and no image: 0 (a deployment could not start)', async () => {
    aws.service = { desiredCount: 1, runningCount: 0 };
    const { body } = await answer(handler, cfnEvent('Update', 'pizza-desired-count'));
    expect(body.Data).toEqual({ DesiredCount: 0 });
  });

  test.each(['throttle', 'denied', 'hang'] as const)(
    'Update when ECS %s: SUCCESS with at least one task (never 0, which would stop running tasks), in time',
    async (behaviour) => {
      // the first deploy answered 0 before any push; then a push started a task: the next update must not stop it
      aws.behaviour = behaviour;
      const remaining = behaviour === 'hang' ? REMAINING_MS : THROTTLE_REMAINING_MS;
      const { body } = await answer(handler, cfnEvent('Update', 'pizza-desired-count'), remaining);
      expect(body).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'pizza-desired-count',
        Data: { DesiredCount: 1 },
      });
      expect(body.Reason).toMatch(/answered 1 \(at least one task\) without the live count$/);
    },
    30_000,
  );

  test('Update with an error and a minimum above 1: the minimum', async () => {
    process.env.MIN_CAPACITY = '2';
    aws.behaviour = 'denied';
    const { body } = await answer(handler, cfnEvent('Update', 'pizza-desired-count'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { DesiredCount: 2 } });
  });

  test('Update keeps a physical id from an older version as it is (no replacement)', async () => {
    aws.image = true;
    aws.service = { desiredCount: 1, runningCount: 1 };
    const { body } = await answer(handler, cfnEvent('Update', 'DesiredCount'));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'DesiredCount', Data: { DesiredCount: 1 } });
  });

  test.each([
    ['denied', /AccessDeniedException: not authorized to perform DescribeServices/],
    ['throttle', /ThrottlingException: Rate exceeded/],
    ['hang', /did not answer in time/],
  ] as const)(
    'Create when ECS %s: FAILED, with a reason that says what to check, in time',
    async (behaviour, cause) => {
      aws.behaviour = behaviour;
      const remaining = behaviour === 'hang' ? REMAINING_MS : THROTTLE_REMAINING_MS;
      const { body } = await answer(handler, cfnEvent('Create'), remaining);
      expect(body.Status).toBe('FAILED');
      expect(body.Reason).toMatch(cause);
      expect(body.Reason).toMatch(/Check that the account can use ECS and ECR in this region, then deploy again\.$/);
    },
    30_000,
  );

  test('Delete: SUCCESS without a single AWS call, even with AWS unreachable', async () => {
    aws.behaviour = 'hang';
    const { body, ms } = await answer(handler, cfnEvent('Delete', 'pizza-desired-count'));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pizza-desired-count' });
    expect(aws.calls).toEqual([]);
    expect(ms).toBeLessThan(1_000);
  });

  test('a 403 from the response URL is retried until CloudFormation takes the answer', async () => {
    aws.responseStatuses.push(403, 500);
    const { body } = await answer(handler, cfnEvent('Create'));
    expect(body.Status).toBe('SUCCESS');
    expect(aws.responses).toHaveLength(3);
  });

  test('a response URL that always refuses: every attempt made, then an error (logged by Lambda), in time', async () => {
    aws.responseStatuses.push(403, 403, 403, 403);
    const started = Date.now();
    await expect(handler(cfnEvent('Create'), lambdaContext(REMAINING_MS))).rejects.toThrow(
      'could not answer CloudFormation after 4 attempts: HTTP 403, HTTP 403, HTTP 403, HTTP 403',
    );
    expect(aws.responses).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(REMAINING_MS);
  });

  describe('ECR push events', () => {
    const push = { source: 'aws.ecr', 'detail-type': 'ECR Image Action' } as const;

    test.each([
      ['starts the service on the first push', 0],
      // autoscaling raised the count to 1 before any image existed, and the circuit breaker stopped that deployment
      ['restarts a service whose image-less first deployment the circuit breaker stopped', 1],
    ])('%s', async (_, desiredCount) => {
      aws.service = { desiredCount, runningCount: 0 };
      await handler(push, lambdaContext(60_000));
      expect(aws.updates).toEqual([
        { cluster: 'pizza-cluster', service: 'jwt-pizza-service', desiredCount: 1, forceNewDeployment: true },
      ]);
    });

    test('leaves a running service alone on later pushes', async () => {
      aws.service = { desiredCount: 2, runningCount: 2 };
      await handler(push, lambdaContext(60_000));
      expect(aws.calls).toEqual(['DescribeServices']);
      expect(aws.updates).toEqual([]);
    });

    test('a failed start throws, so Lambda retries the event and then hands it to the dead-letter queue', async () => {
      aws.service = { desiredCount: 0, runningCount: 0 };
      aws.operations.set('UpdateService', 'denied');
      await expect(handler(push, lambdaContext(60_000))).rejects.toThrow(/not authorized to perform UpdateService/);
    });
  });
});

describe('the asset cleanup handler', () => {
  const { handler } = cleanupHandler;
  const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString();

  function sweepEvent(RequestType: 'Create' | 'Update' | 'Delete', currentKeys: string[]) {
    return cfnEvent(RequestType, RequestType === 'Create' ? undefined : 'pizza-frontend-asset-cleanup', {
      BucketName: 'site-bucket',
      Prefix: 'assets/',
      RetentionDays: '30',
      CurrentKeys: currentKeys,
    });
  }

  test('keeps the current build, marks the previous one, deletes builds retired longer than the retention', async () => {
    aws.objects.set('assets/new-1.js', { tags: [] });
    aws.objects.set('assets/new-2.css', { tags: [{ Key: TAG, Value: daysAgo(40) }] }); // current again (a rollback)
    aws.objects.set('assets/old-1.js', { tags: [{ Key: 'owner', Value: 'team' }] }); // just replaced
    aws.objects.set('assets/older-1.js', { tags: [{ Key: TAG, Value: daysAgo(10) }] }); // within retention
    aws.objects.set('assets/oldest-1.js', { tags: [{ Key: TAG, Value: daysAgo(31) }] }); // past retention
    const { body } = await answer(handler, sweepEvent('Update', ['assets/new-1.js', 'assets/new-2.css']));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'pizza-frontend-asset-cleanup',
      Data: { Kept: 2, Retired: 1, Deleted: 1 },
    });
    expect([...aws.objects.keys()].sort()).toEqual([
      'assets/new-1.js',
      'assets/new-2.css',
      'assets/old-1.js',
      'assets/older-1.js',
    ]);
    expect(aws.objects.get('assets/new-2.css')!.tags).toEqual([]);
    const oldTags = aws.objects.get('assets/old-1.js')!.tags;
    expect(oldTags[0]).toEqual({ Key: 'owner', Value: 'team' });
    expect(oldTags[1].Key).toBe(TAG);
    expect(Math.abs(Date.parse(oldTags[1].Value) - Date.now())).toBeLessThan(60_000);
  });

  test('walks every page of the listing', async () => {
    aws.pageSize = 2;
    for (const k of ['a', 'b', 'c', 'd', 'e']) {
      aws.objects.set(`assets/${k}.js`, { tags: [{ Key: TAG, Value: daysAgo(99) }] });
    }
    const { body } = await answer(handler, sweepEvent('Create', []));
    expect(body.Data).toEqual({ Kept: 0, Retired: 0, Deleted: 5 });
    expect(aws.objects.size).toBe(0);
    expect(aws.calls.filter((c) => c === 'ListObjectsV2')).toHaveLength(3);
  });

  test('Delete: SUCCESS and the files stay (the bucket decides)', async () => {
    aws.objects.set('assets/a.js', { tags: [{ Key: TAG, Value: daysAgo(99) }] });
    const { body } = await answer(handler, sweepEvent('Delete', []));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pizza-frontend-asset-cleanup' });
    expect(aws.calls).toEqual([]);
    expect(aws.objects.size).toBe(1);
  });

  test.each([
    ['denied', 'AccessDenied: Access Denied'],
    ['throttle', 'SlowDown: Please reduce your request rate.'],
  ] as const)(
    'S3 %s: SUCCESS, the error reported as data (best effort, never a failed deploy)',
    async (behaviour, error) => {
      aws.objects.set('assets/a.js', { tags: [] });
      aws.behaviour = behaviour;
      const { body } = await answer(handler, sweepEvent('Update', []), THROTTLE_REMAINING_MS);
      expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Error: error } });
    },
    30_000,
  );

  test('a call that never returns: SUCCESS, the sweep stopped, in time', async () => {
    aws.objects.set('assets/a.js', { tags: [] });
    aws.operations.set('GetObjectTagging', 'hang');
    const { body } = await answer(handler, sweepEvent('Update', []));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Stopped: true } });
  });

  test('a 403 from the response URL is retried', async () => {
    aws.responseStatuses.push(403);
    const { body } = await answer(handler, sweepEvent('Create', []));
    expect(body.Status).toBe('SUCCESS');
    expect(aws.responses).toHaveLength(2);
  });
});

describe('the restore guard handler', () => {
  const { handler } = restoreGuardHandler;
  const guardEvent = (
    RequestType: 'Create' | 'Update' | 'Delete',
    snapshot: string,
    oldSnapshot?: string,
  ): CloudFormationEvent => ({
    ...cfnEvent(RequestType, RequestType === 'Create' ? undefined : restoreGuardHandler.PHYSICAL_ID, {
      SnapshotIdentifier: snapshot,
      Database: 'Pizza/Database',
    }),
    OldResourceProperties: oldSnapshot === undefined ? undefined : { SnapshotIdentifier: oldSnapshot },
  });

  test('refuses an update that removes the snapshot, with a reason that says what to do, before the database changes', async () => {
    const { body } = await answer(handler, guardEvent('Update', '', 'pizza-final-snapshot'));
    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: restoreGuardHandler.PHYSICAL_ID });
    expect(body.Reason).toBe(
      'Pizza/Database was restored from snapshot "pizza-final-snapshot", and this update removes `snapshotIdentifier`: ' +
        'CloudFormation would replace the restored database with a new, empty one. Put `snapshotIdentifier` back ' +
        '(it restores nothing again on later deploys). To start over with an empty database on purpose, remove the ' +
        'PizzaDatabase in one deploy (its final snapshot is kept) and add it again in the next.',
    );
    expect(aws.calls).toEqual(['DescribeStacks']);
  });

  test.each([
    ['a first restore', 'pizza-final-snapshot', ''],
    ['a restore from another snapshot', 'pizza-snapshot-2', 'pizza-final-snapshot'],
    ['an update that keeps the snapshot', 'pizza-final-snapshot', 'pizza-final-snapshot'],
    ['an update of a database never restored', '', ''],
  ])('lets %s through without an AWS call', async (_, snapshot, oldSnapshot) => {
    const { body } = await answer(handler, guardEvent('Update', snapshot, oldSnapshot));
    expect(body.Status).toBe('SUCCESS');
    expect(aws.calls).toEqual([]);
  });

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])(
    'lets the removal through while the stack is in %s: a rollback of a failed restore must never wedge',
    async (status) => {
      aws.stackStatus = status;
      const { body } = await answer(handler, guardEvent('Update', '', 'pizza-final-snapshot'));
      expect(body.Status).toBe('SUCCESS');
    },
  );

  test.each<['denied' | 'hang']>([['denied'], ['hang']])(
    'lets the removal through when the stack status cannot be read (%s): never wedge',
    async (behaviour) => {
      aws.behaviour = behaviour;
      const { body } = await answer(handler, guardEvent('Update', '', 'pizza-final-snapshot'));
      expect(body.Status).toBe('SUCCESS');
    },
  );

  test.each<['Create' | 'Delete']>([['Create'], ['Delete']])('%s: SUCCESS, AWS untouched', async (type) => {
    aws.behaviour = 'denied';
    const { body } = await answer(handler, guardEvent(type, 'pizza-final-snapshot'));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: restoreGuardHandler.PHYSICAL_ID });
    expect(aws.calls).toEqual([]);
  });
});

describe('the validation record cleanup handler', () => {
  const { handler } = validationCleanupHandler;
  const zoneEvent = (RequestType: 'Create' | 'Update' | 'Delete', physicalId?: string) =>
    cfnEvent(RequestType, physicalId, { HostedZoneId: 'Z0123456789ABC' });
  const validation = (name: string) => ({
    Name: `_${name}.example.com.`,
    Type: 'CNAME',
    TTL: 300,
    Values: [`_${name}-target.xkmhqgfqxz.acm-validations.aws.`],
  });
  const zoneRecords = () => [
    { Name: 'example.com.', Type: 'NS', TTL: 172800, Values: ['ns-1.awsdns-00.com.'] },
    {
      Name: 'example.com.',
      Type: 'SOA',
      TTL: 900,
      Values: ['ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
    },
    validation('3f2a9c'),
    { Name: '_dmarc.example.com.', Type: 'CNAME', TTL: 300, Values: ['dmarc.example.org.'] },
    { Name: 'pizza.example.com.', Type: 'CNAME', TTL: 300, Values: ['d111111abcdef8.cloudfront.net.'] },
    validation('7be401'),
  ];

  test('Create: names the zone in the physical id and touches nothing', async () => {
    aws.records = zoneRecords();
    const { body } = await answer(handler, zoneEvent('Create'));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'validation-cleanup-Z0123456789ABC' });
    expect(aws.calls).toEqual([]);
  });

  test('Update to a new zone: a new physical id, so the old zone gets its own Delete when it goes', async () => {
    const event = { ...zoneEvent('Update', 'validation-cleanup-ZOLDZONE12345'), OldResourceProperties: {} };
    const { body } = await answer(handler, event);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'validation-cleanup-Z0123456789ABC' });
    expect(aws.calls).toEqual([]);
  });

  test('Delete cleans the zone its physical id names, whatever the properties say', async () => {
    aws.records = zoneRecords();
    const event = cfnEvent('Delete', 'validation-cleanup-ZOLDZONE12345', { HostedZoneId: 'ZSOMETHINGELSE' });
    const { body } = await answer(handler, event);
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 2 } });
    expect(aws.changes).toHaveLength(1);
    expect(aws.requests.filter((r) => r.includes('/rrset'))).toEqual([
      expect.stringMatching(/^GET \/2013-04-01\/hostedzone\/ZOLDZONE12345\/rrset/),
      expect.stringMatching(/^POST \/2013-04-01\/hostedzone\/ZOLDZONE12345\/rrset/),
    ]);
  });

  test('Delete: deletes the ACM validation CNAMEs, every page, in one change, and nothing else', async () => {
    aws.records = zoneRecords();
    // one record per page: a page may end between two record sets of one name (the zone's NS and SOA)
    aws.recordPageSize = 1;
    const { body } = await answer(handler, zoneEvent('Delete', 'validation-cleanup-Z0123456789ABC'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 2 } });
    // Route 53 deletes a record set only when it is given exactly: name, type, TTL and value
    const deletes = [...aws.changes[0].matchAll(/<Change>.*?<\/Change>/g)].map((m) => m[0]);
    expect(deletes).toEqual(
      ['3f2a9c', '7be401'].map(
        (h) =>
          `<Change><Action>DELETE</Action><ResourceRecordSet><Name>_${h}.example.com.</Name><Type>CNAME</Type>` +
          `<TTL>300</TTL><ResourceRecords><ResourceRecord><Value>_${h}-target.xkmhqgfqxz.acm-validations.aws.</Value>` +
          '</ResourceRecord></ResourceRecords></ResourceRecordSet></Change>',
      ),
    );
    expect(aws.records.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'example.com. NS',
      'example.com. SOA',
      '_dmarc.example.com. CNAME',
      'pizza.example.com. CNAME',
    ]);
    expect(aws.calls).toEqual([...Array(6).fill('ListResourceRecordSets'), 'ChangeResourceRecordSets']);
  });

  test('Delete of a zone without validation records: no change at all', async () => {
    aws.records = zoneRecords().filter((r) => !r.Values[0].includes('acm-validations'));
    const { body } = await answer(handler, zoneEvent('Delete', 'validation-cleanup-Z0123456789ABC'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 0 } });
    expect(aws.calls).toEqual(['ListResourceRecordSets']);
  });

  test.each<[string, () => void]>([
    ['the zone is gone already', () => (aws.records = undefined)],
    ['access is denied', () => (aws.behaviour = 'denied')],
    ['Route 53 never answers', () => (aws.behaviour = 'hang')],
  ])('Delete when %s: SUCCESS in time (the zone deletion then reports what is left)', async (_, setUp) => {
    aws.records = zoneRecords();
    setUp();
    const { body } = await answer(handler, zoneEvent('Delete', 'validation-cleanup-Z0123456789ABC'));
    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Error).toEqual(expect.any(String));
  });
});

describe('the shipped bundles', () => {
  const bundle = (name: string) => join(__dirname, '..', 'assets', 'private', 'handlers', name, 'index.js');

  test.each(['desired-count', 'asset-cleanup', 'restore-guard', 'validation-cleanup', 'database-pause'])(
    '%s is built from the current source',
    (name) => {
      const built = buildSync({
        entryPoints: [join(__dirname, '..', 'src', 'private', 'handlers', `${name}.ts`)],
        bundle: true,
        platform: 'node',
        target: 'node24',
        format: 'cjs',
        external: ['@aws-sdk/*'],
        tsconfig: join(__dirname, '..', 'tsconfig.dev.json'),
        write: false,
        absWorkingDir: join(__dirname, '..'),
      });
      expect(readFileSync(bundle(name), 'utf-8')).toBe(built.outputFiles[0].text);
    },
  );

  test.each([
    ['desired-count', ['@aws-sdk/client-ecs', '@aws-sdk/client-ecr']],
    ['asset-cleanup', ['@aws-sdk/client-s3']],
    ['restore-guard', ['@aws-sdk/client-cloudformation']],
    ['validation-cleanup', ['@aws-sdk/client-route-53']],
    ['database-pause', ['@aws-sdk/client-rds', '@aws-sdk/client-cloudformation']],
  ])('%s leaves the AWS SDK to the Lambda runtime and stays small', (name, clients) => {
    const code = readFileSync(bundle(name), 'utf-8');
    for (const client of clients) {
      expect(code).toContain(`require("${client}")`);
    }
    // inlined into the template (CloudFormation takes up to 4 MB there); a bundled SDK would be megabytes
    expect(code.length).toBeLessThan(16_000);
  });

  test('the desired-count bundle answers CloudFormation as the source does', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const shipped = require(bundle('desired-count'));
    const { body } = await answer(shipped.handler, cfnEvent('Create'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { DesiredCount: 0 } });
  });
});
