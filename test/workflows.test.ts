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
    expect(runs(build)).toMatch(/npm run lint/);
    expect(runs(build)).toMatch(/npx playwright install --with-deps chromium\nnpm run test:coverage/);
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

  /** Run the step's script with an `aws` that reports `states` for the deployment, one per describe call. */
  function runRelease(states: string[]): { status: number | null; output: string; calls: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-release-'));
    const log = join(dir, 'calls.log');
    writeFileSync(join(dir, 'states'), states.join('\n') + '\n');
    writeFileSync(
      join(dir, 'aws'),
      [
        '#!/bin/bash',
        `echo "$*" >> ${log}`,
        'if [ "$2" = update-service ]; then echo ecs-svc/1234567890123456789; exit 0; fi',
        `state=$(head -n 1 ${dir}/states); sed -i 1d ${dir}/states; echo "\${state:-IN_PROGRESS}"`,
      ].join('\n'),
    );
    writeFileSync(join(dir, 'sleep'), '#!/bin/bash\nexit 0\n');
    chmodSync(join(dir, 'aws'), 0o755);
    chmodSync(join(dir, 'sleep'), 0o755);
    const result = spawnSync('bash', ['-e', '-c', release.run!], {
      env: { PATH: `${dir}:${process.env.PATH}`, CLUSTER: 'pizza-cluster', SERVICE: 'jwt-pizza-service' },
      encoding: 'utf-8',
    });
    const calls = readFileSync(log, 'utf-8').trim().split('\n');
    return { status: result.status, output: `${result.stdout}${result.stderr}`, calls };
  }

  test('passes when the deployment it started completes', () => {
    const { status, output, calls } = runRelease(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
    expect(status).toBe(0);
    expect(output).toContain('deployment ecs-svc/1234567890123456789 completed');
    expect(calls[0]).toBe(
      'ecs update-service --cluster pizza-cluster --service jwt-pizza-service --force-new-deployment ' +
        "--query service.deployments[?status=='PRIMARY'].id | [0] --output text",
    );
    expect(calls[1]).toContain("deployments[?id=='ecs-svc/1234567890123456789'].rolloutState");
    expect(calls).toHaveLength(4);
  });

  test('fails when the circuit breaker rolls the release back', () => {
    const { status, output } = runRelease(['IN_PROGRESS', 'FAILED']);
    expect(status).toBe(1);
    expect(output).toContain('::error::deployment ecs-svc/1234567890123456789 failed and ECS rolled it back');
  });

  test('fails when the deployment is gone (replaced by the rollback)', () => {
    const { status, output } = runRelease(['IN_PROGRESS', 'None']);
    expect(status).toBe(1);
    expect(output).toContain('is gone');
  });

  test('fails when the deployment never finishes', () => {
    const { status, output, calls } = runRelease([]);
    expect(status).toBe(1);
    expect(output).toContain('did not finish in 20 minutes');
    expect(calls).toHaveLength(81);
  });
});
