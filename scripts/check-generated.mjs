#!/usr/bin/env node
// After `npx projen`, the generated files must be exactly what is committed: projen owns them. The list is projen's
// own (.projen/files.json) plus the files it writes without listing them there, and API.md (jsii-docgen).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const listed = JSON.parse(readFileSync('.projen/files.json', 'utf-8')).files;
if (!Array.isArray(listed) || listed.length === 0) {
  console.error('.projen/files.json lists no generated files');
  process.exit(1);
}
const paths = [...new Set([...listed, '.projen', 'package.json', '.npmignore', 'API.md'])];
const changed = execFileSync('git', ['status', '--porcelain', '--', ...paths], { encoding: 'utf-8' }).trim();
if (changed) {
  console.error(`Generated files differ from what is committed (run \`npx projen\` and commit):\n${changed}`);
  process.exit(1);
}
console.log(`${paths.length} generated paths match the commit`);
