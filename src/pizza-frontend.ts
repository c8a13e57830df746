import { existsSync, statSync } from 'fs';
import { dirname, resolve } from 'path';
import { Annotations, CfnOutput, CustomResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, IConstruct } from 'constructs';
import { PizzaDns } from './pizza-dns';
import { listKeys, runBuild, serviceUrlInBuild, validateSpaSource } from './private/frontend-source';
import { SPA_ROUTING_FUNCTION_CODE } from './private/frontend-spa-routing';
import { boundCustomResources, handlerCode } from './private/handler-code';
import { acknowledgeNag, NagAcknowledgment, nagResourceText } from './private/nag';
import { isConcrete, show, validateDnsLabel, validateHttpUrl, validatePropsShape } from './private/validation';

/** The subdomain the course (and its grader) expects for the frontend. */
const DEFAULT_SUBDOMAIN = 'pizza';

/** Vite writes content-hashed files here; they are immutable and outlive the build that produced them. */
const ASSETS_DIRECTORY = 'assets';

/** The runtime configuration file the construct writes next to the SPA. */
const CONFIG_FILE = 'config.json';

/** The build-time variable the upstream SPA reads the service URL from (`import.meta.env`). */
const SERVICE_URL_BUILD_VARIABLE = 'VITE_PIZZA_SERVICE_URL';

/** The build command used when `buildOptions.command` is not given. */
const DEFAULT_BUILD_COMMAND = 'npm run build';

/** The distribution's comment (CloudFront allows 128 characters); the host name is added when it fits. */
const DISTRIBUTION_COMMENT = 'JWT Pizza frontend';
const MAX_COMMENT_LENGTH = 128;

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

/** CloudFront refuses a response headers policy whose Content-Security-Policy value is longer than this. */
const MAX_CSP_LENGTH = 1783;

/** HSTS max-age: two years, the value browsers' preload lists ask for. */
const HSTS_MAX_AGE = Duration.days(730);

/** Findings already acknowledged on each stack-level handler (aws-cdk-lib singletons shared by all frontends). */
const acknowledgedOnHandler = new WeakMap<IConstruct, Set<string>>();

/**
 * How `PizzaFrontend` builds the SPA at synth time (optional).
 */
export interface PizzaFrontendBuildOptions {
  /**
   * The shell command that builds the SPA into `source`, e.g. `npm ci && npm run build`.
   *
   * @default 'npm run build'
   */
  readonly command?: string;

  /**
   * The directory the command runs in (the SPA's repository).
   *
   * @default - the parent directory of `source` (`../jwt-pizza` for `../jwt-pizza/dist`)
   */
  readonly workingDirectory?: string;

  /**
   * Extra environment variables for the command, on top of the environment `cdk synth` runs in.
   * `VITE_PIZZA_SERVICE_URL` is set from `serviceUrl` when that is known at synth time; a value given here wins.
   *
   * @default - no extra variables
   */
  readonly environment?: { [name: string]: string };
}

/**
 * Properties for `PizzaFrontend`.
 */
export interface PizzaFrontendProps {
  /**
   * The domain to serve the site on: `subdomain.DOMAIN` with the domain's CloudFront certificate and A/AAAA aliases.
   *
   * @default - no custom domain: the site is served on the distribution's own `*.cloudfront.net` name
   */
  readonly dns?: PizzaDns;

  /**
   * The subdomain of `dns` the site is served on: one DNS label.
   *
   * @default 'pizza'
   */
  readonly subdomain?: string;

  /**
   * The built SPA to deploy: a directory with `index.html` at its top (Vite's `dist/`).
   *
   * When it is not given nothing is uploaded: a CI job uploads the files (see `grantDeploy`).
   *
   * @default - no content is deployed by the stack
   */
  readonly source?: string;

  /**
   * Build the SPA at synth time, before `source` is deployed. Needs `source` (the directory the build writes).
   *
   * (The design calls these the `build` settings; jsii reserves the name `build`, so the prop is `buildOptions`.)
   *
   * @default - `source` is deployed as it is
   */
  readonly buildOptions?: PizzaFrontendBuildOptions;

  /**
   * The URL of the JWT Pizza service, e.g. `https://pizza-service.example.com` (tokens such as `PizzaService.url`
   * are fine). It is written to `/config.json` as `{ "serviceUrl": ... }` at deploy time, and given to the build
   * as `VITE_PIZZA_SERVICE_URL` when it is known at synth time.
   *
   * @default - no `/config.json` is written
   */
  readonly serviceUrl?: string;

