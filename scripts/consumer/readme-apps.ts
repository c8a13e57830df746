// The README's and the guides' apps, as a user would build them: every TypeScript snippet of README.md and of the
// Markdown files under docs/ (written into readme-snippets.ts by scripts/consumer-test.mjs, wrapped like rosetta's
// fixture) in its own App and stack, in us-east-1 and in eu-west-1, synthesized against the packed library. Any
// error, or any warning the snippet did not ask for, fails the run.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { SNIPPETS } from './readme-snippets';

const REGIONS = ['us-east-1', 'eu-west-1'];

/**
 * Warnings a snippet causes on purpose (it shows a choice the library or aws-cdk-lib warns about), by a piece of
 * code only that snippet has: `required` must appear, `allowed` may (a warning only some aws-cdk-lib versions give).
 * Every other warning fails the run.
 */
const EXPECTED_WARNINGS: Record<string, { required: string[]; allowed?: string[] }> = {
  // a second service with only a domain: no factory key, no database
  "new PizzaService(this, 'Staging', { dns, subdomain: 'stage-pizza-service' });": {
    required: ['pizza-constructs:service-no-factory-key', 'pizza-constructs:service-no-database'],
  },
  // bring your own image, VPC and credentials, without a domain or a factory key
  'image: ecs.ContainerImage.fromAsset': {
    required: ['pizza-constructs:service-no-https', 'pizza-constructs:service-no-factory-key'],
  },
  // the database snippet's service leaves out the factory key to stay short
  "new PizzaService(this, 'Service', { dns, database });": { required: ['pizza-constructs:service-no-factory-key'] },
  // data and compute in two stacks: the service without a domain or a factory key; aws-cdk-lib >= 2.262 asks for
  // the cross-stack reference strength in cdk.json, which docs/operating.md says to set
  "new PizzaService(compute, 'Service', { database });": {
    required: ['pizza-constructs:service-no-https', 'pizza-constructs:service-no-factory-key'],
    allowed: ['@aws-cdk/core:crossStackReferencesDefaultStrong'],
  },
  // a restore says what it replaces
  "snapshotIdentifier: 'pizzadata-": { required: ['pizza-constructs:database-restore'] },
};

const context = JSON.parse(process.env.PIZZA_CONTEXT ?? '{}');
const outRoot = process.env.PIZZA_OUTDIR ?? 'cdk.out.readme';
const problems: string[] = [];
let synthesized = 0;

for (const region of REGIONS) {
  for (const snippet of SNIPPETS) {
    const outdir = path.join(outRoot, `${region}-${snippet.id}`);
    const app = new App({ outdir, context });
    const where = `${snippet.file} line ${snippet.line} in ${region}`;
    try {
      snippet.build(app, region);
      const assembly = app.synth();
      const messages = assembly.stacks.flatMap((s) => s.messages);
      for (const m of messages.filter((x) => x.level === 'error')) {
        problems.push(`${where}: error at ${m.id}: ${String(m.entry.data)}`);
      }
      const { required, allowed = [] } = expectedFor(snippet.code);
      for (const m of messages.filter((x) => x.level === 'warning')) {
        const text = String(m.entry.data);
        if (![...required, ...allowed].some((id) => text.includes(`[ack: ${id}]`))) {
          problems.push(`${where}: unexpected warning at ${m.id}: ${text}`);
        }
      }
      for (const id of required) {
        if (!messages.some((m) => m.level === 'warning' && String(m.entry.data).includes(`[ack: ${id}]`))) {
          problems.push(`${where}: the expected warning ${id} is gone (update EXPECTED_WARNINGS)`);
        }
      }
      const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
      if (templates.length === 0) {
        problems.push(`${where}: no template was written`);
      }
      synthesized += 1;
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
}

function expectedFor(code: string): { required: string[]; allowed?: string[] } {
  const keys = Object.keys(EXPECTED_WARNINGS).filter((k) => code.includes(k));
  if (keys.length > 1) {
    throw new Error(`EXPECTED_WARNINGS has ${keys.length} keys for one snippet: ${keys.join(', ')}`);
  }
  return keys.length === 1 ? EXPECTED_WARNINGS[keys[0]] : { required: [] };
}

const unused = Object.keys(EXPECTED_WARNINGS).filter((k) => !SNIPPETS.some((s) => s.code.includes(k)));
for (const key of unused) {
  problems.push(`EXPECTED_WARNINGS names a snippet neither the README nor docs/ has: ${JSON.stringify(key)}`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `readme apps: ${synthesized} snippet apps (${SNIPPETS.length} snippets of README.md and docs/ x ${REGIONS.length} regions) synthesized, no error, no unrequested warning`,
);
