/**
 * The starter (`npx pizza-constructs init`): what it writes, and what it refuses; the generated app's reading of its
 * context, run with stand-ins for aws-cdk-lib and pizza-constructs (and the `--staging` app, synthesized with the real
 * ones); and the aws-cdk-lib version it pins, which
 * scripts/bump-cdk.mjs keeps equal to the one the tests build on. The end-to-end run (install the packed tarball into
 * the starter, type-check, `cdk synth --strict` with no AWS credentials) is scripts/starter-test.mjs, a step of the
 * test command.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as vm from 'vm';
import * as cdkLib from 'aws-cdk-lib';
import * as ts from 'typescript';
import * as pizzaConstructs from '../src';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'bin', 'pizza-constructs.js');

function init(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'pizza-init-'));
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf-8' });
  return { cwd, status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A starter made with these flags: its folder. */
function starter(...flags: string[]): string {
  const { cwd, status, output } = init('init', 'app', ...flags);
  expect({ status, output }).toMatchObject({ status: 0 });
  return join(cwd, 'app');
}

/** NEWEST_CDK_VERSION in .projenrc.ts and the aws-cdk-lib of the starter's VERSIONS, read from the files. */
function cdkVersions(root: string) {
  const projenrc = /^const NEWEST_CDK_VERSION = '([^']*)';$/m.exec(readFileSync(join(root, '.projenrc.ts'), 'utf-8'));
  const cli = /^const VERSIONS = \{\n {2}'aws-cdk-lib': '([^']*)',$/m.exec(
    readFileSync(join(root, 'bin', 'pizza-constructs.js'), 'utf-8'),
  );
  return { projenrc: projenrc?.[1], starter: cli?.[1] };
}

const NEWEST_CDK_VERSION = cdkVersions(ROOT).projenrc;

/** A generated TypeScript file, transpiled to CommonJS and run with `require` answered by `modules`. */
function load(file: string, modules: Record<string, unknown>): Record<string, any> {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf-8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as Record<string, any> };
  const require = (id: string) => {
    if (!(id in modules)) throw new Error(`the generated ${file} requires ${id}`);
    return modules[id];
  };
  vm.runInThisContext(`(function (require, module, exports) {\n${outputText}\n})`)(require, module, module.exports);
  return module.exports;
}

/**
 * Run the starter's bin/app.ts as `cdk synth` would, with its cdk.json context and `overrides` (what `-c name=value`
 * gives: strings), aws-cdk-lib and pizza-constructs replaced by stand-ins that record the props each construct gets.
 */
function runApp(app: string, overrides: Record<string, unknown> = {}) {
  const context: Record<string, unknown> = {
    ...JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8')).context,
    ...overrides,
  };
  const props: Record<string, any> = {};
  const construct = (name: string) =>
    class {
      public readonly url = 'https://pizza-service.example.com';
      constructor(_scope: unknown, _id: string, given: unknown) {
        props[name] = given;
      }
    };
  const cdk = {
    App: class {
      public readonly node = {
        getContext: (key: string) => {
          if (context[key] === undefined) throw new Error(`No context value present for ${key} key`);
          return context[key];
        },
        tryGetContext: (key: string) => context[key],
      };
    },
    Stack: construct('Stack'),
  };
  const pizza = {
    PizzaCostReport: { of: () => undefined },
    PizzaDns: construct('PizzaDns'),
    PizzaDatabase: construct('PizzaDatabase'),
    PizzaService: construct('PizzaService'),
    PizzaFrontend: construct('PizzaFrontend'),
    PizzaGitHubDeployRole: construct('PizzaGitHubDeployRole'),
  };
  const contextModule = load(join(app, 'bin', 'context.ts'), {});
  load(join(app, 'bin', 'app.ts'), { 'aws-cdk-lib': cdk, 'pizza-constructs': pizza, './context': contextModule });
  return props;
}

