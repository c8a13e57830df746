/**
 * Publishable on the first try: a release from the placeholder repository URL is refused before anything is built,
 * publishing uses npm trusted publishing, and the workflows run a maintained Node.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const CHECK = join(ROOT, 'scripts', 'check-release.mjs');

function check(url: string | undefined): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'pizza-release-')), 'package.json');
  writeFileSync(file, JSON.stringify(url === undefined ? { name: 'x' } : { repository: { type: 'git', url } }));
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

test('a release from a real repository passes the check', () => {
  expect(check('https://github.com/byucsstudent/pizza-constructs.git')).toEqual({
    status: 0,
    output: 'release: publishing from https://github.com/byucsstudent/pizza-constructs.git\n',
  });
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
