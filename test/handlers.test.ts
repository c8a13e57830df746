/**
 * The custom resource handlers, run with the real AWS SDK v3 clients against a local stand-in for ECS, ECR, S3,
 * Route 53, IAM, CloudFormation and CloudFormation's response URL (test/handler-harness.ts). Every test asserts the answer CloudFormation gets, and
 * that it arrives before the Lambda function would time out.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { basename, join } from 'path';
import { CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { Change, ChangeResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { buildSync } from 'esbuild';
import { FakeAws, FakeRecord, lambdaContext, OIDC_PROVIDER_ARN } from './handler-harness';
import * as restoreGuardHandler from '../src/database/handlers/restore-guard';
import * as validationCleanupHandler from '../src/dns/handlers/validation-cleanup';
import * as cleanupHandler from '../src/frontend/handlers/asset-cleanup';
import * as oidcProviderHandler from '../src/github/handlers/oidc-provider';
import * as desiredCountHandler from '../src/service/handlers/desired-count';
import * as hostRecordHandler from '../src/service/handlers/host-record';
import { HANDLER_FOLDERS, HandlerName } from '../src/shared/handler-code';
import { CloudFormationEvent, RESPONSE_RESERVE_MS, SDK_CLIENT_CONFIG } from '../src/shared/handlers/cfn-response';

// handlers given a few seconds of work can pass jest's default 5 s on a loaded machine; each test bounds its own
// handler's deadline where it matters
jest.setTimeout(30_000);

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

describe('the host record room-maker', () => {
  const { handler, parsePhysicalId, physicalId } = hostRecordHandler;
  const ZONE = 'Z0123456789ABC';
  const NAME = 'pizza.example.com.';
  const ELB = {
    HostedZoneId: 'Z35SXDOTRQ7X7K',
    DNSName: 'dualstack.pizza-lb-1234567890.us-east-1.elb.amazonaws.com.',
    EvaluateTargetHealth: true,
  };
  const CLOUDFRONT = {
    HostedZoneId: 'Z2FDTNDATAQYW2',
    DNSName: 'd111111abcdef8.cloudfront.net.',
    EvaluateTargetHealth: false,
  };
  const S3_WEBSITE = {
    HostedZoneId: 'Z3AQBSTGFYJSTF',
    DNSName: 's3-website-us-east-1.amazonaws.com.',
    EvaluateTargetHealth: false,
  };

  const alias = (Type: string, target = ELB, Name = NAME): FakeRecord => ({
    Name,
    Type,
    Values: [],
    Alias: { ...target },
  });
  const cname = (value: string, Name = NAME): FakeRecord => ({ Name, Type: 'CNAME', TTL: 300, Values: [value] });
  /** Records of other names, on both sides of NAME in Route 53's order (the listing starts at NAME). */
  const otherNames = (): FakeRecord[] => [
    { Name: 'example.com.', Type: 'NS', TTL: 172800, Values: ['ns-1.awsdns-00.com.'] },
    alias('A', ELB, 'admin.example.com.'),
    alias('A', ELB, 'api.pizza.example.com.'),
    alias('AAAA', ELB, 'api.pizza.example.com.'),
    cname(ELB.DNSName, 'pizza-service.example.com.'),
    cname(CLOUDFRONT.DNSName, 'www.example.com.'),
  ];
  /** A record as the AWS SDK gives and takes it. */
  const sdk = (r: FakeRecord): ResourceRecordSet => ({
    Name: r.Name,
    Type: r.Type as ResourceRecordSet['Type'],
    ...(r.Alias ? { AliasTarget: r.Alias } : { TTL: r.TTL, ResourceRecords: r.Values.map((Value) => ({ Value })) }),
  });
  /** One change batch sent to the fake, as CloudFormation's record resources send theirs. */
  const change = (...changes: [Change['Action'], FakeRecord][]) =>
    new Route53Client(SDK_CLIENT_CONFIG).send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: { Changes: changes.map(([Action, r]) => ({ Action, ResourceRecordSet: sdk(r) })) },
      }),
    );
  const hostEvent = (
    RequestType: 'Create' | 'Update' | 'Delete',
    Keep: 'CNAME' | 'ALIAS',
    PhysicalResourceId?: string,
    properties: { HostedZoneId?: string; RecordName?: string } = {},
  ) =>
    cfnEvent(RequestType, PhysicalResourceId, {
      HostedZoneId: ZONE,
      RecordName: 'pizza.example.com',
      Keep,
      ...properties,
    });
  /** The zone's records, in an order that does not matter. */
  const sorted = (records: FakeRecord[] | undefined) => (records ?? []).map((r) => JSON.stringify(r)).sort();
  /** The changes of one ChangeResourceRecordSets body, as `ACTION name type`. */
  const actions = (body: string) =>
    [...body.matchAll(/<Action>(\w+)<\/Action><ResourceRecordSet><Name>([^<]*)<\/Name><Type>(\w+)</g)].map((m) =>
      m.slice(1).join(' '),
    );
  /** Route 53's refusal of a CNAME beside other records of its name (or of a record beside a CNAME). */
  const conflict =
    /^RRSet of type \w+ with DNS name pizza\.example\.com\. is not permitted because a conflicting RRSet/;

  test('without it, Route 53 refuses a CNAME beside the alias records, and a batch that cannot all apply applies none', async () => {
    aws.records = [...otherNames(), alias('A'), alias('AAAA')];
    await expect(change(['CREATE', cname(ELB.DNSName)])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringMatching(conflict),
    });
    // deleting only the A is not enough: the AAAA still blocks the CNAME, so the A stays too
    await expect(change(['DELETE', alias('A')], ['CREATE', cname(ELB.DNSName)])).rejects.toMatchObject({
      message: expect.stringMatching(/type CNAME .* conflicting RRSet of type AAAA/),
    });
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), alias('A'), alias('AAAA')]));
  });

  test('Create keeping the CNAME: deletes the alias A and AAAA to the load balancer in one batch; then the CNAME can be created', async () => {
    aws.records = [...otherNames(), alias('A'), alias('AAAA')];
    const { body } = await answer(handler, hostEvent('Create', 'CNAME'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 2 } });
    expect(body.PhysicalResourceId).toMatch(/^pizza-host-record\|Z0123456789ABC\|pizza\.example\.com\.\|CNAME\|/);
    expect(parsePhysicalId(body.PhysicalResourceId)).toEqual({
      zoneId: ZONE,
      name: NAME,
      keep: 'CNAME',
      deleted: [sdk(alias('A')), sdk(alias('AAAA'))],
    });
    expect(aws.calls).toEqual(['ListResourceRecordSets', 'ChangeResourceRecordSets']);
    expect(aws.requests[0]).toMatch(
      /^GET \/2013-04-01\/hostedzone\/Z0123456789ABC\/rrset\?.*name=pizza\.example\.com\./,
    );
    expect(aws.changes).toHaveLength(1);
    expect(actions(aws.changes[0])).toEqual([`DELETE ${NAME} A`, `DELETE ${NAME} AAAA`]);
    // the other names' records, the library's aliases among them, stay
    expect(sorted(aws.records)).toEqual(sorted(otherNames()));
    await change(['CREATE', cname(ELB.DNSName)]);
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), cname(ELB.DNSName)]));
  });

  test('Update keeping the CNAME deletes the CloudFront alias pair too', async () => {
    aws.records = [...otherNames(), alias('A', CLOUDFRONT), alias('AAAA', CLOUDFRONT)];
    const { body } = await answer(handler, hostEvent('Update', 'CNAME', physicalId(ZONE, NAME, 'ALIAS', [])));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 2 } });
    expect(parsePhysicalId(body.PhysicalResourceId)!.deleted).toEqual([
      sdk(alias('A', CLOUDFRONT)),
      sdk(alias('AAAA', CLOUDFRONT)),
    ]);
    expect(sorted(aws.records)).toEqual(sorted(otherNames()));
  });

  test.each<[string, FakeRecord[]]>([
    ['an alias to an S3 website endpoint', [alias('A', S3_WEBSITE)]],
    ['a plain A record with an IP address', [{ Name: NAME, Type: 'A', TTL: 300, Values: ['192.0.2.10'] }]],
    ['a TXT record', [{ Name: NAME, Type: 'TXT', TTL: 300, Values: ['"v=spf1 -all"'] }]],
  ])(
    'keeping the CNAME leaves %s alone (Route 53 then refuses the CNAME, and the deploy rolls back)',
    async (_, own) => {
      aws.records = [...otherNames(), ...own];
      const { body } = await answer(handler, hostEvent('Create', 'CNAME'));
      expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 0 } });
      expect(parsePhysicalId(body.PhysicalResourceId)!.deleted).toEqual([]);
      expect(aws.calls).toEqual(['ListResourceRecordSets']);
      expect(sorted(aws.records)).toEqual(sorted([...otherNames(), ...own]));
      await expect(change(['CREATE', cname(ELB.DNSName)])).rejects.toMatchObject({
        message: expect.stringMatching(conflict),
      });
    },
  );

  test("keeping the CNAME deletes only the library's alias of a pair: a plain AAAA beside it stays", async () => {
    const plain: FakeRecord = { Name: NAME, Type: 'AAAA', TTL: 300, Values: ['2001:db8::1'] };
    aws.records = [...otherNames(), alias('A'), plain];
    const { body } = await answer(handler, hostEvent('Create', 'CNAME'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 1 } });
    expect(actions(aws.changes[0])).toEqual([`DELETE ${NAME} A`]);
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), plain]));
  });

  test.each([
    ['a load balancer', ELB.DNSName],
    ['a CloudFront distribution', CLOUDFRONT.DNSName],
  ])('keeping the ALIAS: deletes the CNAME to %s; then the alias records can be created', async (_, value) => {
    aws.records = [...otherNames(), cname(value)];
    const { body } = await answer(handler, hostEvent('Update', 'ALIAS', physicalId(ZONE, NAME, 'CNAME', [])));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 1 } });
    expect(parsePhysicalId(body.PhysicalResourceId)).toEqual({
      zoneId: ZONE,
      name: NAME,
      keep: 'ALIAS',
      deleted: [sdk(cname(value))],
    });
    expect(aws.changes).toHaveLength(1);
    expect(actions(aws.changes[0])).toEqual([`DELETE ${NAME} CNAME`]);
    expect(sorted(aws.records)).toEqual(sorted(otherNames()));
    await change(['CREATE', alias('A')], ['CREATE', alias('AAAA')]);
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), alias('A'), alias('AAAA')]));
  });

  test('keeping the ALIAS leaves a CNAME to anything else alone', async () => {
    aws.records = [...otherNames(), cname('pizza.netlify.app.')];
    const { body } = await answer(handler, hostEvent('Create', 'ALIAS'));
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 0 } });
    expect(aws.calls).toEqual(['ListResourceRecordSets']);
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), cname('pizza.netlify.app.')]));
  });

  test.each<['CNAME' | 'ALIAS', FakeRecord[]]>([
    ['CNAME', [cname(ELB.DNSName)]], // the form kept is there already
    ['ALIAS', [alias('A'), alias('AAAA')]],
    ['CNAME', []], // a new name
  ])('keeping the %s with nothing to delete: SUCCESS, no change', async (keep, own) => {
    aws.records = [...otherNames(), ...own];
    const { body } = await answer(handler, hostEvent('Create', keep));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: physicalId(ZONE, NAME, keep, []),
      Data: { Deleted: 0 },
    });
    expect(aws.calls).toEqual(['ListResourceRecordSets']);
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), ...own]));
  });

  test('compares names without regard to case, with the final dot, and takes a zone id with its /hostedzone/ prefix', async () => {
    aws.records = [...otherNames(), alias('A'), alias('AAAA')];
    const event = hostEvent('Create', 'CNAME', undefined, {
      HostedZoneId: '/hostedzone/Z0123456789ABC',
      RecordName: 'Pizza.Example.COM',
    });
    const { body } = await answer(handler, event);
    expect(body).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 2 } });
    expect(body.PhysicalResourceId).toMatch(/^pizza-host-record\|Z0123456789ABC\|pizza\.example\.com\.\|CNAME\|/);
    expect(sorted(aws.records)).toEqual(sorted(otherNames()));
    expect(hostRecordHandler.fqdn('Pizza.Example.COM.')).toBe(NAME);
  });

  test.each<['Create' | 'Update', string]>([
    ['Create', 'ListResourceRecordSets'],
    ['Update', 'ChangeResourceRecordSets'],
  ])(
    '%s when Route 53 denies %s: FAILED, with a reason naming the record, nothing changed',
    async (type, operation) => {
      aws.records = [...otherNames(), alias('A'), alias('AAAA')];
      aws.operations.set(operation, 'denied');
      const previous = type === 'Update' ? physicalId(ZONE, NAME, 'ALIAS', []) : undefined;
      const { body } = await answer(handler, hostEvent(type, 'CNAME', previous));
      expect(body).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: previous ?? physicalId(ZONE, NAME, 'CNAME', []),
        Reason:
          'Could not make room for the CNAME record of pizza.example.com. in Z0123456789ABC: ' +
          `AccessDenied: not authorized to perform route53:${operation}`,
      });
      expect(sorted(aws.records)).toEqual(sorted([...otherNames(), alias('A'), alias('AAAA')]));
    },
  );

  test('Create when Route 53 never answers: FAILED, in time', async () => {
    aws.records = [...otherNames(), alias('A'), alias('AAAA')];
    aws.behaviour = 'hang';
    const { body } = await answer(handler, hostEvent('Create', 'CNAME'));
    expect(body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: physicalId(ZONE, NAME, 'CNAME', []),
      Reason: 'Route 53 did not answer in time; deploy again',
    });
  });

  test.each<['CNAME' | 'ALIAS', FakeRecord[], FakeRecord[]]>([
    ['CNAME', [alias('A'), alias('AAAA')], [cname(ELB.DNSName)]],
    ['ALIAS', [cname(CLOUDFRONT.DNSName)], [alias('A', CLOUDFRONT), alias('AAAA', CLOUDFRONT)]],
  ])(
    'a rollback of the update that swapped to the %s restores exactly the deleted records (through the physical id)',
    async (keep, old, created) => {
      const before = [...otherNames(), ...old];
      aws.records = before.map((r) => ({ ...r }));
      const previous = physicalId(ZONE, NAME, keep === 'CNAME' ? 'ALIAS' : 'CNAME', []);
      const id = (await answer(handler, hostEvent('Update', keep, previous))).body.PhysicalResourceId;
      // the update creates the new record, fails later on, and the rollback deletes the new record first (it
      // depends on this resource)
      await change(...created.map((r): [Change['Action'], FakeRecord] => ['CREATE', r]));
      await change(...created.map((r): [Change['Action'], FakeRecord] => ['DELETE', r]));
      aws.stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
      aws.accepted.length = 0;
      aws.calls.length = 0;
      aws.changes.length = 0;
      const { body } = await answer(handler, hostEvent('Delete', keep, id));
      expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
      expect(aws.calls).toEqual(['DescribeStacks', 'ChangeResourceRecordSets']);
      expect(actions(aws.changes[0])).toEqual(old.map((r) => `UPSERT ${NAME} ${r.Type}`));
      expect(sorted(aws.records)).toEqual(sorted(before));
    },
  );

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])(
    'Delete while the stack is in %s restores the deleted records',
    async (status) => {
      aws.records = otherNames();
      aws.stackStatus = status;
      const id = physicalId(ZONE, NAME, 'CNAME', [sdk(alias('A')), sdk(alias('AAAA'))]);
      const { body } = await answer(handler, hostEvent('Delete', 'CNAME', id));
      expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
      expect(sorted(aws.records)).toEqual(sorted([...otherNames(), alias('A'), alias('AAAA')]));
    },
  );

  test.each(['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'DELETE_IN_PROGRESS'])(
    'Delete while the stack is in %s restores nothing (the swap stands, or the stack goes)',
    async (status) => {
      aws.records = [...otherNames(), cname(ELB.DNSName)];
      aws.stackStatus = status;
      const id = physicalId(ZONE, NAME, 'CNAME', [sdk(alias('A')), sdk(alias('AAAA'))]);
      const { body } = await answer(handler, hostEvent('Delete', 'CNAME', id));
      expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
      expect(aws.calls).toEqual(['DescribeStacks']);
      expect(sorted(aws.records)).toEqual(sorted([...otherNames(), cname(ELB.DNSName)]));
    },
  );

  test.each([
    ['that deleted nothing', physicalId(ZONE, NAME, 'CNAME', [])],
    ['of another kind', 'HostRecordRoom'],
  ])('Delete of a physical id %s: SUCCESS without an AWS call, even with AWS unreachable', async (_, id) => {
    aws.behaviour = 'hang';
    aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    const { body, ms } = await answer(handler, hostEvent('Delete', 'CNAME', id));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(aws.calls).toEqual([]);
    expect(ms).toBeLessThan(1_000);
  });

  test.each<[string, () => void, FakeRecord[]]>([
    ['Route 53 denies it', () => aws.operations.set('ChangeResourceRecordSets', 'denied'), []],
    // the new CNAME could not be deleted: the alias records may not join it (and the batch applies none of them)
    ['Route 53 refuses it', () => aws.records!.push(cname(ELB.DNSName)), [cname(ELB.DNSName)]],
    ['Route 53 never answers', () => aws.operations.set('ChangeResourceRecordSets', 'hang'), []],
    ['the stack status cannot be read', () => aws.operations.set('DescribeStacks', 'denied'), []],
    ['nothing answers', () => (aws.behaviour = 'hang'), []],
  ])('Delete during a rollback whose restore fails because %s: SUCCESS (logged), in time', async (_, setUp, own) => {
    aws.records = otherNames();
    aws.stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    setUp();
    const id = physicalId(ZONE, NAME, 'CNAME', [sdk(alias('A')), sdk(alias('AAAA'))]);
    const { body } = await answer(handler, hostEvent('Delete', 'CNAME', id));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(sorted(aws.records)).toEqual(sorted([...otherNames(), ...own]));
  });
});

