import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { PizzaFrontendProps } from './props';
import { releaseRoutingFunctionCode, SPA_ROUTING_FUNCTION_CODE } from './spa-routing';
import { isConcrete } from '../shared/validation';

/** The subdomain the course (and its grader) expects for the frontend. */
export const DEFAULT_SUBDOMAIN = 'pizza';

/** The subdomain the course (and its grader) expects for staging. */
export const DEFAULT_STAGING_SUBDOMAIN = 'stage-pizza';

/** The distribution's comment (CloudFront allows 128 characters); the host name is added when it fits. */
const DISTRIBUTION_COMMENT = 'JWT Pizza frontend';
const MAX_COMMENT_LENGTH = 128;

/** HSTS max-age: two years, the value browsers' preload lists ask for. */
const HSTS_MAX_AGE = Duration.days(730);

/** The longest AWS region name (`ap-southeast-4`, `ap-northeast-3`, ...) with room to spare. */
const MAX_REGION_LENGTH = 16;

/** The props of `PizzaFrontend` that shape how the site is served. */
export type FrontendDistributionProps = Pick<
  PizzaFrontendProps,
  'dns' | 'subdomain' | 'priceClass' | 'contentSecurityPolicy' | 'responseHeadersPolicy' | 'staging'
>;

/** What `createDistribution` made (or was given), for the frontend to keep. */
export interface FrontendDistribution {
  readonly spaRoutingFunction: cloudfront.Function;
  readonly responseHeadersPolicy: cloudfront.IResponseHeadersPolicy;
  readonly originAccessControl: cloudfront.S3OriginAccessControl;
  readonly distribution: cloudfront.Distribution;
  /** `subdomain.DOMAIN`, claimed on `dns`; undefined without `dns`. */
  readonly hostname?: string;
  /** With `staging`: the KeyValueStore whose keys name the version each host serves. */
  readonly releasePointer?: cloudfront.KeyValueStore;
  /** With `staging`: `staging.subdomain.DOMAIN`, claimed on `dns`. */
  readonly stagingHostname?: string;
}

/**
 * The CloudFront side of the frontend, created in `scope`: the SPA routing function, the response headers policy
 * (unless one is given), the origin access control, the host name claimed on `dns`, and the distribution in front
 * of `bucket`.
 */
export function createDistribution(
  scope: Construct,
  bucket: s3.IBucket,
  props: FrontendDistributionProps,
): FrontendDistribution {
  let hostname: string | undefined;
  let stagingHostname: string | undefined;
  if (props.dns) {
    hostname = props.dns.claimHostname(props.subdomain ?? DEFAULT_SUBDOMAIN, scope.node.path);
    if (props.staging) {
      const stagingSubdomain = props.staging.subdomain ?? DEFAULT_STAGING_SUBDOMAIN;
      stagingHostname = props.dns.claimHostname(stagingSubdomain, `${scope.node.path} (staging)`);
    }
  }

  // with staging, the release pointer: written by CI (never by CloudFormation: no `source`), read at every edge
  const releasePointer =
    stagingHostname === undefined
      ? undefined
      : new cloudfront.KeyValueStore(scope, 'ReleasePointer', {
          // key value store names are unique per account across regions, like every CloudFront name
          keyValueStoreName: accountWideName(scope, 64),
          comment: 'JWT Pizza releases: the version each host serves (keys production and staging)',
        });
  const spaRoutingFunction = new cloudfront.Function(scope, 'SpaRouting', {
    comment: releasePointer
      ? 'JWT Pizza: each host serves the version its release pointer names; deep links get index.html'
      : 'JWT Pizza: deep links without a file extension get /index.html',
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    code: cloudfront.FunctionCode.fromInline(
      stagingHostname === undefined ? SPA_ROUTING_FUNCTION_CODE : releaseRoutingFunctionCode(stagingHostname),
    ),
    keyValueStore: releasePointer,
  });

  const responseHeadersPolicy =
    props.responseHeadersPolicy ?? createResponseHeadersPolicy(scope, props.contentSecurityPolicy);

  // CloudFront names are unique per account across regions, and aws-cdk-lib's default OAC name leaves the
  // region out: the same stack deployed in two regions of one account would collide ("already exists")
  const originAccessControl = new cloudfront.S3OriginAccessControl(scope, 'OriginAccessControl', {
    originAccessControlName: accountWideName(scope, 64),
    description: 'JWT Pizza frontend: CloudFront reads the private bucket',
    signing: cloudfront.Signing.SIGV4_ALWAYS,
  });

  const comment = `${DISTRIBUTION_COMMENT} (${hostname})`;
  const distribution = new cloudfront.Distribution(scope, 'Distribution', {
    comment: isConcrete(hostname) && comment.length <= MAX_COMMENT_LENGTH ? comment : DISTRIBUTION_COMMENT,
    defaultRootObject: 'index.html',
    defaultBehavior: {
      // LIST lets S3 answer 404 (not 403) for a missing key, so a missing asset is a real 404
      origin: origins.S3BucketOrigin.withOriginAccessControl(bucket, {
        originAccessControl,
        originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
      responseHeadersPolicy,
      functionAssociations: [{ function: spaRoutingFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    },
    domainNames: hostname ? [hostname, ...(stagingHostname ? [stagingHostname] : [])] : undefined,
    certificate: props.dns?.cloudFrontCertificate,
    // TLS settings belong to a custom certificate: on the *.cloudfront.net name CloudFront's default certificate
    // fixes them, and aws-cdk-lib warns that they are ignored
    minimumProtocolVersion: props.dns ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
    sslSupportMethod: props.dns ? cloudfront.SSLMethod.SNI : undefined,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
    enableIpv6: true,
  });

  return {
    spaRoutingFunction,
    responseHeadersPolicy,
    originAccessControl,
    distribution,
    hostname,
    releasePointer,
    stagingHostname,
  };
}

/** The security headers policy: HSTS, nosniff, DENY framing, a strict referrer policy, and the CSP when given. */
function createResponseHeadersPolicy(
  scope: Construct,
  contentSecurityPolicy: string | undefined,
): cloudfront.ResponseHeadersPolicy {
  // policy names are unique per account across regions (CloudFront is global), and aws-cdk-lib's default name
  // leaves the region out: the same stack deployed in two regions would collide
  return new cloudfront.ResponseHeadersPolicy(scope, 'ResponseHeaders', {
    responseHeadersPolicyName: accountWideName(scope, 128),
    comment: 'JWT Pizza frontend security headers',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      contentSecurityPolicy:
        contentSecurityPolicy !== undefined ? { contentSecurityPolicy, override: true } : undefined,
    },
  });
}

/**
 * A name for a resource whose names are unique per account across all regions (CloudFront's): the stack's region
 * (a `{ Ref: AWS::Region }` in an environment-agnostic stack), a hyphen, then the construct's unique name, which
 * holds the stack name. The same stack in two regions, or two stacks in one, never collide.
 */
function accountWideName(scope: Construct, maxLength: number): string {
  const unique = Names.uniqueResourceName(scope, { maxLength: maxLength - MAX_REGION_LENGTH - 1 });
  return `${Stack.of(scope).region}-${unique}`;
}
