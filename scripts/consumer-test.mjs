#!/usr/bin/env node
// The consumer test: install the packed tarball (dist/js, the one `npm publish` would publish; `npx projen
// package:js` writes it) into fresh CDK apps, once on the minimum aws-cdk-lib (the peer floor, 2.257.0) and once on
// the newest (the lockfile pins it as the devDependency alias `aws-cdk-lib-newest`), and in each:
//   1. compile, as a user's TypeScript would, a consumer written from DESIGN.md, every example (importing
//      'pizza-constructs') and every TypeScript snippet of README.md and of the guides under docs/ (each wrapped like
//      rosetta's fixture; a `ts nofixture` block is a whole app, which rosetta compiles);
//   2. synthesize the consumer and every example with the CDK CLI and `--strict` (a warning fails), and the README's
//      and the guides' snippets in their own apps, in us-east-1 and eu-west-1 (an error or an unrequested warning
//      fails);
// on the newest with `@aws-cdk/core:validateAgainstDefaultRules: true` (a finding of aws-cdk-lib's CloudFormation
// schema validation is an error), once alone (an upgraded app) and once with every flag aws-cdk-lib recommends (a new
// `cdk init` app). Everything runs offline (npm's cache holds what `npm ci` fetched).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf-8')).version;
const cdkCli = join(root, 'node_modules', '.bin', 'cdk');

