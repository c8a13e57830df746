import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { listKeys } from './source';
import { handlerCode } from '../shared/handler-code';

/** Vite writes content-hashed files here; they are immutable and outlive the build that produced them. */
export const ASSETS_DIRECTORY = 'assets';

/** The runtime configuration file the construct writes next to the SPA. */
const CONFIG_FILE = 'config.json';

/**
 * Memory of aws-cdk-lib's BucketDeployment handler (128 MiB by default). It unzips the build and syncs it with the
 * AWS CLI; the JWT Pizza build is about 1 MB, and 512 MiB leaves room for SPAs many times that size (Lambda also
 * gives the function proportionally more CPU), for a few cents a year more.
 */
const DEPLOYMENT_MEMORY_MIB = 512;

/** How long a previous build's hashed files are kept by default. */
const DEFAULT_ASSET_RETENTION = Duration.days(30);

/** Cache-Control of files that are not content-hashed: always revalidate. */
const NO_CACHE = [s3deploy.CacheControl.noCache()];

/** Cache-Control of content-hashed files: cache for a year, never revalidate. */
const IMMUTABLE = [
  s3deploy.CacheControl.setPublic(),
  s3deploy.CacheControl.maxAge(Duration.days(365)),
  s3deploy.CacheControl.immutable(),
];

/** What to deploy, and where. */
export interface FrontendDeploymentOptions {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** The built SPA's directory (absolute); undefined when nothing is uploaded by the stack. */
  readonly source?: string;
  readonly serviceUrl?: string;
  readonly assetRetention?: Duration;
}

/** The deployments `createDeployments` made; each is absent when there is nothing for it to do. */
export interface FrontendDeployments {
  readonly assetDeployment?: s3deploy.BucketDeployment;
  readonly deployment?: s3deploy.BucketDeployment;
  readonly assetCleanupFunction?: lambda.Function;
}

/**
 * The content of the site, created in `scope`: the hashed `assets/` (never pruned), then everything else with
 * `/config.json` (pruned, then the CDN invalidated), then the cleanup of previous builds' hashed files.
 */
export function createDeployments(scope: Construct, options: FrontendDeploymentOptions): FrontendDeployments {
  const { bucket, source } = options;
  let assetDeployment: s3deploy.BucketDeployment | undefined;
  if (source) {
    // hashed files first, never pruned: the previous build's index.html (in open tabs) still needs its chunks
    assetDeployment = new s3deploy.BucketDeployment(scope, 'AssetDeployment', {
      sources: [s3deploy.Source.asset(source)],
      destinationBucket: bucket,
      exclude: ['*'],
      include: [`${ASSETS_DIRECTORY}/*`],
      prune: false,
      cacheControl: IMMUTABLE,
      memoryLimit: DEPLOYMENT_MEMORY_MIB,
    });
  }
  const contentSources = source ? [s3deploy.Source.asset(source)] : [];
  if (options.serviceUrl !== undefined) {
    // last, so it wins over a config.json the build may contain
    contentSources.push(s3deploy.Source.jsonData(CONFIG_FILE, { serviceUrl: options.serviceUrl }));
  }
  let deployment: s3deploy.BucketDeployment | undefined;
  if (contentSources.length > 0) {
    deployment = new s3deploy.BucketDeployment(scope, 'Deployment', {
      sources: contentSources,
      destinationBucket: bucket,
      // with a build: replace everything outside assets/ (excluded files are neither uploaded nor pruned);
      // without one only config.json is written, next to whatever a CI job uploads
      exclude: source ? [`${ASSETS_DIRECTORY}/*`] : undefined,
      prune: source !== undefined,
      cacheControl: NO_CACHE,
      memoryLimit: DEPLOYMENT_MEMORY_MIB,
      distribution: options.distribution,
      distributionPaths: source ? ['/*'] : [`/${CONFIG_FILE}`],
    });
    if (assetDeployment) {
      deployment.node.addDependency(assetDeployment);
    }
  }
  let assetCleanupFunction: lambda.Function | undefined;
  if (source && deployment) {
    const retention = options.assetRetention ?? DEFAULT_ASSET_RETENTION;
    assetCleanupFunction = createAssetCleanup(scope, bucket, source, retention, deployment);
  }
  return { assetDeployment, deployment, assetCleanupFunction };
}

/** The function and custom resource that retire, then delete, previous builds' hashed files. */
function createAssetCleanup(
  scope: Construct,
  bucket: s3.IBucket,
  source: string,
  retention: Duration,
  deployment: s3deploy.BucketDeployment,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'AssetCleanupLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, 'AssetCleanupRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Deletes previous JWT Pizza builds from the frontend bucket after their retention',
  });
  logGroup.grantWrite(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${ASSETS_DIRECTORY}/*` } },
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObjectTagging', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(`${ASSETS_DIRECTORY}/*`)],
    }),
  );
  const fn = new lambda.Function(scope, 'AssetCleanupFunction', {
    description: 'JWT Pizza: deletes previous builds hashed files after their retention',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: handlerCode('asset-cleanup'),
    timeout: Duration.minutes(5),
    role,
    logGroup,
  });
  const cleanup = new CustomResource(scope, 'AssetCleanup', {
    serviceToken: fn.functionArn,
    resourceType: 'Custom::PizzaFrontendAssetCleanup',
    // the function answers within its own 5-minute timeout; never leave a stack waiting the default hour
    serviceTimeout: Duration.minutes(10),
    properties: {
      BucketName: bucket.bucketName,
      Prefix: `${ASSETS_DIRECTORY}/`,
      RetentionDays: String(retention.toDays()),
      CurrentKeys: listKeys(source, ASSETS_DIRECTORY),
    },
  });
  // after the new index.html is live: only then are the old build's files really retired
  cleanup.node.addDependency(deployment);
  return fn;
}
