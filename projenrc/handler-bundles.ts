import { awscdk, javascript } from 'projen';

/** The Node.js runtime the handlers run on (`lambda.Runtime.NODEJS_24_X`), as an esbuild target. */
const HANDLER_TARGET = 'node24';

/**
 * Bundle each custom resource handler (`src/<construct>/handlers/<name>.ts`, with the modules it imports) into one
 * file, `assets/<construct>/handlers/<name>/index.js`, at pre-compile. The constructs read that file and inline it
 * into the template (`src/shared/handler-code.ts`): no asset to upload, and the template shows exactly what runs. The
 * AWS SDK is left out: the Lambda runtime has it.
 *
 * The inlined bundle is deployed code, so where its source lives must not change it: after esbuild, each module's
 * path comment is set to the name it was released with (`scripts/handler-bundle-labels.mjs`). For that reason there
 * is no watch task (esbuild's `--watch` would write the bundle without that step). The `bundle` task first empties
 * `assets/`, so a moved or removed handler leaves no stale bundle to be packaged.
 */
export function addHandlerBundles(project: awscdk.AwsCdkConstructLibrary, entrypoints: string[]): void {
  const bundler = javascript.Bundler.of(project);
  if (!bundler) {
    throw new Error('the project has no bundler');
  }
  bundler.bundleTask.prependExec(
    `node -e "require('fs').rmSync('${bundler.bundledir}', { recursive: true, force: true })"`,
  );
  for (const entrypoint of entrypoints) {
    const bundle = bundler.addBundle(entrypoint, {
      platform: 'node',
      target: HANDLER_TARGET,
      format: 'cjs',
      externals: ['@aws-sdk/*'],
      sourcemap: false,
      tsconfigPath: 'tsconfig.dev.json',
      watchTask: false,
    });
    bundle.bundleTask.exec(`node scripts/handler-bundle-labels.mjs ${bundle.outfile}`);
  }
}
