/**
 * Runs the example GitHub Actions workflows (examples/github) offline, for test/workflows.test.ts and
 * test/release-workflows.test.ts: every job GitHub would run, in order of `needs`, with `if:` and `${{ ... }}`
 * evaluated, `uses:` steps played by their effect, and every `run:` step under `bash -e` in a fork of the upstream
 * repository as it is (test/fixtures/upstream; PIZZA_UPSTREAM_FRONTEND / PIZZA_UPSTREAM_SERVICE name a real checkout
 * to overlay on it), with stand-ins for npm, npx, aws, gh, docker, curl, date and sleep that log their arguments
 * (test/workflow-world.ts).
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, isAbsolute, join, relative } from 'path';
import { parse } from 'yaml';
import { REGISTRY, REPOSITORY, World, standIns } from './workflow-world';

export const ROOT = join(__dirname, '..');
export const DIR = join(ROOT, 'examples', 'github');
const VALIDATOR = join(ROOT, 'node_modules', '.bin', 'action-validator');

/** SchemaStore's workflow schema, through @action-validator/cli. */
export function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf-8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface Step {
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

export interface Job {
  readonly steps: Step[];
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string; url?: string };
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly services?: Record<string, { image: string; options?: string }>;
}

interface Input {
  readonly required?: boolean;
  readonly default?: string;
}

export interface Workflow {
  readonly on: { workflow_dispatch?: { inputs?: Record<string, Input> } | null; push?: unknown };
  readonly jobs: Record<string, Job>;
}

/** A workflow of examples/github by name, or any workflow file by absolute path (e.g. a mutated copy). */
export const workflow = (file: string): Workflow =>
  parse(readFileSync(isAbsolute(file) ? file : join(DIR, file), 'utf-8'));
export const steps = (file: string, job: string): Step[] => workflow(file).jobs[job].steps;
export const runs = (list: Step[]) => list.map((s) => s.run ?? '').join('\n');
export const named = (list: Step[], name: RegExp) => list.find((s) => name.test(s.name ?? ''))!;

export const SERVICE_URL = 'https://pizza-service.example.com';
/**
 * What PizzaGitHubDeployRole's outputs fill (examples/github/README.md), for a frontend without staging:
 * RELEASE_POINTER_ARN is unset, which GitHub reads as ''.
 */
export const VARS: Record<string, string> = {
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/JwtPizza-GitHubRole',
  AWS_REGION: 'us-east-1',
  APP_BUCKET: 'pizza.example.com',
  DISTRIBUTION_ID: 'E2QWRUHEXAMPLE',
  SITE_URL: 'https://pizza.example.com',
  ECR_REPOSITORY_URI: `${REGISTRY}/jwt-pizza-service`,
  ECS_CLUSTER: 'JwtPizza-Cluster',
  ECS_SERVICE: 'JwtPizza-Service',
  SERVICE_URL,
  RELEASE_POINTER_ARN: '',
};
/** The same with a PizzaFrontend `staging`: the release pointer and the staging site. */
export const STAGING_VARS: Record<string, string> = {
  ...VARS,
  RELEASE_POINTER_ARN: 'arn:aws:cloudfront::123456789012:key-value-store/0f3d9e2a-5b8c-4d71-9a6e-7c2b1e4f8a90',
  STAGING_URL: 'https://stage-pizza.example.com',
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
export function checkout(
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

// ---------------------------------------------------------------------------------------------------------------
// Expressions: `${{ ... }}` and `if:`
// ---------------------------------------------------------------------------------------------------------------

export interface Context {
  readonly vars: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly inputs: Record<string, string>;
  readonly github: Record<string, string>;
  readonly steps: Record<string, { outputs: Record<string, string> }>;
  readonly needs: Record<string, { outputs: Record<string, string> }>;
}

type Value = string | boolean | null;
type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'path'; path: string }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

/** GitHub's falsy values: false, null, '' (and 0, which no workflow here uses). */
export const truthy = (value: Value) => value !== false && value !== null && value !== '';

/**
 * What the workflows use of GitHub's expression language: string literals, true/false/null, context paths,
 * `!`, `==`, `!=` (strings compared ignoring case, as GitHub does), `&&` and `||` (which give an operand, as in
 * GitHub, and evaluate the right one only when needed), parentheses. Anything else (a function call) throws.
 */
export function evaluate(expression: string, context: Context): Value {
  const tokens: string[] = [];
  const lexer = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][\w-]*(?:\.[\w-]+)*)|(\S))/y;
  for (let m = lexer.exec(expression); m && m[0].trim(); m = lexer.exec(expression)) {
    if (m[4] || (m[3] && expression.slice(lexer.lastIndex).trimStart().startsWith('('))) {
      throw new Error(`unsupported expression: \${{ ${expression} }}`);
    }
    tokens.push(m[1] ?? m[2] ?? m[3]);
  }
  let at = 0;
  const binary = (ops: string[], operand: () => Node) => (): Node => {
    let left = operand();
    while (ops.includes(tokens[at])) left = { kind: 'binary', op: tokens[at++], left, right: operand() };
    return left;
  };
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === '!') return { kind: 'not', operand: primary() };
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') throw new Error(`unbalanced parentheses: \${{ ${expression} }}`);
      return inner;
    }
    if (token?.startsWith("'")) return { kind: 'literal', value: token.slice(1, -1).replace(/''/g, "'") };
    if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
    if (token === 'null') return { kind: 'literal', value: null };
    if (token === undefined) throw new Error(`incomplete expression: \${{ ${expression} }}`);
    return { kind: 'path', path: token };
  };
  const or = binary(['||'], binary(['&&'], binary(['==', '!='], primary)));
  const tree = or();
  if (at !== tokens.length) throw new Error(`unsupported expression: \${{ ${expression} }}`);

  const value = (node: Node): Value => {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'not':
        return !truthy(value(node.operand));
      case 'binary': {
        const left = value(node.left);
        if (node.op === '&&') return truthy(left) ? value(node.right) : left;
        if (node.op === '||') return truthy(left) ? left : value(node.right);
        const same = String(left ?? '').toLowerCase() === String(value(node.right) ?? '').toLowerCase();
        return node.op === '==' ? same : !same;
      }
      case 'path': {
        const [root, ...path] = node.path.split('.');
        if (!['vars', 'secrets', 'inputs', 'github', 'steps', 'needs'].includes(root)) {
          throw new Error(`unsupported context in \${{ ${expression} }}`);
        }
        let found: any = (context as any)[root];
        for (const key of path) found = found?.[key];
        // an input not given is empty, as in GitHub; a variable, secret or output nobody set is a mistake here
        if (found === undefined && root !== 'inputs') throw new Error(`\${{ ${node.path} }} is not set`);
        return found ?? '';
      }
    }
  };
  return value(tree);
}

