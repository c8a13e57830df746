/**
 * The example GitHub Actions workflows (examples/github): valid against SchemaStore's workflow schema, keep every step
 * the course grades, put no secret into the image, and the service job fails when ECS rolls its release back (its
 * script run under bash with a stand-in `aws`).
 *
 * Then both ci.yml workflows run end to end, as a dispatch with no inputs (what the course's autograder does): every
 * `run:` step of the build and deploy jobs, in order, under `bash -e`, with `${{ ... }}` replaced by test values, in a
 * fork of the upstream repository as it is, with stand-ins for npm, npx, aws, docker, curl and sleep that log their
 * arguments (test/workflow-harness.ts). The frontend's staging shape and release.yml: test/release-workflows.test.ts.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  DIR,
  ROOT,
  SERVICE_URL,
  VARS,
  called,
  checkout,
  failures,
  files,
  named,
  runWorkflow,
  runs,
  stepOutput,
  steps,
  validate,
  workflow,
} from './workflow-harness';
import { INVALIDATION_ID, REGISTRY } from './workflow-world';

const WORKFLOWS = ['jwt-pizza-frontend.yml', 'jwt-pizza-release.yml', 'jwt-pizza-service.yml'];

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
    expect(named(build, /^Lint$/).run).toMatch(/\n {2}npm run lint\n/);
    expect(named(build, /^Test with coverage/).run).toMatch(
      /\n {2}npx playwright install --with-deps chromium\n {2}npm run test:coverage -- --pass-with-no-tests\n/,
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
  const file = 'jwt-pizza-service.yml';
  const build = steps(file, 'build');
  test('lint, tests against MySQL, the coverage badge and version.json', () => {
    expect(named(build, /^Lint$/).run).toMatch(/\n {2}npm run lint\n/);
    const tests = named(build, /^Test against the local MySQL/);
    expect(tests.run).toMatch(/\n {2}npm test\n/);
    expect(tests.env).toMatchObject({ DB_HOST: '127.0.0.1', DB_USER: 'root', DB_PASSWORD: 'tempdbpassword' });
    expect(runs(build)).toMatch(/api\/badge\/\$NET_ID\/jwtpizzaservicecoverage\?label=Coverage/);
    expect(runs(build)).toMatch(/> src\/version\.json/);
  });

  test('the test database runs the MySQL major version PizzaDatabase deploys, and the health check stays', () => {
    const source = readFileSync(join(ROOT, 'src', 'database', 'pizza-database.ts'), 'utf-8');
    const [, major, minor] = /DEFAULT_ENGINE_VERSION = rds\.MysqlEngineVersion\.VER_(\d+)_(\d+)_/.exec(source)!;
    const mysql = workflow(file).jobs.build.services!.mysql;
    expect(mysql.image).toBe(`mysql:${major}.${minor}`);
    expect(mysql.options).toContain('--health-cmd "mysqladmin ping -ptempdbpassword"');
    expect(named(build, /^Test against the local MySQL/).env).toMatchObject({
      DB_PASSWORD: workflow(file).jobs.build.services!.mysql.options!.match(/-p(\w+)/)![1],
    });
  });

  test('the shipped Dockerfile: the course layout (index.js at the root of dist/), port 80', () => {
    const dockerfile = readFileSync(join(ROOT, 'examples', 'jwt-pizza-service', 'Dockerfile'), 'utf-8');
    const instructions = dockerfile
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.trim());
    expect(instructions).toEqual([
      'FROM node:22-alpine',
      'WORKDIR /usr/src/app',
      'COPY package*.json ./',
      'RUN npm ci --omit=dev',
      'COPY . .',
      'EXPOSE 80',
      'CMD ["node", "index.js", "80"]',
    ]);
  });
});

describe('the service release step', () => {
  const release = named(steps('jwt-pizza-service.yml', 'deploy'), /Roll the service/);

  interface Fake {
    /** The service's desired count before the release. */
    readonly desired?: string;
    /** How many load balancers the service has (0: a paused PizzaService). */
    readonly balancers?: string;
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
        `case "$*" in *'length(services[0].loadBalancers)'*) echo "${fake.balancers ?? '1'}"; exit 0 ;; esac`,
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

  test('a paused service (no task, no load balancer): the image is pushed, nothing is rolled, the job passes', () => {
    const { status, output, calls } = runRelease({ desired: '0', balancers: '0' });
    expect(status).toBe(0);
    expect(output).toContain('::notice::paused: image pushed, nothing to roll');
    expect(calls.filter((c) => c.includes('update-service'))).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  test('first deploy whose push never starts the service: fails, pointing at the dead-letter queue', () => {
    const { status, output } = runRelease({ desired: '0' });
    expect(status).toBe(1);
    expect(output).toContain('the push did not start the service in 5 minutes');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end: the workflows' steps on a fork of the upstream repositories as they are (test/workflow-harness.ts)
// ---------------------------------------------------------------------------------------------------------------

describe('the frontend workflow on a fork of jwt-pizza as it is (scripts dev, build, preview)', () => {
  const file = 'jwt-pizza-frontend.yml';
  const stock = runWorkflow(file, checkout('frontend'));

  test('every step of both jobs passes', () => {
    expect(failures(stock)).toEqual([]);
    expect(stock.steps.map((s) => s.job)).toContain('deploy');
    expect(stock.steps.at(-1)!.step).toMatch(/^Invalidate CloudFront/);
  });

  test('lint and the Playwright tests are skipped with a notice, not failed; no badge without a summary', () => {
    expect(stepOutput(stock, /^Lint$/)).toMatch(/^::notice::no lint script in package\.json/m);
    expect(stepOutput(stock, /^Test with coverage/)).toMatch(/^::notice::no test:coverage script in package\.json/m);
    expect(stepOutput(stock, /coverage badge/)).toMatch(/^::notice::no coverage\/coverage-summary\.json/m);
    expect(called(stock, 'npm').map((c) => c.args.join(' '))).toEqual(['ci', 'run build']);
    expect(called(stock, 'npx')).toEqual([]);
    expect(called(stock, 'curl')).toEqual([]);
  });

  test('the build gets the service URL and the version; the deploy job uploads that build', () => {
    const version = stock.jobOutputs.build.version;
    expect(version).toMatch(/^\d{8}\.\d{6}$/);
    expect(readFileSync(join(stock.artifacts, 'package', 'index.html'), 'utf-8')).toContain(
      `data-service="${SERVICE_URL}"`,
    );
    expect(JSON.parse(readFileSync(join(stock.workspaces.deploy, 'dist', 'version.json'), 'utf-8'))).toEqual({
      version,
    });
  });

  test('uploads with aws s3 cp: hashed assets immutable for a year, the rest no-cache, nothing deleted', () => {
    const s3 = called(stock, 'aws', 's3');
    expect(s3.map((c) => c.args[1])).toEqual(['cp', 'cp']);
    expect(s3.flatMap((c) => c.args)).not.toContain('--delete');
    const bucket = `s3://${VARS.APP_BUCKET}`;
    expect(s3[0].args).toEqual([
      's3',
      'cp',
      'dist/assets',
      `${bucket}/assets`,
      '--recursive',
      '--cache-control',
      'public, max-age=31536000, immutable',
    ]);
    expect(stock.uploads).toEqual([
      { url: `${bucket}/assets/a-1234.js`, cacheControl: 'public, max-age=31536000, immutable' },
      // public/ of the fork, copied by the build, and the build's index.html
      ...files(join(stock.workspaces.deploy, 'dist'))
        .filter((f) => !f.startsWith('assets/'))
        .map((f) => ({ url: `${bucket}/${f}`, cacheControl: 'no-cache' })),
    ]);
    expect(stock.uploads.map((u) => u.url)).toEqual(
      expect.arrayContaining([`${bucket}/index.html`, `${bucket}/version.json`]),
    );
  });

  test('never writes config.json (the stack writes it), even when the build has one', () => {
    const run = runWorkflow(file, checkout('frontend', { files: { 'public/config.json': '{"serviceUrl": "x"}' } }));
    expect(failures(run)).toEqual([]);
    expect(existsSync(join(run.workspaces.deploy, 'dist', 'config.json'))).toBe(true);
    expect(run.uploads.map((u) => u.url).filter((u) => u.endsWith('config.json'))).toEqual([]);
    expect(run.uploads.map((u) => u.url)).toContain(`s3://${VARS.APP_BUCKET}/index.html`);
  });

  test('waits for the invalidation it creates, after the uploads', () => {
    const aws = called(stock, 'aws').map((c) => c.args.join(' '));
    const create = aws.findIndex((a) => a.startsWith('cloudfront create-invalidation'));
    const wait = aws.findIndex((a) => a.startsWith('cloudfront wait'));
    expect(aws[create]).toBe(
      `cloudfront create-invalidation --distribution-id ${VARS.DISTRIBUTION_ID} --paths /* ` +
        '--query Invalidation.Id --output text',
    );
    expect(aws[wait]).toBe(
      `cloudfront wait invalidation-completed --distribution-id ${VARS.DISTRIBUTION_ID} --id ${INVALIDATION_ID}`,
    );
    expect(create).toBeGreaterThan(aws.map((a) => a.startsWith('s3 ')).lastIndexOf(true));
    expect(wait).toBe(aws.length - 1);
  });

  test('.env.production: a warning naming the fix when it names another service, or is missing; never a failure', () => {
    const check = /^Check the committed \.env\.production/;
    const fix = `commit .env.production with the line VITE_PIZZA_SERVICE_URL=${SERVICE_URL}`;
    // the upstream file names the course's service
    expect(stepOutput(stock, check)).toMatch(
      new RegExp(
        `^::warning::\\.env\\.production has VITE_PIZZA_SERVICE_URL=https://pizza-service\\.cs329\\.click, not ${SERVICE_URL}: ${fix}`,
        'm',
      ),
    );
    const missing = runWorkflow(file, checkout('frontend', { without: ['.env.production'] }));
    expect(failures(missing)).toEqual([]);
    expect(stepOutput(missing, check)).toContain(`::warning::.env.production is missing: ${fix}`);
    const mine = runWorkflow(
      file,
      checkout('frontend', { files: { '.env.production': `VITE_PIZZA_SERVICE_URL=${SERVICE_URL}\n` } }),
    );
    expect(failures(mine)).toEqual([]);
    expect(stepOutput(mine, check)).not.toContain('::warning::');
    expect(stepOutput(mine, check)).toContain(`.env.production names this service: ${SERVICE_URL}`);
  });

  test('once the fork has lint and test:coverage: they run, Playwright is installed, the badge is posted', () => {
    const run = runWorkflow(
      file,
      checkout('frontend', { scripts: { lint: 'eslint .', 'test:coverage': 'nyc playwright test' } }),
    );
    expect(failures(run)).toEqual([]);
    expect(called(run, 'npm').map((c) => c.args.join(' '))).toEqual([
      'ci',
      'run lint',
      'run test:coverage -- --pass-with-no-tests',
      'run build',
    ]);
    expect(called(run, 'npx').map((c) => c.args.join(' '))).toEqual(['playwright install --with-deps chromium']);
    expect(called(run, 'curl').map((c) => c.args.at(-1))).toEqual([
      'https://pizza-factory.cs329.click/api/badge/cs329student/jwtpizzacoverage?label=Coverage&value=85.5%25&color=green',
    ]);
  });

  test('a failing lint fails the run, and nothing is deployed (the skip is only for a missing script)', () => {
    const run = runWorkflow(file, checkout('frontend', { scripts: { lint: 'false' } }));
    expect(failures(run)).toEqual([expect.stringMatching(/^build \/ Lint: /)]);
    expect(run.steps.map((s) => s.job)).not.toContain('deploy');
    expect(called(run, 'aws')).toEqual([]);
  });
});

describe('the service workflow on a fork of jwt-pizza-service as it is (script start), plus Dockerfile and src/config.js', () => {
  const file = 'jwt-pizza-service.yml';
  const stock = runWorkflow(file, checkout('service'));

  test('every step of both jobs passes', () => {
    expect(failures(stock)).toEqual([]);
    expect(stock.steps.at(-1)!.step).toMatch(/^Roll the service/);
    expect(stepOutput(stock, /^Roll the service/)).toContain('deployment ecs-svc/1234567890123456789 completed');
  });

  test('lint and tests are skipped with a notice, not failed; no badge without a summary', () => {
    expect(stepOutput(stock, /^Lint$/)).toMatch(/^::notice::no lint script in package\.json/m);
    expect(stepOutput(stock, /^Test against/)).toMatch(/^::notice::no test script in package\.json/m);
    expect(stepOutput(stock, /coverage badge/)).toMatch(/^::notice::no coverage\/coverage-summary\.json/m);
    expect(called(stock, 'npm').map((c) => c.args.join(' '))).toEqual(['ci']);
    expect(called(stock, 'curl')).toEqual([]);
  });

  test("the image's build context: the Dockerfile, src/* (index.js and config.js at its root), package*.json", () => {
    const dist = join(stock.workspaces.deploy, 'dist');
    expect(files(dist)).toEqual(
      expect.arrayContaining([
        'Dockerfile',
        'index.js',
        'config.js',
        'version.json',
        'package.json',
        'package-lock.json',
      ]),
    );
    expect(JSON.parse(readFileSync(join(dist, 'version.json'), 'utf-8'))).toEqual({
      version: stock.jobOutputs.build.version,
    });
  });

  test('docker build pushes <registry>/<repository> (latest) and the version tag, from dist/, for arm64', () => {
    const version = stock.jobOutputs.build.version;
    expect(version).toMatch(/^\d{8}\.\d{6}$/);
    const docker = called(stock, 'docker');
    expect(docker).toEqual([
      {
        cmd: 'docker',
        cwd: join(stock.workspaces.deploy, 'dist'),
        args: [
          'build',
          '--platform=linux/arm64',
          '--provenance=false',
          '-t',
          `${REGISTRY}/jwt-pizza-service:${version}`,
          '-t',
          `${REGISTRY}/jwt-pizza-service`,
          '--push',
          '.',
        ],
      },
    ]);
  });

  test('then rolls the service with aws ecs update-service', () => {
    expect(called(stock, 'aws', 'ecs', 'update-service').map((c) => c.args.slice(2, 7))).toEqual([
      ['--cluster', VARS.ECS_CLUSTER, '--service', VARS.ECS_SERVICE, '--force-new-deployment'],
    ]);
  });

  test.each([
    ['Dockerfile', 'no Dockerfile in the repository root: copy examples/jwt-pizza-service/Dockerfile'],
    [
      'src/config.js',
      'no src/config.js: copy examples/jwt-pizza-service/config.js of pizza-constructs to src/config.js, delete the line config.js from .gitignore',
    ],
  ])(
    'without %s, Create dist fails with an error naming the file to copy, and nothing is deployed',
    (missing, message) => {
      const run = runWorkflow(file, checkout('service', { without: [missing] }));
      expect(failures(run)).toHaveLength(1);
      expect(run.steps.at(-1)!.step).toBe('Create dist');
      expect(stepOutput(run, /^Create dist$/)).toMatch(
        new RegExp(`^::error::${message.replace(/[.*]/g, '\\$&')}`, 'm'),
      );
      expect(run.steps.map((s) => s.job)).not.toContain('deploy');
      expect(called(run, 'docker')).toEqual([]);
    },
  );

  test('an ECR_REPOSITORY_URI of another registry fails the build step, naming the variable', () => {
    const run = runWorkflow(file, checkout('service'), {
      ...VARS,
      ECR_REPOSITORY_URI: '999999999999.dkr.ecr.us-east-2.amazonaws.com/jwt-pizza-service',
    });
    expect(failures(run)).toHaveLength(1);
    expect(stepOutput(run, /^Build and push/)).toContain('::error::the ECR_REPOSITORY_URI variable');
    expect(called(run, 'docker')).toEqual([]);
    expect(called(run, 'aws', 'ecs')).toEqual([]);
  });

  test('once the fork has lint and test: they run, and the badge is posted', () => {
    const run = runWorkflow(file, checkout('service', { scripts: { lint: 'eslint .', test: 'jest --coverage' } }));
    expect(failures(run)).toEqual([]);
    expect(called(run, 'npm').map((c) => c.args.join(' '))).toEqual(['ci', 'run lint', 'test']);
    expect(called(run, 'curl').map((c) => c.args.at(-1))).toEqual([
      'https://pizza-factory.cs329.click/api/badge/cs329student/jwtpizzaservicecoverage?label=Coverage&value=85.5%25&color=green',
    ]);
  });
});
