import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ts from 'typescript';
import { CLOUDFRONT_IMPORT, viewerRequestHandler } from './fixtures/stand-ins/cloudfront-function.cjs';
import { nagFindings } from './nag';
import { PizzaDns, PizzaFrontend, PizzaFrontendProps, PizzaGitHubDeployRole } from '../src';
import { releaseRoutingFunctionCode, SPA_ROUTING_FUNCTION_CODE } from '../src/frontend/spa-routing';

const ACCOUNT = '123456789012';
const BUCKET = 'FrontendBucket5DAC5524';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function newStack(region = 'us-east-1'): Stack {
  return new Stack(new App(), 'Test', { env: { account: ACCOUNT, region } });
}

function newDns(stack: Stack): PizzaDns {
  return new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
}

/** A frontend with staging; `template` synthesizes on first use (add constructs to `stack` before). */
function stagedFrontend(props: PizzaFrontendProps = {}): { stack: Stack; frontend: PizzaFrontend; template: Template } {
  const stack = newStack();
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), staging: {}, ...props });
  let template: Template | undefined;
  return {
    stack,
    frontend,
    get template() {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}

function only(template: Template, type: string): { logicalId: string; props: any } {
  const all = template.findResources(type);
  const ids = Object.keys(all);
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], props: all[ids[0]].Properties };
}

type Handler = (event: any) => Promise<any>;

/**
 * The deployed function code (from the template) run on its own, as CloudFront runs it: its one import, the
 * `cloudfront` module, is replaced by a stand-in whose `kvs()` reads `pointer` (a missing key throws, as the real
 * `get` does when the key does not exist).
 */
function releaseHandler(code: string, pointer: Map<string, string>): Handler {
  expect(code.startsWith(CLOUDFRONT_IMPORT)).toBe(true);
  expect(code.indexOf('import ', CLOUDFRONT_IMPORT.length)).toBe(-1);
  const releases = {
    get: async (key: string) => {
      if (!pointer.has(key)) {
        throw new Error(`KeyValueStore: key "${key}" not found`);
      }
      return pointer.get(key)!;
    },
  };
  return viewerRequestHandler(code, releases) as Handler;
}

function request(host: string | undefined, uri: string): any {
  const headers = host === undefined ? {} : { host: { value: host } };
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    request: { method: 'GET', uri, querystring: {}, headers },
  };
}

/**
 * A stand-in for CloudFront in front of the bucket: the function rewrites the request, and S3 (with LIST access,
 * as the origin access control grants) answers 200 with the object's Cache-Control, or 404.
 */
class Edge {
  public readonly objects = new Map<string, string>();
  constructor(private readonly handler: Handler) {}

  /** What CI's `aws s3 cp` calls upload for one build (examples/github/jwt-pizza-frontend.yml, stage job). */
  public stageBuild(version: string, assets: string[]): void {
    for (const asset of assets) {
      this.objects.set(`assets/${asset}`, IMMUTABLE);
    }
    for (const file of ['index.html', 'version.json', 'favicon.ico']) {
      this.objects.set(`${version}/${file}`, 'no-cache');
    }
  }

  public async get(host: string, uri: string): Promise<{ status: number; key: string; cacheControl?: string }> {
    const rewritten = await this.handler(request(host, uri));
    const key = rewritten.uri.slice(1);
    const cacheControl = this.objects.get(key);
    return cacheControl === undefined ? { status: 404, key } : { status: 200, key, cacheControl };
  }
}