  /**
   * The CloudFront price class (which edge locations serve the site).
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * A `Content-Security-Policy` header value to add to every response, e.g. `default-src 'self'`.
   * Ignored when `responseHeadersPolicy` is given.
   *
   * @default - no Content-Security-Policy header
   */
  readonly contentSecurityPolicy?: string;

  /**
   * The response headers policy of the distribution (bring your own).
   *
   * @default - a policy with HSTS (two years, subdomains), `X-Content-Type-Options: nosniff`,
   * `X-Frame-Options: DENY`, `Referrer-Policy: strict-origin-when-cross-origin` and `contentSecurityPolicy`
   */
  readonly responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;

  /**
   * How long the hashed files (`assets/`) of a previous build are kept after the deploy that replaced them, so a
   * tab opened before the deploy can still load its chunks. They are deleted at the first deploy after that time.
   * Whole days, at least one.
   *
   * @default Duration.days(30)
   */
  readonly assetRetention?: Duration;

  /**
   * What happens to the bucket (and its files) when the frontend leaves the stack.
   *
   * @default RemovalPolicy.DESTROY (the bucket is emptied and deleted)
   */
  readonly removalPolicy?: RemovalPolicy;
}

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
 */
export class PizzaFrontend extends Construct {
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

  /** The deployment of the hashed files under `assets/` (no prune); present when `source` is given. */
  public readonly assetDeployment?: s3deploy.BucketDeployment;

  /** The function that deletes previous builds' hashed files after `assetRetention`; present with `source`. */
  public readonly assetCleanupFunction?: lambda.Function;

