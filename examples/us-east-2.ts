/**
 * The course architecture outside us-east-1: everything in us-east-2. PizzaDns requests the CloudFront certificate
 * in us-east-1 by itself (a custom resource of this stack); nothing else changes.
 *
 * Run: `npx cdk synth --app "npx ts-node examples/us-east-2.ts"`.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaService } from '../src';

const app = new App();
const stack = new Stack(app, 'JwtPizzaOhio', { env: { account: '123456789012', region: 'us-east-2' } });

const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
const database = new PizzaDatabase(stack, 'Database');
const service = new PizzaService(stack, 'Service', { dns, database, factoryApiKeySecretName: 'pizza/factory-api-key' });
new PizzaFrontend(stack, 'Frontend', { dns, source: path.join(__dirname, 'spa-dist'), serviceUrl: service.url });

app.synth();
