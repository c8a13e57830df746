import { Annotations, CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { prepareSource } from './build';
import { createDeployments } from './deployment';
import { createDistribution } from './distribution';
import { acknowledgeFrontendNag } from './nag';
import { PizzaFrontendProps } from './props';
import { PRODUCTION_RELEASE_KEY, STAGING_RELEASE_KEY, VERSION_FOLDERS } from './spa-routing';
import { validateFrontendProps } from './validation';
import { boundCustomResources } from '../shared/handler-code';

/** What the example workflows call on the release pointer: read its ETag and a key, write a key. */
const RELEASE_POINTER_ACTIONS = [
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:GetKey',
  'cloudfront-keyvaluestore:PutKey',
];

/**
 * The JWT Pizza single-page app: a private S3 bucket behind a CloudFront distribution, on `pizza.DOMAIN` when given
 * a `PizzaDns`.
 *
 * - deep links (`/menu`, `/franchise/3`) are answered with `/index.html` by a viewer-request CloudFront Function,
 *   while a missing file (`/assets/gone.js`) is still a 404;
 * - security headers on every response; TLS 1.2+, HTTP/2 and HTTP/3, compression;
 * - optional content: `source` is uploaded with Cache-Control by pattern (hashed `assets/` immutable for a year,
 *   everything else `no-cache`), old files pruned, previous builds' hashed files kept for `assetRetention`, and the
 *   CDN invalidated; `serviceUrl` is written to `/config.json`;
 * - `grantDeploy` gives a CI job exactly what it needs to upload and invalidate.
 *
 * @example
 * const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
 * // https://pizza.example.com; CI uploads the built SPA (or give `source` to upload it from here)
 * new PizzaFrontend(this, 'Frontend', { dns, serviceUrl: 'https://pizza-service.example.com' });
 */
export class PizzaFrontend extends Construct {
  /** The release pointer's key that names the version `pizza.DOMAIN` serves (with `staging`). */
  public static readonly PRODUCTION_RELEASE_KEY = PRODUCTION_RELEASE_KEY;

  /** The release pointer's key that names the version `stage-pizza.DOMAIN` serves (with `staging`). */
  public static readonly STAGING_RELEASE_KEY = STAGING_RELEASE_KEY;

  /**
   * With `staging`: the objects CI uploads each build to, `YYYYMMDD.HHMMSS/...`, as the IAM resource pattern
   * `grantDeploy` grants `s3:PutObject` on (`?` is one character).
   */
  public static readonly VERSION_FOLDER_PATTERN = VERSION_FOLDERS;

  /** The private bucket that holds the site's files. */
  public readonly bucket: s3.Bucket;

  /** The CloudFront distribution that serves the site. */
  public readonly distribution: cloudfront.Distribution;

  /** The viewer-request function that sends deep links to `/index.html`. */
  public readonly spaRoutingFunction: cloudfront.Function;

  /** The origin access control CloudFront signs its requests to the bucket with. */
  public readonly originAccessControl: cloudfront.S3OriginAccessControl;

  /** The response headers policy on every response (the one given, or the one the construct created). */
  public readonly responseHeadersPolicy: cloudfront.IResponseHeadersPolicy;

  /** The host name the site is served on: `pizza.DOMAIN` with `dns`, else the distribution's domain name. */
  public readonly domainName: string;

  /** The site's URL, `https://` + `domainName` (no trailing slash). */
  public readonly url: string;

  /** The A alias record for `domainName`, with `dns`. */
  public readonly aliasRecord?: route53.ARecord;

  /** The AAAA alias record for `domainName`, with `dns`. */
  public readonly aliasRecordIpv6?: route53.AaaaRecord;

  /**
   * The deployment of everything outside `assets/` (and of `/config.json`), with prune and invalidation; present
   * when `source` or `serviceUrl` is given.
   */
  public readonly deployment?: s3deploy.BucketDeployment;

  /**
   * With `staging`: the CloudFront KeyValueStore whose keys (`PRODUCTION_RELEASE_KEY`, `STAGING_RELEASE_KEY`) name
   * the version each host serves. CI writes them; CloudFormation creates the store empty and never writes a key.
   */
  public readonly releasePointer?: cloudfront.KeyValueStore;

  /** With `staging`: the staging host name, `stage-pizza.DOMAIN`. */
  public readonly stagingDomainName?: string;

  /** With `staging`: the staging site's URL, `https://` + `stagingDomainName`. */
  public readonly stagingUrl?: string;

  /** With `staging`: the A alias record for `stagingDomainName`. */
  public readonly stagingAliasRecord?: route53.ARecord;

  /** With `staging`: the AAAA alias record for `stagingDomainName`. */
  public readonly stagingAliasRecordIpv6?: route53.AaaaRecord;

  /** The deployment of the hashed files under `assets/` (no prune); present when `source` is given. */
  public readonly assetDeployment?: s3deploy.BucketDeployment;

  /** The function that deletes previous builds' hashed files after `assetRetention`; present with `source`. */
  public readonly assetCleanupFunction?: lambda.Function;

  constructor(scope: Construct, id: string, props: PizzaFrontendProps = {}) {
    super(scope, id);
    validateFrontendProps(this, props);
    const source = prepareSource(this, props);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });

    // routing function, headers policy, origin access control and distribution; the host name is claimed on `dns`
    const cdn = createDistribution(this, this.bucket, props);
    const hostname = cdn.hostname;
    this.spaRoutingFunction = cdn.spaRoutingFunction;
    this.responseHeadersPolicy = cdn.responseHeadersPolicy;
    this.originAccessControl = cdn.originAccessControl;
    this.distribution = cdn.distribution;
    this.releasePointer = cdn.releasePointer;

    if (props.dns && hostname) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      const record = { zone: props.dns.hostedZone, recordName: hostname, target };
      this.aliasRecord = new route53.ARecord(this, 'AliasRecord', record);
      this.aliasRecordIpv6 = new route53.AaaaRecord(this, 'AliasRecordIpv6', record);
      this.domainName = hostname;
      if (cdn.stagingHostname) {
        const staging = { zone: props.dns.hostedZone, recordName: cdn.stagingHostname, target };
        this.stagingAliasRecord = new route53.ARecord(this, 'StagingAliasRecord', staging);
        this.stagingAliasRecordIpv6 = new route53.AaaaRecord(this, 'StagingAliasRecordIpv6', staging);
        this.stagingDomainName = cdn.stagingHostname;
        this.stagingUrl = `https://${cdn.stagingHostname}`;
      }
    } else {
      this.domainName = this.distribution.distributionDomainName;
    }
    this.url = `https://${this.domainName}`;
    // printed by `cdk deploy`; logical ids from the construct path, so two frontends in one stack never collide
    new CfnOutput(this, 'Url', { value: this.url, description: `JWT Pizza site URL (${this.node.path})` });
    new CfnOutput(this, 'DistributionId', {
      value: this.distribution.distributionId,
      description: `JWT Pizza CloudFront distribution (${this.node.path})`,
    });
    if (this.stagingUrl && this.releasePointer) {
      new CfnOutput(this, 'StagingUrl', {
        value: this.stagingUrl,
        description: `JWT Pizza staging site URL (${this.node.path})`,
      });
      new CfnOutput(this, 'ReleasePointerArn', {
        value: this.releasePointer.keyValueStoreArn,
        description: `JWT Pizza release pointer, keys production and staging (${this.node.path})`,
      });
    }

    // hashed assets/, then the rest with /config.json (and the invalidation), then the cleanup of old builds
    const content = createDeployments(this, {
      bucket: this.bucket,
      distribution: this.distribution,
      source,
      serviceUrl: props.serviceUrl,
      assetRetention: props.assetRetention,
    });
    this.assetDeployment = content.assetDeployment;
    this.deployment = content.deployment;
    this.assetCleanupFunction = content.assetCleanupFunction;

    // LIST (for real 404s) is paired with `defaultRootObject: 'index.html'`, which is what this warning asks for
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'defaultRootObject is index.html, so a request for / never lists the bucket',
    );
    acknowledgeFrontendNag(this, {
      bucket: this.bucket,
      distribution: this.distribution,
      hasCustomDomain: hostname !== undefined,
      assetCleanupFunction: this.assetCleanupFunction,
      assetDeployment: this.assetDeployment,
      deployment: this.deployment,
    });
    // aws-cdk-lib's BucketDeployment and auto-delete custom resources: no hour-long wait if a handler never answers
    boundCustomResources(this);
  }

  /**
   * Grant what a CI job needs to deploy the site, and nothing more.
   *
   * Without `staging` (the build goes to the bucket's top level): `s3:ListBucket` on the bucket; `s3:PutObject` and
   * `s3:DeleteObject` on its objects; `cloudfront:CreateInvalidation` and `cloudfront:GetInvalidation` (for
   * `aws cloudfront wait invalidation-completed`) on the distribution.
   *
   * With `staging` (the example `ci.yml` and `release.yml`): `s3:ListBucket` on the bucket (`release.yml` checks
   * that the version was staged); `s3:PutObject` on `assets/*` and on the version folders `????????.??????/*`
   * only (nothing is deleted or overwritten at the top level); `cloudfront-keyvaluestore:DescribeKeyValueStore`,
   * `GetKey` and `PutKey` on the release pointer. No invalidation: a release changes which files are served, not
   * the files.
   *
   * @param grantee the principal, e.g. a GitHub Actions role
   */
  public grantDeploy(grantee: iam.IGrantable): iam.Grant {
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
    if (this.releasePointer) {
      const versions = iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:PutObject'],
        resourceArns: [this.bucket.arnForObjects('assets/*'), this.bucket.arnForObjects(VERSION_FOLDERS)],
      });
      const pointer = iam.Grant.addToPrincipal({
        grantee,
        actions: RELEASE_POINTER_ACTIONS,
        resourceArns: [this.releasePointer.keyValueStoreArn],
      });
      return list.combine(versions).combine(pointer);
    }
    const objects = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resourceArns: [this.bucket.arnForObjects('*')],
    });
    const invalidate = this.distribution.grant(grantee, 'cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation');
    return list.combine(objects).combine(invalidate);
  }
}
