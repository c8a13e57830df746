import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, resolve, sep } from 'path';
import { show } from './validation';

/** The longest tail of a failed build's output quoted in the error. */
const BUILD_OUTPUT_TAIL = 2000;

/** Throws unless `source` is a directory that holds the built SPA (an `index.html` at its top). */
export function validateSpaSource(source: string): void {
  const path = resolve(source);
  if (!existsSync(path)) {
    throw new Error(
      `\`source\` must be the directory of the built SPA (e.g. "../jwt-pizza/dist"), but it does not exist, got: ` +
        `${show(source)} (build the app first, or set \`buildOptions\` so the construct runs the build)`,
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

/** Run the SPA build command in a shell, synchronously; throws with the output's tail when it fails. */
export function runBuild(command: string, cwd: string, environment: Record<string, string>): void {
  const result = spawnSync(command, {
    cwd,
    shell: true,
    env: { ...process.env, ...environment },
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(
      `\`buildOptions.command\` ${show(command)} failed in ${show(cwd)} (${why})` +
        (output ? `:\n${output.slice(-BUILD_OUTPUT_TAIL)}` : ''),
    );
  }
}
