/**
 * PizzaFrontend with staging: pizza.DOMAIN and stage-pizza.DOMAIN on one distribution, each serving the version
 * its release pointer names, and the bucket's top level while its key is unset (a fresh deploy, before CI ran).
 *
 * The app uploads what CI would: a build at the top level (the upstream's placeholder version 20000101.000000), a
 * staged build in its version folder, and the hashed files in the shared assets/ folder. The assertions check that
 * both hosts answer over HTTPS (certificate, aliases, records), deep links get index.html with no-cache, a hashed
 * file is immutable, a missing one is a 404, and version.json answers on each host.
 *
 * The pointer moves themselves are CI's (examples/github: ci.yml and release.yml wait until each host serves the
 * new version.json); test/release-workflows.test.ts replays them against stand-ins, and
 * test/pizza-frontend-staging.test.ts runs the function against a stand-in pointer.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`.
 */
import { join } from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
new CfnOutput(stack, 'Url', { value: frontend.url });
new CfnOutput(stack, 'StagingUrl', { value: frontend.stagingUrl! });
new CfnOutput(stack, 'ReleasePointerArn', { value: frontend.releasePointer!.keyValueStoreArn });

const assertionStack = new Stack(app, 'PizzaFrontendStagingInteg-Assertions', { env });
const integ = new IntegTest(app, 'PizzaFrontendStagingTest', { testCases: [stack], assertionStack });

const noCache = { 'cache-control': ['no-cache'] };
for (const url of [frontend.url, frontend.stagingUrl!]) {
  integ.assertions.httpApiCall(`${url}/`).expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
  integ.assertions
    .httpApiCall(`${url}/franchise/3`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: noCache }));
  integ.assertions
    .httpApiCall(`${url}/version.json`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: noCache, body: { version: PLACEHOLDER } }));
  integ.assertions
    .httpApiCall(`${url}/assets/index-abc123.js`)
    .expect(ExpectedResult.objectLike({ status: 200, headers: { 'cache-control': [IMMUTABLE] } }));
  integ.assertions.httpApiCall(`${url}/assets/gone.js`).expect(ExpectedResult.objectLike({ status: 404 }));
}

synthIntegApp(app, [stack]);
