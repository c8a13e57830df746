/**
 * The course's autograder (devops329/autograder, backend/grading), replayed offline on what this library ships.
 * Students copy examples/github/*.yml to `.github/workflows/ci.yml`, the only file the grader reads. It:
 * - deliverable 5 (frontend): needs `aws s3 cp` in jwt-pizza's ci.yml;
 * - deliverable 6 (service): needs `aws ecs update-service`, `docker build` and `$ECR_REGISTRY/$ECR_REPOSITORY --push`
 *   in jwt-pizza-service's ci.yml, and reads VITE_PIZZA_SERVICE_URL from jwt-pizza's committed .env.production
 *   (GradingTools.getEnvVariable), which must not name pizza-service.cs329.click;
 * - dispatches ci.yml (`workflow_dispatch`, ref main, no inputs) and needs a green run;
 * - deliverable 7 (frontend with staging): needs `push:` and `aws s3 cp dist s3://<bucket>/$version` in jwt-pizza's
 *   ci.yml, then dispatches release.yml with the inputs `version` and `description` (the releases and the sites it
 *   then reads: test/release-workflows.test.ts).
 * Each check is also shown to fail on a copy of the workflow that breaks it.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

const DIR = join(__dirname, '..', 'examples', 'github');
const FRONTEND = readFileSync(join(DIR, 'jwt-pizza-frontend.yml'), 'utf-8');
const RELEASE = readFileSync(join(DIR, 'jwt-pizza-release.yml'), 'utf-8');
const SERVICE = readFileSync(join(DIR, 'jwt-pizza-service.yml'), 'utf-8');

/** The grader's text checks of ci.yml (DeliverableFive.grade, DeliverableSix.grade). */
const NEEDED = {
  frontend: ['aws s3 cp'],
  service: ['aws ecs update-service', 'docker build', '$ECR_REGISTRY/$ECR_REPOSITORY --push'],
};
const graderAccepts = (kind: keyof typeof NEEDED, ci: string) => NEEDED[kind].every((text) => ci.includes(text));

/** The same logic as GradingTools.getEnvVariable: lines split on '=', key and value trimmed, the last match wins. */
function getEnvVariable(envFile: string, name: string): string {
  let value = '';
  for (const line of envFile.split('\n')) {
    const [key, rest] = line.split('=');
    if (key.trim() === name) value = rest.trim();
  }
  return value;
}
const usesOwnService = (envFile: string) => {
  const url = getEnvVariable(envFile, 'VITE_PIZZA_SERVICE_URL');
  return url !== '' && !url.includes('pizza-service.cs329.click');
};

/** The `run:` scripts of a workflow's text: where a needed command must be, not only in a comment. */
function runScripts(ci: string): string {
  const jobs = parse(ci).jobs as Record<string, { steps: { run?: string }[] }>;
  return Object.values(jobs)
    .flatMap((job) => job.steps.map((step) => step.run ?? ''))
    .join('\n')
    .replace(/\s*\n\s*/g, ' '); // folded (>) and literal (|) blocks alike
}

/** Can the grader dispatch it (workflow_dispatch, no inputs), and does a push to main deploy? */
function triggers(ci: string): { dispatchWithoutInputs: boolean; pushToMain: boolean } {
  const on = parse(ci).on ?? {};
  const inputs: Record<string, { required?: boolean; default?: unknown; type?: string; options?: unknown[] }> =
    on.workflow_dispatch?.inputs ?? {};
  const dispatchWithoutInputs =
    'workflow_dispatch' in on &&
    Object.values(inputs).every(
      (input) =>
        input.required !== true &&
        (input.type !== 'choice' || input.default === undefined || (input.options ?? []).includes(input.default)),
    );
  return { dispatchWithoutInputs, pushToMain: (on.push?.branches ?? []).includes('main') };
}

describe.each([
  ['frontend', FRONTEND],
  ['service', SERVICE],
] as const)('the %s workflow, as the grader reads it', (kind, ci) => {
  test('has the commands the grader looks for', () => {
    expect(graderAccepts(kind, ci)).toBe(true);
  });

  test.each(NEEDED[kind])('has `%s` in a run: step, not only in a comment', (text) => {
    expect(runScripts(ci)).toContain(text);
  });

  test.each(NEEDED[kind])('without `%s`, the grader gives it no points (the check can fail)', (text) => {
    const mutated = ci.split(text).join(text.replace(' ', '  '));
    expect(mutated).not.toContain(text);
    expect(graderAccepts(kind, mutated)).toBe(false);
  });

  test('runs on a dispatch with no inputs (the grader sends none) and on a push to main', () => {
    expect(triggers(ci)).toEqual({ dispatchWithoutInputs: true, pushToMain: true });
  });

  test('the trigger check can fail: no workflow_dispatch, or a required input', () => {
    const withoutDispatch = ci.replace(/^ {2}workflow_dispatch:.*$/m, '  pull_request:');
    expect(withoutDispatch).not.toContain('workflow_dispatch');
    expect(triggers(withoutDispatch).dispatchWithoutInputs).toBe(false);
    const required = ci.replace(/^( {6}environment:\n)/m, '$1        required: true\n');
    expect(required).toContain('required: true');
    expect(triggers(required).dispatchWithoutInputs).toBe(false);
    const notPushed = ci.replace('branches: [main]', 'branches: [release]');
    expect(triggers(notPushed).pushToMain).toBe(false);
  });
});

