#!/usr/bin/env node
// Runs first in `npx projen release`: a release from the placeholder repository URL cannot succeed. npm refuses a
// provenance statement, and trusted publishing, from a repository that does not match `repository.url` (E422), and
// the changelog's links would point nowhere. Usage: node scripts/check-release.mjs [package.json]
import { readFileSync } from 'node:fs';

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
console.log(`release: publishing from ${url}`);
