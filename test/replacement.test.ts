/**
 * Nothing lost: which stateful resources a change would make CloudFormation replace, told offline from two
 * synthesized templates and the create-only properties of CloudFormation's resource schemas. A bucket, database,
 * secret, hosted zone or repository must never be replaced by an innocent change.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, RemovalPolicy, Size, Stack, Tags } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { createOnlyProperties, readTemplate } from './template-checks';
import {
  PizzaDatabase,
  PizzaDatabaseProps,
  PizzaDns,
  PizzaFrontend,
  PizzaFrontendProps,
  PizzaGitHubDeployRole,
  PizzaService,
  PizzaServiceProps,
} from '../src';

/** The resource types that hold data or identity a replacement would lose. */
const STATEFUL = [
  'AWS::S3::Bucket',
  'AWS::RDS::DBInstance',
  'AWS::SecretsManager::Secret',
  'AWS::Route53::HostedZone',
  'AWS::ECR::Repository',
  // the release pointer: a new store is empty, and both hosts fall back to the bucket's top level
  'AWS::CloudFront::KeyValueStore',
];

interface AppOptions {
  readonly database?: PizzaDatabaseProps;
  readonly service?: PizzaServiceProps;
  readonly frontend?: PizzaFrontendProps;
  readonly createZone?: boolean;
  readonly tags?: Record<string, string>;
}

/** The quick-start architecture (with a created hosted zone when asked), synthesized; its template file. */
function synth(options: AppOptions = {}): string {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pizza-replace-')) });
  const stack = new Stack(app, 'Pizza', { env: { account: '123456789012', region: 'us-east-1' } });
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    Tags.of(stack).add(key, value);
  }
  const dns = new PizzaDns(stack, 'Dns', {
    domainName: 'example.com',
    hostedZoneId: options.createZone ? undefined : 'Z0123456789ABC',
  });
  const database = new PizzaDatabase(stack, 'Database', options.database);
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    factoryApiKeySecretName: 'pizza/factory-api-key',
    ...options.service,
  });
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url, ...options.frontend });
  new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });
  return join(app.synth().directory, stack.templateFile);
}

/** The stateful resources of `before` that `after` replaces (always, or in some cases), as `Type logicalId`. */
function replacements(
  before: string,
  after: string,
  types: string[] = STATEFUL,
): { replaced: string[]; mayBeReplaced: string[] } {
  const old = readTemplate(before).Resources ?? {};
  const updated = readTemplate(after).Resources ?? {};
  const createOnly = [createOnlyProperties(before), createOnlyProperties(after)];
  const replaced: string[] = [];
  const mayBeReplaced: string[] = [];
  for (const [id, resource] of Object.entries(old)) {
    if (!types.includes(resource.Type)) {
      continue;
    }
    const name = `${resource.Type} ${id}`;
    const next = updated[id];
    if (!next || next.Type !== resource.Type) {
      replaced.push(`${name} (gone)`);
      continue;
    }
    const changed = (property: string) =>
      JSON.stringify(resource.Properties?.[property]) !== JSON.stringify(next.Properties?.[property]);
    const always = createOnly.flatMap((c) => [...(c.get(id)?.always ?? [])]).filter(changed);
    const sometimes = createOnly.flatMap((c) => [...(c.get(id)?.sometimes ?? [])]).filter(changed);
    if (always.length > 0) {
      replaced.push(`${name} (${[...new Set(always)].sort().join(', ')})`);
    } else if (sometimes.length > 0) {
      mayBeReplaced.push(`${name} (${[...new Set(sometimes)].sort().join(', ')})`);
    }
  }
  return { replaced, mayBeReplaced };
}

let base: string;
beforeAll(() => {
  base = synth();
});

describe('the replacement check itself', () => {
  test('sees a change of a create-only property', () => {
    // a database restored from a snapshot: a new instance, without MasterUsername and StorageEncrypted
    const { replaced } = replacements(base, synth({ database: { snapshotIdentifier: 'pizza-final-snapshot' } }));
    expect(replaced).toEqual([
      expect.stringMatching(/^AWS::RDS::DBInstance DatabaseInstance\w+ \(.*MasterUsername.*StorageEncrypted.*\)$/),
    ]);
  });

  test('sees a stateful resource whose logical id changed (a renamed construct), and ignores stateless ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-rename-'));
    const write = (name: string, bucketId: string, topicId: string) => {
      const file = join(dir, `${name}.template.json`);
      writeFileSync(
        file,
        JSON.stringify({
          Resources: {
            [bucketId]: { Type: 'AWS::S3::Bucket', Properties: {} },
            [topicId]: { Type: 'AWS::SNS::Topic', Properties: {} },
          },
        }),
      );
      return file;
    };
    expect(replacements(write('before', 'SiteBucket', 'Topic'), write('after', 'WebBucket', 'Alerts'))).toEqual({
      replaced: ['AWS::S3::Bucket SiteBucket (gone)'],
      mayBeReplaced: [],
    });
  });

  test('sees nothing when nothing changed', () => {
    expect(replacements(base, synth())).toEqual({ replaced: [], mayBeReplaced: [] });
  });
});

