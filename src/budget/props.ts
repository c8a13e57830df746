/**
 * Properties of a `PizzaBudget`.
 */
export interface PizzaBudgetProps {
  /**
   * The monthly budget, in US dollars: the account's whole cost for a calendar month.
   *
   * A good value is the stack's idle cost from `PizzaCostReport.estimate(stack)` plus a margin for traffic.
   */
  readonly monthlyUsd: number;

  /** The email address the alerts go to. */
  readonly email: string;

  /**
   * Actual spend, as a percentage of `monthlyUsd`, that sends an email.
   *
   * @default 80
   */
  readonly thresholdPercent?: number;

  /**
   * Forecast spend for the month, as a percentage of `monthlyUsd`, that sends an email (AWS Budgets forecasts from
   * the month so far, once the account has about five weeks of usage data).
   *
   * @default 100
   */
  readonly forecastThresholdPercent?: number;

  /**
   * The budget's name. Budget names are unique in the account, and CloudFormation replaces a budget (creating the
   * new one first) when its name, `email` or a threshold changes: with a fixed name, such a change fails ("already
   * exists"), as does a second copy of the stack. Leave it unset unless a fixed name matters.
   *
   * @default - a name CloudFormation generates (unique, so the changes above just replace the budget)
   */
  readonly budgetName?: string;
}
