#!/usr/bin/env node
// `npm publish --dry-run` of the packed tarball that the release workflow would publish.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const tarball = readdirSync('dist/js').find((f) => f.endsWith('.tgz'));
if (!tarball) throw new Error('no tarball in dist/js: run `npx projen package:js` first');
execFileSync('npm', ['publish', '--dry-run', '--access', 'public', `dist/js/${tarball}`], { stdio: 'inherit' });
