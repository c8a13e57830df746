import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { nagFindings } from './nag';
import { PizzaCostReport, PizzaDatabase, PizzaDns, PizzaLoadBalancer, PizzaService } from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(id = 'Test', app = new App()): Stack {
  return new Stack(app, id, { env: ENV });
}

function newDns(stack: Stack, id = 'Dns', domainName = 'example.com', hostedZoneId = 'Z0123456789ABC'): PizzaDns {
  return new PizzaDns(stack, id, { domainName, hostedZoneId });
}

/** Staging and production on one load balancer, as examples/staging-and-production.ts runs them. */
function stagingAndProduction() {
  const stack = newStack();
  const dns = newDns(stack);
  const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
  const production = new PizzaService(stack, 'Production', { dns, loadBalancer });
  const staging = new PizzaService(stack, 'Staging', { dns, loadBalancer, subdomain: 'stage-pizza-service' });
  return { stack, dns, loadBalancer, production, staging, template: Template.fromStack(stack) };
}

describe('PizzaLoadBalancer', () => {
  describe('shared by staging and production', () => {
    let setup: ReturnType<typeof stagingAndProduction>;
    beforeAll(() => {
      setup = stagingAndProduction();
    });

    test('one internet-facing, dual-stack ALB, one HTTPS listener with the certificate and one redirect', () => {
      const { template } = setup;
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        IpAddressType: 'dualstack',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^DnsCertificate') } }],
        DefaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: {
              StatusCode: '404',
              ContentType: 'application/json',
              MessageBody: '{"message":"unknown endpoint"}',
            },
          },
        ],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) },
        ],
      });
    });

    test('each service: its own host rule, target group and host record; the URLs are its host', () => {
      const { template, production, staging, loadBalancer } = setup;
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
      const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')) as any[];
      expect(rules.map((r) => r.Properties.Conditions)).toEqual(
        expect.arrayContaining([
          [{ Field: 'host-header', HostHeaderConfig: { Values: ['pizza-service.example.com'] } }],
          [{ Field: 'host-header', HostHeaderConfig: { Values: ['stage-pizza-service.example.com'] } }],
        ]),
      );
      expect(rules).toHaveLength(2);
      const priorities = rules.map((r) => r.Properties.Priority);
      expect(new Set(priorities).size).toBe(2);
      for (const p of priorities) {
        expect(p).toBeGreaterThanOrEqual(1);
        expect(p).toBeLessThanOrEqual(50000);
      }
      // one CNAME per service, to the shared load balancer (what the course grader resolves)
      template.resourceCountIs('AWS::Route53::RecordSet', 2);
      for (const name of ['pizza-service.example.com.', 'stage-pizza-service.example.com.']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: name,
          Type: 'CNAME',
          ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^LoadBalancer'), 'DNSName'] }],
        });
      }
      expect(production.url).toBe('https://pizza-service.example.com');
      expect(staging.url).toBe('https://stage-pizza-service.example.com');
      expect(production.loadBalancer).toBe(loadBalancer.loadBalancer);
      expect(staging.listener).toBe(loadBalancer.listener);
      expect(production.targetGroup).not.toBe(staging.targetGroup);
      expect(production.vpc).toBe(loadBalancer.vpc);
      template.resourceCountIs('AWS::EC2::VPC', 1);
    });

    test('the security group chain holds: the load balancer reaches each service only on its port', () => {
      const { stack, template, loadBalancer } = setup;
      const lbGroup = stack.resolve(loadBalancer.securityGroup.securityGroupId);
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')) as any[];
      const fromLb = ingress.filter(
        (r) => JSON.stringify(r.Properties.SourceSecurityGroupId) === JSON.stringify(lbGroup),
      );
      expect(fromLb.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([
        [80, 80],
        [80, 80],
      ]);
      const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')) as any[];
      expect(egress.filter((r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(lbGroup))).toHaveLength(2);
      // no one else opens the tasks
      const targets = new Set(fromLb.map((r) => JSON.stringify(r.Properties.GroupId)));
      expect(targets.size).toBe(2);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('load balancer'),
        SecurityGroupEgress: Match.absent(),
      });
    });

    test('costs one load balancer: the cost report prices one ALB and its two IPv4 addresses', () => {
      const estimate = PizzaCostReport.estimate(setup.stack);
      const albs = estimate.items.filter((i) => i.resourceType === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(albs.map((i) => i.kind)).toEqual(
        expect.arrayContaining([expect.stringMatching(/Load Balancer/), expect.stringMatching(/IPv4/)]),
      );
      expect(albs.reduce((sum, i) => sum + i.monthlyUsd, 0)).toBeCloseTo(16.425 + 7.3, 1);
    });

    test('outputs its DNS name; cdk-nag passes with the acknowledged findings', () => {
      const { stack, template } = setup;
      const outputs = Object.values(template.findOutputs('*')).map((o: any) => o.Description);
      expect(outputs).toContain('JWT Pizza shared load balancer (Test/LoadBalancer)');
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  test('reordering the services changes no rule priority (priorities come from the host name)', () => {
    const priorities = (order: string[]) => {
      const stack = newStack();
      const dns = newDns(stack);
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
      for (const sub of order) {
        new PizzaService(stack, sub, { dns, loadBalancer, subdomain: sub });
      }
      const rules = Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
      return Object.fromEntries(
        rules.map((r: any) => [r.Properties.Conditions[0].HostHeaderConfig.Values[0], r.Properties.Priority]),
      );
    };
    expect(priorities(['a', 'b', 'c'])).toEqual(priorities(['c', 'a', 'b']));
  });

  test('a service of another domain brings its certificate to the shared listener', () => {
    const stack = newStack();
    const dns = newDns(stack);
    const other = newDns(stack, 'OtherDns', 'example.org');
    const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
    new PizzaService(stack, 'Service', { dns: other, loadBalancer });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerCertificate', {
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^OtherDnsCertificate') } }],
    });
  });

  test('without dns: HTTP on 80 by host, with a warning', () => {
    const stack = newStack();
    const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer');
    const service = new PizzaService(stack, 'Service', { dns: newDns(stack), loadBalancer });
    expect(service.url).toBe('http://pizza-service.example.com');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    Annotations.fromStack(stack).hasWarning(
      '/Test/LoadBalancer',
      Match.stringLikeRegexp('PizzaLoadBalancer has no `dns`, so its services are served over plain HTTP'),
    );
  });

  test('in the user VPC, IPv4 only; a service in another stack joins it without a dependency cycle', () => {
    const app = new App();
    const network = newStack('Network', app);
    const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const dns = newDns(network);
    const loadBalancer = new PizzaLoadBalancer(network, 'LoadBalancer', { dns, vpc });
    const compute = newStack('Compute', app);
    new PizzaService(compute, 'Service', { dns, loadBalancer });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(network).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      IpAddressType: 'ipv4',
    });
    Template.fromStack(compute).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
  });

  describe('bad input', () => {
    test('a load balancer in another VPC than `vpc`', () => {
      const stack = newStack();
      const dns = newDns(stack);
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
      const vpc = new ec2.Vpc(stack, 'Other', { maxAzs: 2, natGateways: 0 });
      expect(() => new PizzaService(stack, 'Service', { dns, loadBalancer, vpc })).toThrow(
        "`loadBalancer` Test/LoadBalancer is in another VPC than `vpc`: a shared load balancer reaches only tasks in its own VPC (create it with `vpc` set to the service's VPC)",
      );
    });

    test("a load balancer in another VPC than the service's database", () => {
      const stack = newStack();
      const dns = newDns(stack);
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
      const database = new PizzaDatabase(stack, 'Database');
      expect(() => new PizzaService(stack, 'Service', { dns, loadBalancer, database })).toThrow(
        '`loadBalancer` Test/LoadBalancer is in another VPC than `database` Test/Database',
      );
    });

    test('two services with the same host on one load balancer', () => {
      const stack = newStack();
      const dns = newDns(stack);
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
      new PizzaService(stack, 'First', { dns, loadBalancer });
      // one PizzaDns (or one zone) refuses a second claim of the host itself
      expect(() => new PizzaService(stack, 'Second', { dns, loadBalancer })).toThrow(
        '`subdomain` "pizza-service" (pizza-service.example.com) is already used by Test/First',
      );
      // two zones of one name (e.g. a private copy): the load balancer refuses the second rule for the host
      const copy = newDns(stack, 'Copy', 'example.com', 'Z0123456789ABD');
      expect(() => new PizzaService(stack, 'Third', { dns: copy, loadBalancer })).toThrow(
        'Two services on PizzaLoadBalancer Test/LoadBalancer have the host "pizza-service.example.com": Test/First and Test/Third. Give each service its own `subdomain`.',
      );
    });

    test('two hosts whose names give the same rule priority', () => {
      // the load balancer's priority of a host name: a polynomial hash modulo a prime, spread over 1..50000
      const priority = (host: string) =>
        ([...host].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) % 1_000_003, 0) % 50_000) + 1;
      const seen = new Map<number, string>();
      let pair: [string, string] | undefined;
      for (let i = 0; !pair; i++) {
        const sub = `s${i}`;
        const p = priority(`${sub}.example.com`);
        pair = seen.has(p) ? [seen.get(p)!, sub] : undefined;
        seen.set(p, sub);
      }
      const stack = newStack();
      const dns = newDns(stack);
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
      new PizzaService(stack, 'First', { dns, loadBalancer, subdomain: pair[0] });
      expect(() => new PizzaService(stack, 'Second', { dns, loadBalancer, subdomain: pair![1] })).toThrow(
        `The hosts "${pair[0]}.example.com" and "${pair[1]}.example.com" on PizzaLoadBalancer Test/LoadBalancer get the same listener rule priority (${priority(`${pair[0]}.example.com`)}, from their names): change one service's \`subdomain\`.`,
      );
    });

    test('a service on a shared load balancer without dns', () => {
      const stack = newStack();
      const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns: newDns(stack) });
      expect(() => new PizzaService(stack, 'Service', { loadBalancer })).toThrow(
        '`loadBalancer` Test/LoadBalancer routes requests by host name: give the service a `dns` (its host is `subdomain`.DOMAIN)',
      );
    });

    test('props of the wrong kind, and a VPC without public subnets', () => {
      const stack = newStack();
      expect(() => new PizzaLoadBalancer(stack, 'A', { dns: 'example.com' as any })).toThrow(
        'PizzaLoadBalancer: `dns` must be a PizzaDns, got: string "example.com"',
      );
      const vpc = new ec2.Vpc(stack, 'Private', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      expect(() => new PizzaLoadBalancer(stack, 'B', { vpc })).toThrow(
        '`vpc` has no public subnets: PizzaLoadBalancer is internet-facing and needs public subnets',
      );
      expect(() => new PizzaService(stack, 'C', { loadBalancer: {} as any })).toThrow(
        'PizzaService: `loadBalancer` must be a PizzaLoadBalancer, got: an object',
      );
    });
  });
});
