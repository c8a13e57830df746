/** The benchmark's library side: the full example architecture, built with pizza-constructs. */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

export function buildPizzaApp(
  outdir: string,
  region = 'us-east-1',
  paused = false,
  staging = false,
): { app: App; stack: Stack } {
  const app = new App({ outdir });
  const stack = new Stack(app, 'JwtPizza', { env: { account: '123456789012', region } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const database = new PizzaDatabase(stack, 'Database', { paused });
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    paused,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  // with staging the builds come from CI (deliverable 7), so no `source`
  const frontend = new PizzaFrontend(stack, 'Frontend', {
    dns,
    ...(staging ? { staging: {} } : { source: path.join(__dirname, '..', 'examples', 'spa-dist') }),
    serviceUrl: service.url,
  });
  new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });
  return { app, stack };
}
