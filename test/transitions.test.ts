/**
 * Every documented move deploys: the templates before and after each move the README documents (and the move back,
 * which is also the rollback), checked against the rules AWS enforces on an update (test/transition-rules.ts). Each
 * rule is first shown to catch a known-bad pair, so a rule that can no longer fail is noticed.
 *
 * The upgrade check compares the templates of the previous release (test/fixtures/previous-release/, written by
 * `node scripts/release-templates.mjs CHECKOUT`; before the first release, of commit 69a3d34, the last one before the
 * CNAME host record) with what this checkout synthesizes, for the quick start and every example.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import {
  AppTemplates,
  customResourcesAccepted,
  fixedNamesFree,
  importedExportsKept,
  recordTypesCompatible,
  StackTemplate,
  statefulKept,
  stoppedInstanceUntouched,
  targetGroupStays,
  transitionProblems,
  withoutResourcesOfType,
} from './transition-rules';
import {
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaGitHubDeployRole,
  PizzaHostRecordType,
  PizzaLoadBalancer,
  PizzaMonitoring,
  PizzaService,
} from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STRONG = { '@aws-cdk/core:defaultCrossStackReferences': 'strong' };

function templates(app: App): AppTemplates {
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template as StackTemplate]));
}

interface QuickStart {
  readonly paused?: boolean;
  readonly monitoring?: boolean;
  readonly shared?: boolean;
  readonly hostRecordType?: PizzaHostRecordType;
  readonly snapshotIdentifier?: string;
  readonly staging?: boolean;
}

/** The quick start in one stack, with the options of a move. */
function quickStart(options: QuickStart = {}): AppTemplates {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-move-')) });
  const stack = new Stack(app, 'JwtPizza', { env: ENV });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const database = new PizzaDatabase(stack, 'Database', {
    paused: options.paused,
    snapshotIdentifier: options.snapshotIdentifier,
  });
  // the README's move onto a shared load balancer: in the database's VPC
  const loadBalancer = options.shared
    ? new PizzaLoadBalancer(stack, 'LoadBalancer', { dns, vpc: database.vpc })
    : undefined;
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    paused: options.paused,
    loadBalancer,
    hostRecordType: options.hostRecordType,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  const frontend = new PizzaFrontend(stack, 'Frontend', {
    dns,
    serviceUrl: service.url,
    staging: options.staging ? {} : undefined,
  });
  new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });
  if (options.monitoring) {
    new PizzaMonitoring(stack, 'Monitoring', { service, database, frontend });
  }
  return templates(app);
}

