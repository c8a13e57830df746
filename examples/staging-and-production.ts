/**
 * Staging and production side by side in one stack on one domain: `pizza` / `pizza-service` for production,
 * `stage-pizza` / `stage-pizza-service` for staging, each with its own database, and one deploy role per
 * environment (the staging role trusts the `staging` GitHub environment only). Both services share one load
 * balancer (host rules), in one VPC with both databases: one ALB and its public addresses instead of two.
 *
 * Pause staging between assignments with `-c pauseStaging=true` (no load balancer rule, no task, the database
 * stopped); deploy again without it to resume.
 *
 * Run: `npx cdk synth --app "npx ts-node examples/staging-and-production.ts"`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaLoadBalancer, PizzaService } from '../src';

const app = new App();
const stack = new Stack(app, 'JwtPizzaEnvironments', { env: { account: '123456789012', region: 'us-east-1' } });
const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
// one internet-facing load balancer (and VPC) for both environments
const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
const pauseStaging = app.node.tryGetContext('pauseStaging') === 'true';

for (const [name, prefix] of [
  ['Production', ''],
  ['Staging', 'stage-'],
]) {
  const paused = name === 'Staging' && pauseStaging;
  const database = new PizzaDatabase(stack, `${name}Database`, { vpc: loadBalancer.vpc, paused });
  const service = new PizzaService(stack, `${name}Service`, {
    dns,
    database,
    loadBalancer,
    paused,
    subdomain: `${prefix}pizza-service`,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  const frontend = new PizzaFrontend(stack, `${name}Frontend`, {
    dns,
    subdomain: `${prefix}pizza`,
    // no `source`: the environment's CI job uploads the SPA (a `cdk deploy` would put `source` back over it)
    serviceUrl: service.url,
  });
  new PizzaGitHubDeployRole(stack, `${name}GitHub`, {
    owner: 'byucsstudent',
    frontend,
    service,
    branches: [],
    environments: [name.toLowerCase()],
  });
}

app.synth();
