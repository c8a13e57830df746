/**
 * The starter (`npx pizza-constructs init`): what it writes, and what it refuses. The end-to-end run (install the
 * packed tarball into the starter, type-check, `cdk synth --strict` with no AWS credentials) is
 * scripts/starter-test.mjs, a step of the test command.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const CLI = join(__dirname, '..', 'bin', 'pizza-constructs.js');

function init(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'pizza-init-'));
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf-8' });
  return { cwd, status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('writes a complete app: pinned versions, tsx, types node, the context, the workflows and config.js', () => {
  const { cwd, status, output } = init(
    'init',
    'shop',
    '--domain',
    'pizza.example.org',
    '--zone',
    'Z0AB12',
    '--owner',
    'me',
  );
  expect(status).toBe(0);
  expect(output).toContain('next: cd shop && npm install && npx cdk synth   (no AWS credentials needed)');
  expect(output).not.toContain('placeholders');
  const app = join(cwd, 'shop');
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf-8'));
  expect(pkg.name).toBe('shop');
  expect(Object.keys(pkg.dependencies).sort()).toEqual(['aws-cdk-lib', 'constructs', 'pizza-constructs']);
  expect(pkg.devDependencies).toMatchObject({ tsx: expect.any(String), typescript: '~6.0.0' });
  expect(pkg.devDependencies['ts-node']).toBeUndefined();
  const cdk = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8'));
  expect(cdk).toEqual({
    app: 'npx tsx bin/app.ts',
    context: {
      domainName: 'pizza.example.org',
      hostedZoneId: 'Z0AB12',
      githubOwner: 'me',
      region: 'us-east-1',
      factoryApiKeySecretName: 'pizza/factory-api-key',
      paused: 'false',
    },
  });
  expect(JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf-8')).compilerOptions.types).toEqual(['node']);
  const source = readFileSync(join(app, 'bin', 'app.ts'), 'utf-8');
  expect(source).toContain("from 'pizza-constructs'");
  expect(source).toContain("env: { region: context('region') }");
  for (const file of ['github/jwt-pizza-frontend.yml', 'github/jwt-pizza-service.yml', 'config.js']) {
    const original = file.startsWith('github/') ? join('examples', file) : join('examples', 'jwt-pizza-service', file);
    expect(readFileSync(join(app, file), 'utf-8')).toBe(readFileSync(join(__dirname, '..', original), 'utf-8'));
  }
  expect(readFileSync(join(app, 'README.md'), 'utf-8')).toContain('npx cdk bootstrap');
});

test('without flags: placeholders, named in the output and in the README', () => {
  const { cwd, status, output } = init('init');
  expect(status).toBe(0);
  expect(output).toContain(
    'placeholders in cdk.json to replace before deploying: domainName, hostedZoneId, githubOwner',
  );
  expect(readFileSync(join(cwd, 'jwt-pizza-infra', 'README.md'), 'utf-8')).toContain(
    '**Placeholders to replace in `cdk.json` before `cdk deploy`:** `domainName`, `hostedZoneId`, `githubOwner`.',
  );
});

test.each([
  [
    ['init', '--domain', 'https://example.com'],
    '--domain must be a domain name such as example.com, got: "https://example.com"',
  ],
  [
    ['init', '--zone', '/hostedzone/Z1'],
    '--zone must be a Route 53 hosted zone id such as Z0123456789ABC, got: "/hostedzone/Z1"',
  ],
  [['init', '--owner'], '--owner needs a value'],
  [['init', '--verbose'], 'unknown option --verbose'],
  [['new'], 'unknown command "new": the one command is `init`'],
])('refuses %j', (args, message) => {
  const { status, output } = init(...args);
  expect(status).toBe(1);
  expect(output).toContain(`pizza-constructs: ${message}`);
  expect(output).toContain('usage: npx pizza-constructs init');
});

test('refuses a folder that is not empty', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'pizza-init-'));
  mkdirSync(join(cwd, 'taken'));
  writeFileSync(join(cwd, 'taken', 'file'), 'x');
  const result = spawnSync(process.execPath, [CLI, 'init', 'taken'], { cwd, encoding: 'utf-8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('exists and is not empty: give a new folder');
});
