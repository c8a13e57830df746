#!/usr/bin/env node
// `npm publish --dry-run` of the packed tarball that the release workflow would publish, after checking that it
// stays small (under MAX_TARBALL_BYTES) and needs nothing at run time beyond its peer dependencies.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';

const MAX_TARBALL_BYTES = 300 * 1024;

const tarball = readdirSync('dist/js').find((f) => f.endsWith('.tgz'));
if (!tarball) throw new Error('no tarball in dist/js: run `npx projen package:js` first');
const bytes = statSync(`dist/js/${tarball}`).size;
const manifest = JSON.parse(
  execFileSync('tar', ['-xzOf', `dist/js/${tarball}`, 'package/package.json'], { encoding: 'utf-8' }),
);
const runtime = Object.keys({
  ...manifest.dependencies,
  ...manifest.bundledDependencies,
  ...manifest.optionalDependencies,
});
console.log(
  `${tarball}: ${(bytes / 1024).toFixed(1)} KB; peers: ${Object.keys(manifest.peerDependencies ?? {}).join(', ')}`,
);
if (bytes > MAX_TARBALL_BYTES) throw new Error(`${tarball} is ${bytes} bytes, over the ${MAX_TARBALL_BYTES} allowed`);
if (runtime.length) throw new Error(`${tarball} has runtime dependencies beyond its peers: ${runtime.join(', ')}`);
execFileSync('npm', ['publish', '--dry-run', '--access', 'public', `dist/js/${tarball}`], { stdio: 'inherit' });