describe('innocent changes replace no stateful resource', () => {
  test.each<[string, AppOptions]>([
    ['stack tags added', { tags: { course: 'cs329', owner: 'byucsstudent' } }],
    ['the bucket kept on delete', { frontend: { removalPolicy: RemovalPolicy.RETAIN } }],
    ['a longer asset retention', { frontend: { assetRetention: Duration.days(60) } }],
    ['a security header added', { frontend: { contentSecurityPolicy: "default-src 'self'" } }],
    ['longer backups', { database: { backupRetention: Duration.days(14) } }],
    ['more storage', { database: { allocatedStorage: Size.gibibytes(30) } }],
    ['deletion protection on', { database: { deletionProtection: true } }],
    ['the database kept on delete', { database: { removalPolicy: RemovalPolicy.RETAIN } }],
    [
      'a larger instance',
      { database: { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL) } },
    ],
    ['fewer images kept', { service: { maxImageCount: 5 } }],
    ['another image tag', { service: { imageTag: 'v2' } }],
    ['more tasks', { service: { minCapacity: 2, maxCapacity: 8 } }],
    ['another health check path', { service: { healthCheckPath: '/api/order/menu' } }],
  ])('%s', (_, options) => {
    expect(replacements(base, synth(options)).replaced).toEqual([]);
  });

  test('a standby in a second zone may interrupt the database, but does not replace it', () => {
    const { replaced, mayBeReplaced } = replacements(base, synth({ database: { multiAz: true } }));
    expect(replaced).toEqual([]);
    expect(mayBeReplaced).toEqual([expect.stringMatching(/^AWS::RDS::DBInstance DatabaseInstance\w+ \(MultiAZ\)$/)]);
  });

  test.each<[string, PizzaFrontendProps]>([
    ['stack tags added', {}],
    ['another staging subdomain', { staging: { subdomain: 'preview' } }],
    ['a security header added', { staging: {}, contentSecurityPolicy: "default-src 'self'" }],
    ['another price class', { staging: {}, priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL }],
  ])('with staging, the release pointer and the bucket are kept: %s', (name, frontend) => {
    const staged = synth({ frontend: { staging: {} } });
    const after = synth({
      frontend: { staging: {}, ...frontend },
      tags: name === 'stack tags added' ? { c: 'x' } : {},
    });
    const pointers = Object.values(readTemplate(staged).Resources ?? {}).filter(
      (r) => r.Type === 'AWS::CloudFront::KeyValueStore',
    );
    expect(pointers).toHaveLength(1);
    expect(replacements(staged, after).replaced).toEqual([]);
  });

  test('a created hosted zone is not replaced by stack tags', () => {
    const zone = synth({ createZone: true });
    expect(replacements(zone, synth({ createZone: true, tags: { course: 'cs329' } })).replaced).toEqual([]);
  });
});

describe('changes that do replace a stateful resource (known, documented)', () => {
  test('removing snapshotIdentifier again would replace the restored database: the restore guard refuses it first', () => {
    const restored = synth({ database: { snapshotIdentifier: 'pizza-final-snapshot' } });
    expect(replacements(restored, base).replaced).toEqual([
      expect.stringMatching(/^AWS::RDS::DBInstance DatabaseInstance\w+ \(.*MasterUsername.*StorageEncrypted.*\)$/),
    ]);
    // the guard's update (which fails: see the handler tests) sees the snapshot go, and comes before the database's
    const before = readTemplate(restored).Resources!;
    const after = readTemplate(base).Resources!;
    const [guardId] = Object.keys(after).filter((id) => after[id].Type === 'Custom::PizzaDatabaseRestoreGuard');
    expect(before[guardId].Properties.SnapshotIdentifier).toBe('pizza-final-snapshot');
    expect(after[guardId].Properties.SnapshotIdentifier).toBe('');
    const [databaseId] = Object.keys(after).filter((id) => after[id].Type === 'AWS::RDS::DBInstance');
    expect(after[databaseId].DependsOn).toContain(guardId);
  });
});

describe('the ECS service, named jwt-pizza-service in its cluster, is never replaced by an option', () => {
  // a replacement would create a second service of the same name first, which ECS refuses ("already exists")
  const FIXED_NAMES = ['AWS::ECS::Service', 'AWS::ECS::Cluster'];
  test.each<[string, AppOptions]>([
    ['Fargate Spot', { service: { spot: true } }],
    ['a larger task', { service: { cpu: 512, memoryLimitMiB: 1024 } }],
    ['x86 instead of arm64', { service: { cpuArchitecture: ecs.CpuArchitecture.X86_64 } }],
    ['another container port', { service: { containerPort: 8080 } }],
    ['ECS Exec', { service: { enableExecuteCommand: true } }],
    ['more tasks', { service: { minCapacity: 2, maxCapacity: 8 } }],
    ['another image tag', { service: { imageTag: 'v2' } }],
    ['stack tags added', { tags: { course: 'cs329' } }],
    ['the database restored', { database: { snapshotIdentifier: 'pizza-final-snapshot' } }],
  ])('%s', (_, options) => {
    expect(replacements(base, synth(options), FIXED_NAMES)).toEqual({ replaced: [], mayBeReplaced: [] });
  });
});
