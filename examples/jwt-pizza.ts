/**
 * The whole JWT Pizza course architecture in one stack, in us-east-1 (the course region): the domain, the SPA on
 * S3 + CloudFront, the service on ECS Fargate behind HTTPS, MySQL on RDS and the GitHub Actions deploy role.
 *
 * In your own app, import from 'pizza-constructs' instead of '../src'.
 * Run: `npx projen synth:example` (or `npx cdk synth --app "npx ts-node examples/jwt-pizza.ts"`).
 */
import { App, Stack } from 'aws-cdk-lib';
import { PizzaCostReport, PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

const app = new App();
PizzaCostReport.of(app); // idle $/month per stack, at synth: an info message and cdk.out/pizza-cost-report.json
const stack = new Stack(app, 'JwtPizza', { env: { account: '123456789012', region: 'us-east-1' } });

const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
const database = new PizzaDatabase(stack, 'Database');
const service = new PizzaService(stack, 'Service', { dns, database, factoryApiKeySecretName: 'pizza/factory-api-key' });
// no `source`: the frontend's GitHub Actions workflow uploads the SPA with the role below (with `source` as well,
// every `cdk deploy` would put the stack's copy back over CI's); the site answers once that workflow has run
const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });
new PizzaGitHubDeployRole(stack, 'GitHub', { owner: 'byucsstudent', frontend, service });

app.synth();
