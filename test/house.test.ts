/**
 * A house that is easy to enter: no source file under `src/` is longer than about 500 lines, and no class (or
 * function) body longer than about 300, so a newcomer reads any construct's file in one sitting.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';

const SRC = join(__dirname, '..', 'src');
const MAX_FILE_LINES = 500;
const MAX_CLASS_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Measure {
  readonly file: string;
  readonly lines: number;
  readonly classes: Array<{ name: string; lines: number }>;
}

function measure(path: string): Measure {
  const text = readFileSync(path, 'utf-8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const classes: Array<{ name: string; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      classes.push({ name: node.name?.text ?? '(anonymous)', lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file: relative(SRC, path), lines: text.split('\n').length, classes };
}

const measured = sourceFiles(SRC).map(measure);

test('the source tree holds the constructs and their helpers', () => {
  const files = measured.map((m) => m.file);
  for (const file of ['index.ts', 'pizza-service.ts', 'pizza-frontend.ts', 'pizza-dns.ts', 'pizza-database.ts']) {
    expect(files).toContain(file);
  }
  expect(measured.flatMap((m) => m.classes.map((c) => c.name))).toEqual(
    expect.arrayContaining(['PizzaService', 'PizzaFrontend', 'PizzaCostReport', 'PizzaDns', 'PizzaDatabase']),
  );
});

test(`no source file exceeds ${MAX_FILE_LINES} lines`, () => {
  const tooLong = measured.filter((m) => m.lines > MAX_FILE_LINES).map((m) => `${m.file}: ${m.lines} lines`);
  expect(tooLong).toEqual([]);
});

test(`no class exceeds ${MAX_CLASS_LINES} lines`, () => {
  const tooLong = measured.flatMap((m) =>
    m.classes.filter((c) => c.lines > MAX_CLASS_LINES).map((c) => `${m.file}: class ${c.name}, ${c.lines} lines`),
  );
  expect(tooLong).toEqual([]);
});
