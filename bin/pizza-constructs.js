#!/usr/bin/env node
// `npx pizza-constructs init [folder] [--domain example.com] [--zone Z0123456789ABC] [--owner byucsstudent]
//   [--region us-east-1] [--owner-id N] [--frontend-repo-id N] [--service-repo-id N] [--staging]`: a ready CDK app
// for JWT Pizza in a new folder (`--staging`: the frontend serves staging beside production, deliverable 7).
// `cdk synth` works at once, with no AWS credentials (the stack names a region, not an account); `cdk deploy` works
// once they are set. Nothing is asked: what is not given is a placeholder in cdk.json, which the next-steps README
// names (GitHub's numeric ids, optional, are simply absent).
'use strict';
const { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');

const PACKAGE_ROOT = join(__dirname, '..');
const OWN = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf-8'));

/**
 * The versions the starter asks for. aws-cdk-lib is exact: the one this package's tests build on
 * (`NEWEST_CDK_VERSION` in .projenrc.ts; test/starter.test.ts checks the two are equal, and
 * `node scripts/bump-cdk.mjs X.Y.Z` raises both), so a starter made today synthesizes the templates the tests saw.
 * The others are ranges from the ones this package's CI installs into a starter and synthesizes. tsx runs the app
 * (ts-node 10 crashes on TypeScript 7); TypeScript 6 type-checks it.
 */
const VERSIONS = {
  'aws-cdk-lib': '2.276.0',
  constructs: '^10.0.5',
  'aws-cdk': '^2.1148.1',
  tsx: '^4.21.0',
  typescript: '~6.0.0',
  '@types/node': '^22.0.0',
};

const PLACEHOLDERS = { domain: 'example.com', zone: 'Z0123456789ABC', owner: 'byucsstudent', region: 'us-east-1' };

/**
 * A switch's value, true or false in any case: how the starter's bin/context.ts reads `paused` (`-c paused=True`),
 * and how a switch flag's `--NAME=VALUE` is read here.
 */
const BOOLEAN = /^(true|false)$/i;

/** The switch flags: `--NAME` alone is true; `--NAME=true` or `--NAME=false`, in any case, says which. */
const SWITCHES = ['staging'];

function usage(message) {
  if (message) console.error(`pizza-constructs: ${message}`);
  console.error(
    'usage: npx pizza-constructs init [folder] [--domain example.com] [--zone Z0123456789ABC] ' +
      '[--owner GITHUB_OWNER] [--region us-east-1] [--owner-id N] [--frontend-repo-id N] [--service-repo-id N] ' +
      '[--staging]\n' +
      '  --staging (or --staging=true|false, any case): the frontend serves staging beside production ' +
      '(deliverable 7): `staging: {}` in bin/app.ts, and README.md gets its steps (release.yml, the variables ' +
      'RELEASE_POINTER_ARN and STAGING_URL, the releases)',
  );
  process.exit(message ? 1 : 0);
}

function parse(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) usage();
  if (command !== 'init') usage(`unknown command ${JSON.stringify(command)}: the one command is \`init\``);
  const options = { folder: 'jwt-pizza-infra', given: {}, switches: {} };
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--(domain|zone|owner|region|owner-id|frontend-repo-id|service-repo-id)$/.exec(rest[i]);
    const toggle = /^--([a-z-]+)(?:=(.*))?$/s.exec(rest[i]);
    if (flag) {
      if (rest[i + 1] === undefined) usage(`${rest[i]} needs a value`);
      options.given[flag[1]] = rest[++i];
    } else if (toggle && SWITCHES.includes(toggle[1])) {
      const [, name, value = 'true'] = toggle;
      if (!BOOLEAN.test(value)) {
        usage(
          `--${name} must be true or false (--${name} alone is true; --${name}=true / --${name}=false in any ` +
            `case), got: ${JSON.stringify(value)}`,
        );
      }
      options.switches[name] = value.toLowerCase() === 'true';
    } else if (rest[i].startsWith('-')) {
      usage(`unknown option ${rest[i]}`);
    } else {
      options.folder = rest[i];
    }
  }
  const matches = (pattern) => (value) => pattern.test(value);
  // GitHub's numeric ids: positive integers that JSON (and so cdk.json) holds exactly
  const githubId = (value) => /^[1-9][0-9]*$/.test(value) && Number.isSafeInteger(Number(value));
  const checks = {
    domain: [matches(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/), 'a domain name such as example.com'],
    zone: [matches(/^Z[A-Z0-9]{1,31}$/), 'a Route 53 hosted zone id such as Z0123456789ABC'],
    owner: [matches(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/), 'a GitHub user or organization'],
    region: [matches(/^[a-z]{2}(-[a-z]+)+-\d$/), 'an AWS region such as us-east-1'],
    'owner-id': [githubId, "a positive integer, the owner's GitHub id (gh api users/OWNER --jq .id)"],
    'frontend-repo-id': [
      githubId,
      'a positive integer, the GitHub id of jwt-pizza (gh api repos/OWNER/jwt-pizza --jq .id)',
    ],
    'service-repo-id': [
      githubId,
      'a positive integer, the GitHub id of jwt-pizza-service (gh api repos/OWNER/jwt-pizza-service --jq .id)',
    ],
  };
  for (const [name, value] of Object.entries(options.given)) {
    const [valid, what] = checks[name];
    if (!valid(value)) usage(`--${name} must be ${what}, got: ${JSON.stringify(value)}`);
  }
  return options;
}