/** The database in its own stack, compute in another (examples/data-and-compute.ts), paused or not. */
function dataAndCompute(paused: boolean): AppTemplates {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-move-')), context: STRONG });
  const data = new Stack(app, 'JwtPizzaData', { env: ENV });
  const database = new PizzaDatabase(data, 'Database', { paused });
  const compute = new Stack(app, 'JwtPizzaCompute', { env: ENV });
  const dns = new PizzaDns(compute, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  new PizzaService(compute, 'Service', { dns, database, paused, factoryApiKeySecretName: 'pizza/factory-api-key' });
  return templates(app);
}

/** A PizzaLoadBalancer (and the domain) in its own stack, its one service in another, paused or not. */
function remoteLoadBalancer(paused: boolean): AppTemplates {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-move-')), context: STRONG });
  const shared = new Stack(app, 'Shared', { env: ENV });
  const dns = new PizzaDns(shared, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const loadBalancer = new PizzaLoadBalancer(shared, 'LoadBalancer', { dns });
  const staging = new Stack(app, 'Staging', { env: ENV });
  new PizzaService(staging, 'Service', { dns, loadBalancer, paused, subdomain: 'stage-pizza-service' });
  return templates(app);
}

/** The templates of the alias-record host of the releases before the CNAME: no room-maker. */
function withoutRoomMakers(app: AppTemplates): AppTemplates {
  return Object.fromEntries(
    Object.entries(app).map(([name, template]) => [
      name,
      { ...template, Resources: withoutResourcesOfType(template.Resources ?? {}, 'Custom::PizzaHostRecordRoom') },
    ]),
  );
}

describe('each rule catches a known-bad pair', () => {
  const stack = (resources: Record<string, any>, outputs?: Record<string, any>): StackTemplate => ({
    Resources: resources,
    Outputs: outputs,
  });

  test('a stateful resource replaced (a create-only property changes) or deleted', () => {
    const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'pizza-a' } };
    const renamed = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'pizza-b' } };
    expect(statefulKept().check({ S: stack({ B: bucket }) }, { S: stack({ B: renamed }) })).toEqual([
      'S/B (AWS::S3::Bucket) is replaced: create-only BucketName changes',
    ]);
    expect(statefulKept().check({ S: stack({ B: bucket }) }, { S: stack({}) })).toEqual([
      'S/B (AWS::S3::Bucket) is deleted',
    ]);
    expect(statefulKept(['S/B']).check({ S: stack({ B: bucket }) }, { S: stack({}) })).toEqual([]);
  });

  test('a target group moved from one load balancer to another', () => {
    const group = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: {} };
    const listener = (lb: string) => ({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: lb }, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'G' } }] },
    });
    const lb = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} };
    expect(
      targetGroupStays.check(
        { S: stack({ G: group, A: lb, L: listener('A') }) },
        { S: stack({ G: group, B: lb, L2: listener('B') }) },
      ),
    ).toEqual(['target group S/G moves from S/A to S/B']);
  });

  test('a stopped instance modified with no wake, or deleted with a snapshot and no start', () => {
    const pause = (start: string) => ({
      Type: 'Custom::PizzaDatabasePause',
      Properties: { DBInstanceIdentifier: { Ref: 'I' }, Paused: 'true', StartBeforeDelete: start },
    });
    const instance = (storage: string) => ({
      Type: 'AWS::RDS::DBInstance',
      DeletionPolicy: 'Snapshot',
      Properties: { AllocatedStorage: storage },
    });
    expect(
      stoppedInstanceUntouched.check(
        { S: stack({ I: instance('20'), P: pause('true') }) },
        { S: stack({ I: instance('30'), P: pause('true') }) },
      ),
    ).toEqual(['S/I is modified while stopped, with no wake resource before it']);
    expect(
      stoppedInstanceUntouched.check({ S: stack({ I: instance('20'), P: pause('false') }) }, { S: stack({}) }),
    ).toEqual(['S/I is deleted with a final snapshot while stopped']);
  });

  test('an export dropped while another stack imports it', () => {
    const producer = stack({}, { O: { Value: { Ref: 'X' }, Export: { Name: 'P:X' } } });
    const consumer = stack({ R: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::ImportValue': 'P:X' } } } });
    expect(importedExportsKept.check({ P: producer, C: consumer }, { P: stack({}), C: stack({}) })).toEqual([
      'P drops export P:X, which C imports until its own update',
    ]);
  });

  test('a CNAME created beside the A record of its name, and a record changing type in place', () => {
    const a = { Type: 'AWS::Route53::RecordSet', Properties: { Name: 'x.example.com.', Type: 'A' } };
    const cname = { Type: 'AWS::Route53::RecordSet', Properties: { Name: 'x.example.com.', Type: 'CNAME' } };
    expect(recordTypesCompatible.check({ S: stack({ A: a }) }, { S: stack({ C: cname }) })).toEqual([
      'S/C creates a CNAME x.example.com. beside A S/A',
    ]);
    expect(recordTypesCompatible.check({ S: stack({ A: a }) }, { S: stack({ A: cname }) })).toEqual([
      'S/A changes type in place (A to CNAME)',
    ]);
  });

  test('a fixed name taken by a new resource while the old one still holds it', () => {
    const named = { Type: 'AWS::ECS::Service', Properties: { ServiceName: 'jwt-pizza-service' } };
    expect(fixedNamesFree.check({ S: stack({ Old: named }) }, { S: stack({ New: named }) })).toEqual([
      'S/New (AWS::ECS::Service) takes the name jwt-pizza-service while S/Old still holds it',
    ]);
  });

  test('a record, a CloudFront alias or a key value store name taken by a new resource while the old one holds it', () => {
    const record = {
      Type: 'AWS::Route53::RecordSet',
      Properties: { HostedZoneId: 'Z1', Name: 'x.example.com.', Type: 'A' },
    };
    expect(fixedNamesFree.check({ S: stack({ Old: record }) }, { S: stack({ New: record }) })).toEqual([
      'S/New (AWS::Route53::RecordSet) takes the name x.example.com. (A) while S/Old still holds it',
    ]);
    const aaaa = { ...record, Properties: { ...record.Properties, Type: 'AAAA' } };
    expect(fixedNamesFree.check({ S: stack({ Old: record }) }, { S: stack({ New: aaaa }) })).toEqual([]);
    const cdn = (aliases: string[]) => ({
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { Aliases: aliases } },
    });
    expect(
      fixedNamesFree.check(
        { S: stack({ Old: cdn(['x.example.com']) }) },
        { S: stack({ New: cdn(['y.example.com', 'x.example.com']) }) },
      ),
    ).toEqual(['S/New (AWS::CloudFront::Distribution) takes the name alias x.example.com while S/Old still holds it']);
    const kvs = { Type: 'AWS::CloudFront::KeyValueStore', Properties: { Name: 'us-east-1-SFrontend' } };
    expect(fixedNamesFree.check({ S: stack({ Old: kvs }) }, { S: stack({ New: kvs }) })).toEqual([
      'S/New (AWS::CloudFront::KeyValueStore) takes the name us-east-1-SFrontend while S/Old still holds it',
    ]);
  });

  test("a custom resource's identity property changed in place", () => {
    const room = (keep: string) => ({ Type: 'Custom::PizzaHostRecordRoom', Properties: { Keep: keep } });
    expect(
      customResourcesAccepted.check({ S: stack({ R: room('ALIAS') }) }, { S: stack({ R: room('CNAME') }) }),
    ).toEqual(['S/R (Custom::PizzaHostRecordRoom) changes Keep in place']);
  });
});

