#!/usr/bin/env node
// Runs first in `npx projen release`: a release from the placeholder repository URL cannot succeed. npm refuses a
// provenance statement, and trusted publishing, from a repository that does not match `repository.url` (E422), and
// the changelog's links would point nowhere. Usage: node scripts/check-release.mjs [package.json]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLACEHOLDER = /github\.com\/example\//i;

const file = process.argv[2] ?? 'package.json';
const url = JSON.parse(readFileSync(file, 'utf-8')).repository?.url ?? '';
if (!url || PLACEHOLDER.test(url)) {
  console.error(
    `release: repository.url is ${JSON.stringify(url)}, a placeholder. Set REPOSITORY_URL in .projenrc.ts to the ` +
      'GitHub repository the release workflow runs in (e.g. "https://github.com/OWNER/pizza-constructs.git"), run ' +
      '`npx projen`, and commit: npm accepts provenance and trusted publishing only from that repository.',
  );
  process.exit(1);
}
// the README is published with the package: its links must lead into this repository, not the placeholder's
const readme = join(dirname(file), 'README.md');
const links = spawnSync(
  process.execPath,
  [join(dirname(fileURLToPath(import.meta.url)), 'readme-links.mjs'), readme, file],
  {
    stdio: 'inherit',
  },
);
if (links.status !== 0) process.exit(1);
console.log(`release: publishing from ${url}`);
