/**
 * The rules of the source tree's layout (test/house.test.ts applies them to src/, and to small made-up trees to show
 * that each one can fail). A tree is a list of files, each with its path relative to src/ (`/`-separated) and its text.
 *
 * The layout: `src/index.ts`, one folder per construct (`src/<construct>/`: its public construct file, its `props.ts`,
 * its private helpers and its handlers' sources in `handlers/`), and `src/shared/` for what several constructs share
 * (`src/shared/handlers/` for the modules several handlers share).
 */
import { builtinModules } from 'module';
import { posix } from 'path';
import * as ts from 'typescript';

export interface SourceFile {
  /** The path under src/, e.g. `service/props.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface Import {
  readonly from: string;
  /** The module specifier as written. */
  readonly specifier: string;
  /** The imported file under src/, for a relative specifier that names one. */
  readonly to?: string;
  /** `import type` / `export type`: erased from the compiled code, still a dependency of the reader. */
  readonly typeOnly: boolean;
}

/** The folder of what several constructs share. */
export const SHARED = 'shared';

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
}

/** The file under src/ that `specifier`, imported from `from`, names (relative specifiers only). */
function resolve(from: string, specifier: string, paths: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => paths.has(candidate));
}

/** The static imports and re-exports of `file` (and `require('...')` / `import('...')` of a string literal). */
export function importsOf(file: SourceFile, paths: ReadonlySet<string>): Import[] {
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    found.push({ from: file.path, specifier, to: resolve(file.path, specifier, paths), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

/** Files longer than `maxLines` lines, and classes longer than `maxClassLines`. */
export function lengthViolations(files: SourceFile[], maxLines: number, maxClassLines: number): string[] {
  const found: string[] = [];
  for (const file of files) {
    const lines = file.text.split('\n').length;
    if (lines > maxLines) {
      found.push(`${file.path}: ${lines} lines`);
    }
    const source = parse(file);
    const visit = (node: ts.Node) => {
      if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (end - start + 1 > maxClassLines) {
          found.push(`${file.path}: class ${node.name?.text ?? '(anonymous)'}, ${end - start + 1} lines`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * The import circles, `import type` included (erased at run time, but a circle all the same for whoever reads the
 * files: neither can be understood first): each as `a.ts -> b.ts -> a.ts`, one per strongly connected group.
 */
export function importCircles(files: SourceFile[]): string[] {
  const paths = new Set(files.map((f) => f.path));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(file, paths).flatMap((i) => (i.to ? [i.to] : []));
    edges.set(file.path, [...new Set(targets)].sort());
  }
  // Tarjan's strongly connected components
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (edges.get(v) ?? []).includes(v)) {
        groups.push(group);
      }
    }
  };
  [...paths].sort().forEach((p) => index.has(p) || connect(p));
  return groups.map((group) => describeCircle(group, edges));
}

/** One circle through the group's first file (by name), by the shortest way back. */
function describeCircle(group: string[], edges: Map<string, string[]>): string {
  const members = new Set(group);
  const start = [...group].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (w === start) {
        const path = [start];
        for (let at: string | undefined = v; at !== start && at !== undefined; at = previous.get(at)) {
          path.splice(1, 0, at);
        }
        return [...path, start].join(' -> ');
      }
      if (members.has(w) && !previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return group.join(' -> ');
}

/** The folder a file is in (`service` for `service/handlers/x.ts`), or undefined for `index.ts`. */
function folderOf(path: string): string | undefined {
  const slash = path.indexOf('/');
  return slash < 0 ? undefined : path.slice(0, slash);
}

function isHandlerModule(path: string): boolean {
  return path.split('/').includes('handlers');
}

/**
 * Where each file may be imported from:
 *
 * - every file is `index.ts` or in a folder: a construct's, or `shared/`;
 * - `index.ts` only re-exports construct files (`export * from`), never from `shared/` or a `handlers/` folder: those
 *   are the public files, each construct's class and its props;
 * - a file of a construct's folder is imported only from that folder, but for the public files, which the other
 *   constructs may import (a construct uses another, a helper names another's type);
 * - a file of `shared/` imports only from `shared/`;
 * - a handler's module (`handlers/`) runs in Lambda, bundled: it imports only other handler modules, the AWS SDK
 *   and Node.js built-ins, and no synth-time module imports it.
 */
export function boundaryViolations(files: SourceFile[]): string[] {
  const paths = new Set(files.map((f) => f.path));
  const found: string[] = [];
  const index = files.find((f) => f.path === 'index.ts');
  const publicFiles = new Set<string>();
  if (index) {
    for (const statement of parse(index).statements) {
      const specifier =
        ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined;
      const target = specifier === undefined ? undefined : resolve('index.ts', specifier, paths);
      if (!target) {
        found.push(`index.ts: only re-exports files under src/, not: ${statement.getText().split('\n')[0]}`);
      } else if (folderOf(target) === SHARED || isHandlerModule(target)) {
        found.push(`index.ts: re-exports ${target}, which is not a construct's public file`);
      } else {
        publicFiles.add(target);
      }
    }
  }
  for (const file of files) {
    const folder = folderOf(file.path);
    if (folder === undefined && file.path !== 'index.ts') {
      found.push(`${file.path}: outside any folder (each file goes in its construct's folder or in ${SHARED}/)`);
    }
    for (const imported of importsOf(file, paths)) {
      const spec = imported.specifier;
      if (isHandlerModule(file.path)) {
        const allowed = imported.to
          ? isHandlerModule(imported.to)
          : spec.startsWith('@aws-sdk/') || builtinModules.includes(spec.replace(/^node:/, ''));
        if (!allowed) {
          found.push(
            `${file.path}: a handler module imports ${imported.to ?? spec} (only handler modules, the AWS SDK and Node.js built-ins)`,
          );
        }
      }
      const to = imported.to;
      if (!to || file.path === 'index.ts') {
        continue;
      }
      const toFolder = folderOf(to);
      if (isHandlerModule(to) && !isHandlerModule(file.path)) {
        found.push(`${file.path}: imports the handler module ${to} (handlers run in Lambda, from their bundles)`);
      } else if (folder === SHARED && toFolder !== SHARED) {
        found.push(`${file.path}: ${SHARED}/ imports ${to} (${SHARED}/ imports only from ${SHARED}/)`);
      } else if (toFolder !== SHARED && toFolder !== folder && !publicFiles.has(to)) {
        found.push(
          `${file.path}: imports ${to}, a helper of ${toFolder}/ (only its public files are for other folders)`,
        );
      }
    }
  }
  return found;
}

/**
 * Handler modules that share a file name across `handlers/` folders: the bundles label each module by its file name
 * alone (`// src/private/handlers/<file>.ts`, scripts/handler-bundle-labels.mjs), so two would read as one.
 */
export function duplicateHandlerNames(files: SourceFile[]): string[] {
  const byName = new Map<string, string[]>();
  for (const file of files.filter((f) => isHandlerModule(f.path))) {
    const name = posix.basename(file.path);
    byName.set(name, [...(byName.get(name) ?? []), file.path]);
  }
  return [...byName.values()].filter((paths) => paths.length > 1).map((paths) => paths.join(' and '));
}
