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
import { readTemplate, schemaFindings, tagFindings } from './template-checks';

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
    'integ.pizza-budget.ts',
    'integ.pizza-database.ts',
    'integ.pizza-dns-created-zone.ts',
    'integ.pizza-dns-us-east-2.ts',
    'integ.pizza-dns.ts',
    'integ.pizza-frontend-staging.ts',
    'integ.pizza-frontend.ts',
    'integ.pizza-github.ts',
    'integ.pizza-load-balancer.ts',
    'integ.pizza-monitoring.ts',
    'integ.pizza-paused.ts',
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
    const templates = templatesIn(outdir);
    expect(templates.length).toBeGreaterThan(0);
    const errors = cfnLint(templates).filter((f) => f.Level === 'Error');
    expect(errors.map((e) => `${e.Rule.Id} ${e.Filename}: ${e.Message}`)).toEqual([]);
  });

  test("CloudFormation's resource schemas (the newest aws-cdk-lib's validator): no finding in any template", () => {
    const findings = templatesIn(outdir).flatMap((t) =>
      schemaFindings(t).map((f) => `${t.replace(`${outdir}/`, '')} ${f.resource}: ${f.message}`),
    );
    expect(findings).toEqual([]);
  });

  test('tags: every key and value is one AWS accepts', () => {
    const findings = templatesIn(outdir).flatMap((t) =>
      tagFindings(readTemplate(t)).map((f) => `${t.replace(`${outdir}/`, '')} ${f.resource}: ${f.message}`),
    );
    expect(findings).toEqual([]);
  });
});

function templatesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(dir, f));
}

describe('the checks themselves', () => {
  test('cdk-nag reports a non-compliant resource', () => {
    const stack = new Stack(new App(), 'Bad');
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    const rules = nagFindings(stack).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  test('the schema and tag checks refuse a certificate Name tag with parentheses (ACM refuses it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-tags-'));
    const file = join(dir, 'bad.template.json');
    const template = {
      Resources: {
        Certificate: {
          Type: 'AWS::CertificateManager::Certificate',
          Properties: {
            DomainName: 'example.com',
            ValidationMethod: 'DNS',
            Tags: [{ Key: 'Name', Value: 'example.com (pizza-constructs)' }],
          },
        },
      },
    };
    writeFileSync(file, JSON.stringify(template));
    expect(tagFindings(template)).toEqual([
      {
        resource: 'Certificate (AWS::CertificateManager::Certificate)',
        message: 'tag value "example.com (pizza-constructs)" has characters AWS refuses in tags',
      },
    ]);
    expect(schemaFindings(file).map((f) => f.message)).toEqual([expect.stringContaining('Tags.0.Value')]);
  });

  test('the tag check refuses a value over 256 characters and a reserved aws: key', () => {
    const template = {
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: { Tags: [{ Key: 'aws:owner', Value: 'x'.repeat(257) }] },
        },
      },
    };
    expect(tagFindings(template).map((f) => f.message)).toEqual([
      `tag value "${'x'.repeat(257)}" is 257 characters (1 to 256 allowed)`,
      'tag key "aws:owner" is reserved',
    ]);
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
