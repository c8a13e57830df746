#!/usr/bin/env node
// Every test, in order, each step able to fail; ends with the plain line `N passed, N failed`.
// jest tests count one each (read from jest's JSON report); every other step counts as one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const JEST_REPORT = 'test-reports/jest-results.json';
const steps = [
  ['projen: regenerate project files', 'npx projen default'],
  ['compile (jsii, API.md)', 'npx projen pre-compile && npx projen compile && npx projen post-compile'],
  ['generated files unchanged (projen, API.md)', 'node scripts/check-generated.mjs'],
  ['README snippets compile (jsii-rosetta)', 'npx projen test:readme'],
  ['jest (constructs, cdk-nag, cfn-lint)', `npx jest --passWithNoTests=false --coverage=false --json --outputFile=${JEST_REPORT}`, 'jest'],
  ['type-check tests and examples', 'npx projen test:types'],
  ['eslint', 'npx projen eslint'],
  ['integ snapshots (integ-runner)', 'npx projen integ'],
  ['package (npm tarball)', 'npx projen package:js'],
  ['consumer app from the tarball', 'npx projen test:consumer'],
  ['npm publish --dry-run of the tarball', 'node scripts/publish-dry-run.mjs'],
];

let passed = 0;
let failed = 0;
const results = [];
for (const [name, command, kind] of steps) {
  if (kind === 'jest') rmSync(JEST_REPORT, { force: true });
  console.log(`\n=== ${name}: ${command}`);
  const started = Date.now();
  const { status } = spawnSync(command, { shell: true, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (kind === 'jest' && existsSync(JEST_REPORT)) {
    const report = JSON.parse(readFileSync(JEST_REPORT, 'utf-8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    results.push(`${status === 0 ? 'ok  ' : 'FAIL'} ${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed (${seconds} s)`);
    if (status !== 0 && report.numFailedTests + report.numRuntimeErrorTestSuites === 0) failed += 1;
  } else if (status === 0) {
    passed += 1;
    results.push(`ok   ${name} (${seconds} s)`);
  } else {
    failed += 1;
    results.push(`FAIL ${name} (exit ${status}, ${seconds} s)`);
  }
}
console.log(`\n${results.join('\n')}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