/**
 * bin/context.ts of the starter: how the app reads cdk.json's context, apart from the app (no imports), so it can be
 * type-checked and run on its own (test/starter.test.ts runs it).
 */
const CONTEXT = `// How bin/app.ts reads the context (cdk.json's \`context\`, or \`cdk deploy -c name=value\`). A value from cdk.json
// keeps its JSON type (\`"paused": true\`, \`"githubOwnerId": 1234567\`); one given with -c always arrives as a string
// (\`-c paused=True\`). Both are accepted; anything else stops the synth with an error that names the context key.

/** A switch such as \`paused\`: a JSON boolean, or the string true or false in any case. Absent: false. */
export function booleanContext(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ${BOOLEAN}.test(value)) return value.toLowerCase() === 'true';
  throw new Error(
    \`context \${name} must be true or false (a JSON boolean in cdk.json, or -c \${name}=true / -c \${name}=false in \` +
      \`any case), got: \${JSON.stringify(value)}\`,
  );
}

/**
 * One of GitHub's numeric ids (\`githubOwnerId\`, \`frontendRepositoryId\`, \`serviceRepositoryId\`): a positive
 * integer, as a JSON number or a string of digits. Absent or null: not set.
 */
export function githubIdContext(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const id =
    typeof value === 'number' ? value : typeof value === 'string' && /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(id) && id > 0) return id;
  throw new Error(
    \`context \${name} must be a positive integer, GitHub's numeric id (README.md says how to get it), got: \` +
      JSON.stringify(value),
  );
}
`;

/**
 * bin/app.ts of the starter. With `staging`, the frontend serves staging beside production (`staging: {}`);
 * without, the text is the same as before the flag existed.
 */
