import { existsSync, statSync } from 'fs';
import { resolve } from 'path';
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_STAGING_SUBDOMAIN, DEFAULT_SUBDOMAIN } from './distribution';
import type { PizzaFrontendProps } from './props';
import { PizzaDns } from '../dns/pizza-dns';
import {
  isConcrete,
  lowerCaseDnsName,
  show,
  validateDnsLabel,
  validateHttpUrl,
  validatePropsShape,
} from '../shared/validation';

/** CloudFront refuses a response headers policy whose Content-Security-Policy value is longer than this. */
const MAX_CSP_LENGTH = 1783;

/** Check `PizzaFrontend` props: throw on what cannot deploy, warn (on `scope`) about what is ignored or unwise. */
export function validateFrontendProps(scope: Construct, props: PizzaFrontendProps): void {
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
    staging: { kind: 'object' },
  });
  validatePropsShape('PizzaFrontend `staging`', props.staging, {
    subdomain: { kind: 'string' },
  });
  validateStaging(props);
  warnUngradedStagingHost(scope, props);
  validatePropsShape('PizzaFrontend `buildOptions`', props.buildOptions, {
    command: { kind: 'string' },
    workingDirectory: { kind: 'string' },
    environment: { kind: 'record' },
  });
  if (props.subdomain !== undefined) {
    validateDnsLabel('subdomain', props.subdomain);
    if (!props.dns) {
      Annotations.of(scope).addWarningV2(
        'pizza-constructs:frontend-subdomain-ignored',
        `\`subdomain\` ${show(props.subdomain)} is ignored without \`dns\`: the site is served on the ` +
          'CloudFront domain name',
      );
    }
  }
  validateHttpUrl('serviceUrl', props.serviceUrl);
  checkMixedContent(scope, props.serviceUrl);
  validateContentSecurityPolicy(props.contentSecurityPolicy);
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
  if (retention !== undefined && props.source === undefined) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:frontend-asset-retention-ignored',
      "`assetRetention` does nothing without `source`: it keeps the previous builds' hashed files that the stack " +
        'deploys from `source`, and without `source` the stack deploys none (a CI job that uploads the files keeps ' +
        'or deletes them itself). Give `source`, or remove `assetRetention`.',
    );
  }
  if (props.responseHeadersPolicy && props.contentSecurityPolicy !== undefined) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:frontend-csp-ignored',
      '`contentSecurityPolicy` is ignored because `responseHeadersPolicy` is given: set the header in that policy',
    );
  }
}

/**
 * Staging needs a domain (the function tells the two sites apart by host name), two different host names, and
 * builds from CI: a `source` deployed by the stack to the bucket's top level would prune the version folders.
 */
function validateStaging(props: PizzaFrontendProps): void {
  const staging = props.staging;
  if (staging === undefined) {
    return;
  }
  const subdomain = staging.subdomain ?? DEFAULT_STAGING_SUBDOMAIN;
  if (staging.subdomain !== undefined) {
    validateDnsLabel('staging.subdomain', staging.subdomain);
  }
  if (!props.dns) {
    throw new Error(
      '`staging` needs `dns`: production and staging are served on two host names of one domain ' +
        `(pizza.DOMAIN and ${lowerCaseDnsName(subdomain)}.DOMAIN), got: dns undefined`,
    );
  }
  const production = props.subdomain ?? DEFAULT_SUBDOMAIN;
  if (isConcrete(subdomain) && isConcrete(production) && lowerCaseDnsName(subdomain) === lowerCaseDnsName(production)) {
    throw new Error(
      `\`staging.subdomain\` must differ from the production \`subdomain\`, got ${show(subdomain)} for both ` +
        '(the course grades staging at "stage-pizza")',
    );
  }
  if (props.source !== undefined) {
    throw new Error(
      `\`staging\` takes its builds from CI (ci.yml uploads each one to its version folder), so \`source\` must not ` +
        `be given, got: ${show(props.source)}. Remove \`source\` (and \`buildOptions\`), or remove \`staging\` to deploy ` +
        'the build from `cdk deploy`.',
    );
  }
}

/**
 * The course's autograder reads `https://stage-pizza.` + the last two labels of the site's host name +
 * `/version.json`: a staging host elsewhere deploys and works, but is not the one graded.
 */
function warnUngradedStagingHost(scope: Construct, props: PizzaFrontendProps): void {
  const domain = props.dns?.domainName;
  if (props.staging === undefined || domain === undefined || !isConcrete(domain)) {
    return;
  }
  const subdomain = lowerCaseDnsName(props.staging.subdomain ?? DEFAULT_STAGING_SUBDOMAIN);
  const labels = domain.toLowerCase().split('.');
  const graded = `stage-pizza.${labels.slice(-2).join('.')}`;
  if (isConcrete(subdomain) && `${subdomain}.${labels.join('.')}` !== graded) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:frontend-staging-host-not-graded',
      `staging is served on ${subdomain}.${domain.toLowerCase()}, but the course's autograder reads ` +
        `https://${graded}/version.json (stage-pizza. and the last two labels of the site's name). For ` +
        'deliverable 7 use a two-label domain and the default `staging.subdomain`; otherwise acknowledge this warning.',
    );
  }
}

/**
 * The site is always HTTPS (CloudFront redirects HTTP), and browsers block an HTTPS page's calls to a plain
 * `http://` URL (mixed content). CloudFront would deploy it all the same, so this is a warning.
 */
function checkMixedContent(scope: Construct, serviceUrl: string | undefined): void {
  if (serviceUrl === undefined || !serviceUrl.startsWith('http://')) {
    return;
  }
  Annotations.of(scope).addWarningV2(
    'pizza-constructs:frontend-mixed-content',
    `\`serviceUrl\` ${isConcrete(serviceUrl) ? show(serviceUrl) : '(a deploy-time URL)'} is plain http:// while ` +
      'the site is served over HTTPS: browsers block such calls (mixed content). Serve the service over HTTPS ' +
      '(give the PizzaService a PizzaDns) and pass its https:// URL.',
  );
}

/** CloudFront refuses control characters in header values and a Content-Security-Policy over 1783 characters. */
function validateContentSecurityPolicy(csp: string | undefined): void {
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
