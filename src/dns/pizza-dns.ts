import { Annotations, CfnOutput, CustomResource, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { PizzaDnsProps } from './props';
import { AppClaims } from '../shared/app-claims';
import { boundCustomResources } from '../shared/handler-code';
import { LibraryHandler } from '../shared/library-handler';
import { acknowledgeNag } from '../shared/nag';
import {
  isConcrete,
  lowerCaseDnsName,
  show,
  validateDnsLabel,
  validateDomainName,
  validateHostedZoneId,
  validatePropsShape,
} from '../shared/validation';

/** CloudFront only accepts certificates from this region. */
const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** ACM refuses a certificate whose first domain name (`DomainName`) is longer than this. */
const MAX_CERTIFICATE_DOMAIN_LENGTH = 64;

/**
 * The certificate's `Name` tag: ACM tag values may only hold letters, digits, spaces and `_ . : / = + - @`
 * (no parentheses), up to 256 characters.
 */
function certificateName(domainName: string): string {
  return `${domainName} - pizza-constructs`;
}

/** The host names claimed in each app, by hosted zone: two constructs writing one record fail at synth. */
const hostnameClaims = new AppClaims();

/** The domains of the PizzaDns in each stack: a second one for a domain warns (two certificates, maybe two zones). */
const domainClaims = new AppClaims();

/**
 * The domain of a JWT Pizza deployment: its hosted zone and its certificates.
 *
 * - the hosted zone is imported by id, brought as an `IHostedZone`, or created (then its name servers are output
 *   and a synth-time warning says to delegate the domain to them at the registrar);
 * - `certificate`: one DNS-validated certificate for `DOMAIN` and `*.DOMAIN` in the stack's region (for the ALB);
 * - `cloudFrontCertificate`: the same names in us-east-1, as CloudFront requires. In a us-east-1 stack it is the
 *   same certificate; in any other region it is requested in us-east-1 by a custom resource of this stack, so
 *   nothing else is asked of the user's stack. That one is kept when the stack goes (CloudFront releases a
 *   certificate too slowly for its handler to delete it);
 * - a zone it created is emptied of ACM's validation records when it goes (`validationRecordCleanup`), so that
 *   `cdk destroy` and the rollback of a failed first deploy can delete it.
 *
 * The stack must have an explicit region (`env.region`): which certificate CloudFront can use depends on it.
 *
 * One `PizzaDns` per domain per stack: pass it as `dns` to every `PizzaFrontend` and `PizzaService` of the stack. A
 * second one for the same domain (in any case) in the same stack warns (`pizza-constructs:dns-duplicate-domain`): it
 * would request a second pair of certificates and, without `hostedZoneId` or `hostedZone`, create a second hosted
 * zone for the domain, whose records no one sees. The same domain in separate stacks (staging beside production, or
 * two regions) does not warn: a stack cannot use another stack's construct without tying their deploys together,
 * and a certificate is regional, so each stack has its own. Give each of them the domain's `hostedZoneId`, so they
 * share the one zone; host names claimed twice in that zone still fail at synth (see `claimHostname`).
 *
 * @example
 * // the domain's existing hosted zone, by id: no AWS call at synth
 * const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
 * // `pizza.example.com` for the frontend, `pizza-service.example.com` for the service
 * new PizzaFrontend(this, 'Frontend', { dns });
 * new PizzaService(this, 'Service', { dns });
 */
export class PizzaDns extends Construct {
  /** The domain name, e.g. `example.com`. */
  public readonly domainName: string;

  /** The hosted zone the records go into. */
  public readonly hostedZone: route53.IHostedZone;

  /** The hosted zone this construct created, when neither `hostedZoneId` nor `hostedZone` was given. */
  public readonly createdHostedZone?: route53.PublicHostedZone;

  /** Certificate for `DOMAIN` and `*.DOMAIN` in the stack's region, for the load balancer. */
  public readonly certificate: acm.ICertificate;

  /** Certificate for `DOMAIN` and `*.DOMAIN` in us-east-1, for CloudFront. Same as `certificate` in us-east-1. */
  public readonly cloudFrontCertificate: acm.ICertificate;

  /**
   * In a hosted zone this construct created: the custom resource that deletes the certificates' DNS validation
   * records from the zone when the zone goes (after the certificates), so that Route 53 can delete the zone.
   */
  public readonly validationRecordCleanup?: CustomResource;

  private readonly claims = new Map<string, string>();

  constructor(scope: Construct, id: string, props: PizzaDnsProps) {
    super(scope, id);
    this.validateProps(props);
    const region = this.requireRegion();

    this.domainName = lowerCaseDnsName(props.domainName);

    if (props.hostedZone) {
      this.hostedZone = props.hostedZone;
    } else if (props.hostedZoneId) {
      this.hostedZone = route53.PublicHostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: props.hostedZoneId,
        zoneName: this.domainName,
      });
    } else {
      this.createdHostedZone = new route53.PublicHostedZone(this, 'HostedZone', {
        zoneName: this.domainName,
        comment: `JWT Pizza: ${this.domainName} (created by pizza-constructs)`,
      });
      this.hostedZone = this.createdHostedZone;
      new CfnOutput(this, 'NameServers', {
        description: `Name servers of the new hosted zone for ${this.domainName}: set them at your registrar`,
        value: Fn.join(', ', this.createdHostedZone.hostedZoneNameServers!),
      });
      Annotations.of(this).addWarningV2(
        'pizza-constructs:dns-delegation',
        `PizzaDns created a new hosted zone for ${this.domainName}. Delegate the domain to its name servers ` +
          '(stack output NameServers) at your registrar, or pass `hostedZoneId` to use the zone you already have: ' +
          'a second zone for the same domain costs $0.50/month and its records are never seen.',
      );
    }

    this.warnOfSecondDnsForDomain();

    if (this.createdHostedZone) {
      this.validationRecordCleanup = this.cleanUpValidationRecords(this.createdHostedZone);
    }

    const names = { domainName: this.domainName, subjectAlternativeNames: [`*.${this.domainName}`] };
    this.certificate = new acm.Certificate(this, 'Certificate', {
      ...names,
      certificateName: certificateName(this.domainName),
      validation: acm.CertificateValidation.fromDns(this.hostedZone),
    });
    if (this.validationRecordCleanup) {
      this.certificate.node.addDependency(this.validationRecordCleanup);
    }

    if (region === CLOUDFRONT_CERTIFICATE_REGION) {
      this.cloudFrontCertificate = this.certificate;
    } else {
      // aws-cdk-lib deprecates DnsValidatedCertificate (for v3) but offers nothing else that requests a us-east-1
      // certificate from a stack in another region without a second stack; its deprecation notice would be printed
      // on every synth of the user's app for a choice that is the library's, not theirs
      const cloudFrontCertificate = withoutDeprecationNotices(
        () =>
          new acm.DnsValidatedCertificate(this, 'CloudFrontCertificate', {
            ...names,
            hostedZone: this.hostedZone,
            region: CLOUDFRONT_CERTIFICATE_REGION,
            // never: the handler requests a new certificate on any update (a stack tag is enough), and the old one's
            // cleanup would delete the validation record the new one and the regional certificate share; a zone this
            // stack created is emptied by `validationRecordCleanup` when it goes
            cleanupRoute53Records: false,
          }),
      );
      // kept when the stack goes or the handler replaces it (a certificate costs nothing): the handler waits only
      // about three minutes for CloudFront to release a certificate, which often takes longer, and would fail the
      // destroy; kept without a handler property, so existing stacks get no new certificate for it
      const requestor = cloudFrontCertificate.node.findChild('CertificateRequestorResource') as CustomResource;
      requestor.applyRemovalPolicy(RemovalPolicy.RETAIN);
      if (this.validationRecordCleanup) {
        requestor.node.addDependency(this.validationRecordCleanup);
      }
      if (this.createdHostedZone) {
        Annotations.of(this).addWarningV2(
          'pizza-constructs:dns-delegation-deadline',
          `The CloudFront certificate is requested in us-east-1 by a custom resource that waits about 10 minutes for ` +
            `DNS validation: delegate ${this.domainName} to the new zone's name servers during the first deploy, ` +
            'or pass `hostedZoneId` of a zone the registrar already delegates to.',
        );
      }
      this.cloudFrontCertificate = cloudFrontCertificate;
      // aws-cdk-lib's requestor waits for DNS validation up to its own 15-minute timeout: never hold the stack an hour
      boundCustomResources(cloudFrontCertificate);
      acknowledgeNag(cloudFrontCertificate, [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "The certificate requestor is aws-cdk-lib's own custom resource handler; it only writes its logs.",
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'ACM certificate ARNs and Route 53 change ids do not exist before the request; AWS offers no narrower ' +
            'resource for acm:RequestCertificate or route53:GetChange.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: "The runtime of aws-cdk-lib's certificate requestor handler is chosen by aws-cdk-lib, not here.",
        },
      ]);
    }
  }

  /**
   * The custom resource that deletes ACM's validation records from `zone` when the zone goes (see
   * `validationRecordCleanup`). It depends on the zone, and the certificates depend on it: CloudFormation deletes
   * them first, then this resource, then the zone.
   */
  private cleanUpValidationRecords(zone: route53.PublicHostedZone): CustomResource {
    const cleanup = new LibraryHandler(this, 'ValidationRecordCleanup', {
      handler: 'validation-cleanup',
      description: 'JWT Pizza DNS: deletes ACM validation records from the hosted zone PizzaDns created, as it goes',
      resourceType: 'Custom::PizzaDnsValidationRecordCleanup',
      properties: { HostedZoneId: zone.hostedZoneId },
      statements: [
        new iam.PolicyStatement({ actions: ['route53:ListResourceRecordSets'], resources: [zone.hostedZoneArn] }),
        new iam.PolicyStatement({
          actions: ['route53:ChangeResourceRecordSets'],
          resources: [zone.hostedZoneArn],
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsActions': ['DELETE'],
              'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
            },
          },
        }),
      ],
    });
    return cleanup.resource;
  }

  /**
   * Two PizzaDns for one domain in one stack: a second pair of certificates, and a second hosted zone when this one
   * creates it. Warns on the second (see the class documentation for separate stacks, which do not warn).
   */
  private warnOfSecondDnsForDomain(): void {
    if (!isConcrete(this.domainName)) {
      return;
    }
    const stack = Stack.of(this);
    const first = domainClaims.claim(this, `stack ${stack.node.path} domain ${this.domainName}`, this.node.path);
    if (first === undefined) {
      return;
    }
    const zone = this.createdHostedZone
      ? ` and creates another hosted zone for ${this.domainName} (the registrar delegates the domain to one zone: ` +
        "the other's records are never seen)"
      : '';
    Annotations.of(this).addWarningV2(
      'pizza-constructs:dns-duplicate-domain',
      `${this.node.path} is a second PizzaDns for ${this.domainName} in stack ${stack.node.path} (the first is ` +
        `${first}): it requests its own certificates${zone}. Share one PizzaDns: pass ${first} as \`dns\` to every ` +
        'PizzaFrontend and PizzaService of the stack, and remove this one.',
    );
  }

  /**
   * The fully qualified name of `subdomain` in this domain, e.g. `fqdn('pizza')` is `pizza.example.com`.
   *
   * DNS is case-insensitive: the name is lower-cased, so `fqdn('Pizza')` is `pizza.example.com` too.
   *
   * @param subdomain one DNS label (the wildcard certificate covers exactly one level)
   */
  public fqdn(subdomain: string): string {
    validateDnsLabel('subdomain', subdomain);
    return `${lowerCaseDnsName(subdomain)}.${this.domainName}`;
  }

  /**
   * Reserve `subdomain` for one construct and return its fully qualified name.
   *
   * `PizzaFrontend` and `PizzaService` call this for their records, so two constructs that would write the same
   * record (and fail at deploy time) fail at synth time instead. Names are compared in lower case, as DNS compares
   * them: `Pizza` and `pizza` are the same record.
   *
   * @param subdomain one DNS label (in any case: it is lower-cased)
   * @param owner the construct path (or any description) of the construct that owns the record
   */
  public claimHostname(subdomain: string, owner: string): string {
    const name = this.fqdn(subdomain);
    const label = lowerCaseDnsName(subdomain);
    const previous = this.claims.get(name);
    if (previous !== undefined && previous !== owner) {
      throw new Error(
        `\`subdomain\` ${show(subdomain)} (${name}) is already used by ${previous} on this PizzaDns; ` +
          `${owner} needs another subdomain (e.g. "stage-${label}")`,
      );
    }
    // another PizzaDns of this app on the same hosted zone (another stack, staging beside production) writes its
    // records into the same zone: the second record of one name fails the deploy ("already exists")
    const appPrevious = hostnameClaims.claim(this, `${this.zoneKey()} ${name}`, owner);
    if (appPrevious !== undefined) {
      throw new Error(
        `\`subdomain\` ${show(subdomain)} (${name}) is already used by ${appPrevious} in the same hosted zone ` +
          `(another PizzaDns of this app): ${owner} needs another subdomain (e.g. "stage-${label}"), or ` +
          'another domain',
      );
    }
    this.claims.set(name, owner);
    return name;
  }

  /** Identifies the hosted zone across the app: its id when known at synth, else the zone construct. */
  private zoneKey(): string {
    const id = this.hostedZone.hostedZoneId;
    return isConcrete(id) ? `zone ${id.replace(/^\/hostedzone\//, '')}` : `construct ${this.hostedZone.node.path}`;
  }

  private validateProps(props: PizzaDnsProps): void {
    validatePropsShape('PizzaDns', props, {
      domainName: { kind: 'string', required: true },
      hostedZoneId: { kind: 'string' },
      hostedZone: { kind: 'object' },
    });
    if (props.domainName === '') {
      throw new Error('`domainName` is required and must be a domain name such as "example.com", got: ""');
    }
    validateDomainName('domainName', lowerCaseDnsName(props.domainName));
    if (isConcrete(props.domainName) && props.domainName.length > MAX_CERTIFICATE_DOMAIN_LENGTH) {
      throw new Error(
        `\`domainName\` ${show(props.domainName)} is ${props.domainName.length} characters: ACM refuses a ` +
          `certificate whose domain name is longer than ${MAX_CERTIFICATE_DOMAIN_LENGTH}, and PizzaDns requests ` +
          `one for the domain itself. Use a domain of at most ${MAX_CERTIFICATE_DOMAIN_LENGTH} characters.`,
      );
    }
    if (props.hostedZone && props.hostedZoneId !== undefined) {
      throw new Error(
        `Give either \`hostedZone\` or \`hostedZoneId\`, not both (got hostedZoneId: ${show(props.hostedZoneId)})`,
      );
    }
    if (props.hostedZoneId !== undefined) {
      validateHostedZoneId('hostedZoneId', props.hostedZoneId);
    }
    if (props.hostedZone && isConcrete(props.hostedZone.zoneName) && isConcrete(props.domainName)) {
      const zone = props.hostedZone.zoneName.replace(/\.$/, '').toLowerCase();
      const domain = props.domainName.toLowerCase();
      if (domain !== zone && !domain.endsWith(`.${zone}`)) {
        throw new Error(
          `\`hostedZone\` ${show(zone)} is not authoritative for \`domainName\` ${show(domain)}: ` +
            'the zone must be the domain itself or a parent of it',
        );
      }
    }
  }

  private requireRegion(): string {
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      throw new Error(
        `PizzaDns needs a stack with an explicit region: stack ${show(stack.node.path)} is environment-agnostic. ` +
          "Give the stack a literal region, e.g. `env: { region: 'us-east-1' }` (the account may stay the one your " +
          'credentials name at deploy), so the CloudFront certificate can be placed in us-east-1.',
      );
    }
    return stack.region;
  }
}

/**
 * Run `build` with aws-cdk-lib's deprecation notices (`JSII_DEPRECATED`) quiet, for a deprecated class the library
 * uses on purpose; the user's own setting is restored afterwards, so their own deprecated calls still warn or fail.
 */
function withoutDeprecationNotices<T>(build: () => T): T {
  const previous = process.env.JSII_DEPRECATED;
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return build();
  } finally {
    if (previous === undefined) {
      delete process.env.JSII_DEPRECATED;
    } else {
      process.env.JSII_DEPRECATED = previous;
    }
  }
}
