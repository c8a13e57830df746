/**
 * Every example app under examples/ synthesizes: the examples are documentation that must keep working.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

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
});

test('the quick start synthesizes without a single warning', () => {
  // the DESIGN.md app: every warning the library or aws-cdk-lib would print is either fixed or acknowledged
  const stack = new Stack(new App(), 'Quick', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const database = new PizzaDatabase(stack, 'Database');
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  const frontend = new PizzaFrontend(stack, 'Frontend', {
    dns,
    source: join(EXAMPLES_DIR, 'spa-dist'),
    serviceUrl: service.url,
  });
  new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
});
