import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as vm from 'vm';
import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { nagFindings } from './nag';
import { PizzaDns, PizzaFrontend, PizzaFrontendProps } from '../src';
import { serviceUrlInBuild } from '../src/frontend/source';

const ACCOUNT = '123456789012';
const SPA = join(__dirname, 'fixtures', 'spa-dist');
const SERVICE_URL = 'https://pizza-service.example.com';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

function newDns(stack: Stack): PizzaDns {
  return new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
}

/** The one resource of `type` in the template, as its properties. */
function onlyResource(template: Template, type: string): { logicalId: string; props: any; resource: any } {
  const all = template.findResources(type);
  const ids = Object.keys(all);
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], props: all[ids[0]].Properties, resource: all[ids[0]] };
}

/** The one resource of `type` whose logical id starts with `prefix`. */
function byPrefix(template: Template, type: string, prefix: string): { logicalId: string; props: any; resource: any } {
  const all = template.findResources(type);
  const ids = Object.keys(all).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], props: all[ids[0]].Properties, resource: all[ids[0]] };
}

/** The bucket deployment custom resources, keyed by the construct id (`AssetDeployment`, `Deployment`). */
function deployments(template: Template): Record<string, any> {
  const found = template.findResources('Custom::CDKBucketDeployment');
  return Object.fromEntries(
    Object.entries(found).map(([id, r]) => [id.startsWith('FrontendAssetDeployment') ? 'assets' : 'content', r]),
  );
}

/** Load the deployed CloudFront Function code (from the template) and return its handler. */
function spaRoutingHandler(template: Template): (event: any) => any {
  const { props } = onlyResource(template, 'AWS::CloudFront::Function');
  // the code runs in the CloudFront runtime: evaluate it on its own, with nothing from this scope
  return vm.runInNewContext(`${props.FunctionCode}\nhandler;`) as (event: any) => any;
}

