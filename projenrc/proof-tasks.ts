import { awscdk } from 'projen';

/** Environment that keeps the toolchain from reaching for the network (see TOOLCHAIN.md). */
const QUIET_ENV: Record<string, string> = {
  JSII_SILENCE_SUPPORT_WARNING: '1',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  JSII_DEPRECATED: 'quiet',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_REGION: 'us-east-1',
  TS_NODE_TRANSPILE_ONLY: 'true',
};

/**
 * The proof harness: type-check of the tests, integ snapshot verification, the consumer test,
 * the example synth (main job) and the one command that runs everything and prints `N passed, N failed`.
 */
export function addProofTasks(project: awscdk.AwsCdkConstructLibrary): void {
  for (const [name, value] of Object.entries(QUIET_ENV)) {
    project.tasks.addEnvironment(name, value);
  }

  const types = project.addTask('test:types', {
    description: 'Type-check the tests, examples and projenrc (ts-jest and ts-node run transpile-only)',
    exec: 'tsc --noEmit -p tsconfig.dev.json',
  });

  const integ = project.addTask('integ', {
    description: 'Verify every test/integ.*.ts against its committed snapshot (synth only, no AWS account)',
    exec: 'integ-runner --language typescript --directory test',
  });

  project.addTask('integ:snapshot', {
    description: 'Rewrite the integ snapshots without deploying (synth only)',
    exec: 'integ-runner --language typescript --directory test --update-on-failed --dry-run',
  });

  project.testTask.spawn(types);
  project.testTask.spawn(integ);

  // After every compile: compile every TypeScript snippet (the README's and each `@example`) and write the tablet
  // (.jsii.tabl.json) that ships in the tarball, from which jsii-pacmak translates them (the release workflow builds
  // the Python package from the tarball) and Construct Hub shows them in every language.
  const readme = project.addTask('test:readme', {
    description:
      'Compile the README snippets and every @example (jsii-rosetta, rosetta/ fixtures) into .jsii.tabl.json',
    exec: 'jsii-rosetta extract --compile --fail --strict .jsii',
  });
  project.postCompileTask.spawn(readme);
  // The guides under docs/ have TypeScript snippets too: the same compile, the same fixtures (rosetta sees each guide
  // as a submodule's README; scripts/docs-snippets.mjs).
  const docs = project.addTask('test:docs', {
    description: 'Compile every TypeScript snippet of the guides under docs/ (jsii-rosetta, rosetta/ fixtures)',
    exec: 'node scripts/docs-snippets.mjs',
  });
  project.postCompileTask.spawn(docs);

  project.addTask('bench', {
    description: 'Benchmark: the example app against the same architecture built from aws-cdk-lib patterns',
    exec: 'ts-node bench/bench.ts',
  });

  project.addTask('test:consumer', {
    description: 'npm pack, install the tarball into a fresh CDK app, compile a consumer and synthesize it',
    exec: 'node scripts/consumer-test.mjs',
  });

  // a fresh clone has no handler bundles (assets/ is generated, and ignored by git): bundle them first
  const synthExample = project.addTask('synth:example', {
    description: 'The main job: synthesize the example JWT Pizza app into cdk.out and summarize it',
  });
  synthExample.spawn(project.tasks.tryFind('bundle')!);
  synthExample.exec('node scripts/synth-example.mjs', { receiveArgs: true });

  project.addTask('test:all', {
    description: 'Every test: build, jest, types, lint, integ, cdk-nag, cfn-lint, package, consumer, publish dry-run',
    exec: 'node scripts/test-all.mjs',
  });
}
