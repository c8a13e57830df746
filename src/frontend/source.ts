import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve, sep } from 'path';
import { show } from '../shared/validation';

/** The longest tail of a failed build's output quoted in the error (a shorter output is quoted whole). */
const BUILD_OUTPUT_TAIL = 2000;

/** Lines of a failed build's output that name its cause: npm's `npm error`/`npm ERR!`, and `error` words. */
const ERROR_LINE = /\b(npm (error|ERR!)|error|Error|ERROR)\b/;

/** At most this many error lines are quoted. */
const MAX_ERROR_LINES = 20;

/** Throws unless `source` is a directory that holds the built SPA (an `index.html` at its top). */
export function validateSpaSource(source: string): void {
  const path = resolve(source);
  if (!existsSync(path)) {
    throw new Error(
      `\`source\` must be the directory of the built SPA (e.g. "../jwt-pizza/dist"), but it does not exist, got: ` +
        `${show(source)}, which is ${show(path)} from ${show(process.cwd())} (build the app first, or set ` +
        '`buildOptions` so the construct runs the build)',
    );
  }
  if (!statSync(path).isDirectory()) {
    throw new Error(
      `\`source\` must be the directory of the built SPA (e.g. "../jwt-pizza/dist"), not a file, got: ${show(source)}`,
    );
  }
  if (!existsSync(join(path, 'index.html'))) {
    throw new Error(
      `\`source\` must contain index.html at its top level (the output of \`vite build\`), got: ${show(source)}`,
    );
  }
}

/** Files of the build read for the service URL: the app's code and pages, not its images. */
const CODE_FILE = /\.(m?js|html)$/;

/** A larger file is not read (a bundled SPA's chunks are far smaller). */
const MAX_CODE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Where the built SPA in `source` gets its service URL: `'built-in'` when a code file contains `serviceUrl` (the
 * upstream app reads `VITE_PIZZA_SERVICE_URL` at build time), `'config.json'` when the code reads `/config.json`
 * at run time, else `'elsewhere'`, with the first `https://...pizza-service...` URL found, if any (the one the
 * build has instead, such as the instructor's).
 */
export function serviceUrlInBuild(
  source: string,
  serviceUrl: string,
): { readonly found: 'built-in' | 'config.json' | 'elsewhere'; readonly other?: string } {
  const wanted = serviceUrl.replace(/\/+$/, '');
  let readsConfig = false;
  let other: string | undefined;
  for (const key of listKeys(source, '')) {
    const file = join(resolve(source), key);
    if (!CODE_FILE.test(key) || statSync(file).size > MAX_CODE_FILE_BYTES) {
      continue;
    }
    const text = readFileSync(file, 'utf-8');
    if (text.includes(wanted)) {
      return { found: 'built-in' };
    }
    // a fetch of "/config.json" (not tsconfig.json, app-config.json or the like)
    readsConfig = readsConfig || /["'`]\/config\.json/.test(text);
    other = other ?? /https?:\/\/[a-z0-9.-]*pizza-service[a-z0-9.-]*/i.exec(text)?.[0];
  }
  return readsConfig ? { found: 'config.json' } : { found: 'elsewhere', other };
}

/** The object keys of every file under `source/<prefix>`, e.g. `assets/index-abc.js`, sorted. */
export function listKeys(source: string, prefix: string): string[] {
  const root = resolve(source);
  const dir = join(root, prefix);
  if (!existsSync(dir)) {
    return [];
  }
  const keys: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        keys.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return keys.sort();
}

/**
 * Run the SPA build command in a shell, synchronously. When it fails, the error quotes the output whole when it is
 * short; a long one is written to a log file the error names, and the error quotes its error lines (npm prints its
 * real cause first, long before the tail) and its tail.
 */
export function runBuild(command: string, cwd: string, environment: Record<string, string>): void {
  const result = spawnSync(command, {
    cwd,
    shell: true,
    env: { ...process.env, ...environment },
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!result.error && result.status === 0) {
    return;
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
  const failed = `\`buildOptions.command\` ${show(command)} failed in ${show(cwd)} (${why})`;
  if (output.length <= BUILD_OUTPUT_TAIL) {
    throw new Error(failed + (output ? `:\n${output}` : ''));
  }
  const log = join(mkdtempSync(join(tmpdir(), 'pizza-build-')), 'build.log');
  writeFileSync(log, output);
  const errors = output
    .split('\n')
    .filter((line) => ERROR_LINE.test(line))
    .slice(0, MAX_ERROR_LINES);
  throw new Error(
    `${failed}; the whole output is in ${log}.` +
      (errors.length ? `\nIts error lines:\n${errors.join('\n')}` : '') +
      `\nIts end:\n${output.slice(-BUILD_OUTPUT_TAIL)}`,
  );
}
