// A consumer of the published package, written from DESIGN.md: it must compile and synthesize against the tarball.
import { App, Stack } from 'aws-cdk-lib';
import { PizzaDns } from 'pizza-constructs';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'PizzaConsumer', { env: { account: '123456789012', region: 'us-east-2' } });
const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
if (dns.fqdn('pizza') !== 'pizza.example.com') {
  throw new Error(`unexpected fqdn ${dns.fqdn('pizza')}`);
}
app.synth();
