/**
 * The example GitHub Actions workflows (examples/github): valid against SchemaStore's workflow schema, keep every step
 * the course grades, put no secret into the image, and the service job fails when ECS rolls its release back (its
 * script run under bash with a stand-in `aws`).
 *
 * Then both workflows run end to end, as a dispatch with no inputs (what the course's autograder does): every `run:`
 * step of the build and deploy jobs, in order, under `bash -e`, with `${{ ... }}` replaced by test values, in a fork of
 * the upstream repository as it is (test/fixtures/upstream; PIZZA_UPSTREAM_FRONTEND / PIZZA_UPSTREAM_SERVICE name a
 * real checkout to overlay on it), with stand-ins for npm, npx, aws, docker, curl and sleep that log their arguments.
 */
import { spawnSync } from 'child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { basename, join, relative } from 'path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const DIR = join(ROOT, 'examples', 'github');
const WORKFLOWS = ['jwt-pizza-frontend.yml', 'jwt-pizza-service.yml'];
const VALIDATOR = join(ROOT, 'node_modules', '.bin', 'action-validator');

function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf-8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
  readonly 'continue-on-error'?: boolean;
}

interface Job {
  readonly steps: Step[];
  readonly needs?: string | string[];
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly services?: Record<string, { image: string; options?: string }>;
}

const workflow = (file: string): { jobs: Record<string, Job> } => parse(readFileSync(join(DIR, file), 'utf-8'));
const steps = (file: string, job: string): Step[] => workflow(file).jobs[job].steps;
const runs = (list: Step[]) => list.map((s) => s.run ?? '').join('\n');
const named = (list: Step[], name: RegExp) => list.find((s) => name.test(s.name ?? ''))!;

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
// End to end: the workflows' steps on a fork of the upstream repositories as they are
// ---------------------------------------------------------------------------------------------------------------

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SERVICE_URL = 'https://pizza-service.example.com';
const INVALIDATION_ID = 'I2J0I21PCUYOIK';
/** What PizzaGitHubDeployRole's outputs fill (examples/github/README.md). */
const VARS: Record<string, string> = {
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/JwtPizza-GitHubRole',
  AWS_REGION: 'us-east-1',
  APP_BUCKET: 'pizza.example.com',
  DISTRIBUTION_ID: 'E2QWRUHEXAMPLE',
  SITE_URL: 'https://pizza.example.com',
  ECR_REPOSITORY_URI: `${REGISTRY}/jwt-pizza-service`,
  ECS_CLUSTER: 'JwtPizza-Cluster',
  ECS_SERVICE: 'JwtPizza-Service',
  SERVICE_URL,
};
const SECRETS: Record<string, string> = { NET_ID: 'cs329student', FACTORY_API_KEY: 'factory-key' };

const UPSTREAM = {
  frontend: { fixture: 'jwt-pizza', overlay: 'PIZZA_UPSTREAM_FRONTEND' },
  service: { fixture: 'jwt-pizza-service', overlay: 'PIZZA_UPSTREAM_SERVICE' },
};

/**
 * A checkout of a fork, in a temporary directory: the fixture, with the directory named by the overlay variable (a
 * real checkout) copied over it. A service fork gets the student's additions, the shipped Dockerfile and
 * src/config.js, unless the checkout has its own or `without` names them.
 */
function checkout(
  kind: keyof typeof UPSTREAM,
  change: { without?: string[]; files?: Record<string, string>; scripts?: Record<string, string> } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), `pizza-fork-${kind}-`));
  cpSync(join(__dirname, 'fixtures', 'upstream', UPSTREAM[kind].fixture), dir, { recursive: true });
  const overlay = process.env[UPSTREAM[kind].overlay];
  if (overlay) {
    cpSync(overlay, dir, { recursive: true, filter: (src) => !['.git', 'node_modules'].includes(basename(src)) });
  }
  if (kind === 'service') {
    for (const [file, example] of [
      ['Dockerfile', 'Dockerfile'],
      ['src/config.js', 'config.js'],
    ]) {
      if (!existsSync(join(dir, file))) cpSync(join(ROOT, 'examples', 'jwt-pizza-service', example), join(dir, file));
    }
  }
  for (const file of change.without ?? []) rmSync(join(dir, file), { force: true });
  for (const [file, text] of Object.entries(change.files ?? {})) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  if (change.scripts) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8'));
    manifest.scripts = { ...manifest.scripts, ...change.scripts };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, undefined, 2));
  }
  return dir;
}

