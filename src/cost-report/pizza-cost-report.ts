import { Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { estimateStack } from './estimate-stack';
import { PRICES_AS_OF } from './price-list';
import { PizzaCostEstimate } from './props';
import { annotate, REPORT_FILE_NAME, writeReport } from './report-writer';
import { show } from '../shared/validation';

/** Marks a scope on which `PizzaCostReport.of` was called, and a stack already registered. */
const ENABLED_SCOPE = Symbol.for('pizza-constructs.PizzaCostReport.scope');
const ENABLED_STACK = Symbol.for('pizza-constructs.PizzaCostReport.stack');

/**
 * Idle-cost report: what each stack costs per month at AWS list prices while nobody uses it.
 *
 * `PizzaCostReport.of(app)` turns the report on for every stack in the app. When the app is synthesized, each
 * stack then gets
 *
 * - an info annotation with its monthly total and largest items (printed by `cdk synth` / `cdk deploy`), and
 * - an entry in `pizza-cost-report.json` in the cloud assembly (`cdk.out`), with every line item, the assumptions
 *   made, the date of the price table and the traffic-priced costs that are excluded.
 *
 * The estimate reads the stack's own CloudFormation resources: load balancers and their public IPv4 addresses,
 * Fargate services (task size, architecture, count, Spot, public IPs), RDS instances (class, storage, Multi-AZ),
 * NAT gateways, Elastic IPs, interface VPC endpoints, secrets, hosted zones, WAF web ACLs, KMS keys and CloudWatch
 * alarms. Prices are us-east-1 on-demand list prices at `PizzaCostReport.PRICES_AS_OF`, 730 hours a month, free
 * tiers not subtracted.
 *
 * @example
 * // in the app's entry point: `cdk synth` then prints each stack's idle cost
 * declare const app: App;
 * PizzaCostReport.of(app);
 *
 * // or in a stack, now: e.g. a budget with room for traffic
 * const estimate = PizzaCostReport.estimate(this);
 * new PizzaBudget(this, 'Budget', {
 *   monthlyUsd: Math.max(10, Math.ceil(estimate.monthlyUsd * 1.25)),
 *   email: 'student@example.com',
 * });
 */
export class PizzaCostReport {
  /** The name of the report file written into the cloud assembly directory. */
  public static readonly FILE_NAME: string = REPORT_FILE_NAME;

  /** When the price table was last checked (year-month). */
  public static readonly PRICES_AS_OF: string = PRICES_AS_OF;

  /**
   * Report the idle cost of every stack in `scope` when the app is synthesized.
   *
   * Calling it again on the same scope, or on a stack already covered, changes nothing.
   *
   * @param scope an `App`, a `Stage` or a `Stack`. Stacks of a `Stage` inside the scope are covered when the stage
   * exists at the time of the call (CDK synthesizes nested stages before the app's own stacks); for a stage created
   * later, call `of` on the stage.
   */
  public static of(scope: IConstruct): void {
    if (!Stage.isStage(scope) && !Stack.isStack(scope)) {
      throw new Error(
        `\`PizzaCostReport.of\` takes an App, a Stage or a Stack, got: ${show(scope.node.path)} ` +
          '(for a construct inside a stack, pass `Stack.of(construct)`)',
      );
    }
    enableScope(scope);
    for (const child of scope.node.findAll()) {
      if (child !== scope && Stage.isStage(child)) {
        enableScope(child);
      }
    }
  }

  /**
   * Estimate the idle monthly cost of one stack now, from the resources it holds.
   *
   * Needs no `of` call and writes nothing. Resources that aspects add at synth are included once the app has been
   * synthesized.
   *
   * @param stack the stack to estimate
   */
  public static estimate(stack: Stack): PizzaCostEstimate {
    return estimateStack(stack);
  }

  private constructor() {}
}

/** Adds (once) the aspect that registers each stack of `scope` for the report. */
function enableScope(scope: IConstruct): void {
  const marked = scope as unknown as Record<symbol, boolean>;
  if (marked[ENABLED_SCOPE]) {
    return;
  }
  marked[ENABLED_SCOPE] = true;
  Aspects.of(scope).add(new CostReportAspect());
  if (Stack.isStack(scope)) {
    enableStack(scope);
  }
}

/** Registers each stack it visits for the report. */
class CostReportAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      enableStack(node);
    }
  }
}

/**
 * Registers `stack` for the report: a validation, which CDK runs after aspects and cross-stack references are
 * resolved and before the stack's template and annotations are written, computes the estimate, annotates the
 * stack and writes the report file. It never reports a validation error.
 */
function enableStack(stack: Stack): void {
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[ENABLED_STACK]) {
    return;
  }
  marked[ENABLED_STACK] = true;
  stack.node.addValidation({
    validate: () => {
      const estimate = estimateStack(stack);
      annotate(stack, estimate);
      writeReport(stack, estimate);
      return [];
    },
  });
}