const ENVIRONMENTS = [
  { name: 'minimum', awsCdkLib: version('aws-cdk-lib'), context: {} },
  {
    name: 'newest',
    awsCdkLib: version('aws-cdk-lib-newest'),
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  },
  {
    // a new app from `cdk init`: every flag aws-cdk-lib recommends (validation as errors among them)
    name: 'newest-cdk-init',
    awsCdkLib: version('aws-cdk-lib-newest'),
    context: {
      ...readJson(join(root, 'node_modules', 'aws-cdk-lib-newest', 'recommended-feature-flags.json')),
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  },
];
const only = process.env.PIZZA_CONSUMER_ONLY; // e.g. `newest`, to run one environment while working on it

const packed = readdirSync(join(root, 'dist', 'js')).find((f) => f.endsWith('.tgz'));
if (!packed) throw new Error('no tarball in dist/js: run `npx projen package:js` first');

function main() {
  for (const environment of ENVIRONMENTS.filter((e) => !only || e.name === only)) {
    const started = Date.now();
    console.log(`\n=== consumer on aws-cdk-lib ${environment.awsCdkLib} (${environment.name})`);
    const work = mkdtempSync(join(tmpdir(), `pizza-consumer-${environment.name}-`));
    const app = prepareApp(work, environment);
    installFixtures(work);

    run('npx', ['tsc', '-p', '.'], app);

    const cdkJson = { context: { ...environment.context, ...readJson(join(root, 'cdk.context.json')) } };
    writeFileSync(join(app, 'cdk.json'), JSON.stringify(cdkJson, undefined, 2));
    const apps = [
      'app.js',
      ...readdirSync(join(app, 'examples'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `examples/${f}`),
    ];
    for (const file of apps) {
      const out = join(app, 'cdk.out', file.replace(/[/.]/g, '-'));
      run(
        cdkCli,
        [
          'synth',
          '--strict',
          '--quiet',
          '--no-notices',
          '--no-version-reporting',
          '--app',
          `node ${file}`,
          '--output',
          out,
        ],
        app,
        {
          CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
      );
      summarize(file, out);
    }
    run('node', ['readme-apps.js'], app, {
      PIZZA_CONTEXT: JSON.stringify(cdkJson.context),
      PIZZA_OUTDIR: join(app, 'cdk.out.readme'),
    });
    // every template, whatever aws-cdk-lib made it, against CloudFormation's resource schemas: warnings count too
    const checked = schemaCheck([join(app, 'cdk.out'), join(app, 'cdk.out.readme')]);
    console.log(`consumer: ${checked} templates checked against CloudFormation's resource schemas, no finding`);
    if (!existsSync(join(app, 'cdk.out', 'app-js', 'pizza-cost-report.json'))) {
      throw new Error('the cost report was not written into the cloud assembly');
    }
    console.log(
      `consumer test passed on aws-cdk-lib ${environment.awsCdkLib}: ${packed} installed into ${app}, ` +
        `${apps.length} apps and the snippets of the README and docs/ synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

/** A fresh app folder with the tarball, the environment's aws-cdk-lib, and the sources to compile. */
function prepareApp(work, environment) {
  const tarball = 'pizza-constructs.tgz';
  cpSync(join(root, 'dist', 'js', packed), join(work, tarball));
  const app = join(work, 'app');
  cpSync(join(root, 'scripts', 'consumer'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'pizza-consumer',
        private: true,
        dependencies: {
          'pizza-constructs': `file:../${tarball}`,
          'aws-cdk-lib': environment.awsCdkLib,
          constructs: version('constructs'),
        },
        devDependencies: { typescript: version('typescript'), '@types/node': version('@types/node') },
      },
      undefined,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  const installed = readJson(join(app, 'node_modules', 'pizza-constructs', 'package.json'));
  if (installed.name !== pkg.name || installed.version !== pkg.version) {
    throw new Error(`installed ${installed.name}@${installed.version}, expected ${pkg.name}@${pkg.version}`);
  }
  if (!readdirSync(join(app, 'node_modules', 'pizza-constructs', 'lib')).includes('index.js')) {
    throw new Error('the installed package has no lib/index.js');
  }
  const cdkLib = readJson(join(app, 'node_modules', 'aws-cdk-lib', 'package.json')).version;
  if (cdkLib !== environment.awsCdkLib) {
    throw new Error(`the app got aws-cdk-lib ${cdkLib}, expected ${environment.awsCdkLib}`);
  }

  // the examples, importing the package as users do
  mkdirSync(join(app, 'examples'));
  for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(root, 'examples', file), 'utf-8');
    if (!source.includes("from '../src'")) throw new Error(`examples/${file} does not import from '../src'`);
    writeFileSync(join(app, 'examples', file), source.replaceAll("from '../src'", "from 'pizza-constructs'"));
  }
  cpSync(join(root, 'examples', 'spa-dist'), join(app, 'examples', 'spa-dist'), { recursive: true });

  writeFileSync(join(app, 'readme-snippets.ts'), readmeSnippets());
  return app;
}

/** What the README's snippets point at, next to the app: `../jwt-pizza` (an SPA that builds) and the service. */
function installFixtures(work) {
  const spa = join(work, 'jwt-pizza');
  mkdirSync(join(spa, 'dist', 'assets'), { recursive: true });
  cpSync(join(root, 'examples', 'spa-dist'), join(spa, 'dist'), { recursive: true });
  // `npm ci && npm run build` must work offline: no dependencies, a build that writes dist/ and records the URL
  writeFileSync(
    join(spa, 'package.json'),
    JSON.stringify({ name: 'jwt-pizza', private: true, scripts: { build: 'node build.js' } }, undefined, 2),
  );
  writeFileSync(
    join(spa, 'package-lock.json'),
    JSON.stringify({ name: 'jwt-pizza', lockfileVersion: 3, requires: true, packages: { '': { name: 'jwt-pizza' } } }),
  );
  writeFileSync(
    join(spa, 'build.js'),
    [
      "const fs = require('fs');",
      "if (!process.env.VITE_PIZZA_SERVICE_URL) { console.error('no VITE_PIZZA_SERVICE_URL'); process.exit(2); }",
      "fs.mkdirSync('dist/assets', { recursive: true });",
      'fs.writeFileSync(\'dist/index.html\', `<!doctype html><meta name=service content="${process.env.VITE_PIZZA_SERVICE_URL}">`);',
      "fs.writeFileSync('dist/assets/index-built.js', 'console.log(1)');",
    ].join('\n'),
  );
  const service = join(work, 'jwt-pizza-service', 'dist');
  mkdirSync(service, { recursive: true });
  writeFileSync(join(service, 'Dockerfile'), 'FROM node:22-alpine\nCOPY . .\nCMD ["node", "index.js", "80"]\n');
  writeFileSync(join(service, 'index.js'), "require('http').createServer((q, r) => r.end('ok')).listen(80);\n");
}

/** Every Markdown file under `dir`, relative to the repository root, with `/` separators. */
function markdownFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return markdownFiles(path);
      return entry.name.endsWith('.md') ? [relative(root, path).split(sep).join('/')] : [];
    })
    .sort();
}

/** The ```ts blocks of one Markdown file: where each starts, and its lines. */
function tsBlocks(file) {
  const text = readFileSync(join(root, file), 'utf-8').split('\n');
  const blocks = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i].trim() !== '```ts') continue;
    const start = i + 1;
    const lines = [];
    for (i = start; i < text.length && text[i].trim() !== '```'; i++) lines.push(text[i]);
    blocks.push({ file, line: start, lines });
  }
  return blocks;
}

/**
 * Every ```ts block of README.md and of the guides under docs/ as a function that builds it in a fresh stack (the
 * rosetta fixture's imports, a stack with the placeholder account in the given region), with a stand-in for each
 * `declare const`.
 */
function readmeSnippets() {
  const fixture = readFileSync(join(root, 'rosetta', 'default.ts-fixture'), 'utf-8');
  const imports = fixture.slice(0, fixture.indexOf('class Fixture'));
  const readme = tsBlocks('README.md');
  if (readme.length < 10) throw new Error(`README.md has only ${readme.length} TypeScript snippets`);
  const snippets = [...readme, ...markdownFiles(join(root, 'docs')).flatMap(tsBlocks)];
  const body = snippets.map(({ file, line, lines }) => {
    const code = [];
    const prelude = [];
    for (const l of lines) {
      const declared = /^declare const (\w+): ([\w.]+);/.exec(l.trim());
      if (!declared) {
        code.push(l);
        continue;
      }
      const standIn = STAND_INS[`${declared[1]}: ${declared[2]}`];
      if (!standIn) {
        throw new Error(
          `${file} line ${line}: \`declare const ${declared[1]}: ${declared[2]}\` has no stand-in in scripts/consumer-test.mjs`,
        );
      }
      prelude.push(standIn);
    }
    const text = code.join('\n');
    // a stack id per snippet: ReadmeLine42, DocsOperatingMdLine120
    const id = `${file
      .replace(/\.md$/, file === 'README.md' ? '' : '.md')
      .split(/[^A-Za-z0-9]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
      .join('')}Line${line}`;
    return [
      `  {`,
      `    file: ${JSON.stringify(file)},`,
      `    line: ${line},`,
      `    id: ${JSON.stringify(id)},`,
      `    code: ${JSON.stringify(text.trim())},`,
      `    build: (scope: App, region: string): void => {`,
      `      class Snippet extends Stack {`,
      `        constructor(parent: Construct, id: string) {`,
      `          super(parent, id, { env: { account: '123456789012', region } });`,
      ...prelude.map((p) => `          ${p}`),
      ...text.split('\n').map((l) => (l.trim() ? `          ${l}` : '')),
      `          // the rest of the user's stack, when the snippet itself adds no resource to it`,
      `          if (!this.node.findAll().some((c) => CfnResource.isCfnResource(c))) {`,
      `            new CfnWaitConditionHandle(this, 'RestOfTheStack');`,
      `          }`,
      `        }`,
      `      }`,
      `      new Snippet(scope, '${id}');`,
      `    },`,
      `  },`,
    ].join('\n');
  });
  return [
    '// Generated by scripts/consumer-test.mjs from README.md and docs/: do not edit.',
    '/* eslint-disable */',
    imports.trim(),
    "import { CfnResource, CfnWaitConditionHandle } from 'aws-cdk-lib';",
    '',
    'function standInDns(stack: Stack): PizzaDns {',
    "  const found = stack.node.tryFindChild('StandInDns') as PizzaDns | undefined;",
    "  return found ?? new PizzaDns(stack, 'StandInDns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });",
    '}',
    '// referenced so that a README without these names still compiles',
    'void [Annotations, App, Duration, RemovalPolicy, Size, cloudfront, ec2, ecs, iam, route53, secretsmanager];',
    'void [PizzaBudget, PizzaCostReport, PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole];',
    'void [PizzaLoadBalancer, PizzaMonitoring, PizzaService];',
    '',
    'export const SNIPPETS: {',
    '  file: string;',
    '  line: number;',
    '  id: string;',
    '  code: string;',
    '  build: (scope: App, region: string) => void;',
    '}[] = [',
    body.join('\n'),
    '];',
    '',
  ].join('\n');
}

/** What each `declare const NAME: TYPE;` of the README and the guides stands for: a complete, warning-free construct of its type. */
const STAND_INS = {
  'dns: PizzaDns': 'const dns = standInDns(this);',
  'app: App': 'const app = this.node.root as App;',
  'ciRole: iam.IRole':
    "const ciRole = new iam.Role(this, 'StandInCiRole', { assumedBy: new iam.AccountRootPrincipal() });",
  'vpc: ec2.IVpc':
    "const vpc = new ec2.Vpc(this, 'StandInVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });",
  'jwtSecret: secretsmanager.ISecret':
    "const jwtSecret = secretsmanager.Secret.fromSecretNameV2(this, 'StandInJwtSecret', 'pizza/jwt-secret');",
  'dbSecret: secretsmanager.ISecret':
    "const dbSecret = secretsmanager.Secret.fromSecretNameV2(this, 'StandInDbSecret', 'pizza/database');",
  'frontend: PizzaFrontend': "const frontend = new PizzaFrontend(this, 'StandInFrontend', { dns: standInDns(this) });",
  // the service's own database when a `service` was declared before it
  'database: PizzaDatabase':
    "const database = (this.node.tryFindChild('StandInDatabase') as PizzaDatabase | undefined) ?? new PizzaDatabase(this, 'StandInDatabase');",
  'service: PizzaService':
    "const service = new PizzaService(this, 'StandInService', { dns: standInDns(this), database: new PizzaDatabase(this, 'StandInDatabase'), factoryApiKeySecretName: 'pizza/factory-api-key' });",
};

/** Print a line per stack of a synthesized app. */
function summarize(file, out) {
  const manifest = readJson(join(out, 'manifest.json'));
  const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
  if (stacks.length === 0) throw new Error(`${file} synthesized no stack`);
  for (const s of stacks) {
    const template = readJson(join(out, s.properties.templateFile));
    const count = Object.keys(template.Resources ?? {}).length;
    if (count === 0) throw new Error(`${file}: stack ${s.displayName} has no resources`);
    console.log(`consumer: ${file}: ${s.displayName}: ${count} resources`);
  }
}

/**
 * Validate every `*.template.json` under `dirs` with the validator bundled in the newest aws-cdk-lib (the one its
 * synth runs); any finding above informational (create-only notes) fails. Returns how many templates were checked.
 */
function schemaCheck(dirs) {
  const entry = ['node_modules', 'aws-cdk-lib-newest', 'node_modules', '@aws', 'cloudformation-validate', 'index.js'];
  const api = require(join(root, ...entry));
  const validator = new api.SchemaValidator();
  const templates = dirs.flatMap((dir) => findTemplates(dir));
  if (templates.length === 0) throw new Error(`no template under ${dirs.join(', ')}`);
  const findings = templates.flatMap((file) =>
    validator
      .validate(new api.TemplateFile(file))
      .filter((d) => d.severity !== 'INFO')
      .map(
        (d) => `${file}: ${d.severity} ${d.ruleId} ${d.entity?.logicalId ?? ''} ${d.propertyPath ?? ''}: ${d.message}`,
      ),
  );
  if (findings.length > 0) throw new Error(`CloudFormation schema findings:\n${findings.join('\n')}`);
  return templates.length;
}

/** Every template under `dir`, leaving out staged assets. */
function findTemplates(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const path = join(dir, item.name);
    if (item.isDirectory()) return item.name.startsWith('asset.') ? [] : findTemplates(path);
    return item.name.endsWith('.template.json') ? [path] : [];
  });
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf-8'));
}

main();
