/**
 * Every example app under examples/ synthesizes: the examples are documentation that must keep working.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { accountWideNames, readTemplate, schemaFindings, tagFindings } from './template-checks';
import { buildPizzaApp } from '../bench/pizza-app';

const EXAMPLES_DIR = join(__dirname, '..', 'examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort();

test('the four scenarios are there', () => {
  expect(EXAMPLES).toEqual(['data-and-compute.ts', 'jwt-pizza.ts', 'staging-and-production.ts', 'us-east-2.ts']);
});

test.each(EXAMPLES)('%s synthesizes', (file) => {
  const outdir = mkdtempSync(join(tmpdir(), 'pizza-example-'));
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', join(EXAMPLES_DIR, file)], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true', JSII_DEPRECATED: 'quiet' },
    encoding: 'utf-8',
  });
  if (result.status !== 0) {
    throw new Error(`${file} exited ${result.status}:\n${result.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf-8'));
  const stacks = Object.values(manifest.artifacts as Record<string, { type: string }>).filter(
    (a) => a.type === 'aws:cloudformation:stack',
  );
  expect(stacks.length).toBeGreaterThan(0);
  const templates = readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(outdir, f));
  const findings = templates.flatMap((t) => [
    ...schemaFindings(t).map((f) => `${t.replace(`${outdir}/`, '')} ${f.resource}: ${f.message}`),
    ...tagFindings(readTemplate(t)).map((f) => `${t.replace(`${outdir}/`, '')} ${f.resource}: ${f.message}`),
  ]);
  expect(findings).toEqual([]);
});

test.each(['us-east-1', 'us-east-2'])(
  'every custom resource of the example app (in %s) stops CloudFormation waiting within 15 minutes',
  (region) => {
    const { app, stack } = buildPizzaApp(mkdtempSync(join(tmpdir(), `pizza-timeouts-${region}-`)), region);
    const template = app.synth().getStackArtifact(stack.artifactId).template;
    const customResources = Object.entries(template.Resources as Record<string, any>).filter(
      ([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource',
    );
    expect(customResources.map(([, r]) => r.Type).sort()).toEqual([
      ...(region === 'us-east-1' ? [] : ['AWS::CloudFormation::CustomResource']), // the us-east-1 certificate
      'Custom::CDKBucketDeployment',
      'Custom::CDKBucketDeployment',
      'Custom::PizzaDatabasePause',
      'Custom::PizzaDatabaseRestoreGuard',
      'Custom::PizzaDatabaseWake',
      'Custom::PizzaFrontendAssetCleanup',
      'Custom::PizzaGitHubOidcProvider',
      'Custom::PizzaHostRecordRoom',
      'Custom::PizzaServiceDesiredCount',
      'Custom::S3AutoDeleteObjects',
    ]);
    const unbounded = customResources
      .filter(([, r]) => !(Number(r.Properties.ServiceTimeout) > 0 && Number(r.Properties.ServiceTimeout) <= 900))
      .map(([id, r]) => `${id} (${r.Type}): ${r.Properties.ServiceTimeout}`);
    expect(unbounded).toEqual([]);
  },
);

test('the same app deployed in two regions of one account: no account-wide name collides', () => {
  const names = ['us-east-1', 'eu-west-1'].map((region) => {
    const { app, stack } = buildPizzaApp(mkdtempSync(join(tmpdir(), `pizza-${region}-`)), region);
    const assembly = app.synth();
    return accountWideNames(assembly.getStackArtifact(stack.artifactId).template, region);
  });
  // the names are there to compare (OAC, response headers policy, SPA routing function)...
  for (const type of [
    'AWS::CloudFront::OriginAccessControl',
    'AWS::CloudFront::ResponseHeadersPolicy',
    'AWS::CloudFront::Function',
  ]) {
    expect(names[0].filter((n) => n.startsWith(`${type} `))).toHaveLength(1);
  }
  // ...and none is the same in both regions
  expect(names[0].filter((n) => names[1].includes(n))).toEqual([]);
});

test('the quick start synthesizes without a single warning', () => {
  // the DESIGN.md app: every warning the library or aws-cdk-lib would print is either fixed or acknowledged
  const { stack } = buildPizzaApp(mkdtempSync(join(tmpdir(), 'pizza-quick-')));
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
});

test('staging and production: the README one-liner sets each GitHub variable once per environment', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pizza-environments-'));
  const synth = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register', join(EXAMPLES_DIR, 'staging-and-production.ts')],
    {
      cwd: join(__dirname, '..'),
      env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true', JSII_DEPRECATED: 'quiet' },
      encoding: 'utf-8',
    },
  );
  expect(synth.status).toBe(0);
  const template = readTemplate(join(outdir, 'JwtPizzaEnvironments.template.json')) as any;
  // what `aws cloudformation describe-stacks --query 'Stacks[0].Outputs'` returns, with made-up values
  const outputs = Object.entries(template.Outputs as Record<string, { Description?: string }>).map(([id, o]) => ({
    OutputKey: id,
    OutputValue: `value-of-${id}`,
    Description: o.Description,
  }));
  // the one-liner, exactly as examples/github/README.md gives it
  const readme = readFileSync(join(EXAMPLES_DIR, 'github', 'README.md'), 'utf-8');
  const script = /\| node -e '([^']+)'/.exec(readme)![1];
  const result = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify(outputs), encoding: 'utf-8' });
  expect(result.status).toBe(0);
  const lines = result.stdout.trim().split('\n');
  const targets = lines.map((l) => /^gh variable set (\w+) --env (\w+) --body/.exec(l)?.slice(1).join(' '));
  // nine variables for each environment, each set once, none at repository level (which the other would overwrite)
  expect(targets).not.toContain(undefined);
  expect(new Set(targets).size).toBe(lines.length);
  expect(lines).toHaveLength(18);
  expect(lines).toContain('gh variable set SERVICE_URL --env staging --body "value-of-StagingGitHubServiceUrl"');
  expect(lines).toContain('gh variable set SERVICE_URL --env production --body "value-of-ProductionGitHubServiceUrl"');
});
