/**
 * The course autograder's checks of deliverables 5 and 6 that read the deployment rather than the workflow files
 * (devops329/autograder, DeliverableFive.ts, DeliverableSix.ts, GradingTools.ts), replayed on the synthesized quick
 * start (bench/pizza-app.ts, the app the README leads with). The workflow checks are in grader.test.ts.
 *
 * - Deliverable 6: `pizza-service.APEX` (APEX: the last two labels of the site's host) must answer
 *   `dns.resolveCname` with a name matching /elb\.amazonaws\.com/. Only a CNAME record answers that query; an alias A
 *   record gives ENODATA, and the grader stops there.
 * - Deliverable 5: the site answers through CloudFront (its response headers name `cloudfront.net`, as CloudFront's
 *   `Via` header does) with a body holding `JWT Pizza`, and so does `/garbage` (the SPA's deep-link routing).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as vm from 'vm';
import { App, Stack } from 'aws-cdk-lib';
import { buildPizzaApp } from '../bench/pizza-app';
import { PizzaDns, PizzaHostRecordType, PizzaService } from '../src';

/** What `dns.resolveCname(host)` answers for a name of this template: the CNAME's target, or the error code. */
function resolveCname(resources: Record<string, any>, host: string): { target?: any; error?: string } {
  const records = Object.values(resources).filter(
    (r) => r.Type === 'AWS::Route53::RecordSet' && r.Properties.Name === `${host}.`,
  );
  if (records.length === 0) return { error: 'ENOTFOUND' };
  const cname = records.find((r) => r.Properties.Type === 'CNAME');
  return cname ? { target: cname.Properties.ResourceRecords[0] } : { error: 'ENODATA' };
}

/**
 * The DNS name a template value resolves to once deployed, for the two targets this library points names at: an
 * Application Load Balancer's DNSName is `NAME-ID.REGION.elb.amazonaws.com` (ELB API reference,
 * LoadBalancer.DNSName), a distribution's DomainName `ID.cloudfront.net`.
 */
function deployedName(resources: Record<string, any>, value: any, region: string): string {
  const [id, attribute] = value?.['Fn::GetAtt'] ?? [];
  const target = resources[id];
  if (target?.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && attribute === 'DNSName') {
    return `jwtpizza-servi-1a2b3c4d5e6f-1234567890.${region}.elb.amazonaws.com`;
  }
  if (target?.Type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName') {
    return 'd111111abcdef8.cloudfront.net';
  }
  throw new Error(`the record points at something this test does not model: ${JSON.stringify(value)}`);
}

function getHostnameFromWebsite(website: string): string {
  return website.split('.').slice(-2).join('.');
}

function quickStart(paused = false): Record<string, any> {
  const { app, stack } = buildPizzaApp(mkdtempSync(join(tmpdir(), 'pizza-grader-')), 'us-east-1', paused);
  return app.synth().getStackArtifact(stack.artifactId).template.Resources;
}

describe("deliverable 6: pizza-service resolves as a CNAME to the load balancer (the grader's dns.resolveCname)", () => {
  const resources = quickStart();
  const host = `pizza-service.${getHostnameFromWebsite('pizza.example.com')}`;

  test('the quick start passes', () => {
    const { target, error } = resolveCname(resources, host);
    expect(error).toBeUndefined();
    expect(deployedName(resources, target, 'us-east-1')).toMatch(/elb\.amazonaws\.com/);
  });

  test('the load balancer it names is internet-facing (the grader then calls it over HTTPS)', () => {
    const { target } = resolveCname(resources, host);
    const loadBalancer = resources[target['Fn::GetAtt'][0]];
    expect(loadBalancer.Properties.Scheme).toBe('internet-facing');
  });

  test('alias records fail it, as they would on the grader (the check can fail)', () => {
    const stack = new Stack(new App(), 'Alias', { env: { account: '123456789012', region: 'us-east-1' } });
    const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    new PizzaService(stack, 'Service', { dns, hostRecordType: PizzaHostRecordType.ALIAS });
    const aliasResources = App.of(stack)!.synth().getStackArtifact(stack.artifactId).template.Resources;
    expect(resolveCname(aliasResources, host)).toEqual({ error: 'ENODATA' });
  });

  test('paused, the same CNAME points at the paused answer (not graded while paused)', () => {
    const paused = quickStart(true);
    const { target } = resolveCname(paused, host);
    expect(deployedName(paused, target, 'us-east-1')).toMatch(/cloudfront\.net$/);
  });
});

describe('deliverable 5: the site is CloudFront, and /garbage answers the SPA', () => {
  const resources = quickStart();

  test('pizza.example.com points at the distribution, whose responses carry its cloudfront.net Via header', () => {
    const records = Object.values(resources).filter(
      (r: any) => r.Type === 'AWS::Route53::RecordSet' && r.Properties.Name === 'pizza.example.com.',
    ) as any[];
    expect(records.map((r) => r.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      const [id] = record.Properties.AliasTarget.DNSName['Fn::GetAtt'];
      expect(resources[id].Type).toBe('AWS::CloudFront::Distribution');
    }
  });

  test("/garbage and / are answered with the SPA's index.html (upstream titles it JWT Pizza)", () => {
    const functions = Object.values(resources).filter((r: any) => r.Type === 'AWS::CloudFront::Function') as any[];
    const routing = functions.find((f) => /index\.html/.test(f.Properties.FunctionCode));
    const handler = vm.runInNewContext(`${routing.Properties.FunctionCode}\nhandler;`) as (event: any) => any;
    for (const uri of ['/garbage', '/']) {
      const request = { method: 'GET', uri, querystring: {}, headers: {} };
      expect(handler({ version: '1.0', request }).uri).toBe('/index.html');
    }
  });
});
