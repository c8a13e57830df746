import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Stack, Stage } from 'aws-cdk-lib';
import { round } from './estimator';
import { EXCLUDED_COSTS, HOURS_PER_MONTH, PRICE_REGION, PRICES_AS_OF } from './price-list';
import { PizzaCostEstimate } from './props';

/** The name of the report file written into the cloud assembly directory (`PizzaCostReport.FILE_NAME`). */
export const REPORT_FILE_NAME = 'pizza-cost-report.json';

/** Id of the info annotation each reported stack gets (acknowledge it to hide it). */
const ANNOTATION_ID = 'pizza-constructs:cost-report';

/** The annotation text already added to a stack, so a forced re-synthesis does not repeat it. */
const annotated = new WeakMap<Stack, string>();

/** The stacks reported so far in each stage's cloud assembly, by construct path. */
const reports = new WeakMap<Stage, Map<string, Record<string, unknown>>>();

/** Adds (once per text) the info annotation with the stack's monthly total and its three largest items. */
export function annotate(stack: Stack, estimate: PizzaCostEstimate): void {
  const largest = estimate.items
    .filter((item) => item.monthlyUsd > 0)
    .slice(0, 3)
    .map((item) => `${item.kind} ${usd(item.monthlyUsd)}`);
  const message =
    `Idle cost estimate: ${usd(estimate.monthlyUsd)}/month at ${estimate.priceRegion} list prices of ` +
    `${estimate.pricesAsOf} (${estimate.hoursPerMonth} h/month)` +
    (largest.length > 0 ? `; largest: ${largest.join(', ')}` : '') +
    `. Traffic-priced costs (data transfer, LCUs, requests, logs) are excluded; line items in ` +
    `${REPORT_FILE_NAME}.`;
  if (annotated.get(stack) === message) {
    return;
  }
  annotated.set(stack, message);
  Annotations.of(stack).addInfoV2(ANNOTATION_ID, message);
}

/**
 * Records the stack's estimate and rewrites the report file of its stage's cloud assembly with every stack reported
 * so far. A stack outside any stage has no assembly: nothing is written.
 */
export function writeReport(stack: Stack, estimate: PizzaCostEstimate): void {
  const stage = Stage.of(stack);
  if (!stage) {
    return;
  }
  let stacks = reports.get(stage);
  if (!stacks) {
    stacks = new Map();
    reports.set(stage, stacks);
  }
  stacks.set(stack.node.path, {
    stackName: estimate.stackName,
    constructPath: stack.node.path,
    monthlyUsd: estimate.monthlyUsd,
    regionNote: estimate.regionNote,
    items: estimate.items,
  });
  const all = [...stacks.values()];
  const document = {
    description:
      'Idle monthly cost of each stack at AWS on-demand list prices, estimated at synth by pizza-constructs ' +
      "PizzaCostReport from each stack's own resources. An estimate, not a bill.",
    pricesAsOf: PRICES_AS_OF,
    priceRegion: PRICE_REGION,
    hoursPerMonth: HOURS_PER_MONTH,
    currency: 'USD',
    totalMonthlyUsd: round(all.reduce((sum, s) => sum + (s.monthlyUsd as number), 0)),
    excluded: [...EXCLUDED_COSTS],
    stacks: all,
  };
  fs.mkdirSync(stage.outdir, { recursive: true });
  fs.writeFileSync(path.join(stage.outdir, REPORT_FILE_NAME), JSON.stringify(document, undefined, 2) + '\n');
}

/** An amount in dollars and cents, e.g. `$16.43`. */
function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