describe('PizzaFrontend', () => {
  describe('with a domain and a build', () => {
    let stack: Stack;
    let frontend: PizzaFrontend;
    let template: Template;
    beforeEach(() => {
      stack = newStack();
      frontend = new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), source: SPA, serviceUrl: SERVICE_URL });
      template = Template.fromStack(stack);
    });

    test('creates a private, encrypted, SSL-only bucket that is emptied and deleted with the stack', () => {
      const { resource } = onlyResource(template, 'AWS::S3::Bucket');
      expect(resource.DeletionPolicy).toBe('Delete');
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });

    test('keeps a stable logical id for the bucket', () => {
      expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual(['FrontendBucket5DAC5524']);
    });

    test('serves the bucket through CloudFront with origin access control, HTTPS only, TLS 1.2, HTTP/2 and 3', () => {
      template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          HttpVersion: 'http2and3',
          IPV6Enabled: true,
          PriceClass: 'PriceClass_100',
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            Compress: true,
            AllowedMethods: ['GET', 'HEAD'],
            CachePolicyId: cloudfront.CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
          }),
          ViewerCertificate: {
            AcmCertificateArn: { Ref: Match.stringLikeRegexp('^DnsCertificate') },
            MinimumProtocolVersion: 'TLSv1.2_2021',
            SslSupportMethod: 'sni-only',
          },
        }),
      });
    });

    test('routes deep links with a function, not with distribution-wide error pages', () => {
      const distribution = onlyResource(template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
      expect(distribution.CustomErrorResponses).toBeUndefined();
      const fn = onlyResource(template, 'AWS::CloudFront::Function');
      expect(fn.props.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn.logicalId, 'FunctionARN'] } },
      ]);
    });

    test('lets CloudFront list the bucket, so a missing file is a 404 and not a 403', () => {
      const distributionId = onlyResource(template, 'AWS::CloudFront::Distribution').logicalId;
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: ['s3:GetObject', 's3:ListBucket'],
              Condition: {
                StringEquals: {
                  'AWS:SourceArn': {
                    'Fn::Join': ['', Match.arrayWith([':distribution/', { Ref: distributionId }])],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    test('adds security headers to every response, without a CSP by default', () => {
      const { logicalId, props } = onlyResource(template, 'AWS::CloudFront::ResponseHeadersPolicy');
      expect(props.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toEqual({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: logicalId } }),
        }),
      });
    });

    test('serves pizza.DOMAIN with A and AAAA aliases to the distribution', () => {
      const distributionId = onlyResource(template, 'AWS::CloudFront::Distribution').logicalId;
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['pizza.example.com'],
          Comment: 'JWT Pizza frontend (pizza.example.com)',
        }),
      });
      for (const type of ['A', 'AAAA']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: 'pizza.example.com.',
          Type: type,
          HostedZoneId: 'Z0123456789ABC',
          AliasTarget: {
            DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
            HostedZoneId: Match.anyValue(),
          },
        });
      }
      template.resourceCountIs('AWS::Route53::RecordSet', 2);
      expect(frontend.domainName).toBe('pizza.example.com');
      expect(frontend.url).toBe('https://pizza.example.com');
      expect(frontend.aliasRecord).toBeDefined();
      expect(frontend.aliasRecordIpv6).toBeDefined();
    });

    test('uploads hashed assets first, immutable for a year and never pruned', () => {
      const { assets } = deployments(template);
      expect(assets.Properties).toMatchObject({
        Exclude: ['*'],
        Include: ['assets/*'],
        Prune: false,
        SystemMetadata: { 'cache-control': IMMUTABLE },
      });
      expect(assets.Properties.DistributionId).toBeUndefined();
    });

    test('uploads everything else no-cache, pruning old files except assets, and invalidates the CDN', () => {
      const { assets, content } = deployments(template);
      const distributionId = onlyResource(template, 'AWS::CloudFront::Distribution').logicalId;
      expect(content.Properties).toMatchObject({
        Exclude: ['assets/*'],
        Prune: true,
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionId: { Ref: distributionId },
        DistributionPaths: ['/*'],
        WaitForDistributionInvalidation: true,
      });
      expect(content.Properties.Include).toBeUndefined();
      // the new index.html goes live only once the files it references are there
      const assetsId = Object.keys(template.findResources('Custom::CDKBucketDeployment')).find((id) =>
        id.startsWith('FrontendAssetDeployment'),
      );
      expect(content.DependsOn).toEqual(expect.arrayContaining([assetsId]));
      expect(assets.Properties.SourceObjectKeys[0]).toBe(content.Properties.SourceObjectKeys[0]);
    });

    test("sizes aws-cdk-lib's deployment handler for an SPA and bounds every custom resource's wait", () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Layers: Match.anyValue(),
        MemorySize: 512,
      });
      const customResources = Object.values(template.toJSON().Resources as Record<string, any>).filter((r) =>
        r.Type.startsWith('Custom::'),
      );
      expect(customResources.map((r) => r.Type).sort()).toEqual([
        'Custom::CDKBucketDeployment',
        'Custom::CDKBucketDeployment',
        'Custom::PizzaFrontendAssetCleanup',
        'Custom::S3AutoDeleteObjects',
      ]);
      for (const r of customResources) {
        expect(Number(r.Properties.ServiceTimeout)).toBeGreaterThan(0);
        expect(Number(r.Properties.ServiceTimeout)).toBeLessThanOrEqual(900);
      }
    });

    test('writes the service URL to /config.json next to the build', () => {
      const { content } = deployments(template);
      expect(content.Properties.SourceObjectKeys).toHaveLength(2);
      const outdir = (stack.node.root as App).synth().directory;
      const configs = readdirSync(outdir)
        .filter((d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory())
        .flatMap((d) => readdirSync(join(outdir, d)).map((f) => join(outdir, d, f)))
        .filter((f) => f.endsWith('config.json'));
      expect(configs.map((f) => JSON.parse(readFileSync(f, 'utf-8')))).toEqual([{ serviceUrl: SERVICE_URL }]);
    });

    test('retires previous builds with a cleanup function scoped to assets/', () => {
      const contentId = Object.keys(template.findResources('Custom::CDKBucketDeployment')).find((id) =>
        id.startsWith('FrontendDeployment'),
      );
      const fn = byPrefix(template, 'AWS::Lambda::Function', 'FrontendAssetCleanupFunction');
      expect(fn.props).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300 });
      const cleanup = onlyResource(template, 'Custom::PizzaFrontendAssetCleanup');
      expect(cleanup.props).toEqual({
        ServiceToken: { 'Fn::GetAtt': [fn.logicalId, 'Arn'] },
        BucketName: { Ref: 'FrontendBucket5DAC5524' },
        Prefix: 'assets/',
        RetentionDays: '30',
        CurrentKeys: ['assets/index-abc123.css', 'assets/index-abc123.js'],
        ServiceTimeout: '600',
      });
      // it runs once the new index.html is live, so only then is the previous build retired
      expect(cleanup.resource.DependsOn).toEqual(expect.arrayContaining([contentId]));
      const policy = byPrefix(template, 'AWS::IAM::Policy', 'FrontendAssetCleanupRole');
      expect(policy.props.PolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FrontendAssetCleanupLogs/), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': 'assets/*' } },
          Resource: { 'Fn::GetAtt': ['FrontendBucket5DAC5524', 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObjectTagging', 's3:DeleteObject'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FrontendBucket5DAC5524', 'Arn'] }, '/assets/*']] },
        },
      ]);
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    test('is clean under cdk-nag AwsSolutions, with finding-level IAM5 acknowledgments only', () => {
      expect(nagFindings(stack)).toEqual([]);
      const suppressions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p: any) => (p.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Array<{ id: string; applies_to?: string[] }>,
      );
      // every IAM5 acknowledgment names the one finding it accepts; none accepts the rule as a whole
      const iam5 = suppressions.filter((s) => s.id === 'AwsSolutions-IAM5');
      expect(iam5.map((s) => s.applies_to)).toEqual(
        expect.arrayContaining([
          ['Resource::<FrontendBucket5DAC5524.Arn>/assets/*'],
          ['Resource::<FrontendBucket5DAC5524.Arn>/*'],
          ['Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-123456789012-us-east-1/*'],
          ['Resource::*'],
        ]),
      );
      expect(iam5.every((s) => s.applies_to?.length === 1)).toBe(true);
    });
  });

  describe('SPA routing function, run on real paths', () => {
    let handler: (event: any) => any;
    beforeAll(() => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend');
      handler = spaRoutingHandler(Template.fromStack(stack));
    });

    test.each([
      ['/', '/index.html'],
      ['/menu', '/index.html'],
      ['/franchise/3', '/index.html'],
      ['/a/b/c', '/index.html'],
      ['/docs/', '/index.html'],
      ['/index.html', '/index.html'],
      ['/assets/index-abc.js', '/assets/index-abc.js'],
      ['/assets/gone.js', '/assets/gone.js'],
      ['/version.json', '/version.json'],
      ['/config.json', '/config.json'],
      ['/favicon.ico', '/favicon.ico'],
      ['/.well-known/security.txt', '/.well-known/security.txt'],
      ['/.well-known/apple-app-site-association', '/.well-known/apple-app-site-association'],
    ])('%s is served from %s', (uri, expected) => {
      const request = { method: 'GET', uri, querystring: {}, headers: {} };
      const result = handler({ version: '1.0', request });
      expect(result.uri).toBe(expected);
      expect(result.method).toBe('GET');
    });

    test('routes a deep link with a query string and keeps the query string', () => {
      const querystring = { x: { value: '1' } };
      const result = handler({ version: '1.0', request: { method: 'GET', uri: '/menu', querystring, headers: {} } });
      expect(result.uri).toBe('/index.html');
      expect(result.querystring).toEqual({ x: { value: '1' } });
    });
  });

  describe('without a domain', () => {
    test('serves the CloudFront domain name with its default certificate and no records', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend');
      const template = Template.fromStack(stack);
      const config = onlyResource(template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
      expect(config.Aliases).toBeUndefined();
      expect(config.Comment).toBe('JWT Pizza frontend');
      expect(config.ViewerCertificate).toBeUndefined();
      template.resourceCountIs('AWS::Route53::RecordSet', 0);
      template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      const distributionId = onlyResource(template, 'AWS::CloudFront::Distribution').logicalId;
      expect(stack.resolve(frontend.domainName)).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
      expect(stack.resolve(frontend.url)).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
      });
      expect(frontend.aliasRecord).toBeUndefined();
    });

    test('deploys no content and creates no function when neither source nor serviceUrl is given', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend');
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::CDKBucketDeployment', 0);
      template.resourceCountIs('Custom::PizzaFrontendAssetCleanup', 0);
      // only aws-cdk-lib's auto-delete provider, for the bucket
      expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([
        expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProvider/),
      ]);
      expect(frontend.deployment).toBeUndefined();
      expect(frontend.assetDeployment).toBeUndefined();
      expect(frontend.assetCleanupFunction).toBeUndefined();
    });

    test('acknowledges only the default-certificate TLS finding it cannot fix, and is clean under cdk-nag', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { source: SPA });
      expect(nagFindings(stack)).toEqual([]);
      const distribution = onlyResource(Template.fromStack(stack), 'AWS::CloudFront::Distribution').resource;
      expect(distribution.Metadata.cdk_nag.rules_to_suppress.map((r: { id: string }) => r.id)).toEqual([
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
      ]);
    });

    test('does not acknowledge the TLS finding when it serves its own certificate', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack) });
      const distribution = onlyResource(Template.fromStack(stack), 'AWS::CloudFront::Distribution').resource;
      expect(distribution.Metadata.cdk_nag.rules_to_suppress.map((r: { id: string }) => r.id)).not.toContain(
        'AwsSolutions-CFR4',
      );
      expect(nagFindings(stack)).toEqual([]);
    });

    test('warns that subdomain is ignored', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { subdomain: 'stage-pizza' });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp('`subdomain` "stage-pizza" is ignored without `dns`'),
      );
    });
  });

  describe('options', () => {
    test('uses another subdomain and price class', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend', {
        dns: newDns(stack),
        subdomain: 'stage-pizza',
        priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ Aliases: ['stage-pizza.example.com'], PriceClass: 'PriceClass_All' }),
      });
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'stage-pizza.example.com.', Type: 'A' });
      expect(frontend.url).toBe('https://stage-pizza.example.com');
    });

    test('lower-cases an upper-case subdomain: host name, aliases, records and URL', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), subdomain: 'Stage-PIZZA' });
      expect(frontend.domainName).toBe('stage-pizza.example.com');
      expect(frontend.url).toBe('https://stage-pizza.example.com');
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ Aliases: ['stage-pizza.example.com'] }),
      });
      for (const type of ['A', 'AAAA']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'stage-pizza.example.com.', Type: type });
      }
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'example.com',
        SubjectAlternativeNames: ['*.example.com'],
      });
      expect(JSON.stringify(template.toJSON())).not.toMatch(/Stage-PIZZA|PIZZA|Stage-pizza/);
    });

    test('warns that assetRetention does nothing without source', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { assetRetention: Duration.days(7) });
      const warnings = Annotations.fromStack(stack).findWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp('pizza-constructs:frontend-asset-retention-ignored'),
      );
      expect(warnings.map((w) => String(w.entry.data).replace(/\s*\[ack: .*\]$/, ''))).toEqual([
        "`assetRetention` does nothing without `source`: it keeps the previous builds' hashed files that the stack deploys from `source`, and without `source` the stack deploys none (a CI job that uploads the files keeps or deletes them itself). Give `source`, or remove `assetRetention`.",
      ]);
      Template.fromStack(stack).resourceCountIs('Custom::PizzaFrontendAssetCleanup', 0);
    });

    test('no assetRetention warning with source, nor without assetRetention', () => {
      const withSource = newStack();
      new PizzaFrontend(withSource, 'Frontend', { source: SPA, assetRetention: Duration.days(7) });
      Annotations.fromStack(withSource).hasNoWarning('*', Match.stringLikeRegexp('assetRetention'));
      const neither = newStack();
      new PizzaFrontend(neither, 'Frontend', { serviceUrl: SERVICE_URL });
      Annotations.fromStack(neither).hasNoWarning('*', Match.stringLikeRegexp('assetRetention'));
    });

    test('adds a Content-Security-Policy header when asked', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { contentSecurityPolicy: "default-src 'self'" });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self'", Override: true },
          }),
        }),
      });
    });

    test('uses a response headers policy brought by the user', () => {
      const stack = newStack();
      const policy = cloudfront.ResponseHeadersPolicy.fromResponseHeadersPolicyId(stack, 'Policy', 'policy-id-123');
      const frontend = new PizzaFrontend(stack, 'Frontend', {
        responseHeadersPolicy: policy,
        contentSecurityPolicy: "default-src 'self'",
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 0);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: 'policy-id-123' }),
        }),
      });
      expect(frontend.responseHeadersPolicy).toBe(policy);
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp('`contentSecurityPolicy` is ignored'),
      );
    });

    test('keeps the bucket and its files with RemovalPolicy.RETAIN', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { removalPolicy: RemovalPolicy.RETAIN });
      const template = Template.fromStack(stack);
      expect(onlyResource(template, 'AWS::S3::Bucket').resource.DeletionPolicy).toBe('Retain');
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });

    test('keeps previous builds for the asset retention given', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { source: SPA, assetRetention: Duration.days(7) });
      Template.fromStack(stack).hasResourceProperties('Custom::PizzaFrontendAssetCleanup', { RetentionDays: '7' });
    });

    test('writes a serviceUrl known only at deploy time through a deploy-time marker, as valid JSON', () => {
      const stack = newStack();
      const api = new s3.Bucket(stack, 'Api');
      new PizzaFrontend(stack, 'Frontend', { source: SPA, serviceUrl: `https://${api.bucketRegionalDomainName}` });
      const { content } = deployments(Template.fromStack(stack));
      const markers = content.Properties.SourceMarkers as Array<Record<string, unknown>>;
      expect(markers[0]).toEqual({});
      const [[marker, value]] = Object.entries(markers[1]);
      expect(value).toEqual({
        'Fn::Join': ['', ['"https://', { 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'RegionalDomainName'] }, '"']],
      });
      // what the handler writes once it replaces the marker with the deployed value
      const outdir = (stack.node.root as App).synth().directory;
      const staged = readdirSync(outdir)
        .filter((d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory())
        .map((d) => join(outdir, d, 'config.json'))
        .filter((f) => existsSync(f));
      expect(staged).toHaveLength(1);
      const deployed = readFileSync(staged[0], 'utf-8').replace(marker, '"https://api.example.com"');
      expect(JSON.parse(deployed)).toEqual({ serviceUrl: 'https://api.example.com' });
    });

    test('writes only /config.json when there is a serviceUrl but no source (a CI job uploads the rest)', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend', { serviceUrl: SERVICE_URL });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::CDKBucketDeployment', 1);
      template.resourceCountIs('Custom::PizzaFrontendAssetCleanup', 0);
      const { content } = deployments(template);
      expect(content.Properties).toMatchObject({
        Prune: false,
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionPaths: ['/config.json'],
      });
      expect(content.Properties.Exclude).toBeUndefined();
      expect(frontend.assetDeployment).toBeUndefined();
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  describe('build', () => {
    let work: string;
    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'pizza-spa-'));
      writeFileSync(
        join(work, 'build.js'),
        [
          "const fs = require('fs');",
          "const out = process.argv[2] || 'dist';",
          "fs.mkdirSync(out + '/assets', { recursive: true });",
          "fs.writeFileSync(out + '/index.html', `url=${process.env.VITE_PIZZA_SERVICE_URL} extra=${process.env.EXTRA}`);",
          "fs.writeFileSync(out + '/assets/app-1a2b.js', 'x');",
        ].join('\n'),
      );
    });

    test('runs the build at synth with VITE_PIZZA_SERVICE_URL and deploys its output', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', {
        source: join(work, 'dist'),
        serviceUrl: SERVICE_URL,
        buildOptions: { command: `"${process.execPath}" build.js`, environment: { EXTRA: 'yes' } },
      });
      expect(readFileSync(join(work, 'dist', 'index.html'), 'utf-8')).toBe(`url=${SERVICE_URL} extra=yes`);
      Template.fromStack(stack).hasResourceProperties('Custom::PizzaFrontendAssetCleanup', {
        CurrentKeys: ['assets/app-1a2b.js'],
      });
    });

    test('runs in the given working directory and lets the environment override the service URL', () => {
      const stack = newStack();
      // the default directory (the parent of source, out/) has no build.js: only `workingDirectory` works
      new PizzaFrontend(stack, 'Frontend', {
        source: join(work, 'out', 'site'),
        serviceUrl: SERVICE_URL,
        buildOptions: {
          command: `"${process.execPath}" build.js out/site`,
          workingDirectory: work,
          environment: { VITE_PIZZA_SERVICE_URL: 'http://localhost:3000' },
        },
      });
      expect(readFileSync(join(work, 'out', 'site', 'index.html'), 'utf-8')).toMatch(/^url=http:\/\/localhost:3000 /);
    });

    test('does not set VITE_PIZZA_SERVICE_URL when the service URL is a token, and warns', () => {
      const stack = newStack();
      const serviceUrl = Lazy.string({ produce: () => SERVICE_URL });
      new PizzaFrontend(stack, 'Frontend', {
        source: join(work, 'dist'),
        serviceUrl,
        buildOptions: { command: `"${process.execPath}" build.js` },
      });
      expect(readFileSync(join(work, 'dist', 'index.html'), 'utf-8')).toMatch(/^url=undefined /);
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp('the build does not get VITE_PIZZA_SERVICE_URL'),
      );
    });

    test('fails synth with the build output when the build fails', () => {
      const command = `"${process.execPath}" -e "console.error('vite: boom'); process.exit(3)"`;
      expect(
        () => new PizzaFrontend(newStack(), 'Frontend', { source: join(work, 'dist'), buildOptions: { command } }),
      ).toThrow(
        `\`buildOptions.command\` ${JSON.stringify(command)} failed in ${JSON.stringify(work)} (exit 3):\nvite: boom`,
      );
    });
    test("a long failed build: npm's cause (printed first) is quoted, and the whole output is in a named log", () => {
      // process.exitCode, not process.exit(): an exit right after writing to a pipe can cut the output (Node writes
      // pipes asynchronously), which a loaded machine shows as a flaky test
      const script =
        "console.error('npm error code ENOENT'); console.error('npm error missing script: build');" +
        "for (let i = 0; i < 400; i++) console.log('noise line ' + i); process.exitCode = 1";
      const command = `"${process.execPath}" -e "${script}"`;
      let message = '';
      try {
        new PizzaFrontend(newStack(), 'Frontend', { source: join(work, 'dist'), buildOptions: { command } });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/failed in .* \(exit 1\); the whole output is in (\S+build\.log)\./);
      expect(message).toContain('Its error lines:\nnpm error code ENOENT\nnpm error missing script: build');
      expect(message).toContain('noise line 399');
      const log = /the whole output is in (\S+build\.log)\./.exec(message)![1];
      expect(readFileSync(log, 'utf-8')).toContain('noise line 0');
    });
  });

  describe('the service URL reaches an SPA that reads it at build time, as the upstream jwt-pizza does', () => {
    const NOT_IN_BUILD = 'pizza-constructs:frontend-service-url-not-in-build';
    let app: string;
    beforeEach(() => {
      app = join(mkdtempSync(join(tmpdir(), 'pizza-upstream-')), 'jwt-pizza');
      cpSync(join(__dirname, 'fixtures', 'spa-source'), app, { recursive: true });
    });
    const chunk = (dist: string) => {
      const [file] = readdirSync(join(dist, 'assets'));
      return readFileSync(join(dist, 'assets', file), 'utf-8');
    };
    const build = (env: Record<string, string> = {}) => {
      const result = spawnSync(process.execPath, ['build.js'], { cwd: app, env: { ...process.env, ...env } });
      expect(result.status).toBe(0);
    };
    const notInBuild = (stack: Stack) =>
      Annotations.fromStack(stack)
        .findWarning('*', Match.anyValue())
        .filter((w) => JSON.stringify(w).includes(NOT_IN_BUILD));

    test('buildOptions builds it with the service URL, and no warning', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', {
        source: join(app, 'dist'),
        serviceUrl: SERVICE_URL,
        buildOptions: { command: `"${process.execPath}" build.js` },
      });
      expect(chunk(join(app, 'dist'))).toContain(`const serviceUrl = "${SERVICE_URL}";`);
      expect(notInBuild(stack)).toEqual([]);
    });

    test("a build made for another service (the instructor's, from .env.production) warns, naming both", () => {
      build();
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { source: join(app, 'dist'), serviceUrl: SERVICE_URL });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        `The SPA in \`source\` (${JSON.stringify(join(app, 'dist'))}) was not built for \`serviceUrl\` ` +
          `"${SERVICE_URL}": it calls https://pizza-service.cs329.click. The upstream jwt-pizza reads the service ` +
          'URL at build time (VITE_PIZZA_SERVICE_URL, set in its .env.production). Build it with ' +
          `VITE_PIZZA_SERVICE_URL=${SERVICE_URL}, or set \`buildOptions\` so the construct runs the build with it. ` +
          'An app that reads /config.json at run time is not warned. [ack: ' +
          `${NOT_IN_BUILD}]`,
      );
    });

    test('a build that names no service URL at all (a stand-in) gets the advice as info, not a warning', () => {
      const dist = join(mkdtempSync(join(tmpdir(), 'pizza-dist-')), 'dist');
      cpSync(join(__dirname, '..', 'examples', 'spa-dist'), dist, { recursive: true });
      const [js] = readdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'assets', js), 'console.log("pizza");');
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { source: dist, serviceUrl: SERVICE_URL });
      expect(notInBuild(stack)).toEqual([]);
      Annotations.fromStack(stack).hasInfo(
        '/Test/Frontend',
        Match.stringLikeRegexp('was not built for `serviceUrl`.*no file of it names a service URL'),
      );
    });

    test('a build made with the URL, or an app that reads /config.json, is not warned', () => {
      build({ VITE_PIZZA_SERVICE_URL: `${SERVICE_URL}/` });
      const built = newStack();
      new PizzaFrontend(built, 'Frontend', { source: join(app, 'dist'), serviceUrl: SERVICE_URL });
      const runtime = newStack();
      new PizzaFrontend(runtime, 'Frontend', { source: SPA, serviceUrl: 'https://other.example.com' });
      expect([...notInBuild(built), ...notInBuild(runtime)]).toEqual([]);
    });

    test('only a fetch of /config.json counts as reading it, not any file name that ends so', () => {
      const dist = join(mkdtempSync(join(tmpdir(), 'pizza-dist-')), 'dist');
      cpSync(SPA, dist, { recursive: true });
      const [js] = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
      writeFileSync(
        join(dist, 'assets', js),
        'const c = "tsconfig.json"; const u = "https://pizza-service.cs329.click";',
      );
      expect(serviceUrlInBuild(dist, SERVICE_URL)).toEqual({
        found: 'elsewhere',
        other: 'https://pizza-service.cs329.click',
      });
      writeFileSync(join(dist, 'assets', js), "fetch('/config.json')");
      expect(serviceUrlInBuild(dist, SERVICE_URL)).toEqual({ found: 'config.json' });
    });

    test('a URL known only at deploy time: the warning says what to do with the upstream app', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', {
        source: join(app, 'dist'),
        serviceUrl: Lazy.string({ produce: () => SERVICE_URL }),
        buildOptions: { command: `"${process.execPath}" build.js` },
      });
      expect(chunk(join(app, 'dist'))).toContain('const serviceUrl = "https://pizza-service.cs329.click";');
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp(
          'upstream jwt-pizza reads the service URL only at build time.*Give the PizzaService a `dns`.*' +
            'VITE_PIZZA_SERVICE_URL in `buildOptions.environment`',
        ),
      );
    });
  });

  describe('grantDeploy', () => {
    test('grants exactly list, object read/write/delete and invalidation, statement by statement', () => {
      const stack = newStack();
      const frontend = new PizzaFrontend(stack, 'Frontend');
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountPrincipal(ACCOUNT) });
      const grant = frontend.grantDeploy(role);
      expect(grant.success).toBe(true);
      const template = Template.fromStack(stack);
      const distributionId = onlyResource(template, 'AWS::CloudFront::Distribution').logicalId;
      const policy = onlyResource(template, 'AWS::IAM::Policy');
      expect(policy.props.Roles).toEqual([{ Ref: expect.stringMatching(/^Ci/) }]);
      expect(policy.props.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': ['FrontendBucket5DAC5524', 'Arn'] } },
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:DeleteObject'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FrontendBucket5DAC5524', 'Arn'] }, '/*']] },
        },
        {
          Effect: 'Allow',
          Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::123456789012:distribution/', { Ref: distributionId }],
            ],
          },
        },
      ]);
    });
  });

  describe('staging and production side by side', () => {
    test('two frontends on two subdomains of one PizzaDns do not collide', () => {
      const stack = newStack();
      const dns = newDns(stack);
      const production = new PizzaFrontend(stack, 'Production', { dns, source: SPA, serviceUrl: SERVICE_URL });
      const staging = new PizzaFrontend(stack, 'Staging', { dns, subdomain: 'stage-pizza', source: SPA });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::S3::Bucket', 2);
      template.resourceCountIs('AWS::CloudFront::Distribution', 2);
      template.resourceCountIs('Custom::PizzaFrontendAssetCleanup', 2);
      // aws-cdk-lib's deployment handler is shared by the stack, and acknowledged once per finding
      const handlers = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
        id.startsWith('CustomCDKBucketDeployment'),
      );
      expect(handlers).toHaveLength(1);
      const handlerPolicy = byPrefix(template, 'AWS::IAM::Policy', 'CustomCDKBucketDeployment');
      const acks = (handlerPolicy.resource.Metadata.cdk_nag.rules_to_suppress as any[]).map(
        (r) => `${r.id}${JSON.stringify(r.applies_to ?? [])}`,
      );
      expect(new Set(acks).size).toBe(acks.length);
      expect(acks).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^AwsSolutions-IAM5\["Resource::<ProductionBucket[0-9A-F]{8}\.Arn>\/\*"\]$/),
          expect.stringMatching(/^AwsSolutions-IAM5\["Resource::<StagingBucket[0-9A-F]{8}\.Arn>\/\*"\]$/),
        ]),
      );
      const names = (type: string, path: (p: any) => string) =>
        Object.values(template.findResources(type)).map((r: any) => path(r.Properties));
      const functionNames = names('AWS::CloudFront::Function', (p) => p.Name);
      const policyNames = names('AWS::CloudFront::ResponseHeadersPolicy', (p) => p.ResponseHeadersPolicyConfig.Name);
      expect(new Set(functionNames).size).toBe(2);
      expect(new Set(policyNames).size).toBe(2);
      for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')) as any[]) {
        expect(bucket.Properties.BucketName).toBeUndefined();
      }
      expect([production.url, staging.url]).toEqual(['https://pizza.example.com', 'https://stage-pizza.example.com']);
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  test('names the response headers policy per region, so one stack in two regions of an account does not collide', () => {
    const names = ['us-east-1', 'us-east-2'].map((region) => {
      const stack = new Stack(new App(), 'Same', { env: { account: '123456789012', region } });
      new PizzaFrontend(stack, 'Frontend');
      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::ResponseHeadersPolicy'));
      return (policy as any).Properties.ResponseHeadersPolicyConfig.Name;
    });
    expect(names[0]).toMatch(/^us-east-1-/);
    expect(names[1]).toMatch(/^us-east-2-/);
    expect(names[0]).not.toBe(names[1]);
  });

  describe('bad input', () => {
    test.each([
      ['a line break', "default-src 'self';\nscript-src 'self'", '"\\n" at position 19'],
      ['a tab', "default-src\t'self'", '"\\t" at position 11'],
      ['a NUL', "default-src 'self'\u0000", '"\\u0000" at position 18'],
    ])('a contentSecurityPolicy with %s', (_, contentSecurityPolicy, where) => {
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { contentSecurityPolicy })).toThrow(
        `\`contentSecurityPolicy\` must be one line of printable characters (CloudFront refuses control characters in header values), got ${where} of: ${JSON.stringify(contentSecurityPolicy)}`,
      );
    });

    test('a contentSecurityPolicy longer than CloudFront accepts (1783 characters)', () => {
      const contentSecurityPolicy = `default-src 'self'; connect-src ${'https://a.example.com '.repeat(90)}`.trim();
      expect(contentSecurityPolicy.length).toBeGreaterThan(1783);
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { contentSecurityPolicy })).toThrow(
        `\`contentSecurityPolicy\` is ${contentSecurityPolicy.length} characters: CloudFront accepts at most 1783 in a response headers policy, got: ${JSON.stringify(contentSecurityPolicy.slice(0, 60))}...`,
      );
      const longest = `default-src 'self'; img-src ${'x'.repeat(1783 - 28)}`;
      expect(longest).toHaveLength(1783);
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { contentSecurityPolicy: longest })).not.toThrow();
    });

    test('an empty contentSecurityPolicy', () => {
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { contentSecurityPolicy: ' ' })).toThrow(
        '`contentSecurityPolicy` must be a Content-Security-Policy value such as "default-src \'self\'", got: " "',
      );
    });

    test('warns about an http:// serviceUrl: browsers block it from the HTTPS site (mixed content)', () => {
      const stack = newStack();
      new PizzaFrontend(stack, 'Frontend', { serviceUrl: 'http://pizza-service.example.com' });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp(
          '`serviceUrl` "http://pizza-service.example.com" is plain http:// while the site is served over HTTPS',
        ),
      );
      const https = newStack();
      new PizzaFrontend(https, 'Frontend', { serviceUrl: SERVICE_URL });
      Annotations.fromStack(https).hasNoWarning('*', Match.stringLikeRegexp('mixed content'));
    });

    test('warns about a deploy-time http:// serviceUrl (a service without dns)', () => {
      const stack = newStack();
      const url = `http://${Lazy.string({ produce: () => 'lb.example.com' })}`;
      new PizzaFrontend(stack, 'Frontend', { serviceUrl: url });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Frontend',
        Match.stringLikeRegexp('`serviceUrl` \\(a deploy-time URL\\) is plain http://'),
      );
    });

    test('a source that does not exist', () => {
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { source: '../no-such-app/dist' })).toThrow(
        '`source` must be the directory of the built SPA (e.g. "../jwt-pizza/dist"), but it does not exist, got: ' +
          `"../no-such-app/dist", which is ${JSON.stringify(resolve('../no-such-app/dist'))} from ` +
          `${JSON.stringify(process.cwd())} (build the app first, or set \`buildOptions\` so the construct runs the build)`,
      );
    });

    test('a source that is a file', () => {
      const source = join(SPA, 'index.html');
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { source })).toThrow(
        `\`source\` must be the directory of the built SPA (e.g. "../jwt-pizza/dist"), not a file, got: ${JSON.stringify(source)}`,
      );
    });

    test('a source without index.html', () => {
      const source = join(SPA, 'assets');
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { source })).toThrow(
        `\`source\` must contain index.html at its top level (the output of \`vite build\`), got: ${JSON.stringify(source)}`,
      );
    });

    test.each(['', 'pizza.app', 'Pizza.App', '-pizza', '-Pizza', 'pi zza', 'Pi_zza', 'P'.repeat(64)])(
      'a subdomain that is not a DNS label: %j',
      (subdomain) => {
        const stack = newStack();
        expect(() => new PizzaFrontend(stack, 'Frontend', { dns: newDns(stack), subdomain })).toThrow(
          `\`subdomain\` must be a single DNS label (letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen, no dots; upper case is lower-cased), got: ${JSON.stringify(subdomain)}`,
        );
      },
    );

    test.each(['pizza-service.example.com', 'ftp://pizza-service.example.com', 'https://', '/api'])(
      'a serviceUrl that is not an http(s) URL: %j',
      (serviceUrl) => {
        expect(() => new PizzaFrontend(newStack(), 'Frontend', { serviceUrl })).toThrow(
          `\`serviceUrl\` must be an absolute http:// or https:// URL, got: ${JSON.stringify(serviceUrl)}`,
        );
      },
    );

    test('the same hostname in another case, claimed by two frontends on one PizzaDns', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaFrontend(stack, 'Production', { dns, subdomain: 'Pizza' });
      expect(() => new PizzaFrontend(stack, 'Staging', { dns, subdomain: 'pizza' })).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza")',
      );
      expect(() => new PizzaFrontend(stack, 'Default', { dns })).toThrow(/is already used by Test\/Production/);
    });

    test('the same hostname claimed by two frontends on one PizzaDns', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaFrontend(stack, 'Production', { dns });
      expect(() => new PizzaFrontend(stack, 'Staging', { dns })).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza")',
      );
    });

    test('build without source', () => {
      const props: PizzaFrontendProps = { buildOptions: { command: 'npm run build' } };
      expect(() => new PizzaFrontend(newStack(), 'Frontend', props)).toThrow(
        '`buildOptions` needs `source`: the directory the build writes the SPA to (e.g. "../jwt-pizza/dist"), got: undefined',
      );
    });

    test('a build working directory that does not exist', () => {
      expect(
        () =>
          new PizzaFrontend(newStack(), 'Frontend', {
            source: SPA,
            buildOptions: { workingDirectory: '../no-such-app' },
          }),
      ).toThrow(
        `\`buildOptions.workingDirectory\` must be an existing directory, got: "../no-such-app" (resolved to ${JSON.stringify(join(process.cwd(), '..', 'no-such-app'))})`,
      );
    });

    test.each([
      [Duration.hours(36), '1 day 12 hours'],
      [Duration.hours(12), '12 hours'],
    ])('an assetRetention of %s', (assetRetention, shown) => {
      expect(() => new PizzaFrontend(newStack(), 'Frontend', { source: SPA, assetRetention })).toThrow(
        `\`assetRetention\` must be a whole number of days, at least one, got: ${shown}`,
      );
    });
  });
});
