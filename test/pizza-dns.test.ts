import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { nagFindings } from './nag';
import { PizzaDns, PizzaFrontend, PizzaService } from '../src';

const ACCOUNT = '123456789012';

function stackIn(region: string | undefined): Stack {
  return new Stack(new App(), 'Test', region ? { env: { account: ACCOUNT, region } } : {});
}

describe('PizzaDns', () => {
  describe('in us-east-1', () => {
    let stack: Stack;
    let dns: PizzaDns;
    beforeEach(() => {
      stack = stackIn('us-east-1');
      dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    });

    test('imports the hosted zone by id without creating one', () => {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Route53::HostedZone', 0);
      expect(stack.resolve(dns.hostedZone.hostedZoneId)).toBe('Z0123456789ABC');
      expect(dns.hostedZone.zoneName).toBe('example.com');
    });

    test('requests one DNS-validated certificate for the domain and its wildcard', () => {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'example.com',
        SubjectAlternativeNames: ['*.example.com'],
        ValidationMethod: 'DNS',
        // one validation record serves the domain and its wildcard
        DomainValidationOptions: [{ DomainName: 'example.com', HostedZoneId: 'Z0123456789ABC' }],
      });
    });

    test('names the certificate with a Name tag ACM accepts (letters, digits, spaces and _ . : / = + - @)', () => {
      const certificate = Template.fromStack(stack).findResources('AWS::CertificateManager::Certificate');
      const tags = (Object.values(certificate)[0] as any).Properties.Tags;
      expect(tags).toEqual([{ Key: 'Name', Value: 'example.com - pizza-constructs' }]);
      expect(tags[0].Value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    });

    test('uses the same certificate for CloudFront and needs no custom resource', () => {
      expect(dns.cloudFrontCertificate).toBe(dns.certificate);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudFormation::CustomResource', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('fqdn joins a subdomain to the domain', () => {
      expect(dns.fqdn('pizza')).toBe('pizza.example.com');
      expect(dns.fqdn('pizza-service')).toBe('pizza-service.example.com');
    });

    test('keeps a stable logical id for the certificate', () => {
      const ids = Object.keys(Template.fromStack(stack).findResources('AWS::CertificateManager::Certificate'));
      expect(ids).toEqual(['DnsCertificateEFDADC48']);
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  describe('in us-east-2', () => {
    let stack: Stack;
    let dns: PizzaDns;
    beforeEach(() => {
      stack = stackIn('us-east-2');
      dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    });

    test('requests the regional certificate in the stack and a CloudFront one in us-east-1', () => {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
      template.hasResourceProperties('AWS::CloudFormation::CustomResource', {
        DomainName: 'example.com',
        SubjectAlternativeNames: ['*.example.com'],
        HostedZoneId: 'Z0123456789ABC',
        Region: 'us-east-1',
      });
      expect(dns.cloudFrontCertificate).not.toBe(dns.certificate);
      expect(stack.resolve(dns.cloudFrontCertificate.certificateArn)).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DnsCloudFrontCertificateCertificateRequestorResource/), 'Arn'],
      });
    });

    test("keeps aws-cdk-lib's deprecation notice of its certificate requestor from the user, and their setting", () => {
      const previous = process.env.JSII_DEPRECATED;
      try {
        // 'fail' turns every deprecated call into an error: the library's own use of DnsValidatedCertificate must
        // not be one, and the user's setting must be back in force afterwards
        process.env.JSII_DEPRECATED = 'fail';
        expect(
          () => new PizzaDns(stackIn('us-east-2'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' }),
        ).not.toThrow();
        expect(process.env.JSII_DEPRECATED).toBe('fail');
        delete process.env.JSII_DEPRECATED;
        new PizzaDns(stackIn('us-east-2'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
        expect(process.env.JSII_DEPRECATED).toBeUndefined();
      } finally {
        process.env.JSII_DEPRECATED = previous;
      }
    });

    test('lets the requestor write validation records only in the zone', () => {
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'route53:changeResourceRecordSets',
              Resource: {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0123456789ABC']],
              },
            }),
          ]),
        },
      });
    });

    test('acknowledges the custom resource findings for cdk-nag 3 and writes them for cdk-nag 2', () => {
      expect(nagFindings(stack)).toEqual([]);
      const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
      const role = Object.values(roles)[0] as { Metadata: { cdk_nag: { rules_to_suppress: unknown[] } } };
      expect(role.Metadata.cdk_nag.rules_to_suppress).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'], reason: expect.any(String) }),
          expect.objectContaining({ id: 'AwsSolutions-IAM4', reason: expect.any(String) }),
        ]),
      );
    });
  });

  describe('hosted zone', () => {
    test('creates a public hosted zone when none is given, outputs its name servers and warns', () => {
      const stack = stackIn('us-east-1');
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com' });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Route53::HostedZone', { Name: 'example.com.' });
      template.hasOutput('*', {
        Value: { 'Fn::Join': [', ', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DnsHostedZone'), 'NameServers'] }] },
      });
      Annotations.fromStack(stack).hasWarning('/Test/Dns', Match.stringLikeRegexp('Delegate the domain'));
      expect(dns.createdHostedZone).toBeDefined();
      expect(dns.hostedZone).toBe(dns.createdHostedZone);
    });

    test.each(['us-east-1', 'us-east-2'])(
      'in %s, a zone it created is emptied of the validation records after the certificates go, before the zone',
      (region) => {
        const stack = stackIn(region);
        const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com' });
        const template = Template.fromStack(stack);
        const cleanups = template.findResources('Custom::PizzaDnsValidationRecordCleanup');
        expect(Object.values(cleanups)).toHaveLength(1);
        const [cleanupId, cleanup] = Object.entries(cleanups)[0];
        expect(stack.resolve(dns.validationRecordCleanup!.ref)).toEqual({ Ref: cleanupId });
        // it names the zone (so it goes before the zone), and every certificate waits for it (so they go first)
        expect(cleanup.Properties.HostedZoneId).toEqual({ Ref: 'DnsHostedZone9A2A44DA' });
        const certificates = {
          ...template.findResources('AWS::CertificateManager::Certificate'),
          ...template.findResources('AWS::CloudFormation::CustomResource'),
        };
        expect(Object.keys(certificates)).toHaveLength(region === 'us-east-1' ? 1 : 2);
        for (const certificate of Object.values(certificates)) {
          expect(certificate.DependsOn).toContain(cleanupId);
        }
        // it may only delete CNAME records, in this zone
        template.hasResourceProperties('AWS::IAM::Policy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Action: 'route53:ChangeResourceRecordSets',
                Effect: 'Allow',
                Resource: Match.anyValue(),
                Condition: {
                  'ForAllValues:StringEquals': {
                    'route53:ChangeResourceRecordSetsActions': ['DELETE'],
                    'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
                  },
                },
              },
            ]),
          },
        });
        expect(nagFindings(stack)).toEqual([]);
      },
    );

    test('outside us-east-1, the us-east-1 certificate never deletes validation records, and is kept on delete', () => {
      const stack = stackIn('us-east-2');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com' });
      const [requestor] = Object.values(
        Template.fromStack(stack).findResources('AWS::CloudFormation::CustomResource'),
      ) as any[];
      expect(requestor.Properties.Region).toBe('us-east-1');
      // the handler replaces the certificate on any update; its cleanup would delete the record the new one shares
      expect(requestor.Properties.CleanupRecords).toBeUndefined();
      // CloudFront releases a certificate slower than the handler waits: kept instead of a failed destroy
      expect(requestor.DeletionPolicy).toBe('Retain');
      expect(requestor.UpdateReplacePolicy).toBe('Retain');
      expect(requestor.Properties.RemovalPolicy).toBeUndefined();
      Annotations.fromStack(stack).hasWarning('/Test/Dns', Match.stringLikeRegexp('waits about 10 minutes'));
    });

    test('an imported zone gets no record cleanup: its records stay', () => {
      const stack = stackIn('us-east-2');
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::PizzaDnsValidationRecordCleanup', 0);
      expect(dns.validationRecordCleanup).toBeUndefined();
      const [resource] = Object.values(template.findResources('AWS::CloudFormation::CustomResource')) as any[];
      expect(resource.Properties.CleanupRecords).toBeUndefined();
    });

    test('keeps a stable logical id for the created hosted zone', () => {
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com' });
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::Route53::HostedZone'))).toEqual([
        'DnsHostedZone9A2A44DA',
      ]);
    });

    test('uses a hosted zone brought as IHostedZone', () => {
      const stack = stackIn('us-east-1');
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'ZBROUGHT123',
        zoneName: 'example.com',
      });
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'pizza.example.com', hostedZone: zone });
      expect(dns.hostedZone).toBe(zone);
      Template.fromStack(stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'pizza.example.com',
        DomainValidationOptions: Match.arrayWith([{ DomainName: 'pizza.example.com', HostedZoneId: 'ZBROUGHT123' }]),
      });
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });

    test('passes a token domain name through unchanged', () => {
      const stack = stackIn('us-east-1');
      const domainName = new CfnParameter(stack, 'Domain').valueAsString;
      const dns = new PizzaDns(stack, 'Dns', { domainName, hostedZoneId: 'Z1' });
      expect(dns.domainName).toBe(domainName);
      Template.fromStack(stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: { Ref: 'Domain' },
      });
    });

    test('lower-cases the domain name', () => {
      const dns = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'Example.COM', hostedZoneId: 'Z1' });
      expect(dns.domainName).toBe('example.com');
    });
  });

  describe('hostname claims', () => {
    test('lower-cases an upper-case subdomain (DNS is case-insensitive)', () => {
      const dns = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'Example.com', hostedZoneId: 'Z1' });
      expect(dns.fqdn('Pizza')).toBe('pizza.example.com');
      expect(dns.fqdn('PIZZA-Service')).toBe('pizza-service.example.com');
      expect(dns.fqdn('x'.repeat(62) + 'X')).toBe(`${'x'.repeat(63)}.example.com`);
      expect(dns.claimHostname('Stage-Pizza', 'Test/Staging')).toBe('stage-pizza.example.com');
    });

    test('leaves a subdomain token as it is', () => {
      const stack = stackIn('us-east-1');
      const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      const subdomain = new CfnParameter(stack, 'Subdomain').valueAsString;
      expect(dns.fqdn(subdomain)).toBe(`${subdomain}.example.com`);
      expect(stack.resolve(dns.fqdn(subdomain))).toEqual({ 'Fn::Join': ['', [{ Ref: 'Subdomain' }, '.example.com']] });
    });

    test('the same subdomain in another case is the same host name', () => {
      const dns = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(dns.claimHostname('Pizza', 'Test/Production')).toBe('pizza.example.com');
      expect(() => dns.claimHostname('pizza', 'Test/Staging')).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza")',
      );
      expect(() => dns.claimHostname('PIZZA', 'Test/Other')).toThrow(
        '`subdomain` "PIZZA" (pizza.example.com) is already used by Test/Production on this PizzaDns; Test/Other needs another subdomain (e.g. "stage-pizza")',
      );
      // the same owner claiming its own name again (in any case) is no collision
      expect(dns.claimHostname('pizza', 'Test/Production')).toBe('pizza.example.com');
    });

    test('refuses the same subdomain for two owners', () => {
      const dns = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(dns.claimHostname('pizza', 'Test/Production')).toBe('pizza.example.com');
      expect(() => dns.claimHostname('pizza', 'Test/Staging')).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza")',
      );
      expect(dns.claimHostname('stage-pizza', 'Test/Staging')).toBe('stage-pizza.example.com');
    });
  });

  describe('hostname claims across the app', () => {
    test('refuses a host name another PizzaDns of the app already wrote into the same zone', () => {
      const app = new App();
      const env = { account: ACCOUNT, region: 'us-east-1' };
      const production = new Stack(app, 'Production', { env });
      const staging = new Stack(app, 'Staging', { env });
      const props = { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' };
      new PizzaFrontend(production, 'Frontend', { dns: new PizzaDns(production, 'Dns', props) });
      const stagingDns = new PizzaDns(staging, 'Dns', props);
      expect(() => new PizzaFrontend(staging, 'Frontend', { dns: stagingDns })).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Production/Frontend in the same hosted zone (another PizzaDns of this app): Staging/Frontend needs another subdomain (e.g. "stage-pizza"), or another domain',
      );
      expect(() => new PizzaService(staging, 'Service', { dns: stagingDns })).not.toThrow();
      expect(() => new PizzaFrontend(staging, 'Stage', { dns: stagingDns, subdomain: 'stage-pizza' })).not.toThrow();
    });

    test('the same host name in another case, from another PizzaDns of the app, is refused', () => {
      const app = new App();
      const env = { account: ACCOUNT, region: 'us-east-1' };
      const production = new Stack(app, 'Production', { env });
      const staging = new Stack(app, 'Staging', { env });
      const props = { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' };
      new PizzaFrontend(production, 'Frontend', { dns: new PizzaDns(production, 'Dns', props), subdomain: 'Pizza' });
      const stagingDns = new PizzaDns(staging, 'Dns', { ...props, domainName: 'EXAMPLE.com' });
      expect(() => new PizzaFrontend(staging, 'Frontend', { dns: stagingDns })).toThrow(
        '`subdomain` "pizza" (pizza.example.com) is already used by Production/Frontend in the same hosted zone (another PizzaDns of this app): Staging/Frontend needs another subdomain (e.g. "stage-pizza"), or another domain',
      );
    });

    test('the same zone given as an IHostedZone counts as the same zone', () => {
      const app = new App();
      const env = { account: ACCOUNT, region: 'us-east-1' };
      const one = new Stack(app, 'One', { env });
      const two = new Stack(app, 'Two', { env });
      const zone = route53.HostedZone.fromHostedZoneAttributes(two, 'Zone', {
        hostedZoneId: 'Z0123456789ABC',
        zoneName: 'example.com',
      });
      new PizzaDns(one, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' }).claimHostname('a', 'x');
      expect(() =>
        new PizzaDns(two, 'Dns', { domainName: 'example.com', hostedZone: zone }).claimHostname('a', 'y'),
      ).toThrow(/is already used by x in the same hosted zone/);
    });

    test('different zones, and separate apps, do not collide', () => {
      const app = new App();
      const env = { account: ACCOUNT, region: 'us-east-1' };
      const a = new PizzaDns(new Stack(app, 'A', { env }), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      const b = new PizzaDns(new Stack(app, 'B', { env }), 'Dns', { domainName: 'example.org', hostedZoneId: 'Z2' });
      const created = new PizzaDns(new Stack(app, 'C', { env }), 'Dns', { domainName: 'example.com' });
      expect(a.claimHostname('pizza', 'a')).toBe('pizza.example.com');
      expect(b.claimHostname('pizza', 'b')).toBe('pizza.example.org');
      expect(created.claimHostname('pizza', 'c')).toBe('pizza.example.com');
      const other = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(other.claimHostname('pizza', 'elsewhere')).toBe('pizza.example.com');
    });
  });

  describe('two PizzaDns for one domain', () => {
    const DUPLICATE = 'pizza-constructs:dns-duplicate-domain';

    /** The `dns-duplicate-domain` warnings of `stack`, by construct path. */
    function duplicateWarnings(stack: Stack): Array<{ path: string; message: string }> {
      return Annotations.fromStack(stack)
        .findWarning('*', Match.stringLikeRegexp(DUPLICATE))
        .map((w) => ({ path: w.id, message: String(w.entry.data).replace(/\s*\[ack: .*\]$/, '') }));
    }

    test('in one stack: the second warns to share one PizzaDns', () => {
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      new PizzaDns(stack, 'StagingDns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      expect(duplicateWarnings(stack)).toEqual([
        {
          path: '/Test/StagingDns',
          message:
            'Test/StagingDns is a second PizzaDns for example.com in stack Test (the first is Test/Dns): it requests its own certificates. Share one PizzaDns: pass Test/Dns as `dns` to every PizzaFrontend and PizzaService of the stack, and remove this one.',
        },
      ]);
      Template.fromStack(stack).resourceCountIs('AWS::CertificateManager::Certificate', 2);
    });

    test('in one stack, a second that creates a hosted zone: the warning says so too', () => {
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com' });
      new PizzaDns(stack, 'Again', { domainName: 'example.com' });
      expect(duplicateWarnings(stack)).toEqual([
        {
          path: '/Test/Again',
          message:
            "Test/Again is a second PizzaDns for example.com in stack Test (the first is Test/Dns): it requests its own certificates and creates another hosted zone for example.com (the registrar delegates the domain to one zone: the other's records are never seen). Share one PizzaDns: pass Test/Dns as `dns` to every PizzaFrontend and PizzaService of the stack, and remove this one.",
        },
      ]);
    });

    test('the same domain in another case is the same domain', () => {
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'Example.COM', hostedZoneId: 'Z1' });
      new PizzaDns(stack, 'Again', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(duplicateWarnings(stack).map((w) => w.path)).toEqual(['/Test/Again']);
      expect(duplicateWarnings(stack)[0].message).toMatch(
        /^Test\/Again is a second PizzaDns for example\.com in stack Test/,
      );
    });

    test('a third warns as well, naming the first', () => {
      const stack = stackIn('us-east-1');
      for (const id of ['One', 'Two', 'Three']) {
        new PizzaDns(stack, id, { domainName: 'example.com', hostedZoneId: 'Z1' });
      }
      expect(duplicateWarnings(stack).map((w) => [w.path, /\(the first is Test\/One\)/.test(w.message)])).toEqual([
        ['/Test/Two', true],
        ['/Test/Three', true],
      ]);
    });

    test('different domains in one stack: no warning', () => {
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      new PizzaDns(stack, 'Sub', { domainName: 'stage.example.com', hostedZoneId: 'Z1' });
      new PizzaDns(stack, 'Other', { domainName: 'example.org', hostedZoneId: 'Z2' });
      expect(duplicateWarnings(stack)).toEqual([]);
    });

    test('the same domain in two stacks of one app: no warning (each stack needs its own certificates)', () => {
      const app = new App();
      const production = new Stack(app, 'Production', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const staging = new Stack(app, 'Staging', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const west = new Stack(app, 'West', { env: { account: ACCOUNT, region: 'us-west-2' } });
      for (const stack of [production, staging, west]) {
        new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      }
      for (const stack of [production, staging, west]) {
        expect(duplicateWarnings(stack)).toEqual([]);
      }
    });

    test('the same stack id in two apps: no warning', () => {
      new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      const stack = stackIn('us-east-1');
      new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(duplicateWarnings(stack)).toEqual([]);
    });

    test('domain names known only at deploy time are not compared', () => {
      const stack = stackIn('us-east-1');
      const domainName = new CfnParameter(stack, 'Domain').valueAsString;
      new PizzaDns(stack, 'Dns', { domainName, hostedZoneId: 'Z1' });
      new PizzaDns(stack, 'Again', { domainName, hostedZoneId: 'Z1' });
      expect(duplicateWarnings(stack)).toEqual([]);
    });
  });

  describe('bad input', () => {
    test('a domainName longer than ACM accepts for a certificate (64 characters)', () => {
      const domainName = `${'a'.repeat(60)}.example.com`;
      expect(() => new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName, hostedZoneId: 'Z1' })).toThrow(
        `\`domainName\` ${JSON.stringify(domainName)} is 72 characters: ACM refuses a certificate whose domain name is longer than 64, and PizzaDns requests one for the domain itself. Use a domain of at most 64 characters.`,
      );
      const longest = `${'a'.repeat(52)}.example.com`;
      expect(longest).toHaveLength(64);
      expect(
        () => new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: longest, hostedZoneId: 'Z1' }),
      ).not.toThrow();
    });

    test('an environment-agnostic stack', () => {
      expect(() => new PizzaDns(stackIn(undefined), 'Dns', { domainName: 'example.com' })).toThrow(
        /PizzaDns needs a stack with an explicit region: stack "Test" is environment-agnostic/,
      );
    });

    test('an empty domainName', () => {
      expect(() => new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: '' })).toThrow(
        '`domainName` is required and must be a domain name such as "example.com", got: ""',
      );
    });

    test.each([
      ['spaces', 'my domain.com'],
      ['a URL', 'https://example.com'],
      ['one label', 'localhost'],
      ['a trailing dot', 'example.com.'],
      ['a path', 'example.com/pizza'],
      ['a label starting with a hyphen', '-bad.example.com'],
    ])('a domainName with %s', (_, domainName) => {
      expect(() => new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName })).toThrow(
        `\`domainName\` must be a domain name such as "example.com" (two or more lower-case DNS labels separated by dots, no scheme, path, spaces or trailing dot), got: ${JSON.stringify(domainName.toLowerCase())}`,
      );
    });

    test.each(['z0123', '/hostedzone/Z0123456789ABC', 'Z012 345', 'ABC123', ''])(
      'a malformed hostedZoneId %j',
      (hostedZoneId) => {
        expect(() => new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId })).toThrow(
          `\`hostedZoneId\` must be a Route 53 hosted zone id such as "Z0123456789ABC" ("Z" then upper-case letters and digits, without the "/hostedzone/" prefix), got: ${JSON.stringify(hostedZoneId)}`,
        );
      },
    );

    test('both hostedZone and hostedZoneId', () => {
      const stack = stackIn('us-east-1');
      const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z1',
        zoneName: 'example.com',
      });
      expect(
        () => new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZone, hostedZoneId: 'Z0123456789ABC' }),
      ).toThrow('Give either `hostedZone` or `hostedZoneId`, not both (got hostedZoneId: "Z0123456789ABC")');
    });

    test('a hostedZone that is not authoritative for the domain', () => {
      const stack = stackIn('us-east-1');
      const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z1',
        zoneName: 'other.com',
      });
      expect(() => new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZone })).toThrow(
        '`hostedZone` "other.com" is not authoritative for `domainName` "example.com": the zone must be the domain itself or a parent of it',
      );
    });

    test.each([
      '',
      'a.b',
      '-pizza',
      '-Pizza',
      'pizza-',
      'pi zza',
      'pi_zza',
      'Pi_Zza',
      'x'.repeat(64),
      'X'.repeat(64),
      '*',
      'pizzä',
      // the Kelvin sign lower-cases to "k": only ASCII letters are letters of a DNS label
      '\u212Aitchen',
    ])('a subdomain that is not a DNS label: %j', (subdomain) => {
      const dns = new PizzaDns(stackIn('us-east-1'), 'Dns', { domainName: 'example.com', hostedZoneId: 'Z1' });
      expect(() => dns.fqdn(subdomain)).toThrow(
        `\`subdomain\` must be a single DNS label (letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen, no dots; upper case is lower-cased), got: ${JSON.stringify(subdomain)}`,
      );
    });
  });
});
