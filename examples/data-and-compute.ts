/**
 * Data and compute in two stacks: the database (and its VPC) in one, everything else in the other, so
 * `cdk destroy JwtPizzaCompute` stops the hourly charges of the load balancer and tasks while the data stays.
 *
 * Run: `npx cdk synth --app "npx ts-node examples/data-and-compute.ts"`; deploy both with `cdk deploy --all`.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaService } from '../src';

// the compute stack reads the database's security group, secret and subnets from the data stack. "strong" (CloudFormation
// exports) keeps the data stack from being deleted while the compute stack uses it; aws-cdk-lib >= 2.254 asks for the
// choice to be explicit (put it in cdk.json in your own app)
const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
const env = { account: '123456789012', region: 'us-east-1' };

const data = new Stack(app, 'JwtPizzaData', { env, terminationProtection: true });
const database = new PizzaDatabase(data, 'Database', { deletionProtection: true });

const compute = new Stack(app, 'JwtPizzaCompute', { env });
const dns = new PizzaDns(compute, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
const service = new PizzaService(compute, 'Service', {
  dns,
  database,
  factoryApiKeySecretName: 'pizza/factory-api-key',
});
new PizzaFrontend(compute, 'Frontend', { dns, source: path.join(__dirname, 'spa-dist'), serviceUrl: service.url });

app.synth();
