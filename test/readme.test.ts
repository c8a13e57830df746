/**
 * The README a newcomer reads in ten minutes: at most 40 KB, in the order install, numbered first deploy, "How do
 * I…", one short section per construct, repository commands; every guide under docs/ reached from it, and its first
 * deploy's commands the same as the ones the examples and the starter give. (Its links: release.test.ts; its
 * snippets: `test:readme`, `test:docs` and the consumer test.)
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf-8');
const REPO = 'https://github.com/example/pizza-constructs/blob/main/';
const CONSTRUCTS: Record<string, string> = {
  PizzaDns: 'pizza-dns',
  PizzaFrontend: 'pizza-frontend',
  PizzaService: 'pizza-service',
  PizzaDatabase: 'pizza-database',
  PizzaGitHubDeployRole: 'pizza-github-deploy-role',
  PizzaLoadBalancer: 'pizza-load-balancer',
  PizzaMonitoring: 'pizza-monitoring',
  PizzaBudget: 'pizza-budget',
  PizzaCostReport: 'pizza-cost-report',
};

/** The README section under `heading` (a whole heading line), up to the next heading of its level or above. */
function section(heading: string): string {
  const level = /^#+/.exec(heading)![0];
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return end === -1 ? rest : rest.slice(0, end);
}

/** A link of the README, whichever owner repository.url names (scripts/readme-links.mjs --write changes it). */
function linksTo(text: string, path: string): boolean {
  return (
    text.includes(`${REPO}${path}`) || new RegExp(`github\\.com/[^/]+/pizza-constructs/blob/main/${path}`).test(text)
  );
}

test('at most 40 KB', () => {
  expect(Buffer.byteLength(README)).toBeLessThanOrEqual(40 * 1024);
});

test('in order: install, the numbered first deploy, How do I…, the constructs, repository commands', () => {
  const headings = README.split('\n').filter((l) => /^## /.test(l));
  expect(headings.slice(0, 5)).toEqual([
    '## Install',
    '## First deploy, from an empty AWS account',
    '## How do I…',
    '## The constructs',
    '## Repository commands',
  ]);
  // the starter first
  const install = section('## Install');
  expect(install.indexOf('npx pizza-constructs init')).toBeLessThan(install.indexOf('npm install pizza-constructs'));
});

describe('the first deploy', () => {
  const text = section('## First deploy, from an empty AWS account');
  const steps = text.split(/^ ?(?=\d+\. \*\*)/m).slice(1);

  test('numbered 1 to 11, without a gap, each saying how long it takes (but the last)', () => {
    expect(steps.map((s) => Number(/^\d+/.exec(s)![0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const step of steps.slice(0, -1)) {
      expect(step).toMatch(/^\d+\. \*\*[^*]+\*\* \([^)]*(minute|hour)/);
    }
  });

  test.each([
    [1, 'aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com'],
    [1, 'aws iam create-service-linked-role --aws-service-name ecs.application-autoscaling.amazonaws.com'],
    [1, 'aws iam create-service-linked-role --aws-service-name elasticloadbalancing.amazonaws.com'],
    [1, 'Your account must be verified before you can add new CloudFront resources'],
    [2, 'hostedZoneId'],
    [3, 'npx cdk bootstrap'],
    [4, 'in the SAME region as the stack'],
    [4, 'aws secretsmanager create-secret --region us-east-1 --name pizza/factory-api-key --secret-string YOUR_KEY'],
    [5, 'npx cdk deploy'],
    [5, 'about 20-30 minutes'],
    [6, 'gh secret set NET_ID'],
    [6, 'gh secret set FACTORY_API_KEY'],
    [7, '.github/workflows/ci.yml'],
    [8, '`src/config.js`'],
    [8, '`.gitignore`'],
    [8, 'Dockerfile'],
    [9, 'VITE_PIZZA_SERVICE_URL=https://pizza-service.DOMAIN'],
    [9, 'commit it'],
    [10, 'gh workflow run ci.yml'],
    [11, 'autograder'],
  ])('step %d: %j', (step, expected) => {
    expect(steps[step - 1]).toContain(expected);
  });

  test('the variables one-liner is the one examples/github/README.md shows', () => {
    const documented = /```sh\n(aws cloudformation describe-stacks [^\n]*\n[^\n]*)\n```/.exec(
      readFileSync(join(ROOT, 'examples', 'github', 'README.md'), 'utf-8'),
    );
    expect(documented).not.toBeNull();
    // indented under its step
    expect(steps[5]).toContain(documented![1].replace(/^/gm, '   '));
  });

  test("the factory key secret is the name the README's snippets and the starter use", () => {
    const starter = readFileSync(join(ROOT, 'bin', 'pizza-constructs.js'), 'utf-8');
    expect(starter).toContain("factoryApiKeySecretName: 'pizza/factory-api-key'");
    expect(README).toContain("factoryApiKeySecretName: 'pizza/factory-api-key'");
  });
});

test('How do I… links every guide under docs/, and the tasks the issue names', () => {
  const table = section('## How do I…');
  const guides = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  expect(guides.length).toBeGreaterThanOrEqual(4);
  for (const guide of guides) expect(linksTo(table, `docs/${guide}`)).toBe(true);
  for (const task of [
    'deploy for the first time',
    'GitHub variables',
    'pause',
    'resume',
    'restore',
    'tear it all down',
    'share a load balancer',
    'staging',
    'alarms',
    'bill',
    'cost',
    'console',
    'upgrade',
  ]) {
    expect(table).toContain(task);
  }
});

test.each(Object.entries(CONSTRUCTS))(
  '%s: a short section with a snippet, linking its full reference',
  (name, file) => {
    const text = section(`### ${name}`);
    expect(text).toContain('```ts');
    expect(linksTo(text, `docs/reference/${file}.md`)).toBe(true);
    expect(readdirSync(join(ROOT, 'docs', 'reference'))).toContain(`${file}.md`);
    expect(text.length).toBeLessThan(3000);
  },
);

test('the main and test commands are there, as .ci/run and main-command-test.mjs read them', () => {
  expect(README).toMatch(
    /<!-- main-command -->\n```sh\nnpm ci && npx projen synth:example\n```\n<!-- \/main-command -->/,
  );
  expect(README).toContain(
    "<!-- test-command -->\n```sh\napt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-build python3-setuptools python3-wheel twine && python3 -m pip install -q 'cfn-lint>=1.51,<2' && npm ci && npx projen test:all\n```\n<!-- /test-command -->",
  );
});
