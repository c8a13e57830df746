#!/usr/bin/env node
// Every test, in order, each step able to fail; ends with the plain line `N passed, N failed`.
// jest tests count one each (read from jest's JSON report); every other step counts as one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const JEST_REPORT = 'test-reports/jest-results.json';
const steps = [
  ['projen: regenerate project files', 'npx projen default'],
  [
    'compile (jsii, API.md; jsii-rosetta compiles the snippets of the README and docs/, and every @example)',
    'npx projen pre-compile && npx projen compile && npx projen post-compile',
  ],
  ['generated files unchanged (projen, API.md)', 'node scripts/check-generated.mjs'],
  ['jest (constructs, cdk-nag, cfn-lint)', `npx jest --passWithNoTests=false --coverage=false --json --outputFile=${JEST_REPORT}`, 'jest'],
  ['type-check tests and examples', 'npx projen test:types'],
  // no --fix here (projen's eslint task fixes what it can): a formatting or lint problem fails, warnings too
  [
    'eslint (no fixes, no warnings)',
    'ESLINT_USE_FLAT_CONFIG=false NODE_NO_WARNINGS=1 npx eslint --ext .ts,.tsx --no-error-on-unmatched-pattern --max-warnings 0 src test projenrc examples .projenrc.ts',
  ],
  ['integ snapshots (integ-runner)', 'npx projen integ'],
  ['package (npm tarball)', 'npx projen package:js'],
  ['package (Python wheel, offline: jsii-pacmak code, Debian python3-build, twine check)', 'node scripts/python-wheel.mjs'],
  ['consumer app from the tarball', 'npx projen test:consumer'],
  ['starter: `pizza-constructs init`, npm install, cdk synth with no AWS credentials', 'node scripts/starter-test.mjs'],
  ["the README's main command on a fresh clone of the committed tree", 'node scripts/main-command-test.mjs'],
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
  if (kind === 'jest') {
    // a skipped or todo test is not a pass: it counts as failed; no report at all fails the step
    const report = existsSync(JEST_REPORT) ? JSON.parse(readFileSync(JEST_REPORT, 'utf-8')) : undefined;
    const notRun = report ? report.numPendingTests + report.numTodoTests : 0;
    const bad = report ? report.numFailedTests + report.numRuntimeErrorTestSuites + notRun : 1;
    passed += report ? report.numPassedTests : 0;
    failed += bad === 0 && status !== 0 ? 1 : bad;
    results.push(
      `${status === 0 && bad === 0 ? 'ok  ' : 'FAIL'} ${name}: ${report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${notRun} skipped or todo` : 'no report'} (${seconds} s)`,
    );
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
