#!/usr/bin/env node
// `node scripts/bump-cdk.mjs 2.280.0`: raise the newest aws-cdk-lib this library is tested on. Two places name it and
// must agree (test/starter.test.ts checks they do): NEWEST_CDK_VERSION in .projenrc.ts (the `aws-cdk-lib-newest`
// dev dependency the consumer test and the template validation build on), and the exact aws-cdk-lib the starter
// (`npx pizza-constructs init`, bin/pizza-constructs.js) pins. This rewrites both, or neither, then names the commands
// that refresh package.json and the lockfile and run the tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const PROJENRC = '.projenrc.ts';
const STARTER = join('bin', 'pizza-constructs.js');

function fail(message) {
  console.error(`bump-cdk: ${message}`);
  console.error('usage: node scripts/bump-cdk.mjs X.Y.Z   (an aws-cdk-lib 2.x release, e.g. 2.280.0)');
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.length !== 1) fail(`expected one version, got ${args.length} arguments`);
const [version] = args;
// a release, exactly: no range (^, ~), no pre-release, no leading zeros
const release = /^2\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.exec(version);
if (!release) fail(`the version must be an aws-cdk-lib 2.x release such as 2.280.0, got: ${JSON.stringify(version)}`);

/** Replace the one match of `pattern` (its group 2 is the version) in `file`; fail unless there is exactly one. */
function rewrite(file, pattern, what) {
  const text = readFileSync(join(root, file), 'utf-8');
  const matches = [...text.matchAll(new RegExp(pattern, 'g'))];
  if (matches.length !== 1) fail(`${file}: expected one ${what}, found ${matches.length}`);
  const [{ index, 0: whole, 1: before, 2: previous, 3: after }] = matches;
  return {
    file,
    previous,
    text: text.slice(0, index) + before + version + after + text.slice(index + whole.length),
  };
}

// never below the lowest aws-cdk-lib the library supports (its peer dependency)
const lowest = /const CDK_VERSION = '2\.(\d+)\.(\d+)';/.exec(readFileSync(join(root, PROJENRC), 'utf-8'));
if (lowest) {
  const [minor, patch] = [Number(release[1]), Number(release[2])];
  const [lowestMinor, lowestPatch] = [Number(lowest[1]), Number(lowest[2])];
  if (minor < lowestMinor || (minor === lowestMinor && patch < lowestPatch)) {
    fail(
      `${version} is older than the lowest aws-cdk-lib the library supports (CDK_VERSION: 2.${lowest[1]}.${lowest[2]})`,
    );
  }
}

// both files are read and checked before either is written
const edits = [
  rewrite(PROJENRC, /(const NEWEST_CDK_VERSION = ')([^']*)(';)/, 'NEWEST_CDK_VERSION'),
  rewrite(STARTER, /('aws-cdk-lib': ')([^']*)(',)/, "'aws-cdk-lib' entry of VERSIONS"),
];
for (const { file, text } of edits) writeFileSync(join(root, file), text);
for (const { file, previous } of edits) console.log(`bump-cdk: ${file}: aws-cdk-lib ${previous} -> ${version}`);
console.log('next:');
console.log(
  `  npx projen        (refreshes package.json and the lockfile: aws-cdk-lib-newest@npm:aws-cdk-lib@${version})`,
);
console.log('  npx projen test   (the tests, the starter test among them, on the new version)');
