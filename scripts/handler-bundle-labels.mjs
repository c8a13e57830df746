#!/usr/bin/env node
// esbuild heads each module of a bundle with a comment naming its source file (`// src/service/handlers/x.ts`).
// The bundles are inlined into the templates, so that comment is deployed code: moving a handler's source must not
// change it. Every module of a `handlers/` folder is therefore labelled `// src/private/handlers/<file>.ts`, the name
// it had in the releases before the source tree had one folder per construct, wherever its source lives now. The
// code itself is esbuild's, untouched.
//
//   node scripts/handler-bundle-labels.mjs <bundle.js>...   relabel these bundles in place (the bundle tasks)
//   node scripts/handler-bundle-labels.mjs < in.js > out.js  relabel stdin to stdout (test/handlers.test.ts)
import { readFileSync, writeFileSync } from 'node:fs';

const LABEL = /^\/\/ src\/(?:[\w.-]+\/)*handlers\/([\w.-]+\.ts)$/gm;
const RELEASED = 'src/private/handlers';

/** `bundle` with each handler module's label set to its released name; throws when two sources would share one. */
export function relabel(bundle, name = 'stdin') {
  const sources = new Map();
  const text = bundle.replace(LABEL, (line, file) => {
    const source = line.slice(3);
    const other = sources.get(file);
    if (other !== undefined && other !== source) {
      throw new Error(`${name}: ${other} and ${source} would both be labelled ${RELEASED}/${file}: rename one`);
    }
    sources.set(file, source);
    return `// ${RELEASED}/${file}`;
  });
  return text;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stdout.write(relabel(readFileSync(0, 'utf-8')));
} else {
  for (const file of files) {
    writeFileSync(file, relabel(readFileSync(file, 'utf-8'), file));
  }
}
