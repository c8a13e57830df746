// A consumer of the published package, written from DESIGN.md ("What a user writes"): it must compile and
// synthesize against the packed tarball, in us-east-2 so the cross-region CloudFront certificate is exercised too.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import {
  PizzaCostReport,
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaGitHubDeployRole,
  PizzaService,
} from 'pizza-constructs';

// a stand-in for `jwt-pizza/dist`
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'pizza-dist-'));
fs.mkdirSync(path.join(dist, 'assets'));
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script src="/assets/index-1a2b3c.js"></script>');
fs.writeFileSync(path.join(dist, 'assets', 'index-1a2b3c.js'), 'console.log("pizza");');

const app = new App(); // the CDK CLI's --output, or cdk.out
PizzaCostReport.of(app);

class PizzaStack extends Stack {
  constructor(scope: App, id: string) {
    super(scope, id, { env: { account: '123456789012', region: 'us-east-2' } });
    const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    const database = new PizzaDatabase(this, 'Database');
    const service = new PizzaService(this, 'Service', {
      dns,
      database,
      factoryApiKeySecretName: 'pizza/factory-api-key',
    });
    const frontend = new PizzaFrontend(this, 'Frontend', { dns, source: dist, serviceUrl: service.url });
    new PizzaGitHubDeployRole(this, 'GitHub', { owner: 'byucsstudent', frontend, service });
    if (dns.fqdn('pizza') !== 'pizza.example.com' || frontend.url !== 'https://pizza.example.com') {
      throw new Error(`unexpected names: ${dns.fqdn('pizza')} ${frontend.url}`);
    }
  }
}

new PizzaStack(app, 'PizzaConsumer');
const assembly = app.synth();
if (!fs.existsSync(path.join(assembly.directory, PizzaCostReport.FILE_NAME))) {
  throw new Error('the cost report was not written into the cloud assembly');
}
