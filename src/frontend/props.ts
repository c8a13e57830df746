import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { PizzaDns } from '../dns/pizza-dns';

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
 * Staging beside production on one `PizzaFrontend` (the course's deliverable 7): versioned builds in one bucket,
 * `pizza.DOMAIN` and `stage-pizza.DOMAIN` each serving the version its release pointer names.
 */
export interface PizzaFrontendStagingOptions {
  /**
   * The subdomain of `dns` staging is served on: one DNS label, not the production `subdomain`. The course's
   * autograder reads `https://stage-pizza.DOMAIN/version.json`.
   *
   * @default 'stage-pizza'
   */
  readonly subdomain?: string;
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
   * The subdomain of `dns` the site is served on: one DNS label. DNS is case-insensitive: upper-case letters are
   * lower-cased (`Pizza` serves on `pizza.DOMAIN`).
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
   * Whole days, at least one. It applies to the files the stack deploys from `source`: without `source` it does
   * nothing (a synth-time warning says so), and a CI job that uploads the files keeps or deletes them itself.
   *
   * @default Duration.days(30)
   */
  readonly assetRetention?: Duration;

  /**
   * Serve staging beside production from versioned builds (the course's deliverable 7).
   *
   * CI uploads each build to its own folder, `s3://BUCKET/VERSION/` (version `YYYYMMDD.HHMMSS`), and its hashed
   * files to the shared `assets/` folder (kept, so a tab opened on an earlier release still loads its chunks). A
   * CloudFront KeyValueStore, `releasePointer`, holds one version per environment (keys `production` and
   * `staging`): the viewer-request function serves `pizza.DOMAIN` from the version under `production`, and
   * `stage-pizza.DOMAIN` (`staging.subdomain`) from the one under `staging`. CI writes those keys (the example workflows `ci.yml`
   * and `release.yml`), CloudFormation never does: a release or a rollback is live worldwide in seconds, with no
   * invalidation, no distribution update, and no drift for the next `cdk deploy`. While a key is unset that host
   * serves the bucket's top level, as a frontend without staging does.
   *
   * Needs `dns` (the two hosts are told apart by name), and no `source`: the builds come from CI.
   *
   * @default - no staging: one site, served from the bucket's top level
   */
  readonly staging?: PizzaFrontendStagingOptions;

  /**
   * What happens to the bucket (and its files) when the frontend leaves the stack.
   *
   * @default RemovalPolicy.DESTROY (the bucket is emptied and deleted)
   */
  readonly removalPolicy?: RemovalPolicy;
}
