import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One unacknowledged cdk-nag finding. */
export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/**
 * Run cdk-nag's AwsSolutions pack over `scope` (after synthesis, so lazy values are final) and list every
 * unacknowledged error and warning. aws-cdk-lib 2.257 (the library's minimum) does not yet hand the construct tree
 * to validation plugins, so the pack is run directly with `validateScope`, which is what the plugin does on newer
 * versions.
 */
export function nagFindings(scope: IConstruct): NagFinding[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      path: r.constructPath ?? '',
    })),
  );
}

/** Findings for each stack, keyed by stack name, so a failing test shows where. */
export function nagFindingsByStack(stacks: Stack[]): Record<string, NagFinding[]> {
  return Object.fromEntries(stacks.map((s) => [s.stackName, nagFindings(s)]));
}
