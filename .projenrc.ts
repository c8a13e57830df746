import { awscdk, javascript, ReleasableCommits } from 'projen';
import { addHandlerBundles } from './projenrc/handler-bundles';
import { addProofTasks } from './projenrc/proof-tasks';

/**
 * The lowest aws-cdk-lib this library supports. It is a peer dependency, so this is every user's minimum.
 * 2.257.0 is the first release cdk-nag 3 accepts (its acknowledgments use `Validations.of(c).acknowledge`), and
 * `@aws-cdk/integ-tests-alpha` 2.245.0-alpha.0 accepts it as a peer.
 */
const CDK_VERSION = '2.257.0';
const INTEG_TESTS_ALPHA_VERSION = '2.245.0-alpha.0';

/**
 * The newest aws-cdk-lib, the one `npm install aws-cdk-lib` gives users today. It is installed beside the minimum
 * under the alias `aws-cdk-lib-newest` (so the lockfile pins it): the consumer test builds the README's apps, the
 * examples and a consumer app on it with CloudFormation-schema validation as errors, and jest runs its bundled
 * validator (`@aws/cloudformation-validate`) over every template the tests synthesize. Raise it on purpose.
 */
const NEWEST_CDK_VERSION = '2.276.0';

/**
 * The GitHub repository this library is released from. npm accepts provenance and trusted publishing only from the
 * repository `package.json` names, so a release from the placeholder fails by design (scripts/check-release.mjs
 * runs first in `npx projen release` and says what to set). Set it to yours, then run `npx projen`.
 */
const REPOSITORY_URL = 'https://github.com/example/pizza-constructs.git';

/** The Node.js the GitHub workflows run: an LTS line that is maintained (Node 20 reached end of life 2026-10-30). */
const WORKFLOW_NODE_VERSION = '24.x';

const project = new awscdk.AwsCdkConstructLibrary({
  // identity
  name: 'pizza-constructs',
  description:
    'AWS CDK constructs that deploy the JWT Pizza course app (React SPA + Node/MySQL API) in a few lines: S3 + CloudFront, ECS Fargate + ALB, RDS MySQL, Route 53, ACM and a GitHub Actions OIDC deploy role.',
  author: 'pizza-constructs maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: REPOSITORY_URL,
  license: 'Apache-2.0',
  keywords: ['awscdk', 'cdk', 'aws-cdk', 'jwt-pizza', 'cloudfront', 'ecs', 'fargate', 'rds', 'devops'],
  stability: 'experimental',

  // toolchain
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  // a small tarball: plain JavaScript without inline source maps (the default inlines a map and the TypeScript
  // source into every file of lib/, which doubled the package)
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },
  tsconfigDevFile: 'tsconfig.dev.json',
  // the starter: `npx pizza-constructs init` writes a ready CDK app for JWT Pizza
  bin: { 'pizza-constructs': 'bin/pizza-constructs.js' },
  minNodeVersion: '20.0.0',
  tsconfigDev: { compilerOptions: {}, exclude: ['scripts/consumer', 'cdk.out', '.tmp'] },

  // dependencies: peers only (aws-cdk-lib, constructs), zero runtime dependencies
  devDeps: [
    'cdk-nag@^3.0.2',
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    '@aws-cdk/integ-runner@^2.197.10',
    'aws-cdk@^2.1148.1',
    `aws-cdk-lib-newest@npm:aws-cdk-lib@${NEWEST_CDK_VERSION}`,
    // the custom resource handlers' SDK clients: the Lambda runtime ships them; the handler tests run them for real
    '@aws-sdk/client-ecs@^3.1164.0',
    '@aws-sdk/client-ecr@^3.1164.0',
    '@aws-sdk/client-s3@^3.1164.0',
    '@aws-sdk/client-route-53@^3.1164.0',
    '@aws-sdk/client-cloudformation@^3.1164.0',
    '@aws-sdk/client-rds@^3.1164.0',
    '@aws-sdk/client-iam@^3.1164.0',
    // the example GitHub Actions workflows, checked against SchemaStore's workflow schema (offline, WebAssembly)
    '@action-validator/cli@^0.6.0',
    // the starter's app runner: the starter test installs it into a starter app from npm's cache
    'tsx@^4.21.0',
    '@action-validator/core@^0.6.0',
    'yaml@^2.8.0',
  ],
  // the custom resource handlers (src/<construct>/handlers) are bundled into assets/ at pre-compile, then inlined
  lambdaAutoDiscover: false,
  bundlerOptions: { esbuildVersion: '0.28.2' },

  // quality
  prettier: true,
  prettierOptions: {
    settings: { singleQuote: true, printWidth: 120, trailingComma: javascript.TrailingComma.ALL },
  },
  eslintOptions: {
    dirs: ['src', 'test'],
    // the handlers import the AWS SDK, which the Lambda runtime provides (bundled without it)
    devdirs: ['test', 'projenrc', 'examples', 'src/*/handlers'],
    tsconfigPath: './tsconfig.dev.json',
  },
  jestOptions: {
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '\\.snapshot/'],
    },
  },

  // release
  releaseToNpm: true,
  // npm trusted publishing (OIDC from the release workflow, configured once on npmjs.com): no token to leak
  npmTrustedPublishing: true,
  // the course's Python students: the same constructs from PyPI (trusted publishing, configured once on pypi.org)
  publishToPypi: { distName: 'pizza-constructs', module: 'pizza_constructs', trustedPublishing: true },
  workflowNodeVersion: WORKFLOW_NODE_VERSION,
  releasableCommits: ReleasableCommits.featuresAndFixes(),

  // files
  gitignore: [
    'cdk.out/',
    'cdk-integ.out.*/',
    '**/*.snapshot/**/asset.*',
    '.tmp/',
    '/consumer-test/',
    '.jsii.tabl.json',
    'bench-results/',
  ],
});