function appSource(staging) {
  return `// The JWT Pizza course architecture, from pizza-constructs: the domain (PizzaDns), the SPA on S3 + CloudFront,
// the service on ECS Fargate behind HTTPS, MySQL on RDS, and the role GitHub Actions deploys with. The values come
// from cdk.json's context (or \`cdk deploy -c name=value\`); bin/context.ts reads the ones that are not text.
import { App, Stack } from 'aws-cdk-lib';
import {
  PizzaCostReport,
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaGitHubDeployRole,
  PizzaService,
} from 'pizza-constructs';
import { booleanContext, githubIdContext } from './context';

const app = new App();
const context = (name: string): string => app.node.getContext(name);
const githubId = (name: string): number | undefined => githubIdContext(name, app.node.tryGetContext(name));
PizzaCostReport.of(app); // the idle $/month of each stack, printed at synth

// an explicit region (PizzaDns needs it); the account is the one your AWS credentials name when you deploy, so
// cdk synth needs no credentials
const stack = new Stack(app, 'JwtPizza', { env: { region: context('region') } });
// cdk deploy -c paused=true (or "paused": true in cdk.json): about $3/month, resume with cdk deploy
const paused = booleanContext('paused', app.node.tryGetContext('paused'));

const dns = new PizzaDns(stack, 'Dns', { domainName: context('domainName'), hostedZoneId: context('hostedZoneId') });
const database = new PizzaDatabase(stack, 'Database', { paused });
const service = new PizzaService(stack, 'Service', {
  dns,
  database,
  paused,
  factoryApiKeySecretName: context('factoryApiKeySecretName'),
});
${
  staging
    ? `// staging (deliverable 7): stage-pizza.DOMAIN beside pizza.DOMAIN, on one CloudFront distribution; ci.yml
// stages each build, release.yml promotes a staged version to production (README.md, step 13)
const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url, staging: {} });`
    : `const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });`
}
// GitHub's numeric ids, when the context has them: GitHub's immutable subject (repo:OWNER@OWNER_ID/REPO@REPO_ID:...)
// must then carry exactly these ids (README.md, step 11)
const ownerId = githubId('githubOwnerId');
const frontendRepositoryId = githubId('frontendRepositoryId');
const serviceRepositoryId = githubId('serviceRepositoryId');
new PizzaGitHubDeployRole(stack, 'GitHub', {
  owner: context('githubOwner'),
  frontend,
  service,
  ...(ownerId === undefined ? {} : { ownerId }),
  ...(frontendRepositoryId === undefined ? {} : { frontendRepositoryId }),
  ...(serviceRepositoryId === undefined ? {} : { serviceRepositoryId }),
});
`;
}

/** The context keys of GitHub's numeric ids, by the flag that gives each. */
const ID_KEYS = {
  'owner-id': 'githubOwnerId',
  'frontend-repo-id': 'frontendRepositoryId',
  'service-repo-id': 'serviceRepositoryId',
};

/** README.md's step 13, with `staging`: the deliverable-7 steps (release.yml, its variables, the releases). */
function stagingStep(owner, domain) {
  return `13. **Staging and releases (deliverable 7).** \`bin/app.ts\` gives the frontend \`staging: {}\`: one
    CloudFront distribution serves production on \`https://pizza.${domain}\` and staging on
    \`https://stage-pizza.${domain}\`, each the version its key in the release pointer (a CloudFront KeyValueStore)
    names.
    - **release.yml.** Copy \`github/jwt-pizza-release.yml\` into your \`jwt-pizza\` fork as exactly
      \`.github/workflows/release.yml\` (the course's grader dispatches \`release.yml\`). \`ci.yml\` stays the file of
      step 6: once the variable \`RELEASE_POINTER_ARN\` is set, it stages each build instead of deploying it to
      production.
    - **Its two variables.** \`RELEASE_POINTER_ARN\` and \`STAGING_URL\`, from the stack outputs
      \`GitHubReleasePointerArn\` and \`GitHubStagingUrl\`: step 9's command prints a \`gh variable set\` line for
      each, with the others. They must be repository variables, as those lines set them (no \`--env\`); check with
      \`gh variable list --repo ${owner}/jwt-pizza\`.
    - **Stage, then release.** A push to \`main\` (step 12) stages the build on
      \`https://stage-pizza.${domain}\`; production serves no build until its first release.
      Promote a staged version with \`gh workflow run release.yml -f version=VERSION\` in the fork (or Actions →
      Frontend release → Run workflow), VERSION being the \`YYYYMMDD.HHMMSS\` a staging release is named by. Both
      kinds show in the fork under GitHub → Releases: \`VERSION (staging)\` for each push, \`VERSION (production)\`
      for each release; the newest is marked Latest.
`;
}