/** One logged call of a stand-in: the command, its working directory and its arguments. */
interface Call {
  readonly cmd: string;
  readonly cwd: string;
  readonly args: string[];
}

interface StepResult {
  readonly job: string;
  readonly step: string;
  readonly status: number;
  readonly output: string;
}

interface Run {
  readonly steps: StepResult[];
  readonly calls: Call[];
  /** Each object `aws s3 cp` wrote: its S3 URL and Cache-Control. */
  readonly uploads: { url: string; cacheControl: string }[];
  /** The workspace of each job that ran. */
  readonly workspaces: Record<string, string>;
  readonly artifacts: string;
  readonly jobOutputs: Record<string, Record<string, string>>;
  readonly output: string;
}

/** Stand-ins on PATH: each logs its argv (fields split by \x1f) and does what the workflows need of it. */
function standIns(dir: string, log: string, uploads: string): void {
  const prelude = `#!/bin/bash\n{ printf '%s' "$(basename "$0")"; printf '\\x1f%s' "$PWD" "$@"; printf '\\n'; } >> ${log}\n`;
  const hasScript = `has_script() { node -e 'process.exit(require(process.cwd() + "/package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$1"; }`;
  const standInFiles: Record<string, string> = {
    // npm: `ci` needs a lockfile, `run X` / `test` fail like npm's when the script is missing; `build` writes what
    // vite build writes (public/ copied, hashed assets), `test:coverage` / `test` a coverage summary
    npm: [
      hasScript,
      'case "$1" in',
      '  ci) [ -f package-lock.json ] || { echo "npm error The `npm ci` command can only install with an existing package-lock.json" >&2; exit 1; }; exit 0 ;;',
      '  test|t) script=test ;;',
      '  run|run-script) script=$2 ;;',
      '  *) exit 0 ;;',
      'esac',
      'has_script "$script" || { echo "npm error Missing script: \\"$script\\"" >&2; exit 1; }',
      // a script `false` stands for one that fails
      'node -e \'process.exit(require(process.cwd() + "/package.json").scripts[process.argv[1]] === "false" ? 1 : 0)\' "$script" || exit 1',
      'case "$script" in',
      '  build)',
      '    mkdir -p dist/assets',
      '    if [ -d public ]; then cp -R public/. dist/; fi',
      '    printf \'<!doctype html><title>JWT Pizza</title><script src="/assets/a-1234.js" data-service="%s"></script>\\n\' "$VITE_PIZZA_SERVICE_URL" > dist/index.html',
      '    echo \'console.log("pizza")\' > dist/assets/a-1234.js ;;',
      '  test|test:coverage) mkdir -p coverage; echo \'{"total":{"lines":{"pct":85.5}}}\' > coverage/coverage-summary.json ;;',
      'esac',
    ].join('\n'),
    npx: 'exit 0',
    // aws: `s3 cp --recursive` lists what it would write (after --exclude), the invalidation answers its id, ECS
    // answers what the rollout loop asks (one task desired, then the deployment COMPLETED)
    aws: [
      'query=""; output=""; prev=""',
      'for a in "$@"; do case "$prev" in --query) query=$a ;; --output) output=$a ;; esac; prev=$a; done',
      'case "$1 $2" in',
      '  "s3 cp")',
      '    src=$3; dst=$4; shift 4; excludes=(); cc=""; recursive=""',
      '    while [ $# -gt 0 ]; do case "$1" in --exclude) excludes+=("$2"); shift 2 ;; --cache-control) cc=$2; shift 2 ;; --recursive) recursive=1; shift ;; *) shift ;; esac; done',
      '    [ -n "$recursive" ] || { echo "this stand-in copies folders only (--recursive)" >&2; exit 252; }',
      '    [ -d "$src" ] || { echo "The user-provided path $src does not exist." >&2; exit 255; }',
      '    find "$src" -type f | sort | while read -r f; do',
      '      rel=${f#"$src"/}',
      '      for p in "${excludes[@]}"; do [[ $rel == $p ]] && continue 2; done',
      `      printf '%s\\t%s\\n' "$dst/$rel" "$cc" >> ${uploads}`,
      '      echo "upload: $f to $dst/$rel"',
      '    done ;;',
      '  "cloudfront create-invalidation")',
      `    if [ "$query" = Invalidation.Id ] && [ "$output" = text ]; then echo ${INVALIDATION_ID}; else echo '{"Location": "x", "Invalidation": {"Id": "${INVALIDATION_ID}", "Status": "InProgress"}}'; fi ;;`,
      '  "ecs describe-services")',
      '    case "$query" in',
      '      "services[0].desiredCount") echo 1 ;;',
      '      *rolloutState*) echo COMPLETED ;;',
      '      *) echo "unexpected query $query" >&2; exit 1 ;;',
      '    esac ;;',
      '  "ecs update-service") echo ecs-svc/1234567890123456789 ;;',
      'esac',
    ].join('\n'),
    // docker: the build context must hold the Dockerfile
    docker: [
      'if [ "$1" = build ]; then',
      '  context="${@: -1}"',
      '  [ -f "$context/Dockerfile" ] || { echo "ERROR: failed to read dockerfile: open Dockerfile: no such file or directory" >&2; exit 1; }',
      'fi',
    ].join('\n'),
    curl: 'exit 0',
    sleep: 'exit 0',
  };
  for (const [name, body] of Object.entries(standInFiles)) {
    writeFileSync(join(dir, name), `${prelude}${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
}

interface Context {
  readonly vars: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly inputs: Record<string, string>;
  readonly steps: Record<string, { outputs: Record<string, string> }>;
  readonly needs: Record<string, { outputs: Record<string, string> }>;
}

/** `${{ a.b.c }}`, `${{ 'literal' }}` and `${{ a || 'b' }}`: all the workflows use; anything else throws. */
function evaluate(expression: string, context: Context): string {
  for (const part of expression.split('||').map((p) => p.trim())) {
    let value: string | undefined;
    const literal = /^'([^']*)'$/.exec(part);
    if (literal) {
      value = literal[1];
    } else if (/^(vars|secrets|inputs|steps|needs)(\.[\w-]+)+$/.test(part)) {
      const [root, ...path] = part.split('.');
      let node: any = (context as any)[root];
      for (const key of path) node = node?.[key];
      // an input not given is empty, as in GitHub; a variable, secret or output nobody set is a mistake here
      if (node === undefined && root !== 'inputs') throw new Error(`\${{ ${part} }} is not set`);
      value = node;
    } else {
      throw new Error(`unsupported expression: \${{ ${expression} }}`);
    }
    if (value) return value;
  }
  return '';
}

const substitute = (text: string, context: Context) =>
  text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression) => evaluate(expression, context));

/**
 * Run a workflow as GitHub would after a dispatch with no inputs: jobs in order of `needs`, each in a fresh
 * workspace, `uses:` steps played by their effect (checkout, artifacts, the ECR login's registry output), `run:`
 * steps under `bash -e` with their env and working-directory. A failing step ends its job (unless
 * continue-on-error), and a job whose needs failed does not run.
 */
function runWorkflow(file: string, fork: string, vars: Record<string, string> = VARS): Run {
  const definition = workflow(file);
  const root = mkdtempSync(join(tmpdir(), 'pizza-run-'));
  const bin = join(root, 'bin');
  const artifacts = join(root, 'artifacts');
  const log = join(root, 'calls.log');
  const uploadLog = join(root, 'uploads.log');
  mkdirSync(bin);
  mkdirSync(artifacts);
  writeFileSync(log, '');
  writeFileSync(uploadLog, '');
  standIns(bin, log, uploadLog);

  const results: StepResult[] = [];
  const workspaces: Record<string, string> = {};
  const jobOutputs: Record<string, Record<string, string>> = {};
  const failed = new Set<string>();
  const done = new Set<string>();
  const names = Object.keys(definition.jobs);
  while (done.size < names.length) {
    const name = names.find(
      (n) => !done.has(n) && [definition.jobs[n].needs ?? []].flat().every((need) => done.has(need)),
    )!;
    done.add(name);
    const job = definition.jobs[name];
    const needs = [job.needs ?? []].flat();
    if (needs.some((need) => failed.has(need))) {
      failed.add(name);
      continue;
    }
    const workspace = join(root, 'work', name);
    mkdirSync(workspace, { recursive: true });
    workspaces[name] = workspace;
    const context: Context = {
      vars,
      secrets: SECRETS,
      inputs: {},
      steps: {},
      needs: Object.fromEntries(needs.map((need) => [need, { outputs: jobOutputs[need] }])),
    };
    for (const step of job.steps) {
      const label = step.name ?? step.uses ?? step.run!.split('\n')[0];
      if (step.if) throw new Error(`step "${label}": conditions are not played by this test`);
      const stepOutputs: Record<string, string> = {};
      let status = 0;
      let output = '';
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]),
      );
      if (step.uses) {
        const action = step.uses.split('@')[0];
        switch (action) {
          case 'actions/checkout':
            cpSync(fork, workspace, { recursive: true });
            break;
          case 'actions/setup-node':
            break;
          case 'actions/upload-artifact':
            if (existsSync(join(workspace, inputs.path))) {
              cpSync(join(workspace, inputs.path), join(artifacts, inputs.name), { recursive: true });
            } else {
              output = `Warning: No files were found with the provided path: ${inputs.path}. No artifacts will be uploaded.`;
            }
            break;
          case 'actions/download-artifact':
            if (existsSync(join(artifacts, inputs.name))) {
              cpSync(join(artifacts, inputs.name), join(workspace, inputs.path), { recursive: true });
            } else {
              [status, output] = [1, `Error: Artifact not found for name: ${inputs.name}`];
            }
            break;
          case 'aws-actions/configure-aws-credentials':
            if (!inputs['role-to-assume'] || !inputs['aws-region']) {
              [status, output] = [1, 'Error: role-to-assume and aws-region are needed'];
            }
            break;
          case 'aws-actions/amazon-ecr-login':
            stepOutputs.registry = REGISTRY;
            break;
          default:
            throw new Error(`step "${label}": ${step.uses} is not played by this test`);
        }
      } else {
        const githubOutput = join(root, `output-${results.length}`);
        writeFileSync(githubOutput, '');
        const script = join(root, `step-${results.length}.sh`);
        writeFileSync(script, substitute(step.run!, context));
        const env: Record<string, string> = {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: root,
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: githubOutput,
          RUNNER_TEMP: root,
        };
        for (const scope of [job.env, step.env]) {
          for (const [k, v] of Object.entries(scope ?? {})) env[k] = substitute(String(v), context);
        }
        const result = spawnSync('bash', ['-e', script], {
          cwd: join(workspace, step['working-directory'] ?? '.'),
          env,
          encoding: 'utf-8',
        });
        status = result.status ?? 1;
        output = `${result.stdout}${result.stderr}`;
        for (const line of readFileSync(githubOutput, 'utf-8').split('\n')) {
          const at = line.indexOf('=');
          if (at > 0) stepOutputs[line.slice(0, at)] = line.slice(at + 1);
        }
      }
      if (step.id) context.steps[step.id] = { outputs: stepOutputs };
      results.push({ job: name, step: label, status, output });
      if (status !== 0 && !step['continue-on-error']) {
        failed.add(name);
        break;
      }
    }
    if (failed.has(name)) continue; // (GitHub would give empty outputs; no job here needs a failed one)
    jobOutputs[name] = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([k, v]) => [k, substitute(String(v), context)]),
    );
  }

  const calls = readFileSync(log, 'utf-8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [cmd, cwd, ...args] = line.split('\x1f');
      return { cmd, cwd, args };
    });
  const uploads = readFileSync(uploadLog, 'utf-8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [url, cacheControl] = line.split('\t');
      return { url, cacheControl };
    });
  const output = results.map((r) => `--- ${r.job} / ${r.step} (${r.status})\n${r.output}`).join('\n');
  return { steps: results, calls, uploads, workspaces, artifacts, jobOutputs, output };
}

const failures = (run: Run) => run.steps.filter((s) => s.status !== 0).map((s) => `${s.job} / ${s.step}: ${s.output}`);
const stepOutput = (run: Run, name: RegExp) => run.steps.find((s) => name.test(s.step))!.output;
const called = (run: Run, cmd: string, ...prefix: string[]) =>
  run.calls.filter((c) => c.cmd === cmd && prefix.every((p, i) => c.args[i] === p));
function files(dir: string, under: string = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), under) : [relative(under, join(dir, e.name))]))
    .sort();
}

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