const text = (value: Value) => (value === null ? '' : String(value));
export const substitute = (template: string, context: Context) =>
  template.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression) => text(evaluate(expression, context)));
/** A job's or step's `if:`, with or without `${{ }}`. */
export const condition = (expression: string, context: Context) =>
  truthy(evaluate(expression.replace(/^\s*\$\{\{\s*([\s\S]*?)\s*\}\}\s*$/, '$1'), context));

// ---------------------------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------------------------

/** One logged call of a stand-in: the command, its working directory and its arguments. */
export interface Call {
  readonly cmd: string;
  readonly cwd: string;
  readonly args: string[];
}

export interface StepResult {
  readonly job: string;
  readonly step: string;
  readonly status: number;
  readonly output: string;
}

export interface Run {
  readonly steps: StepResult[];
  readonly calls: Call[];
  /** Each object `aws s3 cp` wrote: its S3 URL and Cache-Control. */
  readonly uploads: { url: string; cacheControl: string }[];
  /** The workspace of each job that ran. */
  readonly workspaces: Record<string, string>;
  readonly artifacts: string;
  readonly jobOutputs: Record<string, Record<string, string>>;
  /** Each job's conclusion: skipped by its `if:` (or a need that did not succeed), success or failure. */
  readonly jobs: Record<string, 'success' | 'failure' | 'skipped'>;
  /** The GitHub environment each job that ran deployed to (undefined: none). */
  readonly environments: Record<string, string | undefined>;
  /** The run's conclusion, which the course's autograder requires to be `success` (skipped jobs do not count). */
  readonly conclusion: 'success' | 'failure';
  readonly world: World;
  readonly output: string;
}

export interface RunOptions {
  /** The dispatch's inputs (the inputs' defaults fill the rest; a required one missing is refused, as GitHub does). */
  readonly inputs?: Record<string, string>;
  /** The cloud and repository the run works on (a fresh one by default); shared, several runs follow each other. */
  readonly world?: World;
}

/**
 * Run a workflow as GitHub would after a dispatch on `main` (no inputs unless given): jobs in order of `needs`, each
 * in a fresh workspace, skipped when its `if:` is false or a need did not succeed; `uses:` steps played by their
 * effect (checkout, artifacts, the credentials' inputs, the ECR login's registry output), `run:` steps under
 * `bash -e` with their env and working-directory. A failing step ends its job (unless continue-on-error).
 */