describe('the GitHub OIDC provider handler', () => {
  const { handler } = oidcProviderHandler;
  const URL = 'https://token.actions.githubusercontent.com';
  const providerEvent = (RequestType: 'Create' | 'Update' | 'Delete', PhysicalResourceId?: string) =>
    cfnEvent(RequestType, PhysicalResourceId, {
      ProviderArn: OIDC_PROVIDER_ARN,
      Url: URL,
      ClientId: 'sts.amazonaws.com',
    });
  const operations = () => aws.iamCalls.map((c) => c.operation);

  test('Create in an account without the provider: created with the audience sts.amazonaws.com and no thumbprint', async () => {
    const { body } = await answer(handler, providerEvent('Create'));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: OIDC_PROVIDER_ARN,
      Data: { Outcome: 'created' },
    });
    expect(aws.iamCalls).toEqual([
      { operation: 'GetOpenIDConnectProvider', params: { OpenIDConnectProviderArn: OIDC_PROVIDER_ARN } },
      { operation: 'CreateOpenIDConnectProvider', params: { Url: URL, 'ClientIDList.member.1': 'sts.amazonaws.com' } },
    ]);
    expect(aws.oidcProvider).toEqual({ clientIds: ['sts.amazonaws.com'] });
  });

  test('Create in an account that has it with the audience: used as it is, nothing created', async () => {
    aws.oidcProvider = { clientIds: ['sts.amazonaws.com'] };
    const { body } = await answer(handler, providerEvent('Create'));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: OIDC_PROVIDER_ARN,
      Data: { Outcome: 'existed: used as it is' },
    });
    expect(operations()).toEqual(['GetOpenIDConnectProvider']);
    expect(aws.oidcProvider).toEqual({ clientIds: ['sts.amazonaws.com'] });
  });

  test('Update with a provider without the audience: the audience is added, nothing removed', async () => {
    aws.oidcProvider = { clientIds: ['https://github.com/pizza-org'] };
    const { body } = await answer(handler, providerEvent('Update', OIDC_PROVIDER_ARN));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: OIDC_PROVIDER_ARN,
      Data: { Outcome: 'existed: audience sts.amazonaws.com added' },
    });
    expect(aws.iamCalls).toEqual([
      { operation: 'GetOpenIDConnectProvider', params: { OpenIDConnectProviderArn: OIDC_PROVIDER_ARN } },
      {
        operation: 'AddClientIDToOpenIDConnectProvider',
        params: { OpenIDConnectProviderArn: OIDC_PROVIDER_ARN, ClientID: 'sts.amazonaws.com' },
      },
    ]);
    expect(aws.oidcProvider).toEqual({ clientIds: ['https://github.com/pizza-org', 'sts.amazonaws.com'] });
  });

  test("the AWS SDK names IAM's NoSuchEntity and EntityAlreadyExists as the handler expects", async () => {
    const iam = new IAMClient(SDK_CLIENT_CONFIG);
    const get = new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: OIDC_PROVIDER_ARN });
    await expect(iam.send(get)).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
    aws.oidcProvider = { clientIds: [] };
    const create = new CreateOpenIDConnectProviderCommand({ Url: URL, ClientIDList: ['sts.amazonaws.com'] });
    await expect(iam.send(create)).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      $metadata: { httpStatusCode: 409 },
    });
  });

  test('Create racing another stack (missing when read, existing when created): SUCCESS, used as it is', async () => {
    aws.before.set('CreateOpenIDConnectProvider', () => (aws.oidcProvider ??= { clientIds: ['sts.amazonaws.com'] }));
    const { body } = await answer(handler, providerEvent('Create'));
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: OIDC_PROVIDER_ARN,
      Data: { Outcome: 'created at the same time by another stack: used as it is' },
    });
    expect(operations()).toEqual(['GetOpenIDConnectProvider', 'CreateOpenIDConnectProvider']);
  });

  test.each<['Create' | 'Update', string]>([
    ['Create', 'CREATE_IN_PROGRESS'],
    ['Update', 'UPDATE_IN_PROGRESS'],
  ])(
    '%s denied iam:CreateOpenIDConnectProvider (stack %s): FAILED, naming the permission and `oidcProvider`',
    async (type, status) => {
      aws.stackStatus = status;
      aws.operations.set('CreateOpenIDConnectProvider', 'denied');
      const { body } = await answer(handler, providerEvent(type, type === 'Update' ? OIDC_PROVIDER_ARN : undefined));
      expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: OIDC_PROVIDER_ARN });
      expect(body.Reason).toContain(
        `The GitHub OIDC provider ${OIDC_PROVIDER_ARN} could not be ensured (failed: AccessDenied: User: ` +
          'arn:aws:sts::123456789012:assumed-role/cdk-deploy/session is not authorized to perform: ' +
          'iam:CreateOpenIDConnectProvider). Deploy with permission to iam:CreateOpenIDConnectProvider',
      );
      expect(body.Reason).toMatch(
        /, https:\/\/token\.actions\.githubusercontent\.com, audience sts\.amazonaws\.com\) and pass it as `oidcProvider`\.$/,
      );
      expect(aws.oidcProvider).toBeUndefined();
      expect(aws.calls).toEqual(['GetOpenIDConnectProvider', 'CreateOpenIDConnectProvider', 'DescribeStacks']);
    },
  );

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])(
    'denied while the stack is in %s: SUCCESS, so the rollback never wedges',
    async (status) => {
      aws.stackStatus = status;
      aws.operations.set('CreateOpenIDConnectProvider', 'denied');
      const { body } = await answer(handler, providerEvent('Update', OIDC_PROVIDER_ARN));
      expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: OIDC_PROVIDER_ARN });
      expect(body.Data.Outcome).toMatch(/^failed: AccessDenied: .* \(stack rolling back\)$/);
    },
  );

  test('Delete: SUCCESS, the provider kept, without a single AWS call (even with AWS unreachable)', async () => {
    aws.oidcProvider = { clientIds: ['sts.amazonaws.com'] };
    aws.behaviour = 'hang';
    const { body, ms } = await answer(handler, providerEvent('Delete', OIDC_PROVIDER_ARN));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: OIDC_PROVIDER_ARN, Data: { Kept: 'true' } });
    expect(aws.calls).toEqual([]);
    expect(aws.oidcProvider).toEqual({ clientIds: ['sts.amazonaws.com'] });
    expect(ms).toBeLessThan(1_000);
  });

  test.each<[string, string, () => void]>([
    ['IAM never answers', 'FAILED', () => aws.operations.set('GetOpenIDConnectProvider', 'hang')],
    // the stack status is read until 10 s past the work deadline, still within the time kept for answering
    ['IAM and CloudFormation never answer', 'FAILED', () => (aws.behaviour = 'hang')],
    [
      'IAM never answers during a rollback',
      'SUCCESS',
      () => {
        aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
        aws.operations.set('GetOpenIDConnectProvider', 'hang');
      },
    ],
  ])(
    'Update when %s: %s, in time',
    async (_, status, setUp) => {
      // the SDK warns of the request still hanging past its own time-out
      quiet.push(jest.spyOn(console, 'warn').mockImplementation());
      setUp();
      const { body } = await answer(handler, providerEvent('Update', OIDC_PROVIDER_ARN));
      expect(body).toMatchObject({ Status: status, PhysicalResourceId: OIDC_PROVIDER_ARN });
      expect(body.Reason + JSON.stringify(body.Data)).toMatch(/timed out/);
    },
    30_000,
  );
});

