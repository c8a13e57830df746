/**
 * What `cdk deploy` prints: each PizzaFrontend and PizzaService outputs its URL and its distribution or load
 * balancer, with a description naming the construct, and two of them in one stack never collide.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PizzaDns, PizzaFrontend, PizzaService } from '../src';

function outputs(stack: Stack): Record<string, { Description: string; Value: unknown }> {
  return Template.fromStack(stack).findOutputs('*') as any;
}

function byDescription(stack: Stack, pattern: RegExp): { id: string; value: unknown }[] {
  return Object.entries(outputs(stack))
    .filter(([, o]) => pattern.test(o.Description))
    .map(([id, o]) => ({ id, value: stack.resolve(o.Value) }));
}

test('the frontend and the service output their URLs, distribution and load balancer', () => {
  const stack = new Stack(new App(), 'Pizza', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const service = new PizzaService(stack, 'Service', { dns });
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });
  expect(byDescription(stack, /^JWT Pizza site URL \(Pizza\/Frontend\)$/)).toEqual([
    { id: expect.stringMatching(/^FrontendUrl/), value: 'https://pizza.example.com' },
  ]);
  expect(byDescription(stack, /^JWT Pizza CloudFront distribution/)).toEqual([
    {
      id: expect.stringMatching(/^FrontendDistributionId/),
      value: stack.resolve(frontend.distribution.distributionId),
    },
  ]);
  expect(byDescription(stack, /^JWT Pizza service URL \(Pizza\/Service\)$/)).toEqual([
    { id: expect.stringMatching(/^ServiceUrl/), value: 'https://pizza-service.example.com' },
  ]);
  expect(byDescription(stack, /^JWT Pizza service load balancer/)).toEqual([
    {
      id: expect.stringMatching(/^ServiceLoadBalancerDnsName/),
      value: stack.resolve(service.loadBalancer.loadBalancerDnsName),
    },
  ]);
});

test('staging and production in one stack: every output has its own logical id and names its construct', () => {
  const stack = new Stack(new App(), 'Pizza', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  for (const [name, prefix] of [
    ['Production', ''],
    ['Staging', 'stage-'],
  ]) {
    const service = new PizzaService(stack, `${name}Service`, { dns, subdomain: `${prefix}pizza-service` });
    new PizzaFrontend(stack, `${name}Frontend`, { dns, subdomain: `${prefix}pizza`, serviceUrl: service.url });
  }
  const urls = byDescription(stack, /URL/);
  expect(urls.map((u) => u.value).sort()).toEqual([
    'https://pizza-service.example.com',
    'https://pizza.example.com',
    'https://stage-pizza-service.example.com',
    'https://stage-pizza.example.com',
  ]);
  expect(new Set(urls.map((u) => u.id)).size).toBe(4);
  expect(Object.keys(outputs(stack))).toHaveLength(8);
});