test('writes a complete app: pinned versions, tsx, types node, the context, the workflows, config.js, Dockerfile', () => {
  const { cwd, status, output } = init(
    'init',
    'shop',
    '--domain',
    'pizza.example.org',
    '--zone',
    'Z0AB12',
    '--owner',
    'me',
  );
  expect(status).toBe(0);
  expect(output).toContain('next: cd shop && npm install && npx cdk synth   (no AWS credentials needed)');
  expect(output).not.toContain('placeholders');
  const app = join(cwd, 'shop');
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf-8'));
  expect(pkg.name).toBe('shop');
  expect(Object.keys(pkg.dependencies).sort()).toEqual(['aws-cdk-lib', 'constructs', 'pizza-constructs']);
  // exactly the aws-cdk-lib the tests build on, not a range
  expect(NEWEST_CDK_VERSION).toMatch(/^2\.\d+\.\d+$/);
  expect(pkg.dependencies['aws-cdk-lib']).toBe(NEWEST_CDK_VERSION);
  expect(pkg.devDependencies).toMatchObject({ tsx: expect.any(String), typescript: '~6.0.0' });
  expect(pkg.devDependencies['ts-node']).toBeUndefined();
  const cdk = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8'));
  expect(cdk).toEqual({
    app: 'npx tsx bin/app.ts',
    context: {
      domainName: 'pizza.example.org',
      hostedZoneId: 'Z0AB12',
      githubOwner: 'me',
      region: 'us-east-1',
      factoryApiKeySecretName: 'pizza/factory-api-key',
      paused: false, // a JSON boolean
    },
  });
  expect(JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf-8')).compilerOptions.types).toEqual(['node']);
  const source = readFileSync(join(app, 'bin', 'app.ts'), 'utf-8');
  expect(source).toContain("from 'pizza-constructs'");
  expect(source).toContain("env: { region: context('region') }");
  for (const [file, original] of [
    ['github/jwt-pizza-frontend.yml', 'examples/github/jwt-pizza-frontend.yml'],
    ['github/jwt-pizza-release.yml', 'examples/github/jwt-pizza-release.yml'],
    ['github/jwt-pizza-service.yml', 'examples/github/jwt-pizza-service.yml'],
    ['config.js', 'examples/jwt-pizza-service/config.js'],
    ['Dockerfile', 'examples/jwt-pizza-service/Dockerfile'],
  ]) {
    expect(readFileSync(join(app, file), 'utf-8')).toBe(readFileSync(join(ROOT, original), 'utf-8'));
  }
  expect(readFileSync(join(app, 'README.md'), 'utf-8')).toContain('npx cdk bootstrap');
});

test('without flags: placeholders, named in the output and in the README', () => {
  const { cwd, status, output } = init('init');
  expect(status).toBe(0);
  expect(output).toContain(
    'placeholders in cdk.json to replace before deploying: domainName, hostedZoneId, githubOwner',
  );
  expect(readFileSync(join(cwd, 'jwt-pizza-infra', 'README.md'), 'utf-8')).toContain(
    '**Placeholders to replace in `cdk.json` before `cdk deploy`:** `domainName`, `hostedZoneId`, `githubOwner`.',
  );
});

test.each([
  [
    ['init', '--domain', 'https://example.com'],
    '--domain must be a domain name such as example.com, got: "https://example.com"',
  ],
  [
    ['init', '--zone', '/hostedzone/Z1'],
    '--zone must be a Route 53 hosted zone id such as Z0123456789ABC, got: "/hostedzone/Z1"',
  ],
  [['init', '--owner'], '--owner needs a value'],
  [
    ['init', '--owner-id', 'byucsstudent'],
    '--owner-id must be a positive integer, the owner\'s GitHub id (gh api users/OWNER --jq .id), got: "byucsstudent"',
  ],
  [
    ['init', '--frontend-repo-id', '0'],
    '--frontend-repo-id must be a positive integer, the GitHub id of jwt-pizza (gh api repos/OWNER/jwt-pizza --jq .id), got: "0"',
  ],
  [
    ['init', '--service-repo-id', '-5'],
    '--service-repo-id must be a positive integer, the GitHub id of jwt-pizza-service (gh api repos/OWNER/jwt-pizza-service --jq .id), got: "-5"',
  ],
  [['init', '--service-repo-id', '1.5'], '--service-repo-id must be a positive integer'],
  [['init', '--owner-id', '0123'], '--owner-id must be a positive integer'],
  // more than JSON (a double) holds exactly
  [['init', '--owner-id', '9007199254740993'], '--owner-id must be a positive integer'],
  [['init', '--frontend-repo-id'], '--frontend-repo-id needs a value'],
  [['init', '--verbose'], 'unknown option --verbose'],
  [['new'], 'unknown command "new": the one command is `init`'],
])('refuses %j', (args, message) => {
  const { status, output } = init(...args);
  expect(status).toBe(1);
  expect(output).toContain(`pizza-constructs: ${message}`);
  expect(output).toContain('usage: npx pizza-constructs init');
});

test('refuses a folder that is not empty', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'pizza-init-'));
  mkdirSync(join(cwd, 'taken'));
  writeFileSync(join(cwd, 'taken', 'file'), 'x');
  const result = spawnSync(process.execPath, [CLI, 'init', 'taken'], { cwd, encoding: 'utf-8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('exists and is not empty: give a new folder');
});