export function runWorkflow(
  file: string,
  fork: string,
  vars: Record<string, string> = VARS,
  options: RunOptions = {},
): Run {
  const definition = workflow(file);
  const world = options.world ?? new World(vars);
  const root = mkdtempSync(join(tmpdir(), 'pizza-run-'));
  const bin = join(root, 'bin');
  const artifacts = join(root, 'artifacts');
  const log = join(root, 'calls.log');
  const uploadLog = join(root, 'uploads.log');
  mkdirSync(artifacts);
  writeFileSync(log, '');
  writeFileSync(uploadLog, '');
  standIns(bin, log, uploadLog, world);

  const declared = definition.on.workflow_dispatch?.inputs ?? {};
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(declared)) {
    const given = options.inputs?.[name] ?? input.default;
    if (input.required && (given === undefined || given === '')) throw new Error(`${file}: input ${name} is required`);
    if (given !== undefined) inputs[name] = String(given);
  }
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in declared)) throw new Error(`${file}: no input ${name} (GitHub refuses the dispatch)`);
  }
  const sha = world.head();
  const github = { repository: REPOSITORY, sha, ref: 'refs/heads/main', token: 'github-token-of-this-run' };

  const results: StepResult[] = [];
  const workspaces: Record<string, string> = {};
  const jobOutputs: Record<string, Record<string, string>> = {};
  const jobs: Record<string, 'success' | 'failure' | 'skipped'> = {};
  const environments: Record<string, string | undefined> = {};
  const names = Object.keys(definition.jobs);
  while (Object.keys(jobs).length < names.length) {
    const name = names.find(
      (n) => !(n in jobs) && [definition.jobs[n].needs ?? []].flat().every((need) => need in jobs),
    )!;
    const job = definition.jobs[name];
    const needs = [job.needs ?? []].flat();
    const context: Context = {
      vars,
      secrets: SECRETS,
      inputs,
      github,
      steps: {},
      needs: Object.fromEntries(needs.map((need) => [need, { outputs: jobOutputs[need] ?? {} }])),
    };
    // GitHub's implicit success(): a job runs only when every need succeeded, and its `if:` holds
    if (needs.some((need) => jobs[need] !== 'success') || (job.if !== undefined && !condition(job.if, context))) {
      jobs[name] = 'skipped';
      continue;
    }
    jobs[name] = 'success';
    const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
    environments[name] = environment === undefined ? undefined : substitute(environment, context);
    const workspace = join(root, 'work', name);
    mkdirSync(workspace, { recursive: true });
    workspaces[name] = workspace;
    for (const step of job.steps) {
      const label = step.name ?? step.uses ?? step.run!.split('\n')[0];
      if (step.if) throw new Error(`step "${label}": conditions are not played by this test`);
      const stepOutputs: Record<string, string> = {};
      let status = 0;
      let output = '';
      const inputsOf = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]),
      );
      if (step.uses) {
        [status, output] = playAction(step.uses, inputsOf, { fork, workspace, artifacts, stepOutputs });
      } else {
        const githubOutput = join(root, `output-${results.length}`);
        writeFileSync(githubOutput, '');
        const script = join(root, `step-${results.length}.sh`);
        writeFileSync(script, substitute(step.run!, context));
        const env: Record<string, string> = {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: root,
          TZ: 'UTC',
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: githubOutput,
          GITHUB_REPOSITORY: REPOSITORY,
          GITHUB_SHA: sha,
          GITHUB_REF: github.ref,
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
        jobs[name] = 'failure';
        break;
      }
    }
    if (jobs[name] === 'failure') continue;
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
  const conclusion = Object.values(jobs).includes('failure') ? 'failure' : 'success';
  return {
    steps: results,
    calls,
    uploads,
    workspaces,
    artifacts,
    jobOutputs,
    jobs,
    environments,
    conclusion,
    world,
    output,
  };
}

/** A `uses:` step, played by its effect: its status, output, and step outputs (written into `where.stepOutputs`). */
function playAction(
  uses: string,
  inputs: Record<string, string>,
  where: { fork: string; workspace: string; artifacts: string; stepOutputs: Record<string, string> },
): [number, string] {
  const { fork, workspace, artifacts } = where;
  switch (uses.split('@')[0]) {
    case 'actions/checkout':
      cpSync(fork, workspace, { recursive: true });
      return [0, ''];
    case 'actions/setup-node':
      return [0, ''];
    case 'actions/upload-artifact':
      if (!existsSync(join(workspace, inputs.path))) {
        return [
          0,
          `Warning: No files were found with the provided path: ${inputs.path}. No artifacts will be uploaded.`,
        ];
      }
      cpSync(join(workspace, inputs.path), join(artifacts, inputs.name), { recursive: true });
      return [0, ''];
    case 'actions/download-artifact':
      if (!existsSync(join(artifacts, inputs.name))) return [1, `Error: Artifact not found for name: ${inputs.name}`];
      cpSync(join(artifacts, inputs.name), join(workspace, inputs.path), { recursive: true });
      return [0, ''];
    case 'aws-actions/configure-aws-credentials':
      if (!inputs['role-to-assume'] || !inputs['aws-region']) {
        return [1, 'Error: role-to-assume and aws-region are needed'];
      }
      return [0, ''];
    case 'aws-actions/amazon-ecr-login':
      where.stepOutputs.registry = REGISTRY;
      return [0, ''];
    default:
      throw new Error(`${uses} is not played by this test`);
  }
}

export const failures = (run: Run) =>
  run.steps.filter((s) => s.status !== 0).map((s) => `${s.job} / ${s.step}: ${s.output}`);
export const stepOutput = (run: Run, name: RegExp) => run.steps.find((s) => name.test(s.step))!.output;
export const called = (run: Run, cmd: string, ...prefix: string[]) =>
  run.calls.filter((c) => c.cmd === cmd && prefix.every((p, i) => c.args[i] === p));
export function files(dir: string, under: string = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), under) : [relative(under, join(dir, e.name))]))
    .sort();
}
