/**
 * Every integ app (test/integ.*.ts), synthesized fresh: cdk-nag AwsSolutions over its test stacks (zero
 * unacknowledged errors and warnings) and cfn-lint over every template it writes (zero errors).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { nagFindings } from './nag';

const TEST_DIR = __dirname;
const INTEG_FILES = readdirSync(TEST_DIR)
  .filter((f) => /^integ\..+\.ts$/.test(f))
  .sort();

interface CfnLintFinding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

function synthesize(file: string): { outdir: string; nag: { stacks: string[]; findings: unknown[] } } {
  const outdir = mkdtempSync(join(tmpdir(), 'pizza-integ-'));
  const nagReport = join(outdir, 'nag-report.json');
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', join(TEST_DIR, file)], {
    cwd: join(TEST_DIR, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, PIZZA_NAG_REPORT: nagReport, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf-8',
  });
  if (result.status !== 0) {
    throw new Error(`${file} failed to synthesize (exit ${result.status}):\n${result.stderr}`);
  }
  return { outdir, nag: JSON.parse(readFileSync(nagReport, 'utf-8')) };
}

function cfnLint(templates: string[]): CfnLintFinding[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`cfn-lint could not run (${result.error.message}): install it with \`pip install cfn-lint\``);
  }
  // exit codes add up 2 (errors), 4 (warnings) and 8 (informational): an even number up to 14; 1 means it did not lint
  if (result.status === null || result.status % 2 !== 0 || result.status > 14) {
    throw new Error(`cfn-lint failed (exit ${result.status}):\n${result.stderr}`);
  }
  const findings = JSON.parse(result.stdout || '[]');
  // exit code 2 means errors: there must be some in the output then
  if ([2, 6, 10, 14].includes(result.status) && findings.length === 0) {
    throw new Error(`cfn-lint exited ${result.status} but reported nothing:\n${result.stderr}`);
  }
  return findings;
}

test('there is an integ app per scenario', () => {
  // also the guard of the integ step: integ-runner passes when it finds no test at all
  expect(INTEG_FILES).toEqual([
    'integ.pizza-database.ts',
    'integ.pizza-dns.ts',
    'integ.pizza-frontend.ts',
    'integ.pizza-github.ts',
    'integ.pizza-service.ts',
  ]);
});

describe.each(INTEG_FILES)('%s', (file) => {
  let outdir: string;
  let nag: { stacks: string[]; findings: unknown[] };
  beforeAll(() => {
    ({ outdir, nag } = synthesize(file));
  });

  test('cdk-nag AwsSolutions: every test stack checked, no unacknowledged findings', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf-8'));
    const testStacks = Object.entries(manifest.artifacts as Record<string, { type: string; displayName?: string }>)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id]) => id)
      .filter((id) => !id.endsWith('-Assertions') && !id.includes('DeployAssert'));
    expect(testStacks.length).toBeGreaterThan(0);
    expect([...nag.stacks].sort()).toEqual(testStacks.sort());
    expect(nag.findings).toEqual([]);
  });

  test('cfn-lint: no errors in any template', () => {
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(outdir, f));
    expect(templates.length).toBeGreaterThan(0);
    const errors = cfnLint(templates).filter((f) => f.Level === 'Error');
    expect(errors.map((e) => `${e.Rule.Id} ${e.Filename}: ${e.Message}`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  test('cdk-nag reports a non-compliant resource', () => {
    const stack = new Stack(new App(), 'Bad');
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    const rules = nagFindings(stack).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  test('cfn-lint reports an error in a broken template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-lint-'));
    const file = join(dir, 'bad.template.json');
    writeFileSync(
      file,
      JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketNam: 'x' } } } }),
    );
    const errors = cfnLint([file]).filter((f) => f.Level === 'Error');
    expect(errors.length).toBeGreaterThan(0);
  });
});
