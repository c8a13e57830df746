/**
 * The example GitHub Actions workflows (examples/github): valid against SchemaStore's workflow schema, keep every step
 * the course grades, put no secret into the image, and the service job fails when ECS rolls its release back (its
 * script run under bash with a stand-in `aws`).
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

const DIR = join(__dirname, '..', 'examples', 'github');
const WORKFLOWS = ['jwt-pizza-frontend.yml', 'jwt-pizza-service.yml'];
const VALIDATOR = join(__dirname, '..', 'node_modules', '.bin', 'action-validator');

function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf-8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly env?: Record<string, string>;
}

function steps(file: string, job: string): Step[] {
  return parse(readFileSync(join(DIR, file), 'utf-8')).jobs[job].steps;
}

const runs = (list: Step[]) => list.map((s) => s.run ?? '').join('\n');

describe.each(WORKFLOWS)('%s', (file) => {
  test('is a valid workflow (SchemaStore schema, action-validator)', () => {
    expect(validate(join(DIR, file))).toEqual({ status: 0, output: '' });
  });

  test('puts no configuration or secret into the build output (the task reads them from Secrets Manager)', () => {
    const text = readFileSync(join(DIR, file), 'utf-8');
    expect(text).not.toMatch(/sed -i|> *src\/config\.js|secrets\.DB_|secrets\.JWT_SECRET/);
  });
});

test('the validator refuses a broken workflow (the check can fail)', () => {
  const broken = readFileSync(join(DIR, 'jwt-pizza-service.yml'), 'utf-8').replace('runs-on:', 'runs_on:');
  const file = join(mkdtempSync(join(tmpdir(), 'pizza-workflow-')), 'broken.yml');
  writeFileSync(file, broken);
  const { status, output } = validate(file);
  expect(status).not.toBe(0);
  expect(output).toContain("Additional property 'runs_on' is not allowed");
});

describe('the frontend workflow keeps what the course grades', () => {
  const build = steps('jwt-pizza-frontend.yml', 'build');
  test('lint, Playwright tests with coverage, and the coverage badge', () => {
    expect(runs(build)).toMatch(/npm run lint --if-present/);
    expect(runs(build)).toMatch(
      /npx playwright install --with-deps chromium\nnpm run test:coverage -- --pass-with-no-tests/,
    );
    expect(runs(build)).toMatch(/coverage\/coverage-summary\.json/);
    expect(runs(build)).toMatch(/api\/badge\/\$NET_ID\/jwtpizzacoverage\?label=Coverage&value=\$\{pct\}%25/);
  });
  test('version.json written before the build, and the service URL given to the build', () => {
    const names = build.map((s) => s.name ?? s.uses);
    expect(names.indexOf('Set version')).toBeLessThan(names.indexOf('Build'));
    expect(runs(build)).toMatch(/> public\/version\.json/);
    expect(build.find((s) => s.name === 'Build')?.env).toEqual({ VITE_PIZZA_SERVICE_URL: '${{ vars.SERVICE_URL }}' });
  });
});

describe('the service workflow keeps what the course grades', () => {
  const build = steps('jwt-pizza-service.yml', 'build');
  test('lint, tests against MySQL, the coverage badge and version.json', () => {
    expect(runs(build)).toMatch(/npm run lint/);
    expect(build.find((s) => s.run === 'npm test')?.env).toMatchObject({ DB_HOST: '127.0.0.1', DB_USER: 'root' });
    expect(runs(build)).toMatch(/api\/badge\/\$NET_ID\/jwtpizzaservicecoverage\?label=Coverage/);
    expect(runs(build)).toMatch(/> src\/version\.json/);
  });
});

describe('the service release step', () => {
  const release = steps('jwt-pizza-service.yml', 'deploy').find((s) => /Roll the service/.test(s.name ?? ''))!;

  interface Fake {
    /** The service's desired count before the release. */
    readonly desired?: string;
    /** Answers to "which PRIMARY deployment has tasks" (a first deploy), one per call; None once they run out. */
    readonly primaries?: string[];
    /** rolloutState answers, one per call (ERROR: the call fails); IN_PROGRESS once they run out. */
    readonly states?: string[];
  }

  /** Run the step's script under bash -e with a stand-in `aws` (and a `sleep` that does not wait). */
  function runRelease(fake: Fake): { status: number | null; output: string; calls: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-release-'));
    const log = join(dir, 'calls.log');
    writeFileSync(join(dir, 'states'), (fake.states ?? []).join('\n') + '\n');
    writeFileSync(join(dir, 'primaries'), (fake.primaries ?? []).join('\n') + '\n');
    const next = (file: string, fallback: string) =>
      `v=$(head -n 1 ${dir}/${file}); sed -i 1d ${dir}/${file}; v=\${v:-${fallback}}`;
    writeFileSync(
      join(dir, 'aws'),
      [
        '#!/bin/bash',
        `echo "$*" >> ${log}`,
        'if [ "$2" = update-service ]; then echo ecs-svc/1234567890123456789; exit 0; fi',
        `case "$*" in *'services[0].desiredCount'*) echo "${fake.desired ?? '1'}"; exit 0 ;; esac`,
        `case "$*" in *'desiredCount >'*) ${next('primaries', 'None')}; echo "$v"; exit 0 ;; esac`,
        `${next('states', 'IN_PROGRESS')}`,
        'if [ "$v" = ERROR ]; then echo "An error occurred (ThrottlingException)" >&2; exit 255; fi',
        'echo "$v"',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'sleep'), '#!/bin/bash\nexit 0\n');
    chmodSync(join(dir, 'aws'), 0o755);
    chmodSync(join(dir, 'sleep'), 0o755);
    // GitHub runs `run:` scripts with `bash -e {0}`
    const result = spawnSync('bash', ['-e', '-c', release.run!], {
      env: { PATH: `${dir}:${process.env.PATH}`, CLUSTER: 'pizza-cluster', SERVICE: 'jwt-pizza-service' },
      encoding: 'utf-8',
    });
    const calls = readFileSync(log, 'utf-8').trim().split('\n');
    return { status: result.status, output: `${result.stdout}${result.stderr}`, calls };
  }

  test('passes when the deployment it started completes', () => {
    const { status, output, calls } = runRelease({ states: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'] });
    expect(status).toBe(0);
    expect(output).toContain('deployment ecs-svc/1234567890123456789 completed');
    expect(calls[1]).toBe(
      'ecs update-service --cluster pizza-cluster --service jwt-pizza-service --force-new-deployment ' +
        "--query service.deployments[?status=='PRIMARY'].id | [0] --output text",
    );
    expect(calls[2]).toContain("deployments[?id=='ecs-svc/1234567890123456789'].rolloutState");
    expect(calls).toHaveLength(5);
  });

  test('fails when the circuit breaker rolls the release back', () => {
    const { status, output } = runRelease({ states: ['IN_PROGRESS', 'FAILED'] });
    expect(status).toBe(1);
    expect(output).toContain('::error::deployment ecs-svc/1234567890123456789 failed and ECS rolled it back');
  });

  test('fails when the deployment is gone (replaced by the rollback)', () => {
    const { status, output } = runRelease({ states: ['IN_PROGRESS', 'None'] });
    expect(status).toBe(1);
    expect(output).toContain('is gone');
  });

  test('a failed status call (throttling) is asked again, not taken for a failed release', () => {
    const { status, output } = runRelease({ states: ['ERROR', 'IN_PROGRESS', 'COMPLETED'] });
    expect(status).toBe(0);
    expect(output).toContain('completed');
  });

  test('fails when the deployment never finishes', () => {
    const { status, output, calls } = runRelease({});
    expect(status).toBe(1);
    expect(output).toContain('did not finish in 20 minutes');
    expect(calls).toHaveLength(82);
  });

  test('first deploy (no task yet): follows the deployment the push starts, and starts none of its own', () => {
    const { status, output, calls } = runRelease({
      desired: '0',
      primaries: ['None', 'None', 'ecs-svc/9999999999999999999'],
      states: ['IN_PROGRESS', 'COMPLETED'],
    });
    expect(status).toBe(0);
    expect(output).toContain('deployment ecs-svc/9999999999999999999 completed');
    expect(calls.filter((c) => c.includes('update-service'))).toEqual([]);
  });

  test('first deploy whose push never starts the service: fails, pointing at the dead-letter queue', () => {
    const { status, output } = runRelease({ desired: '0' });
    expect(status).toBe(1);
    expect(output).toContain('the push did not start the service in 5 minutes');
  });
});
