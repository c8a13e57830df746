import { Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';
import { PizzaBudgetProps } from './props';
import { show, validateEmail, validatePropsShape } from '../shared/validation';

/** Actual spend, as a percentage of the budget, that sends the first email. */
const DEFAULT_THRESHOLD_PERCENT = 80;

/** Forecast spend, as a percentage of the budget, that sends the forecast email. */
const DEFAULT_FORECAST_THRESHOLD_PERCENT = 100;

/**
 * AWS Budgets allows thresholds up to 1,000,000 % above the budgeted amount; anything near that is a typo here.
 * Percentages above 1000 are refused with a clear message instead.
 */
const MAX_THRESHOLD_PERCENT = 1000;

/** A budget over a million dollars a month is not a course budget: most likely a typo (cents for dollars). */
const MAX_MONTHLY_USD = 1_000_000;

/** AWS Budgets' limit on a budget's name, and the characters it allows (no `:` or `\`). */
const MAX_BUDGET_NAME_LENGTH = 100;
const BUDGET_NAME = /^[^:\\]+$/;

/**
 * A monthly AWS Budgets cost budget that emails when the account's actual cost passes a threshold, and when the
 * month's forecast passes the budget.
 *
 * The budget covers the whole account (all services, all regions, every stack: AWS bills per account), with
 * the default cost settings of AWS Budgets (unblended cost, taxes, support and credits included). It only notifies:
 * it stops nothing. A budget that only notifies costs nothing (AWS charges only for budgets with actions, after the
 * first two).
 *
 * AWS Budgets checks costs about three times a day, so an email can come hours after the spend; it is a guard
 * against a forgotten deployment, not a real-time alarm. The address receives the emails without confirming it.
 * CloudFormation offers `AWS::Budgets::Budget` in most regions but not all (e.g. not eu-central-2 when this was
 * written): a stack in us-east-1 always has it.
 *
 * @example
 * new PizzaBudget(this, 'Budget', { monthlyUsd: 75, email: 'student@example.com' });
 */
export class PizzaBudget extends Construct {
  /** The AWS Budgets budget. */
  public readonly budget: budgets.CfnBudget;

  /** The budgeted amount, USD per month. */
  public readonly monthlyUsd: number;

  constructor(scope: Construct, id: string, props: PizzaBudgetProps) {
    super(scope, id);
    validatePropsShape('PizzaBudget', props, {
      monthlyUsd: { kind: 'number', required: true },
      email: { kind: 'string', required: true },
      thresholdPercent: { kind: 'number' },
      forecastThresholdPercent: { kind: 'number' },
      budgetName: { kind: 'string' },
    });
    this.validateAmount(props.monthlyUsd);
    validateEmail('email', props.email);
    const actual = props.thresholdPercent ?? DEFAULT_THRESHOLD_PERCENT;
    const forecast = props.forecastThresholdPercent ?? DEFAULT_FORECAST_THRESHOLD_PERCENT;
    this.validatePercent('thresholdPercent', actual);
    this.validatePercent('forecastThresholdPercent', forecast);
    this.validateName(props.budgetName);

    this.monthlyUsd = props.monthlyUsd;
    const subscribers = [{ subscriptionType: 'EMAIL', address: props.email }];
    const notification = (notificationType: string, threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', thresholdType: 'PERCENTAGE', threshold },
      subscribers,
    });
    this.budget = new budgets.CfnBudget(this, 'Resource', {
      budget: {
        budgetName: props.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        // AWS Budgets takes the amount as a decimal string: cents at most
        budgetLimit: { amount: Number(props.monthlyUsd.toFixed(2)), unit: 'USD' },
      },
      notificationsWithSubscribers: [notification('ACTUAL', actual), notification('FORECASTED', forecast)],
    });
  }

  private validateAmount(value: number): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    if (!Number.isFinite(value) || value < 0.01 || value > MAX_MONTHLY_USD) {
      throw new Error(
        `\`monthlyUsd\` must be a positive number of US dollars, from 0.01 to ${MAX_MONTHLY_USD}, got: ${value}`,
      );
    }
  }

  private validatePercent(prop: string, value: number): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    if (!Number.isFinite(value) || value <= 0 || value > MAX_THRESHOLD_PERCENT) {
      throw new Error(
        `\`${prop}\` must be a percentage of \`monthlyUsd\` above 0 and at most ${MAX_THRESHOLD_PERCENT}, ` +
          `got: ${value}`,
      );
    }
  }

  private validateName(value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    if (value.length === 0 || value.length > MAX_BUDGET_NAME_LENGTH || !BUDGET_NAME.test(value)) {
      throw new Error(
        `\`budgetName\` must be 1-${MAX_BUDGET_NAME_LENGTH} characters without ":" or "\\", got: ${show(value)}`,
      );
    }
  }
}