// examples/ stays out of the tarball, but for what the starter (`npx pizza-constructs init`) copies
for (const path of [
  '/examples/*.ts',
  '/examples/README.md',
  '/examples/spa-dist/',
  '/examples/github/README.md',
  '/examples/jwt-pizza-service/README.md',
]) {
  project.addPackageIgnore(path);
}
project.addPackageIgnore('/scripts/');
// the guides are read on GitHub, where the README links them (and their pictures)
project.addPackageIgnore('/docs/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/bench-results/');
// the handlers run from their bundles (assets/), inlined into templates: their compiled modules are never loaded
project.addPackageIgnore('/lib/*/handlers/');
project.addPackageIgnore('CONTRIBUTING.md');
project.addPackageIgnore('/cdk.context.json');
project.addPackageIgnore('cdk.out/');
project.addPackageIgnore('.tmp/');
project.addPackageIgnore('*.snapshot/');

// The tests, examples and projenrc are type-checked by tsconfig.dev.json; lint them against it too (the default
// project service only finds the root tsconfig.json, which covers src/).
project.eslint?.addOverride({
  files: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'projenrc/**/*.ts'],
  parserOptions: { projectService: false, project: './tsconfig.dev.json' },
});

// a release from the placeholder repository cannot succeed: refuse it first, saying what to set
project.tasks.tryFind('release')?.prependExec('node scripts/check-release.mjs');

addHandlerBundles(project, [
  'src/service/handlers/desired-count.ts',
  'src/frontend/handlers/asset-cleanup.ts',
  'src/database/handlers/restore-guard.ts',
  'src/dns/handlers/validation-cleanup.ts',
  'src/database/handlers/database-pause.ts',
  'src/github/handlers/oidc-provider.ts',
  'src/service/handlers/host-record.ts',
  'src/database/handlers/database-wake.ts',
]);
addProofTasks(project);

project.synth();