describe('PizzaFrontend with staging', () => {
  describe('the release function, run with a stand-in release pointer', () => {
    let code: string;
    beforeAll(() => {
      code = only(stagedFrontend().template, 'AWS::CloudFront::Function').props.FunctionCode;
    });

    const pointer = new Map([
      ['production', '20261201.090000'],
      ['staging', '20261207.134501'],
    ]);

    test.each([
      // [host, uri, expected]
      ['pizza.example.com', '/', '/20261201.090000/index.html'],
      ['pizza.example.com', '/menu', '/20261201.090000/index.html'],
      ['pizza.example.com', '/franchise/3', '/20261201.090000/index.html'],
      ['pizza.example.com', '/docs/', '/20261201.090000/index.html'],
      ['pizza.example.com', '/version.json', '/20261201.090000/version.json'],
      ['pizza.example.com', '/favicon.ico', '/20261201.090000/favicon.ico'],
      ['stage-pizza.example.com', '/', '/20261207.134501/index.html'],
      ['stage-pizza.example.com', '/diner/order', '/20261207.134501/index.html'],
      ['stage-pizza.example.com', '/version.json', '/20261207.134501/version.json'],
      ['Stage-Pizza.Example.COM', '/version.json', '/20261207.134501/version.json'],
      ['stage-pizza.example.com.', '/menu', '/20261207.134501/index.html'],
      ['stage-pizza.example.com:443', '/menu', '/20261207.134501/index.html'],
      ['stage-pizza.example.com.evil.test', '/menu', '/20261201.090000/index.html'],
      // the hashed files of every build share one folder; the stack's config.json and .well-known stay unversioned
      ['pizza.example.com', '/assets/index-abc.js', '/assets/index-abc.js'],
      ['stage-pizza.example.com', '/assets/index-def.js', '/assets/index-def.js'],
      ['stage-pizza.example.com', '/config.json', '/config.json'],
      ['pizza.example.com', '/.well-known/security.txt', '/.well-known/security.txt'],
      // the distribution's own name, and a request without a host, are production
      ['d111111abcdef8.cloudfront.net', '/menu', '/20261201.090000/index.html'],
      [undefined, '/', '/20261201.090000/index.html'],
    ])('%s %s is served from %s', async (host, uri, expected) => {
      const handler = releaseHandler(code, pointer);
      const result = await handler(request(host, uri));
      expect(result.uri).toBe(expected);
      expect(result.method).toBe('GET');
    });

    test('keeps the query string of a deep link', async () => {
      const handler = releaseHandler(code, pointer);
      const event = request('pizza.example.com', '/menu');
      event.request.querystring = { x: { value: '1' } };
      const result = await handler(event);
      expect(result.uri).toBe('/20261201.090000/index.html');
      expect(result.querystring).toEqual({ x: { value: '1' } });
    });

    test('a host whose key is unset serves the top level of the bucket, routed as without staging', async () => {
      const handler = releaseHandler(code, new Map([['production', '20261201.090000']]));
      expect((await handler(request('stage-pizza.example.com', '/menu'))).uri).toBe('/index.html');
      expect((await handler(request('stage-pizza.example.com', '/version.json'))).uri).toBe('/version.json');
      expect((await handler(request('pizza.example.com', '/menu'))).uri).toBe('/20261201.090000/index.html');
    });

    test.each([[''], ['..'], ['../secret'], ['a/b'], ['x'.repeat(65)], [' 20261201.090000']])(
      'a pointer value that is not a plain folder name (%j) is ignored: the top level is served',
      async (value) => {
        const handler = releaseHandler(code, new Map([['production', value]]));
        expect((await handler(request('pizza.example.com', '/menu'))).uri).toBe('/index.html');
      },
    );

    test('a release and a rollback change what each host serves, and nothing is cached across versions', async () => {
      const live = new Map<string, string>();
      const edge = new Edge(releaseHandler(code, live));
      edge.stageBuild('20261201.090000', ['index-a1.js', 'menu-a1.js']);
      live.set('staging', '20261201.090000');
      live.set('production', '20261201.090000');
      // a tab opened on production before the next release
      const oldTab = await edge.get('pizza.example.com', '/');
      expect(oldTab).toEqual({ status: 200, key: '20261201.090000/index.html', cacheControl: 'no-cache' });

      edge.stageBuild('20261207.134501', ['index-b2.js', 'menu-b2.js']);
      live.set('staging', '20261207.134501');
      expect((await edge.get('stage-pizza.example.com', '/version.json')).key).toBe('20261207.134501/version.json');
      expect((await edge.get('pizza.example.com', '/version.json')).key).toBe('20261201.090000/version.json');

      live.set('production', '20261207.134501');
      const newTab = await edge.get('pizza.example.com', '/menu');
      expect(newTab.key).toBe('20261207.134501/index.html');
      // the old tab still loads its own lazy chunk (no ChunkLoadError), immutable for a year
      expect(await edge.get('pizza.example.com', '/assets/menu-a1.js')).toEqual({
        status: 200,
        key: 'assets/menu-a1.js',
        cacheControl: IMMUTABLE,
      });
      // a missing asset is still a 404, not index.html
      expect((await edge.get('pizza.example.com', '/assets/gone.js')).status).toBe(404);
      // version.json of each version is its own cache key, never cached stale
      const version = await edge.get('pizza.example.com', '/version.json');
      expect(version).toEqual({ status: 200, key: '20261207.134501/version.json', cacheControl: 'no-cache' });

      // the rollback: production back to the previous version, staging unchanged
      live.set('production', '20261201.090000');
      expect((await edge.get('pizza.example.com', '/franchise/3')).key).toBe('20261201.090000/index.html');
      expect((await edge.get('stage-pizza.example.com', '/franchise/3')).key).toBe('20261207.134501/index.html');
      expect((await edge.get('pizza.example.com', '/assets/menu-b2.js')).status).toBe(200);
    });

    test('fits CloudFront Functions: an ES module, under 10 KB, one key read a request, no promise combinators', async () => {
      // cloudfront-js-2.0 takes the code as a module (its one import is `cloudfront`): it must parse as one
      const parsed = ts.transpileModule(code, {
        fileName: 'function.js',
        reportDiagnostics: true,
        compilerOptions: { allowJs: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020 },
      });
      expect(parsed.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
      expect(ts.transpileModule('import cf from; async function', { reportDiagnostics: true }).diagnostics).not.toEqual(
        [],
      );
      expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024);
      expect(code).not.toMatch(/Promise\.(all|any|race)|\.then\(/);
      let reads = 0;
      const counted = new Map<string, string>([['production', '20261201.090000']]);
      const spy = new Proxy(counted, {
        get: (target, prop) => {
          if (prop === 'has') {
            reads++;
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      await releaseHandler(code, spy)(request('pizza.example.com', '/menu'));
      expect(reads).toBe(1);
      await releaseHandler(code, spy)(request('pizza.example.com', '/assets/x.js'));
      expect(reads).toBe(1);
    });
  });

  describe('the template', () => {
    test('creates an empty release pointer: CloudFormation never writes a key (no ImportSource)', () => {
      const { template } = stagedFrontend();
      const pointer = only(template, 'AWS::CloudFront::KeyValueStore');
      expect(Object.keys(pointer.props).sort()).toEqual(['Comment', 'Name']);
      expect(pointer.props.Name).toMatch(/^us-east-1-[A-Za-z0-9]+$/);
      expect(pointer.props.Name.length).toBeLessThanOrEqual(64);
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionConfig: {
          Runtime: 'cloudfront-js-2.0',
          KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [pointer.logicalId, 'Arn'] } }],
        },
      });
    });

    test('deploys exactly releaseRoutingFunctionCode(the staging host), which the workflow tests run as CloudFront', () => {
      const { template } = stagedFrontend();
      const code = only(template, 'AWS::CloudFront::Function').props.FunctionCode;
      expect(code).toBe(releaseRoutingFunctionCode('stage-pizza.example.com'));
    });

    test('names the release pointer per region: one stack in two regions of an account does not collide', () => {
      const name = (region: string) => {
        const stack = newStack(region);
        new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), staging: {} });
        return only(Template.fromStack(stack), 'AWS::CloudFront::KeyValueStore').props.Name;
      };
      expect(name('us-east-1')).not.toBe(name('us-east-2'));
    });

    test('serves both hosts from one distribution, with A and AAAA aliases for stage-pizza', () => {
      const { template, frontend } = stagedFrontend();
      const distribution = only(template, 'AWS::CloudFront::Distribution');
      expect(distribution.props.DistributionConfig.Aliases).toEqual(['pizza.example.com', 'stage-pizza.example.com']);
      for (const type of ['A', 'AAAA']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: 'stage-pizza.example.com.',
          Type: type,
          AliasTarget: { DNSName: { 'Fn::GetAtt': [distribution.logicalId, 'DomainName'] } },
        });
      }
      expect(frontend.stagingDomainName).toBe('stage-pizza.example.com');
      expect(frontend.stagingUrl).toBe('https://stage-pizza.example.com');
      expect(frontend.url).toBe('https://pizza.example.com');
      expect(frontend.stagingAliasRecord).toBeDefined();
      expect(frontend.stagingAliasRecordIpv6).toBeDefined();
      template.hasOutput('*', { Value: 'https://stage-pizza.example.com' });
    });

    test('another staging subdomain, lower-cased', () => {
      const { template, frontend } = stagedFrontend({ staging: { subdomain: 'Preview' } });
      expect(frontend.stagingDomainName).toBe('preview.example.com');
      const code: string = only(template, 'AWS::CloudFront::Function').props.FunctionCode;
      expect(code).toContain("var STAGING_HOST = 'preview.example.com'");
    });

    test('adding staging keeps every logical id of a frontend without it (an update in place, nothing lost)', () => {
      const ids = (props: PizzaFrontendProps) => {
        const stack = newStack();
        new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), ...props });
        return Object.keys(Template.fromStack(stack).toJSON().Resources);
      };
      const before = ids({});
      const after = ids({ staging: {} });
      expect(before.filter((id) => !after.includes(id))).toEqual([]);
      expect(after.filter((id) => !before.includes(id)).sort()).toEqual([
        expect.stringMatching(/^FrontendReleasePointer/),
        expect.stringMatching(/^FrontendStagingAliasRecord[0-9A-F]{8}$/),
        expect.stringMatching(/^FrontendStagingAliasRecordIpv6/),
      ]);
      expect(before).toContain(BUCKET);
    });

    test('without staging the function is exactly the plain SPA routing, with no key value store', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack) });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
      const fn = only(template, 'AWS::CloudFront::Function').props;
      expect(fn.FunctionCode).toBe(SPA_ROUTING_FUNCTION_CODE);
      expect(fn.FunctionConfig.KeyValueStoreAssociations).toBeUndefined();
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      const { stack } = stagedFrontend();
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  describe('grantDeploy', () => {
    test('grants exactly list, uploads to assets/ and the version folders, and the pointer reads and writes', () => {
      const { stack, frontend } = stagedFrontend();
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountPrincipal(ACCOUNT) });
      expect(frontend.grantDeploy(role).success).toBe(true);
      const template = Template.fromStack(stack);
      const pointer = only(template, 'AWS::CloudFront::KeyValueStore').logicalId;
      const policy = only(template, 'AWS::IAM::Policy');
      const objects = (pattern: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, `/${pattern}`]] });
      expect(policy.props.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] } },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: [objects('assets/*'), objects('????????.??????/*')] },
        {
          Effect: 'Allow',
          Action: [
            'cloudfront-keyvaluestore:DescribeKeyValueStore',
            'cloudfront-keyvaluestore:GetKey',
            'cloudfront-keyvaluestore:PutKey',
          ],
          Resource: { 'Fn::GetAtt': [pointer, 'Arn'] },
        },
      ]);
    });

    test("the version-folder pattern takes the workflows' versions and nothing at the top level", () => {
      // IAM's `?` is exactly one character (any, `/` included) and `*` any run of characters
      const iamPattern = PizzaFrontend.VERSION_FOLDER_PATTERN;
      expect(iamPattern).toBe('????????.??????/*');
      const matcher = new RegExp(`^${iamPattern.replace(/\./g, '\\.').replace(/\?/g, '.').replace(/\*/g, '.*')}$`);
      const allowed = ['20261207.134501/index.html', '20261207.134501/version.json', '20261207.134501/img/logo.png'];
      const refused = ['index.html', 'config.json', 'version.json', '2026.1/index.html', '20261207/index.html'];
      expect(allowed.filter((key) => !matcher.test(key))).toEqual([]);
      expect(refused.filter((key) => matcher.test(key))).toEqual([]);
    });
  });

  describe('PizzaGitHubDeployRole', () => {
    test('outputs the release pointer and the staging URL as GitHub variables, and is clean under cdk-nag', () => {
      const { stack, frontend } = stagedFrontend();
      new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend });
      const template = Template.fromStack(stack);
      const pointer = only(template, 'AWS::CloudFront::KeyValueStore').logicalId;
      template.hasOutput('GitHubReleasePointerArn', {
        Value: { 'Fn::GetAtt': [pointer, 'Arn'] },
        Description: Match.stringLikeRegexp('\\(GitHub Actions variable RELEASE_POINTER_ARN\\)$'),
      });
      template.hasOutput('GitHubStagingUrl', {
        Value: 'https://stage-pizza.example.com',
        Description: Match.stringLikeRegexp('\\(GitHub Actions variable STAGING_URL\\)$'),
      });
      // the role trusts main (ci.yml's stage job) and the production environment (release.yml)
      const trust = JSON.stringify(template.toJSON().Resources.GitHubRole6A853E91.Properties.AssumeRolePolicyDocument);
      expect(trust).toContain('repo:byucsstudent/jwt-pizza:ref:refs/heads/main');
      expect(trust).toContain('repo:byucsstudent/jwt-pizza:environment:production');
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(nagFindings(stack)).toEqual([]);
    });

    test('no release outputs for a frontend without staging', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack) });
      new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend });
      const outputs = Object.keys(Template.fromStack(stack).toJSON().Outputs);
      expect(outputs.filter((o) => /ReleasePointer|StagingUrl/.test(o))).toEqual([]);
    });

    test("warns when the role does not trust main, which ci.yml's stage job runs as", () => {
      const { stack, frontend } = stagedFrontend();
      new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, branches: ['trunk'] });
      const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stage job'));
      expect(found.map((w) => String(w.entry.data))).toEqual([
        expect.stringContaining('which this role does not trust (branches: ["trunk"]): add "main" to `branches`'),
      ]);
    });

    test('warns when the outputs are environment variables, which the workflow cannot choose its job by', () => {
      const { stack, frontend } = stagedFrontend();
      new PizzaGitHubDeployRole(stack, 'GitHub', {
        owner: 'byucsstudent',
        frontend,
        branches: [],
        environments: ['production'],
      });
      const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('repository variables only'));
      expect(found).toHaveLength(1);
      expect(String(found[0].entry.data)).toContain('fill variables of the environment "production"');
    });

    test('warns when the role does not trust the production environment release.yml runs in', () => {
      const { stack, frontend } = stagedFrontend();
      new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, environments: ['prod'] });
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('release.yml'));
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].entry.data)).toContain('(environments: ["prod"])');
    });
  });

  describe('what the course grades', () => {
    const warnings = (domainName: string, staging: PizzaFrontendProps['staging']) => {
      const stack = newStack();
      const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId: 'Z0123456789ABC' });
      new PizzaFrontend(stack, 'Frontend', { dns, staging });
      return Annotations.fromStack(stack)
        .findWarning('*', Match.stringLikeRegexp('autograder'))
        .map((w) => String(w.entry.data));
    };

    test('the default staging host on a two-label domain is the one the autograder reads: no warning', () => {
      expect(warnings('example.com', {})).toEqual([]);
      expect(warnings('example.com', { subdomain: 'Stage-Pizza' })).toEqual([]);
    });

    test.each([
      ['pizza.example.org', {}, 'stage-pizza.pizza.example.org', 'https://stage-pizza.example.org/version.json'],
      ['example.com', { subdomain: 'preview' }, 'preview.example.com', 'https://stage-pizza.example.com/version.json'],
    ])('%s with %j: a warning names both hosts', (domain, staging, served, graded) => {
      const found = warnings(domain, staging);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`staging is served on ${served}, but the course's autograder reads ${graded}`);
    });
  });

  describe('bad input', () => {
    const build =
      (props: PizzaFrontendProps, withDns = true) =>
      () => {
        const stack = newStack();
        new PizzaFrontend(stack, 'Frontend', { ...(withDns ? { dns: newDns(stack) } : {}), ...props });
      };

    test('staging without dns', () => {
      expect(build({ staging: {} }, false)).toThrow(
        /`staging` needs `dns`: production and staging are served on two host names of one domain \(pizza.DOMAIN and stage-pizza.DOMAIN\), got: dns undefined/,
      );
    });

    test('staging with source', () => {
      expect(build({ staging: {}, source: 'test/fixtures/spa-dist' })).toThrow(
        /`staging` takes its builds from CI .* so `source` must not be given, got: "test\/fixtures\/spa-dist"/,
      );
    });

    test('a staging subdomain equal to the production subdomain, in any case', () => {
      expect(build({ subdomain: 'pizza', staging: { subdomain: 'PIZZA' } })).toThrow(
        /`staging.subdomain` must differ from the production `subdomain`, got "PIZZA" for both/,
      );
    });

    test('a staging subdomain that is not one DNS label', () => {
      expect(build({ staging: { subdomain: 'stage.pizza' } })).toThrow(
        /`staging.subdomain` must be a single DNS label .* got: "stage.pizza"/,
      );
    });

    test('a staging subdomain another frontend of the same PizzaDns already serves', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaFrontend(stack, 'Old', { dns, subdomain: 'stage-pizza' });
      expect(() => new PizzaFrontend(stack, 'Frontend', { dns, subdomain: 'pizza2', staging: {} })).toThrow(
        /"stage-pizza" \(stage-pizza.example.com\) is already used by Test\/Old/,
      );
    });

    test('staging that is not an object', () => {
      expect(build({ staging: 'stage-pizza' as any })).toThrow(/staging/);
    });
  });
});
