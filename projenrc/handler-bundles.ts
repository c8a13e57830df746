import { awscdk, javascript } from 'projen';

/** The Node.js runtime the handlers run on (`lambda.Runtime.NODEJS_24_X`), as an esbuild target. */
const HANDLER_TARGET = 'node24';

/**
 * Bundle each custom resource handler (`src/private/handlers/<name>.ts`, with the modules it imports) into one file,
 * `assets/private/handlers/<name>/index.js`, at pre-compile. The constructs read that file and inline it into the template:
 * no asset to upload, and the template shows exactly what runs. The AWS SDK is left out: the Lambda runtime has it.
 */
export function addHandlerBundles(project: awscdk.AwsCdkConstructLibrary, names: string[]): void {
  const bundler = javascript.Bundler.of(project);
  if (!bundler) {
    throw new Error('the project has no bundler');
  }
  for (const name of names) {
    bundler.addBundle(`src/private/handlers/${name}.ts`, {
      platform: 'node',
      target: HANDLER_TARGET,
      format: 'cjs',
      externals: ['@aws-sdk/*'],
      sourcemap: false,
      tsconfigPath: 'tsconfig.dev.json',
    });
  }
}