function readme(values, placeholders, staging = false) {
  const todo = placeholders.length
    ? `\n**Placeholders to replace in \`cdk.json\` before \`cdk deploy\`:** ${placeholders.map((p) => `\`${p}\``).join(', ')}.\n`
    : '';
  const { domainName: domain, githubOwner: owner, region, factoryApiKeySecretName: secret } = values;
  const ids = Object.values(ID_KEYS).filter((key) => values[key] !== undefined);
  const idsGiven = ids.length
    ? `    \`cdk.json\` has ${ids.map((key) => `\`${key}\` (${values[key]})`).join(', ')} already.\n`
    : '';
  return `# JWT Pizza infrastructure

Made by \`npx pizza-constructs init\` (pizza-constructs ${OWN.version}): the JWT Pizza course architecture as one
CDK app, \`bin/app.ts\` (the stack \`JwtPizza\`, in \`${region}\`). The settings are in \`cdk.json\` (\`context\`):
\`domainName\`, \`hostedZoneId\`, \`githubOwner\`, \`region\`, \`factoryApiKeySecretName\`, \`paused\` (a JSON
boolean), and GitHub's numeric ids \`githubOwnerId\`, \`frontendRepositoryId\` and \`serviceRepositoryId\` (JSON
numbers; a key that is absent, or null, is not set: step 11).
${todo}
## Next steps

In this order. The slow ones say how long they take.

1. **Install and synthesize.** \`npm install\` (a minute or two), then \`npx cdk synth\`: works now, with no AWS credentials; it
   prints the stack's idle cost.
2. **Sign in to AWS and bootstrap.** \`aws configure sso\` (or access keys), then once per account and region:
   \`npx cdk bootstrap\` (a few minutes).
3. **A new AWS account only: its prerequisites.**
   - CloudFront may require the account to be verified before its first distribution. If the deploy fails saying
     so ("Your account must be verified before you can add new CloudFront resources"), contact AWS Support (a
     support case; the answer can take a day), then deploy again.
   - The service-linked roles for ECS, Elastic Load Balancing and Application Auto Scaling are created on first
     use. If the deploy fails on the ECS one, create it and deploy again:
     \`aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com\`.
4. **The factory key secret, in the stack's region.** Store the pizza factory API key from the course as the secret
   \`factoryApiKeySecretName\` names (\`${secret}\`), in the SAME region as the stack (\`${region}\`; a secret in
   another region is not found):
   \`aws secretsmanager create-secret --region ${region} --name ${secret} --secret-string YOUR_KEY\`.
5. **Deploy.** \`npx cdk deploy\`. The first deploy takes about 20-30 minutes, mostly RDS (the database), CloudFront
   (the distribution) and the certificate's DNS validation. The GitHub OIDC provider
   (\`token.actions.githubusercontent.com\`) is created if the account has none, and kept when the stack goes, since
   other stacks may use it. The outputs name the values the GitHub workflows need.
6. **The workflows, as \`ci.yml\`.** Copy \`github/jwt-pizza-frontend.yml\` into your \`jwt-pizza\` fork as exactly
   \`.github/workflows/ci.yml\`, and \`github/jwt-pizza-service.yml\` into your \`jwt-pizza-service\` fork as exactly
   \`.github/workflows/ci.yml\` (replacing the course's): the course's grader reads only \`ci.yml\`.
7. **The service fork's two files.** In \`jwt-pizza-service\`:
   - copy \`config.js\` to \`src/config.js\`: it reads its settings from the environment the stack gives the
     service. It holds no secret, so commit it: the upstream \`.gitignore\` hides \`src/config.js\` (its line
     \`config.js\`): remove that line from \`.gitignore\`;
   - copy \`Dockerfile\` to the fork's root (beside \`package.json\`): CI builds the service's image from it.
8. **Two secrets in both forks** (Settings → Secrets and variables → Actions → Secrets), for the coverage badges
   and the service's tests: \`NET_ID\` (your BYU Net ID) and \`FACTORY_API_KEY\` (the key of step 4). Each command
   asks for the value:

   \`\`\`sh
   gh secret set NET_ID --repo ${owner}/jwt-pizza
   gh secret set FACTORY_API_KEY --repo ${owner}/jwt-pizza
   gh secret set NET_ID --repo ${owner}/jwt-pizza-service
   gh secret set FACTORY_API_KEY --repo ${owner}/jwt-pizza-service
   \`\`\`

9. **The variables, from the stack's outputs, in both forks** (none of them is a secret). This prints one
   \`gh variable set\` command per output; run the printed commands in a clone of each fork (add \`| sh\` to the
   line to run them at once):

   \`\`\`sh
   aws cloudformation describe-stacks --region ${region} --stack-name JwtPizza --query 'Stacks[0].Outputs' --output json \\
     | node -e 'for (const o of JSON.parse(require("fs").readFileSync(0))) { const m = /\\(GitHub Actions variable (\\w+)(?: in environment ([\\w.-]+))?\\)/.exec(o.Description ?? ""); if (m) console.log(\`gh variable set \${m[1]}\${m[2] ? \` --env \${m[2]}\` : ""} --body "\${o.OutputValue}"\`); }'
   \`\`\`

10. **The service URL in \`jwt-pizza\`.** In your \`jwt-pizza\` fork, edit \`.env.production\` so that its
    service line says \`VITE_PIZZA_SERVICE_URL=https://pizza-service.${domain}\` (keep the other lines), and COMMIT
    it: the course's grader reads the committed file (CI builds with the same URL from the \`SERVICE_URL\`
    variable).
11. **The OIDC ids (optional, the most secure).** GitHub's numeric ids never change:

    \`\`\`sh
    gh api users/${owner} --jq .id
    gh api repos/${owner}/jwt-pizza --jq .id
    gh api repos/${owner}/jwt-pizza-service --jq .id
    \`\`\`

    Put them in \`cdk.json\`'s context as numbers (\`"githubOwnerId": 1234567\`, \`"frontendRepositoryId"\`,
    \`"serviceRepositoryId"\`; \`npx pizza-constructs init\` writes them with \`--owner-id\`, \`--frontend-repo-id\`
    and \`--service-repo-id\`), then \`npx cdk deploy\` again (only the role changes). Why: GitHub names can be
    recycled (a renamed or deleted account or repository frees its name for someone else), and without the ids the
    role trusts both subject forms for that owner's named repositories: the name-only \`repo:OWNER/REPO:...\` and
    the immutable \`repo:OWNER@OWNER_ID/REPO@REPO_ID:...\` with any id. With them, the immutable form must carry
    exactly your ids, so whoever takes over a name later (their new account or repository presents the immutable
    form, with other ids) is refused. The name-only form stays trusted for repositories older than GitHub's
    immutable subjects; \`trustNameOnlySubjects: false\` on \`PizzaGitHubDeployRole\` drops it once yours present
    the immutable form.
${idsGiven}12. **Release.** Push to \`main\` in both forks, or run the workflow by hand (Actions → Run workflow, or
    \`gh workflow run ci.yml\` in each fork): CI uploads the SPA and the first image, and the service starts.
${staging ? stagingStep(owner, domain) : ''}
Between assignments: \`npx cdk deploy -c paused=true\` (any case: \`True\` works too; or \`"paused": true\` in
\`cdk.json\`): about $3 a month, no data lost. \`npx cdk deploy\` (with \`paused\` false) resumes.
\`npx cdk destroy\` removes everything but a final snapshot of the database (and the account's GitHub OIDC
provider, which other stacks may use).

The constructs' README: https://www.npmjs.com/package/pizza-constructs
`;
}

