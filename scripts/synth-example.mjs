#!/usr/bin/env node
// The main job: synthesize the example JWT Pizza app (examples/jwt-pizza.ts) into cdk.out with the CDK CLI and
// print what it made: stacks, resource counts by type, outputs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const app = process.argv[2] ?? 'examples/jwt-pizza.ts';
const outdir = 'cdk.out';
const started = process.hrtime.bigint();
execFileSync(
  'npx',
  ['cdk', 'synth', '--app', `npx ts-node --prefer-ts-exts ${app}`, '--output', outdir, '--quiet', '--no-notices', '--no-version-reporting'],
  { stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' } },
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf-8'));
const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
const costFile = join(outdir, 'pizza-cost-report.json');
const costs = existsSync(costFile) ? JSON.parse(readFileSync(costFile, 'utf-8')) : undefined;
console.log(`\nSynthesized ${app} into ${outdir}/ in ${seconds.toFixed(1)} s: ${stacks.length} stack(s)`);
for (const [name, artifact] of stacks) {
  const template = JSON.parse(readFileSync(join(outdir, artifact.properties.templateFile), 'utf-8'));
  const resources = Object.values(template.Resources ?? {});
  const byType = {};
  for (const r of resources) byType[r.Type] = (byType[r.Type] ?? 0) + 1;
  const estimate = costs?.stacks?.find((s) => s.stackName === name);
  const cost = estimate ? `, idle about $${estimate.monthlyUsd.toFixed(2)}/month (us-east-1 list prices of ${costs.pricesAsOf})` : '';
  console.log(`\n${name} (${artifact.environment.replace('aws://', '')}): ${resources.length} resources${cost}`);
  for (const [type, count] of Object.entries(byType).sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
  const outputs = Object.entries(template.Outputs ?? {});
  if (outputs.length > 0) {
    console.log('  outputs:');
    for (const [key, o] of outputs) console.log(`    ${key}${o.Description ? ` - ${o.Description}` : ''}`);
  }
}

// the example's values are placeholders: say so, and what comes next
console.log(
  [
    '',
    'Placeholders: the account 123456789012, the domain example.com, the hosted zone Z0123456789ABC and the GitHub',
    'owner byucsstudent are made up. Your own app: `npx pizza-constructs init my-app --domain YOUR_DOMAIN --zone',
    'YOUR_ZONE_ID --owner YOUR_GITHUB_USER`, then in it:',
    '  1. npm install && npx cdk synth        (no AWS credentials needed)',
    '  2. npx cdk bootstrap                   (once per account and region, with credentials)',
    '  3. create the pizza factory key secret (see its README), then npx cdk deploy',
    '  4. set the GitHub Actions variables from the stack outputs, and push: CI uploads the SPA and the image',
  ].join('\n'),
);
