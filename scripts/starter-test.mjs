#!/usr/bin/env node
// The starter test: from the packed tarball (dist/js), run `pizza-constructs init` into an empty folder, install
// what it pins (with this tarball for pizza-constructs), type-check the app, and `cdk synth --strict` it with no AWS
// credentials at all: a newcomer's two commands. Run once with every flag given (`--staging` too), once with none
// (placeholders).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packed = readdirSync(join(root, 'dist', 'js')).find((f) => f.endsWith('.tgz'));
if (!packed) throw new Error('no tarball in dist/js: run `npx projen package:js` first');
const tarball = join(root, 'dist', 'js', packed);

// no credentials, no account: what a newcomer has before `aws configure`
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_DEFAULT_)/.test(k)));
Object.assign(env, {
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
});
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, env, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'pizza-starter-'));
run('tar', ['-xzf', tarball, '-C', work]);
// examples/ ships only what the starter copies (.npmignore lists the rest): a new example must not ship silently
const shipped = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf-8' })
  .split('\n')
  .filter((f) => f.startsWith('package/examples/'))
  .sort();
const expected = [
  'package/examples/github/jwt-pizza-frontend.yml',
  'package/examples/github/jwt-pizza-release.yml',
  'package/examples/github/jwt-pizza-service.yml',
  'package/examples/jwt-pizza-service/Dockerfile',
  'package/examples/jwt-pizza-service/config.js',
];
if (JSON.stringify(shipped) !== JSON.stringify(expected)) {
  throw new Error(
    `the tarball ships these files of examples/: ${shipped.join(', ')}; expected only ${expected.join(', ')}`,
  );
}
const cli = join(work, 'package', 'bin', 'pizza-constructs.js');

for (const [name, flags] of [
  [
    'with-flags',
    [
      ...['--domain', 'example.com', '--zone', 'Z0123456789ABC', '--owner', 'byucsstudent'],
      // GitHub's numeric ids: the role's immutable subjects then carry exactly these
      ...['--owner-id', '1234567', '--frontend-repo-id', '7654321', '--service-repo-id', '7654322'],
      // the frontend with staging beside production (deliverable 7)
      '--staging',
    ],
  ],
  ['placeholders', []],
]) {
  const started = Date.now();
  const app = join(work, name);
  run(process.execPath, [cli, 'init', app, ...flags], work);
  for (const file of [
    'package.json',
    'cdk.json',
    'tsconfig.json',
    'bin/app.ts',
    'bin/context.ts',
    'README.md',
    'config.js',
    'Dockerfile',
  ]) {
    if (!existsSync(join(app, file))) throw new Error(`the starter did not write ${file}`);
  }
  for (const file of ['jwt-pizza-frontend.yml', 'jwt-pizza-release.yml', 'jwt-pizza-service.yml']) {
    if (!existsSync(join(app, 'github', file))) throw new Error(`the starter did not write github/${file}`);
  }
  // this tarball stands in for the published pizza-constructs of the same version
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf-8'));
  manifest.dependencies['pizza-constructs'] = `file:${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, undefined, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  run('npx', ['tsc', '--noEmit'], app);
  const out = join(app, 'cdk.out');
  run('npx', ['cdk', 'synth', '--strict', '--quiet', '--no-notices', '--no-version-reporting', '--output', out], app);
  const template = JSON.parse(readFileSync(join(out, 'JwtPizza.template.json'), 'utf-8'));
  const count = Object.keys(template.Resources).length;
  if (count < 50) throw new Error(`the starter's stack has only ${count} resources`);
  // the ids in cdk.json reach the role: its immutable subjects carry them (and, without the ids, no such subject)
  const immutable = ['jwt-pizza@7654321', 'jwt-pizza-service@7654322'].map((r) => `repo:byucsstudent@1234567/${r}:`);
  const trust = JSON.stringify(template);
  for (const subject of immutable) {
    if (trust.includes(subject) !== (name === 'with-flags')) {
      throw new Error(`the starter's (${name}) role ${name === 'with-flags' ? 'does not trust' : 'trusts'} ${subject}`);
    }
  }
  // --staging reaches the frontend: its release pointer (a CloudFront KeyValueStore) is in the template
  const pointers = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudFront::KeyValueStore');
  if (pointers.length !== (name === 'with-flags' ? 1 : 0)) {
    throw new Error(`the starter's (${name}) stack has ${pointers.length} CloudFront KeyValueStore(s)`);
  }
  console.log(
    `starter (${name}): JwtPizza synthesized with no AWS credentials, ${count} resources, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
