import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { COMPUTE_FAMILY } from './estimate-compute';
import { DATA_FAMILY } from './estimate-data';
import { EDGE_FAMILY } from './estimate-edge';
import { MONITORING_FAMILY } from './estimate-monitoring';
import { NETWORK_FAMILY } from './estimate-network';
import { SECURITY_FAMILY } from './estimate-security';
import { UNPRICED_FAMILY } from './estimate-unpriced';
import { Estimator, PriceResource, ResourceFamily, round, TemplateResource } from './estimator';
import { EXCLUDED_COSTS, HOURS_PER_MONTH, PRICE_REGION, PRICES_AS_OF } from './price-list';
import { PizzaCostEstimate } from './props';

/** Every family of resources the estimate prices. Each resource type belongs to one family. */
const FAMILIES: readonly ResourceFamily[] = [
  NETWORK_FAMILY,
  COMPUTE_FAMILY,
  DATA_FAMILY,
  SECURITY_FAMILY,
  EDGE_FAMILY,
  MONITORING_FAMILY,
  UNPRICED_FAMILY,
];

/** The function that prices each resource type the estimate prices. */
const PRICERS: ReadonlyMap<string, PriceResource> = new Map(
  FAMILIES.flatMap((family) => Object.entries(family.prices)),
);

/** Resource types the estimate prices, or reads to price another (task definitions, scalable targets). */
const READ_TYPES: ReadonlySet<string> = new Set([
  ...PRICERS.keys(),
  ...FAMILIES.flatMap((family) => family.reads ?? []),
]);

/**
 * The idle monthly cost of `stack`, from the CloudFormation resources it holds now (aspects that have not run yet
 * add nothing), with its line items largest first.
 */
export function estimateStack(stack: Stack): PizzaCostEstimate {
  // Each resource the estimate reads, as the synthesizer writes it (overrides applied, tokens resolved). Only these
  // types are resolved, not the whole template, so the report adds little to synth time.
  const resources: Record<string, TemplateResource> = {};
  const paths = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(child) || !READ_TYPES.has(child.cfnResourceType) || Stack.of(child) !== stack) {
      continue;
    }
    const fragment = stack.resolve((child as any)._toCloudFormation()) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const [id, resource] of Object.entries(fragment.Resources ?? {})) {
      resources[id] = resource;
      paths.set(id, child.node.path);
    }
  }
  const estimator = new Estimator(resources, paths, PRICERS);
  const items = estimator.run().sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  return {
    stackName: Token.isUnresolved(stack.stackName) ? stack.node.path : stack.stackName,
    monthlyUsd: round(items.reduce((sum, item) => sum + item.monthlyUsd, 0)),
    items,
    pricesAsOf: PRICES_AS_OF,
    priceRegion: PRICE_REGION,
    hoursPerMonth: HOURS_PER_MONTH,
    regionNote: regionNote(stack.region),
    excluded: [...EXCLUDED_COSTS],
  };
}

/** How the stack's region relates to the us-east-1 prices. */
function regionNote(region: string): string {
  if (Token.isUnresolved(region)) {
    return `Prices are ${PRICE_REGION} list prices; the stack is environment-agnostic (region unknown at synth).`;
  }
  if (region === PRICE_REGION) {
    return `Prices are ${PRICE_REGION} list prices, the stack's own region.`;
  }
  return `Prices are ${PRICE_REGION} list prices; the stack deploys to ${region}, where most prices are 0-30 % higher.`;
}
