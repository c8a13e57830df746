import { spawnSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
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
