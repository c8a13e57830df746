/**
 * One priced line of a stack's idle-cost estimate: `quantity` × `unitMonthlyUsd` = `monthlyUsd`.
 */
export interface PizzaCostLineItem {
  /** The logical id of the CloudFormation resource the cost comes from. */
  readonly logicalId: string;

  /**
   * The construct path of that resource, e.g. `MyStack/Service/LoadBalancer/Resource`.
   *
   * @default - not known (the resource was added by a template override)
   */
  readonly constructPath?: string;

  /** The CloudFormation resource type, e.g. `AWS::ElasticLoadBalancingV2::LoadBalancer`. */
  readonly resourceType: string;

  /** What is charged, e.g. `Application Load Balancer` or `Public IPv4 addresses of the load balancer`. */
  readonly kind: string;

  /** How many units are charged all month, e.g. 2 addresses, 20 GB, 1 task. May be fractional (Spot splits). */
  readonly quantity: number;

  /** The unit of `quantity`, e.g. `load balancer`, `address`, `GB`, `task`. */
  readonly unit: string;

  /** List price of one unit for one month (730 hours), USD. */
  readonly unitMonthlyUsd: number;

  /** `quantity` × `unitMonthlyUsd`, USD per month. */
  readonly monthlyUsd: number;

  /**
   * What was assumed because the template did not say (e.g. a token that only resolves at deploy time), or how the
   * price was derived.
   *
   * @default - nothing assumed: every input was read from the template
   */
  readonly assumption?: string;
}

/**
 * The idle monthly cost of one stack, estimated from its own CloudFormation resources.
 */
export interface PizzaCostEstimate {
  /** The stack's name (its construct path for a nested stack). */
  readonly stackName: string;

  /** Sum of the line items, USD per month. */
  readonly monthlyUsd: number;

  /** The line items, largest first. */
  readonly items: PizzaCostLineItem[];

  /** When the price table was last checked (year-month), e.g. `2026-11`. */
  readonly pricesAsOf: string;

  /** The region the prices are for: always `us-east-1`. */
  readonly priceRegion: string;

  /** Hours in the priced month (730). */
  readonly hoursPerMonth: number;

  /** How the stack's own region relates to the us-east-1 prices. */
  readonly regionNote: string;

  /** Costs that depend on traffic or usage and are not in the estimate (data transfer, LCUs, requests, logs). */
  readonly excluded: string[];
}