describe("GitHub's numeric ids", () => {
  test('the flags are JSON numbers in cdk.json, and the app gives them to the role as numbers', () => {
    const app = starter(
      ...['--owner', 'me', '--owner-id', '583231', '--frontend-repo-id', '7'],
      ...['--service-repo-id', '9007199254740991'],
    );
    const { context } = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8'));
    expect(context).toMatchObject({
      githubOwnerId: 583231,
      frontendRepositoryId: 7,
      serviceRepositoryId: 9007199254740991,
    });
    const role = runApp(app).PizzaGitHubDeployRole;
    expect(role).toMatchObject({ owner: 'me', ownerId: 583231, frontendRepositoryId: 7 });
    expect(role.serviceRepositoryId).toBe(9007199254740991);
    expect(readFileSync(join(app, 'README.md'), 'utf-8')).toContain(
      '`cdk.json` has `githubOwnerId` (583231), `frontendRepositoryId` (7), `serviceRepositoryId` (9007199254740991) already.',
    );
  });

  test('without the flags: no key in cdk.json, and none of the three props on the role', () => {
    const app = starter('--owner', 'me');
    const { context } = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8'));
    for (const key of ['githubOwnerId', 'frontendRepositoryId', 'serviceRepositoryId']) {
      expect(context).not.toHaveProperty(key);
    }
    const role = runApp(app).PizzaGitHubDeployRole;
    expect(Object.keys(role).sort()).toEqual(['frontend', 'owner', 'service']);
    // null in cdk.json is not set either
    expect(Object.keys(runApp(app, { githubOwnerId: null }).PizzaGitHubDeployRole)).not.toContain('ownerId');
  });

  test('-c githubOwnerId=583231 (a string) becomes a number; only the ids given are passed', () => {
    const app = starter();
    const role = runApp(app, { githubOwnerId: '583231', serviceRepositoryId: '12' }).PizzaGitHubDeployRole;
    expect(role.ownerId).toBe(583231);
    expect(role.serviceRepositoryId).toBe(12);
    expect(role).not.toHaveProperty('frontendRepositoryId');
  });

  test.each([
    ['githubOwnerId', 'byucsstudent', '"byucsstudent"'],
    ['frontendRepositoryId', '0', '"0"'],
    ['serviceRepositoryId', '', '""'],
    ['githubOwnerId', -1, '-1'],
    ['frontendRepositoryId', 1.5, '1.5'],
    ['serviceRepositoryId', '12abc', '"12abc"'],
  ])('context %s = %j: an error that names the key and the value', (key, value, shown) => {
    const app = starter();
    expect(() => runApp(app, { [key]: value })).toThrow(
      `context ${key} must be a positive integer, GitHub's numeric id (README.md says how to get it), got: ${shown}`,
    );
  });
});

