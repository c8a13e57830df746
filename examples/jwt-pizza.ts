/**
 * The whole JWT Pizza course architecture in one stack, in us-east-1 (the course region).
 *
 * In your own app, import from 'pizza-constructs' instead of '../src'.
 * Run: `npx cdk synth --app "npx ts-node examples/jwt-pizza.ts"` (or `npx projen synth:example`).
 */
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDns } from '../src';

const app = new App();
const stack = new Stack(app, 'JwtPizza', { env: { account: '123456789012', region: 'us-east-1' } });

new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });

app.synth();