  constructor(scope: Construct, id: string, props: PizzaFrontendProps = {}) {
    super(scope, id);
    this.validateProps(props);
    const source = this.prepareSource(props);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });

    this.spaRoutingFunction = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'JWT Pizza: deep links without a file extension get /index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_ROUTING_FUNCTION_CODE),
    });

    this.responseHeadersPolicy = props.responseHeadersPolicy ?? this.createResponseHeadersPolicy(props);

    // CloudFront names are unique per account across regions, and aws-cdk-lib's default OAC name leaves the
    // region out: the same stack deployed in two regions of one account would collide ("already exists")
    this.originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      originAccessControlName: accountWideName(this, 64),
      description: 'JWT Pizza frontend: CloudFront reads the private bucket',
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });

    let hostname: string | undefined;
    if (props.dns) {
      hostname = props.dns.claimHostname(props.subdomain ?? DEFAULT_SUBDOMAIN, this.node.path);
    }

    const comment = `${DISTRIBUTION_COMMENT} (${hostname})`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: isConcrete(hostname) && comment.length <= MAX_COMMENT_LENGTH ? comment : DISTRIBUTION_COMMENT,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // LIST lets S3 answer 404 (not 403) for a missing key, so a missing asset is a real 404
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: this.originAccessControl,
          originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [
          { function: this.spaRoutingFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      domainNames: hostname ? [hostname] : undefined,
      certificate: props.dns?.cloudFrontCertificate,
      // TLS settings belong to a custom certificate: on the *.cloudfront.net name CloudFront's default certificate
      // fixes them, and aws-cdk-lib warns that they are ignored
      minimumProtocolVersion: props.dns ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      sslSupportMethod: props.dns ? cloudfront.SSLMethod.SNI : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableIpv6: true,
    });

    if (props.dns && hostname) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      const record = { zone: props.dns.hostedZone, recordName: hostname, target };
      this.aliasRecord = new route53.ARecord(this, 'AliasRecord', record);
      this.aliasRecordIpv6 = new route53.AaaaRecord(this, 'AliasRecordIpv6', record);
      this.domainName = hostname;
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

    if (source) {
      // hashed files first, never pruned: the previous build's index.html (in open tabs) still needs its chunks
      this.assetDeployment = new s3deploy.BucketDeployment(this, 'AssetDeployment', {
        sources: [s3deploy.Source.asset(source)],
        destinationBucket: this.bucket,
        exclude: ['*'],
        include: [`${ASSETS_DIRECTORY}/*`],
        prune: false,
        cacheControl: IMMUTABLE,
        memoryLimit: DEPLOYMENT_MEMORY_MIB,
      });
    }
    const contentSources = source ? [s3deploy.Source.asset(source)] : [];
    if (props.serviceUrl !== undefined) {
      // last, so it wins over a config.json the build may contain
      contentSources.push(s3deploy.Source.jsonData(CONFIG_FILE, { serviceUrl: props.serviceUrl }));
    }
    if (contentSources.length > 0) {
      this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
        sources: contentSources,
        destinationBucket: this.bucket,
        // with a build: replace everything outside assets/ (excluded files are neither uploaded nor pruned);
        // without one only config.json is written, next to whatever a CI job uploads
        exclude: source ? [`${ASSETS_DIRECTORY}/*`] : undefined,
        prune: source !== undefined,
        cacheControl: NO_CACHE,
        memoryLimit: DEPLOYMENT_MEMORY_MIB,
        distribution: this.distribution,
        distributionPaths: source ? ['/*'] : [`/${CONFIG_FILE}`],
      });
      if (this.assetDeployment) {
        this.deployment.node.addDependency(this.assetDeployment);
      }
    }
    if (source && this.deployment) {
      this.assetCleanupFunction = this.createAssetCleanup(source, props.assetRetention ?? DEFAULT_ASSET_RETENTION);
    }

    // LIST (for real 404s) is paired with `defaultRootObject: 'index.html'`, which is what this warning asks for
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'defaultRootObject is index.html, so a request for / never lists the bucket',
    );
    this.acknowledgeNagFindings(hostname !== undefined);
    // aws-cdk-lib's BucketDeployment and auto-delete custom resources: no hour-long wait if a handler never answers
    boundCustomResources(this);
  }

  /**
   * Grant what a CI job needs to deploy the site: `s3:ListBucket` on the bucket; `s3:PutObject` and
   * `s3:DeleteObject` on its objects (what an upload with `aws s3 sync --delete` uses: it never reads objects back); `cloudfront:CreateInvalidation` and
   * `cloudfront:GetInvalidation` (for `aws cloudfront wait invalidation-completed`) on the distribution.
   *
   * @param grantee the principal, e.g. a GitHub Actions role
   */
  public grantDeploy(grantee: iam.IGrantable): iam.Grant {
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
    const objects = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resourceArns: [this.bucket.arnForObjects('*')],
    });
    const invalidate = this.distribution.grant(grantee, 'cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation');
    return list.combine(objects).combine(invalidate);
  }

  private validateProps(props: PizzaFrontendProps): void {
    validatePropsShape('PizzaFrontend', props, {
      dns: { kind: PizzaDns },
      subdomain: { kind: 'string' },
      source: { kind: 'string' },
      buildOptions: { kind: 'object' },
      serviceUrl: { kind: 'string' },
      priceClass: { kind: 'string' },
      contentSecurityPolicy: { kind: 'string' },
      responseHeadersPolicy: { kind: 'object' },
      assetRetention: { kind: Duration },
      removalPolicy: { kind: 'string' },
    });
    validatePropsShape('PizzaFrontend `buildOptions`', props.buildOptions, {
      command: { kind: 'string' },
      workingDirectory: { kind: 'string' },
      environment: { kind: 'record' },
    });
    if (props.subdomain !== undefined) {
      validateDnsLabel('subdomain', props.subdomain);
      if (!props.dns) {
        Annotations.of(this).addWarningV2(
          'pizza-constructs:frontend-subdomain-ignored',
          `\`subdomain\` ${show(props.subdomain)} is ignored without \`dns\`: the site is served on the ` +
            'CloudFront domain name',
        );
      }
    }
    validateHttpUrl('serviceUrl', props.serviceUrl);
    this.checkMixedContent(props.serviceUrl);
    this.validateContentSecurityPolicy(props.contentSecurityPolicy);
    if (props.buildOptions && props.source === undefined) {
      throw new Error(
        '`buildOptions` needs `source`: the directory the build writes the SPA to (e.g. "../jwt-pizza/dist"), got: undefined',
      );
    }
    const workingDirectory = props.buildOptions?.workingDirectory;
    if (workingDirectory !== undefined && !(existsSync(workingDirectory) && statSync(workingDirectory).isDirectory())) {
      throw new Error(
        `\`buildOptions.workingDirectory\` must be an existing directory, got: ${show(workingDirectory)} ` +
          `(resolved to ${show(resolve(workingDirectory))})`,
      );
    }
    const retention = props.assetRetention;
    if (retention !== undefined && !Token.isUnresolved(retention.toMilliseconds())) {
      const days = retention.toMilliseconds() / Duration.days(1).toMilliseconds();
      if (!Number.isInteger(days) || days < 1) {
        throw new Error(
          `\`assetRetention\` must be a whole number of days, at least one, got: ${retention.toHumanString()}`,
        );
      }
    }
    if (props.responseHeadersPolicy && props.contentSecurityPolicy !== undefined) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:frontend-csp-ignored',
        '`contentSecurityPolicy` is ignored because `responseHeadersPolicy` is given: set the header in that policy',
      );
    }
  }

  /**
   * The site is always HTTPS (CloudFront redirects HTTP), and browsers block an HTTPS page's calls to a plain
   * `http://` URL (mixed content). CloudFront would deploy it all the same, so this is a warning.
   */
  private checkMixedContent(serviceUrl: string | undefined): void {
    if (serviceUrl === undefined || !serviceUrl.startsWith('http://')) {
      return;
    }
    Annotations.of(this).addWarningV2(
      'pizza-constructs:frontend-mixed-content',
      `\`serviceUrl\` ${isConcrete(serviceUrl) ? show(serviceUrl) : '(a deploy-time URL)'} is plain http:// while ` +
        'the site is served over HTTPS: browsers block such calls (mixed content). Serve the service over HTTPS ' +
        '(give the PizzaService a PizzaDns) and pass its https:// URL.',
    );
  }

  /** CloudFront refuses control characters in header values and a Content-Security-Policy over 1783 characters. */
  private validateContentSecurityPolicy(csp: string | undefined): void {
    if (!isConcrete(csp)) {
      return;
    }
    if (csp.trim() === '') {
      throw new Error(
        `\`contentSecurityPolicy\` must be a Content-Security-Policy value such as "default-src 'self'", got: ${show(csp)}`,
      );
    }
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u001f\u007f]/.exec(csp);
    if (control) {
      throw new Error(
        `\`contentSecurityPolicy\` must be one line of printable characters (CloudFront refuses control characters ` +
          `in header values), got ${show(control[0])} at position ${control.index} of: ${show(csp)}`,
      );
    }
    if (csp.length > MAX_CSP_LENGTH) {
      throw new Error(
        `\`contentSecurityPolicy\` is ${csp.length} characters: CloudFront accepts at most ${MAX_CSP_LENGTH} in a ` +
          `response headers policy, got: ${show(csp.slice(0, 60))}...`,
      );
    }
  }

  /** Run the build when asked, then check the directory that will be deployed. */
  private prepareSource(props: PizzaFrontendProps): string | undefined {
    if (props.source === undefined) {
      return undefined;
    }
    if (props.buildOptions) {
      const environment: Record<string, string> = {};
      if (isConcrete(props.serviceUrl)) {
        environment[SERVICE_URL_BUILD_VARIABLE] = props.serviceUrl;
      } else if (props.serviceUrl !== undefined) {
        Annotations.of(this).addWarningV2(
          'pizza-constructs:frontend-service-url-deploy-time',
          '`serviceUrl` is only known at deploy time, so the build does not get VITE_PIZZA_SERVICE_URL. The ' +
            'upstream jwt-pizza reads the service URL only at build time (it never reads /config.json), so it would ' +
            'call the URL in its .env.production. Give the PizzaService a `dns` (its URL is then known at synth), ' +
            'pass `serviceUrl` as a string such as "https://pizza-service.example.com", or set ' +
            'VITE_PIZZA_SERVICE_URL in `buildOptions.environment`.',
        );
      }
      Object.assign(environment, props.buildOptions.environment ?? {});
      runBuild(
        props.buildOptions.command ?? DEFAULT_BUILD_COMMAND,
        resolve(props.buildOptions.workingDirectory ?? dirname(resolve(props.source))),
        environment,
      );
    }
    validateSpaSource(props.source);
    if (props.serviceUrl !== undefined && isConcrete(props.serviceUrl)) {
      this.checkServiceUrlInBuild(props.source, props.serviceUrl);
    }
    return resolve(props.source);
  }

  /**
   * Warn when the built SPA calls another JWT Pizza service (its code holds another `https://...pizza-service...`
   * URL, such as the instructor's from the upstream .env.production) and neither contains `serviceUrl` nor reads
   * /config.json. A build with no service URL at all (a stand-in, or an app built some other way) gets the same
   * advice as an info message.
   */
  private checkServiceUrlInBuild(source: string, serviceUrl: string): void {
    const { found, other } = serviceUrlInBuild(source, serviceUrl);
    if (found !== 'elsewhere') {
      return;
    }
    const advice =
      'The upstream jwt-pizza reads the service URL at build time (VITE_PIZZA_SERVICE_URL, set in its ' +
      `.env.production). Build it with VITE_PIZZA_SERVICE_URL=${serviceUrl}, or set \`buildOptions\` so the ` +
      'construct runs the build with it. An app that reads /config.json at run time is not warned.';
    const subject = `The SPA in \`source\` (${show(source)}) was not built for \`serviceUrl\` ${show(serviceUrl)}`;
    if (other) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:frontend-service-url-not-in-build',
        `${subject}: it calls ${other}. ${advice}`,
      );
    } else {
      Annotations.of(this).addInfo(`${subject}: no file of it names a service URL. ${advice}`);
    }
  }

  private createResponseHeadersPolicy(props: PizzaFrontendProps): cloudfront.ResponseHeadersPolicy {
    // policy names are unique per account across regions (CloudFront is global), and aws-cdk-lib's default name
    // leaves the region out: the same stack deployed in two regions would collide
    return new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeaders', {
      responseHeadersPolicyName: accountWideName(this, 128),
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
          props.contentSecurityPolicy !== undefined
            ? { contentSecurityPolicy: props.contentSecurityPolicy, override: true }
            : undefined,
      },
    });
  }

  /** The function and custom resource that retire, then delete, previous builds' hashed files. */
  private createAssetCleanup(source: string, retention: Duration): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'AssetCleanupLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'AssetCleanupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Deletes previous JWT Pizza builds from the frontend bucket after their retention',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${ASSETS_DIRECTORY}/*` } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObjectTagging', 's3:DeleteObject'],
        resources: [this.bucket.arnForObjects(`${ASSETS_DIRECTORY}/*`)],
      }),
    );
    const fn = new lambda.Function(this, 'AssetCleanupFunction', {
      description: 'JWT Pizza: deletes previous builds hashed files after their retention',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('asset-cleanup'),
      timeout: Duration.minutes(5),
      role,
      logGroup,
    });
    const cleanup = new CustomResource(this, 'AssetCleanup', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::PizzaFrontendAssetCleanup',
      // the function answers within its own 5-minute timeout; never leave a stack waiting the default hour
      serviceTimeout: Duration.minutes(10),
      properties: {
        BucketName: this.bucket.bucketName,
        Prefix: `${ASSETS_DIRECTORY}/`,
        RetentionDays: String(retention.toDays()),
        CurrentKeys: listKeys(source, ASSETS_DIRECTORY),
      },
    });
    // after the new index.html is live: only then are the old build's files really retired
    if (this.deployment) {
      cleanup.node.addDependency(this.deployment);
    }
    return fn;
  }

  private acknowledgeNagFindings(hasCustomDomain: boolean): void {
    acknowledgeNag(this.bucket.node.defaultChild!, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'The bucket is private and read only by CloudFront through origin access control; a server access log ' +
          'bucket would only repeat what CloudFront metrics already show, for a second bucket per site.',
      },
    ]);
    acknowledgeNag(this.distribution.node.defaultChild!, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'JWT Pizza is a public site for everyone; there is no country to block.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'A static SPA from a private bucket has no server-side attack surface a WAF rule would protect, and a ' +
          'web ACL costs money every month (the course deliberately runs without one).',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Standard access logs need an extra ACL-enabled log bucket; CloudFront metrics cover what this site needs.',
      },
      ...(hasCustomDomain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without `dns` the site is served on the *.cloudfront.net name, whose CloudFront default certificate ' +
                'fixes the TLS policy; give the frontend a PizzaDns to serve TLSv1.2_2021 on its own certificate.',
            },
          ]),
    ]);
    const bucketObjects = nagResourceText(this, this.bucket.arnForObjects('*'));
    const assetObjects = nagResourceText(this, this.bucket.arnForObjects(`${ASSETS_DIRECTORY}/*`));
    const cleanupRole = this.assetCleanupFunction?.role;
    if (cleanupRole && assetObjects) {
      acknowledgeNag(cleanupRole, [
        {
          id: `AwsSolutions-IAM5[Resource::${assetObjects}]`,
          reason:
            'The cleanup reads, tags and deletes files under assets/, whose content-hashed names are not known ' +
            'before the build; it is limited to that prefix.',
        },
      ]);
    }
    const deployments = [this.assetDeployment, this.deployment].filter((d) => d !== undefined);
    if (deployments.length > 0) {
      this.acknowledgeDeploymentHandler(deployments, bucketObjects);
    }
  }

  /**
   * aws-cdk-lib's BucketDeployment handler is one Lambda function per stack (a singleton at the stack's top, whose id
   * starts with `Custom::CDKBucketDeployment`); its role gets aws-cdk-lib's grants for each deployment.
   */
  private acknowledgeDeploymentHandler(deployments: s3deploy.BucketDeployment[], bucketObjects?: string): void {
    const stack = Stack.of(this);
    const handlers = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    // the files come from the CDK asset bucket (the stack synthesizer's), named after account, region and qualifier
    const sourceObjects = new Set<string>();
    for (const asset of deployments.flatMap((d) => d.node.findAll()).filter((c) => c instanceof s3assets.Asset)) {
      // the ARN as aws-cdk-lib builds it for the imported asset bucket (the partition may be literal, e.g. "aws")
      const bucketArn = stack.formatArn({
        service: 's3',
        region: '',
        account: '',
        resource: (asset as s3assets.Asset).s3BucketName,
      });
      const text = nagResourceText(this, `${bucketArn}/*`);
      if (text) {
        sourceObjects.add(text);
      }
    }
    const perFrontend: NagAcknowledgment[] = [
      ...(bucketObjects
        ? [
            {
              id: `AwsSolutions-IAM5[Resource::${bucketObjects}]`,
              reason:
                "aws-cdk-lib's BucketDeployment handler syncs the whole site into this frontend's bucket, whose " +
                'file names are only known at build time.',
            },
          ]
        : []),
      ...[...sourceObjects].map((objects) => ({
        id: `AwsSolutions-IAM5[Resource::${objects}]`,
        reason:
          "aws-cdk-lib's BucketDeployment handler reads the zipped site from the CDK asset bucket, where asset " +
          'object names are content hashes.',
      })),
    ];
    const perStack: NagAcknowledgment[] = [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "The deployment handler is aws-cdk-lib's own custom resource; the managed policy only lets it log.",
      },
      {
        id: 'AwsSolutions-L1',
        reason: "The runtime of aws-cdk-lib's BucketDeployment handler is chosen by aws-cdk-lib, not here.",
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          "aws-cdk-lib's BucketDeployment grants its handler the bucket's standard read/write action groups; it " +
          'needs them to sync and prune, and the grant is scoped to the asset bucket and the frontend bucket.',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "aws-cdk-lib's BucketDeployment grants its handler cloudfront:CreateInvalidation and GetInvalidation on " +
          '"*" (the only wildcard resource in its policy), to invalidate the distribution after an upload.',
      },
    ];
    for (const handler of handlers) {
      const done = acknowledgedOnHandler.get(handler) ?? new Set<string>();
      acknowledgedOnHandler.set(handler, done);
      const fresh = [...perFrontend, ...perStack].filter((a) => !done.has(a.id));
      fresh.forEach((a) => done.add(a.id));
      acknowledgeNag(handler, fresh);
    }
  }
}

/** The longest AWS region name (`ap-southeast-4`, `ap-northeast-3`, ...) with room to spare. */
const MAX_REGION_LENGTH = 16;

/**
 * A name for a resource whose names are unique per account across all regions (CloudFront's): the stack's region
 * (a `{ Ref: AWS::Region }` in an environment-agnostic stack), a hyphen, then the construct's unique name, which
 * holds the stack name. The same stack in two regions, or two stacks in one, never collide.
 */
function accountWideName(scope: Construct, maxLength: number): string {
  const unique = Names.uniqueResourceName(scope, { maxLength: maxLength - MAX_REGION_LENGTH - 1 });
  return `${Stack.of(scope).region}-${unique}`;
}