describe('paused', () => {
  test.each([
    ['the default in cdk.json (JSON false)', undefined, false],
    ['-c paused=true', 'true', true],
    ['-c paused=True', 'True', true],
    ['-c paused=TRUE', 'TRUE', true],
    ['"paused": true in cdk.json', true, true],
    ['-c paused=false', 'false', false],
    ['-c paused=False', 'False', false],
    ['"paused": false in cdk.json', false, false],
  ])('%s (context value %p): the database and the service get paused = %p', (_name, value, paused) => {
    const app = starter();
    const props = runApp(app, value === undefined ? {} : { paused: value });
    expect(props.PizzaDatabase.paused).toBe(paused);
    expect(props.PizzaService.paused).toBe(paused);
  });

  test.each([
    ['yes', '"yes"'],
    ['1', '"1"'],
    [' true', '" true"'],
    [1, '1'],
    [null, 'null'],
  ])('paused = %j: an error that names paused, the value and what is allowed', (value, shown) => {
    const app = starter();
    expect(() => runApp(app, { paused: value })).toThrow(
      'context paused must be true or false (a JSON boolean in cdk.json, or -c paused=true / -c paused=false in any ' +
        `case), got: ${shown}`,
    );
  });

  test('bin/context.ts type-checks strictly on its own (it imports nothing)', () => {
    const file = join(starter(), 'bin', 'context.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});

describe('the README: next steps, complete and in order', () => {
  const app = starter(...['--domain', 'pizza.example.org', '--owner', 'me', '--region', 'us-east-2']);
  const readme = readFileSync(join(app, 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Next steps'), readme.indexOf('Between assignments'));
  /** The numbered steps: step n is steps[n - 1]. */
  const steps = section.split(/^ ?(?=\d+\. )/m).slice(1);

  test('numbered 1 to 12, without a gap', () => {
    expect(steps.map((step) => Number(/^\d+/.exec(step)![0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test.each([
    [1, 'npm install'],
    [1, 'npx cdk synth'],
    [2, 'npx cdk bootstrap'],
    [3, 'Your account must be verified before you can add new CloudFront resources'],
    [3, 'contact AWS Support'],
    [3, 'ECS, Elastic Load Balancing and Application Auto Scaling are created on first'],
    [3, 'aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com'],
    [4, 'in the SAME region as the stack (`us-east-2`'],
    [4, 'aws secretsmanager create-secret --region us-east-2 --name pizza/factory-api-key --secret-string YOUR_KEY'],
    [5, 'npx cdk deploy'],
    [5, 'about 20-30 minutes, mostly RDS'],
    [5, 'The GitHub OIDC provider'],
    [6, 'Copy `github/jwt-pizza-frontend.yml` into your `jwt-pizza` fork as exactly\n   `.github/workflows/ci.yml`'],
    [6, '`github/jwt-pizza-service.yml` into your `jwt-pizza-service` fork as exactly\n   `.github/workflows/ci.yml`'],
    [6, "the course's grader reads only `ci.yml`"],
    [7, 'copy `config.js` to `src/config.js`'],
    [7, 'the upstream `.gitignore` hides `src/config.js`'],
    [7, 'remove that line from `.gitignore`'],
    [7, "copy `Dockerfile` to the fork's root"],
    [8, 'gh secret set NET_ID --repo me/jwt-pizza\n'],
    [8, 'gh secret set FACTORY_API_KEY --repo me/jwt-pizza\n'],
    [8, 'gh secret set NET_ID --repo me/jwt-pizza-service\n'],
    [8, 'gh secret set FACTORY_API_KEY --repo me/jwt-pizza-service\n'],
    [9, "aws cloudformation describe-stacks --region us-east-2 --stack-name JwtPizza --query 'Stacks[0].Outputs'"],
    [10, '`.env.production`'],
    [10, '`VITE_PIZZA_SERVICE_URL=https://pizza-service.pizza.example.org`'],
    [10, 'COMMIT'],
    [11, 'gh api users/me --jq .id'],
    [11, 'gh api repos/me/jwt-pizza --jq .id'],
    [11, 'gh api repos/me/jwt-pizza-service --jq .id'],
    [11, 'names can be\n    recycled'],
    [11, 'trusts both subject forms'],
    [12, 'Push to `main` in both forks'],
  ])('step %d: %j', (step, text) => {
    expect(steps[step - 1]).toContain(text);
  });

  test('the variables one-liner is the one examples/github/README.md shows, for this stack and region', () => {
    const documented = /```sh\n(aws cloudformation describe-stacks [^\n]*\n[^\n]*)\n```/.exec(
      readFileSync(join(ROOT, 'examples', 'github', 'README.md'), 'utf-8'),
    );
    expect(documented).not.toBeNull();
    const command = documented![1].replace('describe-stacks ', 'describe-stacks --region us-east-2 ');
    expect(steps[8]).toContain(command.replace(/\n/g, '\n   '));
  });

  test('pausing, resuming and destroying follow the steps; paused accepts any case', () => {
    const after = readme.slice(readme.indexOf('Between assignments'));
    expect(after).toContain('npx cdk deploy -c paused=true');
    expect(after).toContain('`True` works too');
    expect(after).toContain('npx cdk destroy');
  });
});

describe('--staging', () => {
  /** Every file a starter wrote, by its path in the starter. */
  function tree(dir: string, under = ''): Record<string, string> {
    return Object.fromEntries(
      readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry): [string, string][] => {
        const path = under ? `${under}/${entry.name}` : entry.name;
        return entry.isDirectory() ? Object.entries(tree(dir, path)) : [[path, readFileSync(join(dir, path), 'utf-8')]];
      }),
    );
  }

  /** The numbered next steps of a starter's README: step n is steps[n - 1]. */
  function steps(app: string): string[] {
    const readme = readFileSync(join(app, 'README.md'), 'utf-8');
    const section = readme.slice(readme.indexOf('## Next steps'), readme.indexOf('Between assignments'));
    return section.split(/^ ?(?=\d+\. )/m).slice(1);
  }

  /**
   * Run the starter's bin/app.ts with the real aws-cdk-lib and this package's source for pizza-constructs, with its
   * cdk.json context, and synthesize it: what `cdk synth` does, without the CLI.
   */
  function synth(app: string): cdkLib.cx_api.CloudAssembly {
    const context = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf-8')).context;
    const outdir = mkdtempSync(join(tmpdir(), 'pizza-init-synth-'));
    let created: cdkLib.App | undefined;
    class StarterApp extends cdkLib.App {
      constructor() {
        super({ context, outdir });
        created = this;
      }
    }
    const cdkModule = new Proxy(cdkLib, { get: (lib, key) => (key === 'App' ? StarterApp : Reflect.get(lib, key)) });
    const contextModule = load(join(app, 'bin', 'context.ts'), {});
    load(join(app, 'bin', 'app.ts'), {
      'aws-cdk-lib': cdkModule,
      'pizza-constructs': pizzaConstructs,
      './context': contextModule,
    });
    return created!.synth();
  }

  test.each([['--staging'], ['--staging=true'], ['--staging=True'], ['--staging=TRUE']])(
    '%s: the app gives the frontend `staging: {}`',
    (flag) => {
      const app = starter(flag);
      const frontend = runApp(app).PizzaFrontend;
      expect(frontend.staging).toEqual({});
      expect(Object.keys(frontend).sort()).toEqual(['dns', 'serviceUrl', 'staging']);
      expect(readFileSync(join(app, 'bin', 'app.ts'), 'utf-8')).toContain(
        "new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url, staging: {} });",
      );
    },
  );

  test('without it, or with --staging=false in any case: the same files, byte for byte, and no staging', () => {
    const flags = ['--domain', 'pizza.example.org', '--owner', 'me', '--owner-id', '5'];
    const plain = tree(starter(...flags));
    expect(runApp(starter(...flags)).PizzaFrontend).not.toHaveProperty('staging');
    expect(plain['bin/app.ts']).not.toContain('staging');
    expect(plain['README.md']).not.toContain('RELEASE_POINTER_ARN');
    for (const off of ['--staging=false', '--staging=False', '--staging=FALSE']) {
      expect(tree(starter(...flags, off))).toEqual(plain);
    }
  });

  test('with it, only two files change: the frontend line of bin/app.ts and step 13 of the README', () => {
    const flags = ['--domain', 'pizza.example.org', '--owner', 'me'];
    const plain = tree(starter(...flags));
    const staged = tree(starter(...flags, '--staging'));
    expect(Object.keys(staged).sort()).toEqual(Object.keys(plain).sort());
    const changed = Object.keys(staged).filter((file) => staged[file] !== plain[file]);
    expect(changed.sort()).toEqual(['README.md', 'bin/app.ts']);
    expect(
      staged['bin/app.ts']
        .replace(/^\/\/ staging \(deliverable 7\)[^\n]*\n\/\/[^\n]*\n/m, '')
        .replace(', staging: {} });', ' });'),
    ).toBe(plain['bin/app.ts']);
    const step13 = /^13\. [\s\S]*?(?=\n\nBetween assignments)/m.exec(staged['README.md']);
    expect(step13).not.toBeNull();
    expect(staged['README.md'].replace(`${step13![0]}\n`, '').replace(`\n${step13![0]}`, '')).toBe(plain['README.md']);
  });

  test('the README: step 13 copies release.yml, sets its two variables, and names the releases', () => {
    const app = starter('--domain', 'pizza.example.org', '--owner', 'me', '--staging');
    const all = steps(app);
    expect(all.map((step) => Number(/^\d+/.exec(step)![0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const step13 = all[12];
    for (const text of [
      '`bin/app.ts` gives the frontend `staging: {}`',
      'Copy `github/jwt-pizza-release.yml` into your `jwt-pizza` fork as exactly\n      `.github/workflows/release.yml`',
      '`ci.yml` stays the file of\n      step 6',
      'once the variable `RELEASE_POINTER_ARN` is set',
      '`RELEASE_POINTER_ARN` and `STAGING_URL`',
      '`GitHubReleasePointerArn` and `GitHubStagingUrl`',
      "step 9's command prints a `gh variable set` line",
      'repository variables',
      'gh variable list --repo me/jwt-pizza',
      '`https://stage-pizza.pizza.example.org`',
      '`https://pizza.pizza.example.org`',
      'gh workflow run release.yml -f version=VERSION',
      'GitHub → Releases',
    ]) {
      expect(step13).toContain(text);
    }
    // the copy step 13 names is in the starter, and is the example workflow
    expect(readFileSync(join(app, 'github', 'jwt-pizza-release.yml'), 'utf-8')).toBe(
      readFileSync(join(ROOT, 'examples', 'github', 'jwt-pizza-release.yml'), 'utf-8'),
    );
  });

  test.each([
    ['--staging=maybe', '"maybe"'],
    ['--staging=', '""'],
    ['--staging=1', '"1"'],
    ['--staging=yes', '"yes"'],
  ])('refuses %s, naming the flag and the value', (flag, shown) => {
    const { status, output } = init('init', flag);
    expect(status).toBe(1);
    expect(output).toContain(
      `pizza-constructs: --staging must be true or false (--staging alone is true; --staging=true / ` +
        `--staging=false in any case), got: ${shown}`,
    );
    expect(output).toContain('usage: npx pizza-constructs init');
  });

  test('--help names the flag', () => {
    const { status, output } = init('--help');
    expect(status).toBe(0);
    expect(output).toContain('[--staging]');
    expect(output).toContain('--staging (or --staging=true|false, any case)');
  });

  test('the app synthesizes: one distribution for both hosts, the release pointer, its outputs for step 9', () => {
    // a two-label domain, as the course's autograder reads staging (a longer one warns: pizza-frontend-staging.test.ts)
    const app = starter('--domain', 'example.org', '--zone', 'Z0AB12', '--owner', 'me', '--staging');
    const assembly = synth(app);
    const stack = assembly.getStackByName('JwtPizza');
    const problems = stack.messages.filter((m) => m.level !== 'info').map((m) => `${m.id}: ${m.entry.data}`);
    expect(problems).toEqual([]); // `cdk synth --strict` fails on a warning too
    const resources = Object.values(stack.template.Resources as Record<string, any>);
    const distributions = resources.filter((r) => r.Type === 'AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    expect(distributions[0].Properties.DistributionConfig.Aliases).toEqual([
      'pizza.example.org',
      'stage-pizza.example.org',
    ]);
    expect(resources.filter((r) => r.Type === 'AWS::CloudFront::KeyValueStore')).toHaveLength(1);

    // step 9's command, run on these outputs as `describe-stacks` gives them, sets the two variables of step 13
    const command = steps(app)[8];
    const script = /\| node -e '([^\n]*)'\n/.exec(command);
    expect(script).not.toBeNull();
    const outputs = Object.entries(stack.template.Outputs as Record<string, any>).map(([key, output]) => ({
      OutputKey: key,
      OutputValue: `value-of-${key}`,
      Description: output.Description,
    }));
    const printed = spawnSync(process.execPath, ['-e', script![1]], {
      input: JSON.stringify(outputs),
      encoding: 'utf-8',
    });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('gh variable set RELEASE_POINTER_ARN --body "value-of-GitHubReleasePointerArn"\n');
    expect(printed.stdout).toContain('gh variable set STAGING_URL --body "value-of-GitHubStagingUrl"\n');

    // the app's cost report lists the release pointer at $0, and staging adds nothing to the idle total
    const report = JSON.parse(
      readFileSync(join(assembly.directory, pizzaConstructs.PizzaCostReport.FILE_NAME), 'utf-8'),
    );
    const items = report.stacks[0].items as { resourceType: string; monthlyUsd: number }[];
    expect(items.filter((i) => i.resourceType === 'AWS::CloudFront::KeyValueStore')).toEqual([
      expect.objectContaining({ kind: 'CloudFront KeyValueStore', monthlyUsd: 0 }),
    ]);
  });
});

describe('the aws-cdk-lib version', () => {
  test("the starter pins exactly .projenrc.ts's NEWEST_CDK_VERSION", () => {
    const versions = cdkVersions(ROOT);
    expect(versions.projenrc).toMatch(/^2\.\d+\.\d+$/);
    expect(versions.starter).toBe(versions.projenrc);
  });

  /** A copy of the two files and the script, where the script may write. */
  function copy() {
    const root = mkdtempSync(join(tmpdir(), 'pizza-bump-'));
    for (const file of ['.projenrc.ts', join('bin', 'pizza-constructs.js'), join('scripts', 'bump-cdk.mjs')]) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      copyFileSync(join(ROOT, file), join(root, file));
    }
    const bump = (...args: string[]) => {
      const result = spawnSync(process.execPath, [join(root, 'scripts', 'bump-cdk.mjs'), ...args], {
        encoding: 'utf-8',
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };
    const read = (file: string) => readFileSync(join(root, file), 'utf-8');
    return { root, bump, read };
  }

  test('scripts/bump-cdk.mjs rewrites both, that line only, and names the next commands', () => {
    const { root, bump, read } = copy();
    const { status, output } = bump('2.280.0');
    expect({ status, output }).toMatchObject({ status: 0 });
    expect(cdkVersions(root)).toEqual({ projenrc: '2.280.0', starter: '2.280.0' });
    for (const [file, before] of [
      ['.projenrc.ts', `const NEWEST_CDK_VERSION = '${NEWEST_CDK_VERSION}';`],
      [join('bin', 'pizza-constructs.js'), `'aws-cdk-lib': '${NEWEST_CDK_VERSION}',`],
    ]) {
      const after = before.replace(NEWEST_CDK_VERSION!, '2.280.0');
      expect(read(file)).toBe(readFileSync(join(ROOT, file), 'utf-8').replace(before, after));
    }
    expect(output).toContain('npx projen ');
    expect(output).toContain('npx projen test');
    expect(output.indexOf('npx projen ')).toBeLessThan(output.indexOf('npx projen test'));
  });

  test.each([['^2.280.0'], ['2.280'], ['2.280.0-rc.1'], ['3.0.0'], ['2.100.0'], ['']])(
    'scripts/bump-cdk.mjs refuses %j and writes nothing',
    (version) => {
      const { root, bump } = copy();
      const { status, output } = bump(version);
      expect(status).toBe(1);
      expect(output).toContain('bump-cdk: ');
      expect(output).toContain('usage: node scripts/bump-cdk.mjs X.Y.Z');
      expect(cdkVersions(root)).toEqual({ projenrc: NEWEST_CDK_VERSION, starter: NEWEST_CDK_VERSION });
    },
  );
});