function main() {
  const { folder, given, switches } = parse(process.argv.slice(2));
  const staging = switches.staging === true;
  const target = resolve(folder);
  if (existsSync(target) && readdirSync(target).length > 0) {
    usage(`${target} exists and is not empty: give a new folder`);
  }
  const values = {
    domainName: given.domain ?? PLACEHOLDERS.domain,
    hostedZoneId: given.zone ?? PLACEHOLDERS.zone,
    githubOwner: given.owner ?? PLACEHOLDERS.owner,
    // GitHub's numeric ids: JSON numbers, and no key at all for a flag not given (README.md, step 11)
    ...Object.fromEntries(
      Object.entries(ID_KEYS)
        .filter(([flag]) => given[flag] !== undefined)
        .map(([flag, key]) => [key, Number(given[flag])]),
    ),
    region: given.region ?? PLACEHOLDERS.region,
    factoryApiKeySecretName: 'pizza/factory-api-key',
    // a JSON boolean; bin/context.ts also accepts -c paused=true (any case)
    paused: false,
  };
  const placeholders = ['domain', 'zone', 'owner']
    .filter((name) => given[name] === undefined)
    .map((name) => ({ domain: 'domainName', zone: 'hostedZoneId', owner: 'githubOwner' })[name]);

  mkdirSync(join(target, 'bin'), { recursive: true });
  mkdirSync(join(target, 'github'), { recursive: true });
  const write = (file, text) => writeFileSync(join(target, file), text);
  write(
    'package.json',
    `${JSON.stringify(
      {
        name: basename(target)
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-'),
        version: '0.1.0',
        private: true,
        scripts: { synth: 'cdk synth', deploy: 'cdk deploy', typecheck: 'tsc --noEmit' },
        dependencies: {
          'pizza-constructs': `^${OWN.version}`,
          'aws-cdk-lib': VERSIONS['aws-cdk-lib'],
          constructs: VERSIONS.constructs,
        },
        devDependencies: {
          'aws-cdk': VERSIONS['aws-cdk'],
          tsx: VERSIONS.tsx,
          typescript: VERSIONS.typescript,
          '@types/node': VERSIONS['@types/node'],
        },
      },
      undefined,
      2,
    )}\n`,
  );
  write('cdk.json', `${JSON.stringify({ app: 'npx tsx bin/app.ts', context: values }, undefined, 2)}\n`);
  write(
    'tsconfig.json',
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['bin/**/*.ts'],
      },
      undefined,
      2,
    )}\n`,
  );
  write('.gitignore', 'node_modules/\ncdk.out/\n');
  write(join('bin', 'app.ts'), appSource(staging));
  write(join('bin', 'context.ts'), CONTEXT);
  write('README.md', readme(values, placeholders, staging));
  for (const workflow of ['jwt-pizza-frontend.yml', 'jwt-pizza-release.yml', 'jwt-pizza-service.yml']) {
    copyFileSync(join(PACKAGE_ROOT, 'examples', 'github', workflow), join(target, 'github', workflow));
  }
  // the service fork's drop-in files: src/config.js and the Dockerfile at its root (README.md, step 7)
  for (const file of ['config.js', 'Dockerfile']) {
    copyFileSync(join(PACKAGE_ROOT, 'examples', 'jwt-pizza-service', file), join(target, file));
  }

  console.log(`pizza-constructs: a JWT Pizza CDK app in ${target}`);
  if (placeholders.length) {
    console.log(`  placeholders in cdk.json to replace before deploying: ${placeholders.join(', ')}`);
  }
  console.log(`  next: cd ${folder} && npm install && npx cdk synth   (no AWS credentials needed)`);
  console.log('  then: README.md, "Next steps" in order (bootstrap, the factory key secret, deploy, the two forks)');
}

main();
