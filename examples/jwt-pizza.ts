/**
 * The whole JWT Pizza course architecture in one stack, in us-east-1 (the course region): the domain, the SPA on
 * S3 + CloudFront, the service on ECS Fargate behind HTTPS, MySQL on RDS and the GitHub Actions deploy role.
 *
 * In your own app, import from 'pizza-constructs' instead of '../src'.
 * Run: `npx projen synth:example` (or `npx cdk synth --app "npx ts-node examples/jwt-pizza.ts"`).
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PizzaCostReport, PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

const app = new App();
PizzaCostReport.of(app); // idle $/month per stack, at synth: an info message and cdk.out/pizza-cost-report.json
const stack = new Stack(app, 'JwtPizza', { env: { account: '123456789012', region: 'us-east-1' } });

const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
const database = new PizzaDatabase(stack, 'Database');
const service = new PizzaService(stack, 'Service', { dns, database, factoryApiKeySecretName: 'pizza/factory-api-key' });
const frontend = new PizzaFrontend(stack, 'Frontend', {
  dns,
  source: path.join(__dirname, 'spa-dist'), // your `jwt-pizza/dist` after `npm run build`
  serviceUrl: service.url,
});
new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });

app.synth();
