/**
 * Publishable on the first try: a release from the placeholder repository URL is refused before anything is built,
 * publishing uses npm trusted publishing, and the workflows run a maintained Node.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const CHECK = join(ROOT, 'scripts', 'check-release.mjs');

function check(url: string | undefined, readme = ''): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pizza-release-'));
  const file = join(dir, 'package.json');
  writeFileSync(file, JSON.stringify(url === undefined ? { name: 'x' } : { repository: { type: 'git', url } }));
  writeFileSync(join(dir, 'README.md'), readme);
  const result = spawnSync(process.execPath, [CHECK, file], { encoding: 'utf-8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('a release from the placeholder repository (or none) fails, saying what to set', () => {
  for (const url of ['https://github.com/example/pizza-constructs.git', undefined]) {
    const { status, output } = check(url);
    expect(status).toBe(1);
    expect(output).toContain('Set REPOSITORY_URL in .projenrc.ts');
  }
});

test('a release from a real repository passes the check once the README links point at it', () => {
  const real = 'https://github.com/byucsstudent/pizza-constructs.git';
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf-8');
  const stale = check(real, readme);
  expect(stale.status).toBe(1);
  expect(stale.output).toContain(
    'points at example/pizza-constructs, but repository.url is byucsstudent/pizza-constructs',
  );
  const fixed = check(real, readme.replace(/(github\.com|githubusercontent\.com)\/example\//g, '$1/byucsstudent/'));
  expect(fixed.output).toMatch(/^readme-links: \d+ links in .*README\.md resolve \(byucsstudent\/pizza-constructs\)\n/);
  expect(fixed.output).toContain('release: publishing from https://github.com/byucsstudent/pizza-constructs.git\n');
  expect(fixed.status).toBe(0);
});

test('the check is the first step of `projen release`, and this repository still has the placeholder', () => {
  const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks;
  expect(tasks.release.steps[0]).toEqual({ exec: 'node scripts/check-release.mjs' });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8'));
  expect(spawnSync(process.execPath, [CHECK], { cwd: ROOT }).status).toBe(
    pkg.repository.url.includes('/example/') ? 1 : 0,
  );
});

test('npm publishing uses trusted publishing (OIDC), with no token', () => {
  const release = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf-8'));
  const job = release.jobs.release_npm;
  expect(job.permissions['id-token']).toBe('write');
  const publish = job.steps.find((s: any) => s.name === 'Release');
  expect(publish.env).toMatchObject({ NPM_TRUSTED_PUBLISHER: 'true', NPM_CONFIG_PROVENANCE: 'true' });
  expect(JSON.stringify(release)).not.toContain('NPM_TOKEN');
});

test('every workflow runs a maintained Node (22 or 24), and the package says it is a CDK construct library', () => {
  const dir = join(ROOT, '.github', 'workflows');
  const versions = readdirSync(dir).flatMap((f) =>
    [...readFileSync(join(dir, f), 'utf-8').matchAll(/node-version: (\S+)/g)].map((m) => m[1]),
  );
  expect(versions.length).toBeGreaterThan(0);
  expect(versions.filter((v) => !/^2[24]\./.test(v))).toEqual([]);
  expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')).keywords).toContain('awscdk');
});

test('a Python package too: jsii target pizza-constructs / pizza_constructs, published by trusted publishing', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8'));
  expect(pkg.jsii.targets.python).toEqual({ distName: 'pizza-constructs', module: 'pizza_constructs' });
  const release = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf-8'));
  const job = release.jobs.release_pypi;
  expect(job.permissions['id-token']).toBe('write');
  const publish = job.steps.find((s: any) => /publib-pypi/.test(s.run ?? ''));
  expect(publish.env).toMatchObject({ PYPI_TRUSTED_PUBLISHER: 'true' });
  expect(JSON.stringify(job)).not.toMatch(/TWINE_PASSWORD|PYPI_TOKEN/);
});

describe('the README travels: its links resolve on npm, PyPI and Construct Hub', () => {
  const LINKS = join(ROOT, 'scripts', 'readme-links.mjs');
  function links(readme: string, url: string, ...flags: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-links-'));
    writeFileSync(join(dir, 'README.md'), readme);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ repository: { type: 'git', url } }));
    const result = spawnSync(process.execPath, [LINKS, ...flags, join(dir, 'README.md'), join(dir, 'package.json')], {
      encoding: 'utf-8',
    });
    return {
      status: result.status,
      output: `${result.stdout}${result.stderr}`,
      readme: readFileSync(join(dir, 'README.md'), 'utf-8'),
    };
  }
  const PLACEHOLDER = 'https://github.com/example/pizza-constructs.git';

  test("this repository's README passes: only anchors to its own headings and absolute links to files that exist", () => {
    const result = spawnSync(process.execPath, [LINKS], { cwd: ROOT, encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf-8');
    expect(readme).toContain('/docs/architecture.svg)');
    expect(readme).not.toContain('```mermaid');
  });

  test.each([
    ['a relative link', 'See [the examples](examples/).', 'examples/: a relative link'],
    ['a relative image', '<img src="docs/architecture.svg">', 'docs/architecture.svg: a relative link'],
    ['an anchor no heading has', '# Title\n\nSee [x](#no-such-heading).', '#no-such-heading: no heading'],
    [
      'a file the repository does not have',
      '[x](https://github.com/example/pizza-constructs/blob/main/examples/missing.ts)',
      'examples/missing.ts does not exist',
    ],
  ])('fails on %s', (_, readme, message) => {
    const result = links(readme, PLACEHOLDER);
    expect(result.status).toBe(1);
    expect(result.output).toContain(message);
  });

  test('the guides under docs/: relative links to files and headings that exist; the README names their headings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pizza-guides-'));
    mkdirSync(join(dir, 'docs', 'reference'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ repository: { type: 'git', url: PLACEHOLDER } }));
    writeFileSync(join(dir, 'README.md'), '# T\n\n## Install\n');
    writeFileSync(join(dir, 'docs', 'reference', 'pizza-dns.md'), '# PizzaDns\n\n## What it creates\n');
    const run = (guide: string) => {
      writeFileSync(join(dir, 'docs', 'guide.md'), guide);
      const result = spawnSync(process.execPath, [LINKS, join(dir, 'README.md'), join(dir, 'package.json')], {
        encoding: 'utf-8',
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };
    const good = run('# G\n\n[a](reference/pizza-dns.md#what-it-creates) [b](../README.md#install) [c](#g)\n');
    expect(good.output).toContain('readme-links: 3 links in 2 guides under docs/ resolve');
    expect(good.status).toBe(0);
    for (const [guide, message] of [
      [
        '[x](reference/pizza-dns.md#what-it-makes)',
        'no heading in docs/reference/pizza-dns.md has the anchor #what-it-makes',
      ],
      ['[x](operating.md)', 'docs/operating.md does not exist'],
      ['[x](#nowhere)', 'no heading in docs/guide.md has the anchor #nowhere'],
      [
        '[x](https://github.com/example/pizza-constructs/blob/main/README.md)',
        'an absolute link into this repository; use a relative one',
      ],
    ]) {
      const bad = run(`# G\n\n${guide}\n`);
      expect(bad.status).toBe(1);
      expect(bad.output).toContain(message);
    }
  });

  test("a README link into a guide names one of the guide's headings", () => {
    const result = links(
      '# T\n\n[x](https://github.com/example/pizza-constructs/blob/main/docs/operating.md#no-such-heading)\n',
      PLACEHOLDER,
    );
    expect(result.status).toBe(1);
    expect(result.output).toContain('no heading in docs/operating.md has the anchor #no-such-heading');
  });

  test('after REPOSITORY_URL changes, the links to the placeholder fail until --write points them at the new one', () => {
    const readme =
      '# T\n\n![a](https://raw.githubusercontent.com/example/pizza-constructs/main/docs/architecture.svg) ' +
      '[b](https://github.com/example/pizza-constructs/tree/main/examples/) [c](#t) [d](https://aws.amazon.com/)\n';
    const real = 'https://github.com/byucsstudent/pizza-constructs.git';
    const before = links(readme, real);
    expect(before.status).toBe(1);
    expect(before.output).toContain('run node scripts/readme-links.mjs --write');
    const after = links(readme, real, '--write');
    expect(after.status).toBe(0);
    expect(after.readme).toBe(readme.replace(/\/example\//g, '/byucsstudent/'));
  });

  test('the architecture picture (SVG) and its Mermaid source are both what scripts/architecture.mjs writes', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'architecture.mjs'), '--check'], {
      encoding: 'utf-8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const svg = readFileSync(join(ROOT, 'docs', 'architecture.svg'), 'utf-8');
    const mermaid = readFileSync(join(ROOT, 'docs', 'architecture.mmd'), 'utf-8');
    for (const name of ['CloudFront', 'S3 bucket', 'ALB', 'ECS Fargate', 'RDS MySQL 8', 'ECR', 'GitHub Actions']) {
      expect(svg).toContain(`>${name}</text>`);
      expect(mermaid).toContain(name);
    }
  });
});