/** A documented move, both ways (the way back is also the rollback of the way there). */
function expectMove(before: AppTemplates, after: AppTemplates, allowed: string[] = []): void {
  expect(transitionProblems(before, after, allowed)).toEqual([]);
  expect(transitionProblems(after, before, allowed)).toEqual([]);
}

describe('every documented move deploys, both ways', () => {
  const running = quickStart();

  test('running ↔ paused, one stack', () => {
    expectMove(running, quickStart({ paused: true }));
  });

  test('running ↔ paused, the database in its own stack', () => {
    expectMove(dataAndCompute(false), dataAndCompute(true));
  });

  test('running ↔ paused, a service of a PizzaLoadBalancer in another stack (its exports are kept)', () => {
    expectMove(remoteLoadBalancer(false), remoteLoadBalancer(true));
  });

  test('own load balancer ↔ a shared PizzaLoadBalancer (the target group is a new one)', () => {
    expectMove(running, quickStart({ shared: true }));
  });

  test('adding and removing PizzaMonitoring', () => {
    expectMove(running, quickStart({ monitoring: true }));
  });

  test('the alias pair of earlier releases → the CNAME host record (and back to ALIAS)', () => {
    const aliasBefore = withoutRoomMakers(quickStart({ hostRecordType: PizzaHostRecordType.ALIAS }));
    expect(transitionProblems(aliasBefore, running)).toEqual([]);
    expectMove(running, quickStart({ hostRecordType: PizzaHostRecordType.ALIAS }));
    // without the room-maker, the rule sees what Route 53 would refuse
    expect(transitionProblems(aliasBefore, withoutRoomMakers(running))).toEqual([
      expect.stringContaining('creates a CNAME pizza-service.example.com. beside A'),
    ]);
  });

  test('adding and removing staging on the frontend (an update in place: one distribution, a new pointer)', () => {
    const staged = quickStart({ staging: true });
    expect(transitionProblems(running, staged)).toEqual([]);
    // the way back deletes the release pointer, and only it: removing staging forgets the releases, on purpose
    const pointer = Object.keys(staged.JwtPizza.Resources ?? {}).find((id) => id.startsWith('FrontendReleasePointer'))!;
    expect(transitionProblems(staged, running)).toEqual([
      `a stateful resource is not replaced or deleted: JwtPizza/${pointer} (AWS::CloudFront::KeyValueStore) is deleted`,
    ]);
    expect(transitionProblems(staged, running, [`JwtPizza/${pointer}`])).toEqual([]);
  });

  test('two frontends (staging-and-production.ts) → one frontend with staging takes names still held: two deploys', () => {
    const twoFrontends = (staged: boolean): AppTemplates => {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-move-')) });
      const stack = new Stack(app, 'JwtPizza', { env: ENV });
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      new PizzaFrontend(stack, 'ProductionFrontend', { dns, staging: staged ? {} : undefined });
      if (!staged) {
        new PizzaFrontend(stack, 'StagingFrontend', { dns, subdomain: 'stage-pizza' });
      }
      return templates(app);
    };
    const problems = transitionProblems(twoFrontends(false), twoFrontends(true));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /takes the name alias stage-pizza.example.com while JwtPizza\/StagingFrontendDistribution/,
        ),
        expect.stringMatching(
          /takes the name stage-pizza.example.com. \(A\) while JwtPizza\/StagingFrontendAliasRecord/,
        ),
      ]),
    );
    // the documented way: remove the staging frontend in one deploy, then add `staging` in the next
    const productionOnly = (): AppTemplates => {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-move-')) });
      const stack = new Stack(app, 'JwtPizza', { env: ENV });
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      new PizzaFrontend(stack, 'ProductionFrontend', { dns });
      return templates(app);
    };
    // (the staging bucket goes with its frontend, on purpose: its builds move to the version folders)
    const stagingBucket = Object.keys(twoFrontends(false).JwtPizza.Resources ?? {}).find((id) =>
      id.startsWith('StagingFrontendBucket'),
    )!;
    expect(transitionProblems(twoFrontends(false), productionOnly(), [`JwtPizza/${stagingBucket}`])).toEqual([]);
    expect(transitionProblems(productionOnly(), twoFrontends(true))).toEqual([]);
  });

  test('a restore (snapshotIdentifier) replaces the database, and only it, on purpose', () => {
    const restored = quickStart({ snapshotIdentifier: 'pizza-before-the-final' });
    const instance = Object.entries(running.JwtPizza.Resources ?? {}).find(
      ([, r]) => r.Type === 'AWS::RDS::DBInstance',
    )![0];
    const problems = transitionProblems(running, restored);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toContain(`JwtPizza/${instance} (AWS::RDS::DBInstance) is replaced`);
    }
    expect(transitionProblems(running, restored, [`JwtPizza/${instance}`])).toEqual([]);
  });

  test('one stack → data and compute stacks moves the database, which only a snapshot restore can do', () => {
    // the README's path: a final snapshot of the one-stack database, restored into the data stack
    const problems = transitionProblems(running, dataAndCompute(false));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/JwtPizza\/DatabaseInstance\w+ .*is deleted/)]),
    );
  });
});

const EXAMPLES_DIR = join(__dirname, '..', 'examples');
const PREVIOUS = join(__dirname, 'fixtures', 'previous-release');

/** An example app synthesized now, by stack name. */
function synthesizeExample(file: string): AppTemplates {
  const outdir = mkdtempSync(join(tmpdir(), 'pizza-upgrade-'));
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', join(EXAMPLES_DIR, file)], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true', JSII_DEPRECATED: 'quiet' },
    encoding: 'utf-8',
  });
  if (result.status !== 0) throw new Error(`${file} exited ${result.status}:\n${result.stderr}`);
  return readTemplates(outdir);
}

function readTemplates(dir: string): AppTemplates {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f.replace(/\.template\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf-8'))]),
  );
}

describe('the previous release → this one, for every example (the quick start is examples/jwt-pizza.ts)', () => {
  const examples = readdirSync(PREVIOUS).sort();

  test('the fixtures cover every example', () => {
    expect(examples).toEqual(
      readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort(),
    );
  });

  test.each(examples)('%s upgrades in one deploy', (example) => {
    const before = readTemplates(join(PREVIOUS, example));
    const after = synthesizeExample(`${example}.ts`);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(transitionProblems(before, after)).toEqual([]);
  });
});
