#!/usr/bin/env node
// After `npx projen`, the generated files must be exactly what is committed: projen owns them.
import { execFileSync } from 'node:child_process';

const changed = execFileSync('git', ['status', '--porcelain', '--', 'API.md', '.projen', 'package.json', '.gitignore', '.npmignore', 'tsconfig.json', 'tsconfig.dev.json', '.github', '.eslintrc.json', '.prettierrc.json'], { encoding: 'utf-8' }).trim();
if (changed) {
  console.error(`Generated files differ from what is committed (run \`npx projen\` and commit):\n${changed}`);
  process.exit(1);
}
console.log('generated files match the commit');
