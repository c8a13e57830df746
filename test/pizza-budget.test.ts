import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { nagFindings } from './nag';
import { PizzaBudget, PizzaBudgetProps } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-2' } });
}

describe('PizzaBudget', () => {
  test('a monthly cost budget in USD, emailing at 80 % of actual and 100 % of forecast spend', () => {
    const stack = newStack();
    const budget = new PizzaBudget(stack, 'Budget', { monthlyUsd: 75, email: 'student@example.com' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Budgets::Budget', 1);
    const subscribers = [{ SubscriptionType: 'EMAIL', Address: 'student@example.com' }];
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 75, Unit: 'USD' } },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            ThresholdType: 'PERCENTAGE',
            Threshold: 80,
          },
          Subscribers: subscribers,
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            ThresholdType: 'PERCENTAGE',
            Threshold: 100,
          },
          Subscribers: subscribers,
        },
      ],
    });
    // notify-only: no budget action (the only kind AWS charges for), no name to collide with
    template.resourceCountIs('AWS::Budgets::BudgetsAction', 0);
    expect(
      Object.values(template.findResources('AWS::Budgets::Budget'))[0].Properties.Budget.BudgetName,
    ).toBeUndefined();
    expect(stack.resolve(budget.budget.ref)).toEqual({ Ref: 'Budget69569A1A' });
    expect(budget.monthlyUsd).toBe(75);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('takes its thresholds and name, and rounds the amount to cents', () => {
    const stack = newStack();
    new PizzaBudget(stack, 'Budget', {
      monthlyUsd: 61.239,
      email: 'a.b+pizza@example.co.uk',
      thresholdPercent: 50,
      forecastThresholdPercent: 120,
      budgetName: 'jwt-pizza monthly',
    });
    const props = Object.values(Template.fromStack(stack).findResources('AWS::Budgets::Budget'))[0].Properties;
    expect(props.Budget.BudgetLimit.Amount).toBe(61.24);
    expect(props.Budget.BudgetName).toBe('jwt-pizza monthly');
    expect(props.NotificationsWithSubscribers.map((n: any) => n.Notification.Threshold)).toEqual([50, 120]);
    expect(props.NotificationsWithSubscribers[0].Subscribers[0].Address).toBe('a.b+pizza@example.co.uk');
  });

  const bad: Array<[string, Partial<PizzaBudgetProps>, string]> = [
    ['no email', { email: undefined }, 'PizzaBudget needs `email` (a string), got: undefined'],
    [
      'an empty email',
      { email: '' },
      '`email` must be one email address such as "student@example.com" (AWS sends the alerts there), got: ""',
    ],
    ['two emails', { email: 'a@example.com,b@example.com' }, '`email` must be one email address'],
    ['an email without a domain', { email: 'student@localhost' }, 'got: "student@localhost"'],
    [
      'a zero amount',
      { monthlyUsd: 0 },
      '`monthlyUsd` must be a positive number of US dollars, from 0.01 to 1000000, got: 0',
    ],
    [
      'a negative amount',
      { monthlyUsd: -5 },
      '`monthlyUsd` must be a positive number of US dollars, from 0.01 to 1000000, got: -5',
    ],
    ['an infinite amount', { monthlyUsd: Infinity }, 'from 0.01 to 1000000, got: Infinity'],
    ['a NaN amount', { monthlyUsd: NaN }, 'PizzaBudget: `monthlyUsd` must be a number, got: number NaN'],
    [
      'a zero threshold',
      { thresholdPercent: 0 },
      '`thresholdPercent` must be a percentage of `monthlyUsd` above 0 and at most 1000, got: 0',
    ],
    [
      'a threshold over 1000 %',
      { forecastThresholdPercent: 5000 },
      '`forecastThresholdPercent` must be a percentage of `monthlyUsd` above 0 and at most 1000, got: 5000',
    ],
    [
      'a name with a colon',
      { budgetName: 'pizza:prod' },
      '`budgetName` must be 1-100 characters without ":" or "\\", got: "pizza:prod"',
    ],
    ['an empty name', { budgetName: '' }, '`budgetName` must be 1-100 characters'],
  ];
  test.each(bad)('fails on %s', (_, override, message) => {
    const props = { monthlyUsd: 75, email: 'student@example.com', ...override } as PizzaBudgetProps;
    expect(() => new PizzaBudget(newStack(), 'Budget', props)).toThrow(message);
  });
});