test("the frontend deploy is the course grader's command: aws s3 cp of the build (no aws s3 sync)", () => {
  expect(runScripts(FRONTEND)).toMatch(/aws s3 cp dist "s3:\/\/\$BUCKET" --recursive/);
  expect(FRONTEND).not.toContain('aws s3 sync');
  // the service build keeps the whole grader string on one line, with the version tag before it
  expect(SERVICE).toMatch(
    /^ +docker build --platform=linux\/arm64 --provenance=false -t "\$ECR_REGISTRY\/\$ECR_REPOSITORY:\$VERSION" -t \$ECR_REGISTRY\/\$ECR_REPOSITORY --push \.$/m,
  );
});

describe("VITE_PIZZA_SERVICE_URL as the grader reads it from jwt-pizza's committed .env.production", () => {
  const stock = readFileSync(join(__dirname, 'fixtures', 'upstream', 'jwt-pizza', '.env.production'), 'utf-8');
  const mine =
    'VITE_PIZZA_SERVICE_URL=https://pizza-service.example.com\nVITE_PIZZA_FACTORY_URL=https://pizza-factory.cs329.click\n';

  test("the upstream file names the course's service: no points until the fork commits its own", () => {
    expect(getEnvVariable(stock, 'VITE_PIZZA_SERVICE_URL')).toBe('https://pizza-service.cs329.click');
    expect(usesOwnService(stock)).toBe(false);
  });

  test('a committed file with your service URL passes (CRLF and spaces around = included)', () => {
    expect(usesOwnService(mine)).toBe(true);
    expect(getEnvVariable(mine.replace(/\n/g, '\r\n'), 'VITE_PIZZA_SERVICE_URL')).toBe(
      'https://pizza-service.example.com',
    );
    expect(
      getEnvVariable(' VITE_PIZZA_SERVICE_URL = https://pizza-service.example.com ', 'VITE_PIZZA_SERVICE_URL'),
    ).toBe('https://pizza-service.example.com');
  });

  test("the grader's quirks: quotes are kept, `export` hides the line, a second '=' cuts the value", () => {
    expect(getEnvVariable('VITE_PIZZA_SERVICE_URL="https://a.example.com"', 'VITE_PIZZA_SERVICE_URL')).toBe(
      '"https://a.example.com"',
    );
    expect(getEnvVariable('export VITE_PIZZA_SERVICE_URL=https://a.example.com', 'VITE_PIZZA_SERVICE_URL')).toBe('');
    expect(getEnvVariable('VITE_PIZZA_SERVICE_URL=https://a.example.com/?x=1', 'VITE_PIZZA_SERVICE_URL')).toBe(
      'https://a.example.com/?x',
    );
  });

  /** Run the frontend's check step on a .env.production (undefined: no file), with SERVICE_URL set. */
  function check(envFile: string | undefined, serviceUrl: string): { status: number | null; output: string } {
    const step = (parse(FRONTEND).jobs.build.steps as { name?: string; run?: string }[]).find((s) =>
      /^Check the committed \.env\.production/.test(s.name ?? ''),
    )!;
    const dir = mkdtempSync(join(tmpdir(), 'pizza-env-'));
    if (envFile !== undefined) writeFileSync(join(dir, '.env.production'), envFile);
    const result = spawnSync('bash', ['-e', '-c', step.run!], {
      cwd: dir,
      env: { PATH: process.env.PATH, SERVICE_URL: serviceUrl },
      encoding: 'utf-8',
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  const url = 'https://pizza-service.example.com';
  test.each([
    ['the upstream file', stock],
    ['your service', mine],
    ['your service, CRLF', mine.replace(/\n/g, '\r\n')],
    ['your service, spaces around =', ` VITE_PIZZA_SERVICE_URL = ${url} \n`],
    ['your service, quoted', `VITE_PIZZA_SERVICE_URL="${url}"\n`],
    ['your service, exported', `export VITE_PIZZA_SERVICE_URL=${url}\n`],
    ['another line last', `VITE_PIZZA_SERVICE_URL=${url}\nVITE_PIZZA_SERVICE_URL=https://pizza-service.cs329.click\n`],
    ['no such line', 'VITE_PIZZA_FACTORY_URL=https://pizza-factory.cs329.click\n'],
    ['no file', undefined],
  ])("the build warns exactly when the grader would not read your service's URL: %s", (_, envFile) => {
    const { status, output } = check(envFile, url);
    expect(status).toBe(0);
    const graderReads = envFile === undefined ? '' : getEnvVariable(envFile, 'VITE_PIZZA_SERVICE_URL');
    expect(output.includes('::warning::')).toBe(graderReads !== url);
    if (graderReads !== url) {
      expect(output).toContain(`commit .env.production with the line VITE_PIZZA_SERVICE_URL=${url}`);
    }
  });
});

describe("deliverable 7: jwt-pizza's ci.yml as the grader reads it (DeliverableSeven.grade)", () => {
  /** The grader's two text checks of ci.yml, as it writes them. */
  const onPush = (ci: string) => ci.includes('push:');
  const VERSION_COPY = /aws s3 cp dist s3:\/\/[^\/]+\/\$version/;
  const pushesVersionToS3 = (ci: string) => VERSION_COPY.test(ci);

  test('runs on push, and copies the build to its version folder with the command the grader looks for', () => {
    expect(onPush(FRONTEND)).toBe(true);
    expect(pushesVersionToS3(FRONTEND)).toBe(true);
  });

  test('the version copy is in a run: step of the stage job, on one line, with `version` set from the build', () => {
    const stage = parse(FRONTEND).jobs.stage as { env: Record<string, string>; steps: { run?: string }[] };
    expect(stage.steps.filter((step) => VERSION_COPY.test(step.run ?? ''))).toHaveLength(1);
    // and nowhere else, not even in a comment: else the grader would pass a broken command
    expect(FRONTEND.split('\n').filter((line) => VERSION_COPY.test(line))).toHaveLength(1);
    expect(FRONTEND).toMatch(
      /^ +aws s3 cp dist s3:\/\/\$BUCKET\/\$version --recursive --exclude "assets\/\*" --exclude "config\.json" --cache-control "no-cache"$/m,
    );
    expect(stage.env.version).toBe('${{ needs.build.outputs.version }}');
    // only in the stage job: the deploy job (no staging) keeps copying to the top level
    const deploy = parse(FRONTEND).jobs.deploy as { steps: { run?: string }[] };
    expect(deploy.steps.some((step) => VERSION_COPY.test(step.run ?? ''))).toBe(false);
  });

  test('without `push:`, the grader gives no continuous-staging points (the check can fail)', () => {
    const mutated = FRONTEND.replace(/^ {2}push:\n {4}branches: \[main\].*\n/m, '');
    expect(mutated).not.toContain('push:');
    expect(onPush(mutated)).toBe(false);
  });

  test.each([
    ['the bucket quoted', (ci: string) => ci.replace('s3://$BUCKET/$version', '"s3://$BUCKET/$version"')],
    ['the version braced', (ci: string) => ci.replace('s3://$BUCKET/$version', 's3://$BUCKET/${version}')],
    ['the variable renamed', (ci: string) => ci.replace('s3://$BUCKET/$version', 's3://$BUCKET/$VERSION')],
    [
      'the command split over two lines',
      (ci: string) => ci.replace('aws s3 cp dist s3://', 'aws s3 cp dist \\\n  s3://'),
    ],
  ])('with %s, the grader finds no version copy and gives no points at all (the check can fail)', (_, mutate) => {
    const mutated = mutate(FRONTEND);
    expect(mutated).not.toBe(FRONTEND);
    expect(pushesVersionToS3(mutated)).toBe(false);
  });

  /** Whether GitHub accepts a dispatch of `workflow` with exactly these inputs (undeclared or missing required: 422). */
  function acceptsDispatch(workflow: string, given: Record<string, string>): boolean {
    const inputs: Record<string, { required?: boolean }> = parse(workflow).on?.workflow_dispatch?.inputs ?? {};
    return (
      Object.keys(given).every((name) => name in inputs) &&
      Object.entries(inputs).every(([name, input]) => !input.required || given[name] !== undefined)
    );
  }

  test("release.yml takes the grader's dispatch: inputs version and description, nothing else required", () => {
    const grader = { version: '20261207.134501', description: 'Autograder Production Release' };
    expect(acceptsDispatch(RELEASE, grader)).toBe(true);
    expect(acceptsDispatch(RELEASE, { description: 'no version' })).toBe(false);
    const renamed = RELEASE.replace(/^ {6}description:\n/m, '      notes:\n');
    expect(renamed).not.toBe(RELEASE);
    expect(acceptsDispatch(renamed, grader)).toBe(false);
  });
});
