/**
 * A house that is easy to enter: one folder per construct under `src/` (its public construct file, its `props.ts`,
 * its private helpers, its handlers' sources in `handlers/`) and one `src/shared/` for what several constructs share;
 * no source file longer than about 500 lines, no class longer than about 300, so a newcomer reads any construct's
 * file in one sitting; and no import circle, so every file can be read after the ones it imports. The rules are in
 * test/house-rules.ts; each is also shown failing on a small made-up tree.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import {
  boundaryViolations,
  duplicateHandlerNames,
  importCircles,
  lengthViolations,
  SHARED,
  SourceFile,
} from './house-rules';

const SRC = join(__dirname, '..', 'src');
const MAX_FILE_LINES = 500;
const MAX_CLASS_LINES = 300;
const CONSTRUCTS = [
  'budget',
  'cost-report',
  'database',
  'dns',
  'frontend',
  'github',
  'load-balancer',
  'monitoring',
  'service',
];

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    if (!name.endsWith('.ts')) return [];
    return [{ path: relative(SRC, path).split(sep).join('/'), text: readFileSync(path, 'utf-8') }];
  });
}

const files = sourceFiles(SRC);

/** A made-up tree: each file's text, by its path under src/. */
function tree(texts: Record<string, string>): SourceFile[] {
  return Object.entries(texts).map(([path, text]) => ({ path, text }));
}

describe('the source tree', () => {
  test('has one folder per construct and one shared folder, and nothing else but index.ts', () => {
    const top = readdirSync(SRC).sort();
    expect(top).toEqual(['index.ts', ...CONSTRUCTS, SHARED].sort());
  });

  test("index.ts re-exports each construct's public construct file and its props.ts", () => {
    const index = files.find((f) => f.path === 'index.ts')!.text;
    const exported = [...index.matchAll(/export \* from '\.\/([^']+)'/g)].map((m) => m[1]);
    for (const construct of CONSTRUCTS) {
      const own = exported.filter((path) => path.startsWith(`${construct}/`));
      expect(own).toContain(`${construct}/props`);
      expect(own.filter((path) => path !== `${construct}/props`)).toEqual([
        expect.stringMatching(new RegExp(`^${construct}/pizza-[a-z-]+$`)),
      ]);
    }
  });

  test(`no source file exceeds ${MAX_FILE_LINES} lines, no class ${MAX_CLASS_LINES}`, () => {
    expect(lengthViolations(files, MAX_FILE_LINES, MAX_CLASS_LINES)).toEqual([]);
  });

  test('no import circle (`import type` counted)', () => {
    expect(importCircles(files)).toEqual([]);
  });

  test("a construct's helpers stay in its folder, shared/ stands alone, handlers import only handler modules", () => {
    expect(boundaryViolations(files)).toEqual([]);
  });

  test('no two handler modules share a file name (the bundles label modules by file name)', () => {
    expect(duplicateHandlerNames(files)).toEqual([]);
  });
});

describe('each rule can fail', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `// ${i}`).join('\n');
  const classOf = (n: number) => `export class Big {\n${lines(n - 2)}\n}`;

  test('a file too long, a class too long', () => {
    const texts = {
      'a/ok.ts': lines(500),
      'a/long.ts': lines(501),
      'a/fits.ts': classOf(300),
      'a/big.ts': classOf(301),
    };
    expect(lengthViolations(tree(texts), 500, 300)).toEqual(['a/long.ts: 501 lines', 'a/big.ts: class Big, 301 lines']);
  });

  test('a circle, through `import type` too, and none in a chain', () => {
    const circle = tree({
      'a/props.ts': "import type { Helper } from './helper';",
      'a/helper.ts': "import { b } from '../b/pizza-b';",
      'b/pizza-b.ts': "export * from '../a/props';",
      'c/one.ts': "import './two';",
      'c/two.ts': "const x = require('./one');",
    });
    expect(importCircles(circle)).toEqual([
      'a/helper.ts -> b/pizza-b.ts -> a/props.ts -> a/helper.ts',
      'c/one.ts -> c/two.ts -> c/one.ts',
    ]);
    const chain = tree({
      'a/one.ts': "import type { T } from './two';",
      'a/two.ts': "import './three';",
      'a/three.ts': '',
    });
    expect(importCircles(chain)).toEqual([]);
  });

  test("a helper imported from another construct's folder, shared/ importing a construct, a file outside any folder", () => {
    const texts = {
      'index.ts': "export * from './database/pizza-database';\nexport * from './database/props';",
      'database/pizza-database.ts': "import { pause } from './pause';\nimport { show } from '../shared/validation';",
      'database/props.ts': '',
      'database/pause.ts': '',
      'service/front.ts':
        "import type { PizzaDatabase } from '../database/pizza-database';\nimport { pause } from '../database/pause';",
      'shared/validation.ts': "import type { PizzaDatabaseProps } from '../database/props';",
      'helpers.ts': '',
    };
    expect(boundaryViolations(tree(texts))).toEqual([
      'service/front.ts: imports database/pause.ts, a helper of database/ (only its public files are for other folders)',
      'shared/validation.ts: shared/ imports database/props.ts (shared/ imports only from shared/)',
      "helpers.ts: outside any folder (each file goes in its construct's folder or in shared/)",
    ]);
  });

  test('index.ts re-exporting shared/ or a handler, or holding anything else', () => {
    const texts = {
      'index.ts': "export * from './shared/nag';\nexport * from './dns/handlers/cleanup';\nexport const x = 1;",
      'shared/nag.ts': '',
      'dns/handlers/cleanup.ts': '',
    };
    expect(boundaryViolations(tree(texts))).toEqual([
      "index.ts: re-exports shared/nag.ts, which is not a construct's public file",
      "index.ts: re-exports dns/handlers/cleanup.ts, which is not a construct's public file",
      'index.ts: only re-exports files under src/, not: export const x = 1;',
    ]);
  });

  test('a handler importing synth-time code or a package, and synth-time code importing a handler', () => {
    const texts = {
      'service/handlers/count.ts': [
        "import { ECSClient } from '@aws-sdk/client-ecs';",
        "import { request } from 'https';",
        "import { respond } from '../../shared/handlers/cfn-response';",
        "import { DEFAULT_CPU } from '../constants';",
        "import { Duration } from 'aws-cdk-lib';",
        "import { wake } from '../../database/handlers/wake';",
      ].join('\n'),
      'service/constants.ts': '',
      'service/count.ts': "import { handler } from './handlers/count';",
      'shared/handlers/cfn-response.ts': '',
      'database/handlers/wake.ts': '',
    };
    expect(boundaryViolations(tree(texts))).toEqual([
      'service/handlers/count.ts: a handler module imports service/constants.ts (only handler modules, the AWS SDK and Node.js built-ins)',
      'service/handlers/count.ts: a handler module imports aws-cdk-lib (only handler modules, the AWS SDK and Node.js built-ins)',
      'service/handlers/count.ts: imports database/handlers/wake.ts, a helper of database/ (only its public files are for other folders)',
      'service/count.ts: imports the handler module service/handlers/count.ts (handlers run in Lambda, from their bundles)',
    ]);
  });

  test('two handler modules with one file name', () => {
    const texts = {
      'dns/handlers/cleanup.ts': '',
      'frontend/handlers/cleanup.ts': '',
      'shared/handlers/respond.ts': '',
    };
    expect(duplicateHandlerNames(tree(texts))).toEqual(['dns/handlers/cleanup.ts and frontend/handlers/cleanup.ts']);
  });
});
