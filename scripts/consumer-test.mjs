#!/usr/bin/env node
// The consumer test: install the packed tarball (dist/js, the one `npm publish` would publish; `npx projen
// package:js` writes it) into a fresh temporary CDK app (next to the aws-cdk-lib and constructs this repository
// already has, so it works offline), compile a TypeScript consumer that imports `pizza-constructs` and synthesize it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));

const work = mkdtempSync(join(tmpdir(), 'pizza-consumer-'));
const packed = readdirSync(join(root, 'dist', 'js')).find((f) => f.endsWith('.tgz'));
if (!packed) throw new Error('no tarball in dist/js: run `npx projen package:js` first');
const tarball = 'pizza-constructs.tgz';
cpSync(join(root, 'dist', 'js', packed), join(work, tarball));

const app = join(work, 'app');
cpSync(join(root, 'scripts', 'consumer'), app, { recursive: true });
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf-8')).version;
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify(
    {
      name: 'pizza-consumer',
      private: true,
      dependencies: {
        'pizza-constructs': `file:../${tarball}`,
        'aws-cdk-lib': version('aws-cdk-lib'),
        constructs: version('constructs'),
      },
      devDependencies: { typescript: version('typescript'), '@types/node': version('@types/node') },
    },
    undefined,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'pizza-constructs', 'package.json'), 'utf-8'));
if (installed.name !== pkg.name || installed.version !== pkg.version) {
  throw new Error(`installed ${installed.name}@${installed.version}, expected ${pkg.name}@${pkg.version}`);
}
if (!readdirSync(join(app, 'node_modules', 'pizza-constructs', 'lib')).includes('index.js')) {
  throw new Error('the installed package has no lib/index.js');
}
run('npx', ['tsc', '-p', '.'], app);
run('node', ['app.js'], app);
const manifest = JSON.parse(readFileSync(join(app, 'cdk.out', 'manifest.json'), 'utf-8'));
const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
if (stacks.length === 0) throw new Error('the consumer app synthesized no stack');
for (const s of stacks) {
  const template = JSON.parse(readFileSync(join(app, 'cdk.out', s.properties.templateFile), 'utf-8'));
  const count = Object.keys(template.Resources ?? {}).length;
  if (count === 0) throw new Error(`stack ${s.displayName} has no resources`);
  console.log(`consumer: ${s.displayName}: ${count} resources`);
}
console.log(`consumer test passed: ${packed} installed into ${app}, compiled and synthesized`);
