/**
 * One side of the benchmark as a whole program, the way `cdk synth` runs an app: `node -r ts-node/register
 * bench/run-app.ts pizza|pattern` synthesizes into `CDK_OUTDIR`.
 */
import { buildPatternApp } from './pattern-app';
import { buildPizzaApp } from './pizza-app';

const side = process.argv[2];
const build = side === 'pizza' ? buildPizzaApp : side === 'pattern' ? buildPatternApp : undefined;
if (!build) {
  throw new Error(`usage: run-app.ts pizza|pattern, got: ${side}`);
}
build(process.env.CDK_OUTDIR ?? 'cdk.out').app.synth();
