#!/usr/bin/env node
// `npx pizza-constructs init [folder] [--domain example.com] [--zone Z0123456789ABC] [--owner byucsstudent]
//   [--region us-east-1]`: a ready CDK app for JWT Pizza in a new folder. `cdk synth` works at once, with no AWS
// credentials (the stack names a region, not an account); `cdk deploy` works once they are set. Nothing is asked: what is not given is a placeholder in cdk.json, which the next-steps README names.
'use strict';
const { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');

const PACKAGE_ROOT = join(__dirname, '..');
const OWN = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf-8'));

/**
 * The versions the starter asks for: caret ranges from the ones this package's CI installs into a starter and
 * synthesizes (so a new starter gets the newest compatible release that day). tsx runs the app (ts-node 10 crashes
 * on TypeScript 7); TypeScript 6 type-checks it.
 */
const VERSIONS = {
  'aws-cdk-lib': '^2.276.0',
  constructs: '^10.0.5',
  'aws-cdk': '^2.1148.1',
  tsx: '^4.21.0',
  typescript: '~6.0.0',
  '@types/node': '^22.0.0',
};

const PLACEHOLDERS = { domain: 'example.com', zone: 'Z0123456789ABC', owner: 'byucsstudent', region: 'us-east-1' };

function usage(message) {
  if (message) console.error(`pizza-constructs: ${message}`);
  console.error(
    'usage: npx pizza-constructs init [folder] [--domain example.com] [--zone Z0123456789ABC] ' +
      '[--owner GITHUB_OWNER] [--region us-east-1]',
  );
  process.exit(message ? 1 : 0);
}

function parse(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) usage();
  if (command !== 'init') usage(`unknown command ${JSON.stringify(command)}: the one command is \`init\``);
  const options = { folder: 'jwt-pizza-infra', given: {} };
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--(domain|zone|owner|region)$/.exec(rest[i]);
    if (flag) {
      if (rest[i + 1] === undefined) usage(`${rest[i]} needs a value`);
      options.given[flag[1]] = rest[++i];
    } else if (rest[i].startsWith('-')) {
      usage(`unknown option ${rest[i]}`);
    } else {
      options.folder = rest[i];
    }
  }
  const checks = {
    domain: [/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain name such as example.com'],
    zone: [/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABC'],
    owner: [/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, 'a GitHub user or organization'],
    region: [/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1'],
  };
  for (const [name, value] of Object.entries(options.given)) {
    const [pattern, what] = checks[name];
    if (!pattern.test(value)) usage(`--${name} must be ${what}, got: ${JSON.stringify(value)}`);
  }
  return options;
}

const APP = `// The JWT Pizza course architecture, from pizza-constructs: the domain (PizzaDns), the SPA on S3 + CloudFront,
// the service on ECS Fargate behind HTTPS, MySQL on RDS, and the role GitHub Actions deploys with. The values come
// from cdk.json's context (or \`cdk deploy -c name=value\`).
import { App, Stack } from 'aws-cdk-lib';
import {
  PizzaCostReport,
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaGitHubDeployRole,
  PizzaService,
} from 'pizza-constructs';

const app = new App();
const context = (name: string): string => app.node.getContext(name);
PizzaCostReport.of(app); // the idle $/month of each stack, printed at synth

// an explicit region (PizzaDns needs it); the account is the one your AWS credentials name when you deploy, so
// cdk synth needs no credentials
const stack = new Stack(app, 'JwtPizza', { env: { region: context('region') } });
const paused = context('paused') === 'true'; // cdk deploy -c paused=true: about $3/month, resume with cdk deploy

const dns = new PizzaDns(stack, 'Dns', { domainName: context('domainName'), hostedZoneId: context('hostedZoneId') });
const database = new PizzaDatabase(stack, 'Database', { paused });
const service = new PizzaService(stack, 'Service', {
  dns,
  database,
  paused,
  factoryApiKeySecretName: context('factoryApiKeySecretName'),
});
const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });
new PizzaGitHubDeployRole(stack, 'GitHub', { owner: context('githubOwner'), frontend, service });
`;

function readme(values, placeholders) {
  const todo = placeholders.length
    ? `\n**Placeholders to replace in \`cdk.json\` before \`cdk deploy\`:** ${placeholders.map((p) => `\`${p}\``).join(', ')}.\n`
    : '';
  return `# JWT Pizza infrastructure

Made by \`npx pizza-constructs init\` (pizza-constructs ${OWN.version}): the JWT Pizza course architecture as one
CDK app, \`bin/app.ts\`. The settings are in \`cdk.json\` (\`context\`).
${todo}
## Next steps

1. \`npm install\`, then \`npx cdk synth\`: works now, with no AWS credentials; it prints the stack's idle cost.
2. Sign in to AWS (\`aws configure sso\` or access keys), then once per account and region:
   \`npx cdk bootstrap\`.
3. Store the pizza factory API key from the course as a secret named as \`factoryApiKeySecretName\` says
   (\`${values.factoryApiKeySecretName}\`):
   \`aws secretsmanager create-secret --name ${values.factoryApiKeySecretName} --secret-string YOUR_KEY\`.
4. \`npx cdk deploy\`. The outputs name the values the GitHub workflows need.
5. Copy \`github/jwt-pizza-frontend.yml\` into your \`jwt-pizza\` fork and \`github/jwt-pizza-service.yml\` into your
   \`jwt-pizza-service\` fork (as \`.github/workflows/\`), set the GitHub Actions variables from the outputs, and
   push: CI uploads the SPA and the first image.
6. Copy \`config.js\` over the service's \`src/config.js\` (keep it out of \`.gitignore\`): it reads its settings from
   the environment the stack gives the service.

Between assignments: \`npx cdk deploy -c paused=true\` (about $3 a month, no data lost), and \`npx cdk deploy\` to
resume. \`npx cdk destroy\` removes everything but a final snapshot of the database.

The constructs' README: https://www.npmjs.com/package/pizza-constructs
`;
}

function main() {
  const { folder, given } = parse(process.argv.slice(2));
  const target = resolve(folder);
  if (existsSync(target) && readdirSync(target).length > 0) {
    usage(`${target} exists and is not empty: give a new folder`);
  }
  const values = {
    domainName: given.domain ?? PLACEHOLDERS.domain,
    hostedZoneId: given.zone ?? PLACEHOLDERS.zone,
    githubOwner: given.owner ?? PLACEHOLDERS.owner,
    region: given.region ?? PLACEHOLDERS.region,
    factoryApiKeySecretName: 'pizza/factory-api-key',
    paused: 'false',
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
        name: basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-'),
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
  write(join('bin', 'app.ts'), APP);
  write('README.md', readme(values, placeholders));
  for (const workflow of ['jwt-pizza-frontend.yml', 'jwt-pizza-service.yml']) {
    copyFileSync(join(PACKAGE_ROOT, 'examples', 'github', workflow), join(target, 'github', workflow));
  }
  copyFileSync(join(PACKAGE_ROOT, 'examples', 'jwt-pizza-service', 'config.js'), join(target, 'config.js'));

  console.log(`pizza-constructs: a JWT Pizza CDK app in ${target}`);
  if (placeholders.length) {
    console.log(`  placeholders in cdk.json to replace before deploying: ${placeholders.join(', ')}`);
  }
  console.log(`  next: cd ${folder} && npm install && npx cdk synth   (no AWS credentials needed)`);
  console.log('  then: README.md (bootstrap, the factory key secret, deploy, the GitHub workflows)');
}

main();
