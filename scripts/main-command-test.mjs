#!/usr/bin/env node
// The README's main command, exactly as written there, in a fresh clone of the committed tree (no assets/, no lib/,
// no node_modules: what a newcomer has), so that a file only this working tree has cannot hide a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const readme = readFileSync('README.md', 'utf-8');
const block = /<!-- main-command -->\s*```sh\n([\s\S]*?)\n```\s*<!-- \/main-command -->/.exec(readme);
if (!block) {
  console.error('README.md has no <!-- main-command --> block');
  process.exit(1);
}
const command = block[1].trim();
const clone = mkdtempSync(join(tmpdir(), 'pizza-main-command-'));
try {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', process.cwd(), clone], { stdio: 'inherit' });
  for (const generated of ['assets', 'lib', 'node_modules', 'cdk.out']) {
    if (existsSync(join(clone, generated))) {
      throw new Error(`a fresh clone has ${generated}/: it is committed, but should be generated`);
    }
  }
  console.log(`+ ${command}   (in ${clone})`);
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd: clone,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf-8',
    env: { ...process.env, CI: 'true' },
  });
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) {
    console.error(`the main command failed on a fresh clone (exit ${run.status})`);
    process.exit(1);
  }
  // it did what the README says: the example app synthesized, with its stacks summarized
  if (!/Synthesized examples\/jwt-pizza\.ts into cdk\.out\/ in [\d.]+ s: \d+ stack/.test(run.stdout)) {
    console.error('the main command exited 0 but printed no synthesized stacks');
    process.exit(1);
  }
  if (!existsSync(join(clone, 'cdk.out', 'manifest.json'))) {
    console.error('the main command left no cdk.out/manifest.json');
    process.exit(1);
  }
  console.log('the main command passes on a fresh clone');
} finally {
  rmSync(clone, { recursive: true, force: true });
}
