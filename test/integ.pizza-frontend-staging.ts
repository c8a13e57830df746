/**
 * PizzaFrontend with staging: pizza.DOMAIN and stage-pizza.DOMAIN on one distribution, each serving the version
 * its release pointer names, and the bucket's top level while its key is unset (a fresh deploy, before CI ran).
 *
 * The app uploads what CI would: a build at the top level (the upstream's placeholder version 20000101.000000), a
 * staged build in its version folder, and the hashed files in the shared assets/ folder. Only this test seeds the
 * pointer, with `staging` at the staged version (an import source on the store; the library's store starts empty
 * and CI writes its keys), and leaves `production` unset. The assertions check that both hosts answer over HTTPS
 * (certificate, aliases, records); that staging serves the staged version and production the top level, each
 * with its own version.json and deep links answered with its index.html, no-cache; and that a hashed file is
 * immutable on both, and a missing one a 404.
 *
 * The pointer moves are CI's (examples/github: ci.yml and release.yml wait until each host serves the new
 * version.json); test/release-workflows.test.ts replays them against stand-ins running the deployed function.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`.
 */
import { join } from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { integDomain, synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaDns, PizzaFrontend } from '../src';
import { acknowledgeNag, nagResourceText } from '../src/shared/nag';

const SPA = join(__dirname, 'fixtures', 'spa-dist');
const PLACEHOLDER = '20000101.000000';
const STAGED = '20261207.134501';
const IMMUTABLE = 'public, max-age=31536000, immutable';

const app = new App();
const { domainName, hostedZoneId } = integDomain(app);
const env = { account: TEST_ACCOUNT, region: 'us-east-1' };

const stack = new Stack(app, 'PizzaFrontendStagingInteg', { env });
const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId });
const frontend = new PizzaFrontend(stack, 'Frontend', { dns, staging: {}, removalPolicy: RemovalPolicy.DESTROY });

// what the example ci.yml uploads; no prune: each deployment must leave the others' files alone
const pages = (version: string) => [
  s3deploy.Source.asset(SPA, { exclude: ['assets/*', 'version.json'] }),
  s3deploy.Source.jsonData('version.json', { version }),
];
const upload = { destinationBucket: frontend.bucket, prune: false };
new s3deploy.BucketDeployment(stack, 'HashedFiles', {
  ...upload,
  sources: [s3deploy.Source.asset(join(SPA, 'assets'))],
  destinationKeyPrefix: 'assets/',
  cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE)],
});
new s3deploy.BucketDeployment(stack, 'TopLevelBuild', {
  ...upload,
  sources: pages(PLACEHOLDER),
  cacheControl: [s3deploy.CacheControl.noCache()],
});
new s3deploy.BucketDeployment(stack, 'StagedBuild', {
  ...upload,
  sources: pages(STAGED),
  destinationKeyPrefix: `${STAGED}/`,
  cacheControl: [s3deploy.CacheControl.noCache()],
});
function assetBucketObjects(): Set<string> {
  const texts = new Set<string>();
  for (const asset of stack.node.findAll().filter((c): c is s3assets.Asset => c instanceof s3assets.Asset)) {
    const arn = stack.formatArn({ service: 's3', region: '', account: '', resource: asset.s3BucketName });
    texts.add(nagResourceText(stack, `${arn}/*`)!);
  }
  return texts;
}

// the uploads stand in for CI: aws-cdk-lib's deployment handler and its grants are the test's, not the library's
const reason = "The test's stand-in for CI's uploads is aws-cdk-lib's BucketDeployment handler, with its own grants.";
for (const handler of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
  acknowledgeNag(
    handler,
    [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (a) => `AwsSolutions-IAM5[Action::${a}]`,
      ),
      // the CDK asset bucket's objects, as cdk-nag prints them (the partition is literal under integ-runner)
      ...[...assetBucketObjects()].map((objects) => `AwsSolutions-IAM5[Resource::${objects}]`),
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(frontend.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
    ].map((id) => ({ id, reason })),
  );
}
// the pointer, seeded for this test only: staging at the staged build, production unset
const seed = new s3assets.Asset(stack, 'PointerSeed', {
  path: join(__dirname, 'fixtures', 'release-pointer', 'staging.json'),
});
(frontend.releasePointer!.node.defaultChild as cloudfront.CfnKeyValueStore).importSource = {
  sourceType: 'S3',
  sourceArn: `arn:${stack.partition}:s3:::${seed.s3BucketName}/${seed.s3ObjectKey}`,
};
new CfnOutput(stack, 'Url', { value: frontend.url });
new CfnOutput(stack, 'StagingUrl', { value: frontend.stagingUrl! });
new CfnOutput(stack, 'ReleasePointerArn', { value: frontend.releasePointer!.keyValueStoreArn });

const assertionStack = new Stack(app, 'PizzaFrontendStagingInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaFrontendStagingTest', { testCases: [stack], assertionStack });

const noCache = { 'cache-control': ['no-cache'] };
for (const [url, version] of [
  [frontend.url, PLACEHOLDER],
  [frontend.stagingUrl!, STAGED],
]) {
  integ.assertions.httpApiCall(`${url}/`).expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
  integ.assertions
    .httpApiCall(`${url}/franchise/3`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
  integ.assertions
    .httpApiCall(`${url}/version.json`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: noCache, body: { version } }));
  integ.assertions
    .httpApiCall(`${url}/assets/index-abc123.js`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: { 'cache-control': [IMMUTABLE] } }));
  integ.assertions.httpApiCall(`${url}/assets/gone.js`).expect(ExpectedResult.objectLike({ status: 404 }));
}

synthIntegApp(app, [stack]);
