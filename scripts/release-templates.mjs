#!/usr/bin/env node
// Synthesizes the example apps of a checkout of this repository (the current one by default) and writes their
// templates, one folder per app, for the upgrade check of test/transitions.test.ts: `before` templates of the
// previous release (kept in test/fixtures/previous-release/), compared with what this checkout synthesizes.
//
//   node scripts/release-templates.mjs [checkout] [outdir]
//
// The checkout needs its handler bundles (`npx projen bundle` in it) and node_modules. Templates are written with
// their inlined handler code replaced by its length, so that the fixtures stay small and diff-friendly.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const checkout = resolve(process.argv[2] ?? '.');
const outdir = resolve(process.argv[3] ?? 'test/fixtures/previous-release');
const apps = readdirSync(join(checkout, 'examples')).filter((f) => f.endsWith('.ts'));

for (const file of apps) {
  const cdkOut = mkdtempSync(join(tmpdir(), 'pizza-release-templates-'));
  execFileSync('npx', ['ts-node', '--prefer-ts-exts', join('examples', file)], {
    cwd: checkout,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CDK_OUTDIR: cdkOut, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  const target = join(outdir, basename(file, '.ts'));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const template of readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'))) {
    const json = JSON.parse(readFileSync(join(cdkOut, template), 'utf-8'));
    for (const resource of Object.values(json.Resources ?? {})) {
      const code = resource.Properties?.Code;
      if (code && typeof code.ZipFile === 'string') {
        code.ZipFile = `(inlined handler, ${code.ZipFile.length} characters)`;
      }
    }
    writeFileSync(join(target, template), `${JSON.stringify(json, undefined, 1)}\n`);
  }
  rmSync(cdkOut, { recursive: true, force: true });
  console.log(`${file}: ${readdirSync(target).join(', ')}`);
}