describe('the shipped bundles', () => {
  const root = join(__dirname, '..');
  const bundle = (name: HandlerName) => join(root, 'assets', HANDLER_FOLDERS[name], 'handlers', name, 'index.js');
  const names = Object.keys(HANDLER_FOLDERS) as HandlerName[];
  const labels = join(root, 'scripts', 'handler-bundle-labels.mjs');

  test('every handler under src/<construct>/handlers has its folder in HANDLER_FOLDERS and a bundle task', () => {
    const sources = readdirSync(join(root, 'src')).flatMap((folder) => {
      const dir = join(root, 'src', folder, 'handlers');
      if (folder === 'shared' || !existsSync(dir)) return [];
      return readdirSync(dir).map((file) => [basename(file, '.ts'), folder]);
    });
    expect(Object.fromEntries(sources)).toEqual(HANDLER_FOLDERS);
    const tasks = JSON.parse(readFileSync(join(root, '.projen', 'tasks.json'), 'utf-8')).tasks;
    const bundles = tasks.bundle.steps.map((step: { spawn?: string }) => step.spawn).filter(Boolean);
    expect([...bundles].sort()).toEqual(names.map((name) => `bundle:${HANDLER_FOLDERS[name]}/handlers/${name}`).sort());
  });

  test.each(names)('%s is built from the current source', (name) => {
    const built = buildSync({
      entryPoints: [join(root, 'src', HANDLER_FOLDERS[name], 'handlers', `${name}.ts`)],
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      tsconfig: join(root, 'tsconfig.dev.json'),
      write: false,
      absWorkingDir: root,
    });
    // the bundle task's last step: each module's path comment set to its released name
    const labelled = execFileSync('node', [labels], { input: built.outputFiles[0].text, encoding: 'utf-8' });
    expect(labelled).toContain(`\n// src/private/handlers/${name}.ts\n`);
    expect(readFileSync(bundle(name), 'utf-8')).toBe(labelled);
  });

  test('the labels keep only the file name, and refuse two sources that would share one', () => {
    const relabel = (text: string) =>
      execFileSync('node', [labels], { input: text, encoding: 'utf-8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(relabel('// src/service/handlers/a.ts\nx;\n// src/shared/handlers/b.ts\n// src/shared/c.ts\n')).toBe(
      '// src/private/handlers/a.ts\nx;\n// src/private/handlers/b.ts\n// src/shared/c.ts\n',
    );
    expect(() => relabel('// src/service/handlers/a.ts\n// src/database/handlers/a.ts\n')).toThrow(
      /src\/service\/handlers\/a.ts and src\/database\/handlers\/a.ts would both be labelled/,
    );
  });

  test.each<[HandlerName, string[]]>([
    ['desired-count', ['@aws-sdk/client-ecs', '@aws-sdk/client-ecr']],
    ['asset-cleanup', ['@aws-sdk/client-s3']],
    ['restore-guard', ['@aws-sdk/client-cloudformation']],
    ['validation-cleanup', ['@aws-sdk/client-route-53']],
    ['database-pause', ['@aws-sdk/client-rds', '@aws-sdk/client-cloudformation']],
    ['oidc-provider', ['@aws-sdk/client-iam']],
    ['host-record', ['@aws-sdk/client-route-53', '@aws-sdk/client-cloudformation']],
    ['database-wake', ['@aws-sdk/client-rds', '@aws-sdk/client-cloudformation']],
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
