#!/usr/bin/env node
// The guides under docs/ hold TypeScript snippets too, and a snippet that does not compile is a defect, as in the
// README. jsii-rosetta compiles the README (and every @example) from the assembly; it knows nothing of docs/. So this
// script hands it the docs as if they were the READMEs of submodules of the assembly: a copy of .jsii in a temporary
// package directory (with lib/, rosetta/ and node_modules/ linked from this checkout), whose README and @examples are
// left out (`test:readme` compiles those) and whose submodule `pizza-constructs.docs/<file>` has each guide as its
// README. Then `jsii-rosetta extract --strict` compiles every ```ts block exactly as it compiles the README's: the
// fixture in rosetta/ around it (`declare const ...` lines are fine), none for ```ts nofixture. A failure names the
// guide and the line of the block (`pizza-constructs.docs.operating.md-README-L42`). Needs a compiled .jsii
// (`npx projen compile`); `npx projen post-compile` runs it as `test:docs`.
// Usage: node scripts/docs-snippets.mjs [docs directory]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const docs = resolve(process.argv[2] ?? join(root, 'docs'));
const PREFIX = 'pizza-constructs.docs/';

/** Every Markdown file under `dir`, as paths relative to `docs`. */
function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [relative(docs, path)] : [];
  });
}

if (!existsSync(join(root, '.jsii'))) {
  console.error('docs-snippets: no .jsii: run `npx projen compile` first');
  process.exit(1);
}
const files = existsSync(docs) ? markdownFiles(docs).sort() : [];
const withCode = files.filter((f) => /^```ts\b/m.test(readFileSync(join(docs, f), 'utf-8')));
if (withCode.length === 0) {
  console.log(`docs-snippets: no TypeScript snippet under ${relative(root, docs) || '.'}`);
  process.exit(0);
}

const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf-8'));
delete assembly.readme;
for (const type of Object.values(assembly.types ?? {})) {
  // the README and the @examples are test:readme's; only the types stay, for rosetta's fingerprints
  const strip = (docsOf) => docsOf && delete docsOf.example;
  strip(type.docs);
  strip(type.initializer?.docs);
  for (const member of [...(type.methods ?? []), ...(type.properties ?? []), ...(type.members ?? [])]) {
    strip(member.docs);
  }
}
assembly.submodules = {
  ...assembly.submodules,
  ...Object.fromEntries(
    withCode.map((file) => [
      `${PREFIX}${file.split('\\').join('/')}`,
      { readme: { markdown: readFileSync(join(docs, file), 'utf-8') } },
    ]),
  ),
};
delete assembly.fingerprint;

const work = mkdtempSync(join(tmpdir(), 'pizza-docs-snippets-'));
try {
  writeFileSync(join(work, '.jsii'), JSON.stringify(assembly));
  cpSync(join(root, 'package.json'), join(work, 'package.json'));
  for (const linked of ['lib', 'rosetta', 'node_modules']) symlinkSync(join(root, linked), join(work, linked));
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'jsii-rosetta'),
    ['extract', '--compile', '--fail', '--strict', join(work, '.jsii')],
    { cwd: work, encoding: 'utf-8', env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', ...process.env } },
  );
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) {
    console.error(`docs-snippets: a TypeScript snippet under docs/ does not compile (jsii-rosetta, exit ${result.status})`);
    process.exit(1);
  }
  const count = withCode.reduce((n, f) => n + (readFileSync(join(docs, f), 'utf-8').match(/^```ts\b/gm) ?? []).length, 0);
  console.log(`docs-snippets: ${count} TypeScript snippets in ${withCode.length} guides under docs/ compile (jsii-rosetta)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
