/**
 * PizzaBudget: a notify-only monthly cost budget, in a stack outside us-east-1 (AWS Budgets is a global service;
 * CloudFormation creates the budget from any region). The assertion reads the budget back from AWS Budgets: its
 * limit, and the two notifications (actual at 80 %, forecast at 100 %).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { synthIntegApp, TEST_ACCOUNT } from './integ-helpers';
import { PizzaBudget } from '../src';

const app = new App();
const env = { account: TEST_ACCOUNT, region: 'us-east-2' };
const BUDGET_NAME = 'pizza-constructs-integ';

const stack = new Stack(app, 'PizzaBudgetInteg', { env });
new PizzaBudget(stack, 'Budget', { monthlyUsd: 10, email: 'budget-alerts@example.com', budgetName: BUDGET_NAME });

const integ = new IntegTest(app, 'PizzaBudgetTest', { testCases: [stack] });
integ.assertions.awsApiCall('Budgets', 'describeBudget', { AccountId: stack.account, BudgetName: BUDGET_NAME }).expect(
  ExpectedResult.objectLike({
    Budget: Match.objectLike({ BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: '10.0', Unit: 'USD' } }),
  }),
);
integ.assertions
  .awsApiCall('Budgets', 'describeNotificationsForBudget', { AccountId: stack.account, BudgetName: BUDGET_NAME })
  .expect(
    ExpectedResult.objectLike({
      Notifications: Match.arrayWith([
        Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 80 }),
        Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }),
      ]),
    }),
  );

synthIntegApp(app, [stack]);
