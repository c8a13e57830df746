import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { dashboardBody, dashboardSvg } from './dashboard-picture';
import { nagFindings } from './nag';
import {
  PizzaCostReport,
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaMonitoring,
  PizzaMonitoringProps,
  PizzaService,
} from '../src';

function newStack(region = 'us-east-1', id = 'Test', app = new App()): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region } });
}

/** The quick start's constructs in `stack`. */
function quickStart(stack: Stack, paused = false) {
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const database = new PizzaDatabase(stack, 'Database', { paused });
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    paused,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  const frontend = new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url });
  return { dns, database, service, frontend };
}

/** The alarm with construct id `id` (under Test/Monitoring), as the template has it. */
function alarm(template: Template, id: string): any {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([logicalId]) =>
    logicalId.startsWith(`Monitoring${id}`),
  );
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

describe('PizzaMonitoring', () => {
  describe('the whole quick start, in us-east-1', () => {
    let stack: Stack;
    let monitoring: PizzaMonitoring;
    let template: Template;
    beforeAll(() => {
      stack = newStack();
      const { service, database, frontend } = quickStart(stack);
      monitoring = new PizzaMonitoring(stack, 'Monitoring', {
        service,
        database,
        frontend,
        alarmEmail: 'student@example.com',
      });
      template = Template.fromStack(stack);
    });

    test('a failed ECS deployment (tasks that never start publish no health data) emails the topic', () => {
      const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
        (r: any) => r.Properties.EventPattern?.source?.[0] === 'aws.ecs',
      ) as any;
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        resources: [{ Ref: expect.stringMatching(/^Service[0-9A-F]{8}$/) }],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      });
      const topicRef = { Ref: expect.stringMatching(/^MonitoringTopic/) };
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: topicRef, InputTransformer: expect.anything() }),
      ]);
      // the topic lets EventBridge publish (its policy replaced SNS's default one)
      const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0] as any;
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      );
      expect(monitoring.deploymentFailedRule).toBeDefined();
    });

    test.each([
      // id, namespace, metric, statistic, period, threshold, comparison, evaluation periods
      [
        'ServiceLoadBalancer5xx',
        'AWS/ApplicationELB',
        'HTTPCode_ELB_5XX_Count',
        'Sum',
        300,
        5,
        'GreaterThanThreshold',
        1,
      ],
      ['ServiceTarget5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'Sum', 300, 5, 'GreaterThanThreshold', 1],
      [
        'ServiceUnhealthyHosts',
        'AWS/ApplicationELB',
        'UnHealthyHostCount',
        'Minimum',
        60,
        0,
        'GreaterThanThreshold',
        3,
      ],
      ['ServiceResponseTime', 'AWS/ApplicationELB', 'TargetResponseTime', 'p95', 300, 2, 'GreaterThanThreshold', 3],
      ['ServiceCpu', 'AWS/ECS', 'CPUUtilization', 'Average', 300, 85, 'GreaterThanThreshold', 3],
      ['ServiceMemory', 'AWS/ECS', 'MemoryUtilization', 'Average', 300, 85, 'GreaterThanThreshold', 3],
      ['ServiceCrashLoop', 'AWS/ApplicationELB', 'HealthyHostCount', 'Minimum', 60, 1, 'LessThanThreshold', 5],
      ['DatabaseCpu', 'AWS/RDS', 'CPUUtilization', 'Average', 300, 80, 'GreaterThanThreshold', 3],
      ['DatabaseFreeStorage', 'AWS/RDS', 'FreeStorageSpace', 'Minimum', 300, 2 * 1024 ** 3, 'LessThanThreshold', 1],
      ['DatabaseConnections', 'AWS/RDS', 'DatabaseConnections', 'Maximum', 300, 45, 'GreaterThanThreshold', 3],
      ['DatabaseFreeableMemory', 'AWS/RDS', 'FreeableMemory', 'Minimum', 300, 64 * 1024 ** 2, 'LessThanThreshold', 3],
      ['Frontend5xxRate', 'AWS/CloudFront', '5xxErrorRate', 'Average', 300, 5, 'GreaterThanThreshold', 2],
    ])(
      '%s: %s %s, %s over %i s, threshold %d (%s, %i periods), missing data handled',
      (id, namespace, name, statistic, period, threshold, comparison, periods) => {
        const props = alarm(template, id as string);
        expect(props).toMatchObject({
          Namespace: namespace,
          MetricName: name,
          Period: period,
          Threshold: threshold,
          ComparisonOperator: comparison,
          EvaluationPeriods: periods,
          DatapointsToAlarm: periods,
          // an empty target group publishes nothing: for the crash loop, that is the failure itself
          // the crash loop leaves an empty target group (before a resume's tasks register) undecided: no email
          TreatMissingData: id === 'ServiceCrashLoop' ? 'missing' : 'notBreaching',
          AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringTopic/) }],
          OKActions: [{ Ref: expect.stringMatching(/^MonitoringTopic/) }],
        });
        expect(statistic.startsWith('p') ? props.ExtendedStatistic : props.Statistic).toBe(statistic);
        expect(props.AlarmDescription.length).toBeGreaterThan(40);
      },
    );

    test('twelve alarms, all exposed; the dashboard has a row per construct', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 12);
      expect(monitoring.alarms).toHaveLength(12);
      expect(monitoring.alarm('ServiceCrashLoop')).toBeDefined();
      expect(monitoring.alarm('Nope')).toBeUndefined();
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
      for (const text of [
        '## Service',
        '## Database',
        '## Frontend',
        'Target 5xx',
        'Crash Loop',
        'Free Storage',
        '5xx Rate',
      ]) {
        expect(body).toContain(text);
      }
    });

    test('the README picture of the dashboard is drawn from this dashboard (UPDATE_DOCS=1 redraws it)', () => {
      const svg = dashboardSvg(dashboardBody(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]));
      const file = join(__dirname, '..', 'docs', 'dashboard.svg');
      if (process.env.UPDATE_DOCS === '1') {
        writeFileSync(file, svg);
      }
      expect(readFileSync(file, 'utf-8')).toBe(svg);
      for (const title of ['Target 5xx', 'Crash Loop', 'Free Storage', 'Freeable Memory', '5xx Rate']) {
        expect(svg).toContain(`>${title}</text>`);
      }
    });

    test("the service's target 5xx and unhealthy task alarms roll its deployments back", () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          Alarms: {
            AlarmNames: [
              { Ref: Match.stringLikeRegexp('^MonitoringServiceTarget5xx') },
              { Ref: Match.stringLikeRegexp('^MonitoringServiceUnhealthyHosts') },
            ],
            Enable: true,
            Rollback: true,
          },
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        }),
      });
      expect(monitoring.deploymentAlarms.map((a) => a.node.id)).toEqual(['ServiceTarget5xx', 'ServiceUnhealthyHosts']);
    });

    test('one topic, TLS only, with the email subscribed; cdk-nag passes', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'student@example.com' });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            // the policy replaces SNS's default one: this account's alarms must be allowed to publish again
            Match.objectLike({
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*']],
                  },
                },
              },
            }),
          ]),
        }),
      });
      expect(nagFindings(stack)).toEqual([]);
    });

    test('costs about a dollar a month in alarms; the dashboard is priced, the first three of an account are free', () => {
      const estimate = PizzaCostReport.estimate(stack);
      const ours = estimate.items.filter((i) => (i.constructPath ?? '').startsWith('Test/Monitoring/'));
      const alarms = ours.filter((i) => i.resourceType === 'AWS::CloudWatch::Alarm');
      expect(alarms).toHaveLength(12);
      expect(alarms.reduce((sum, i) => sum + i.monthlyUsd, 0)).toBeCloseTo(1.2, 6);
      const dashboard = ours.find((i) => i.resourceType === 'AWS::CloudWatch::Dashboard')!;
      expect(dashboard.monthlyUsd).toBe(3);
      expect(dashboard.assumption).toContain('first three dashboards');
    });
  });

  test('thresholds can be overridden', () => {
    const stack = newStack();
    const { service, database } = quickStart(stack);
    new PizzaMonitoring(stack, 'Monitoring', {
      service,
      database,
      alarmEmail: 'student@example.com',
      target5xxThreshold: 20,
      responseTimeThreshold: Duration.millis(800),
      serviceCpuThresholdPercent: 70,
      databaseFreeStorageThreshold: Size.gibibytes(5),
      databaseConnectionsThreshold: 40,
    });
    const template = Template.fromStack(stack);
    expect(alarm(template, 'ServiceTarget5xx').Threshold).toBe(20);
    expect(alarm(template, 'ServiceResponseTime').Threshold).toBe(0.8);
    expect(alarm(template, 'ServiceCpu').Threshold).toBe(70);
    expect(alarm(template, 'DatabaseFreeStorage').Threshold).toBe(5 * 1024 ** 3);
    expect(alarm(template, 'DatabaseConnections').Threshold).toBe(40);
  });

  test('outside us-east-1: the CloudFront metric is graphed from us-east-1, and an info says why there is no alarm', () => {
    const stack = newStack('us-east-2');
    const { frontend } = quickStart(stack);
    const topic = new sns.Topic(stack, 'Alarms');
    const monitoring = new PizzaMonitoring(stack, 'Monitoring', { frontend, topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(monitoring.topic).toBe(topic);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toContain('\\"region\\":\\"us-east-1\\"');
    expect(body).toContain('5xxErrorRate');
    expect(body).toContain('\\"Region\\",\\"Global\\"');
    Annotations.fromStack(stack).hasInfo(
      '/Test/Monitoring',
      Match.stringLikeRegexp('CloudFront publishes its metrics in us-east-1 only'),
    );
  });

  test('a paused service has no service alarm and no deployment alarm; its paused database keeps its own', () => {
    const stack = newStack();
    const { service, database } = quickStart(stack, true);
    const monitoring = new PizzaMonitoring(stack, 'Monitoring', { service, database, alarmEmail: 'a@example.com' });
    expect(monitoring.alarms.map((a) => a.node.id)).toEqual([
      'DatabaseCpu',
      'DatabaseFreeStorage',
      'DatabaseConnections',
      'DatabaseFreeableMemory',
    ]);
    expect(monitoring.deploymentAlarms).toEqual([]);
    const ecsService = Object.values(Template.fromStack(stack).findResources('AWS::ECS::Service'))[0] as any;
    expect(ecsService.Properties.DeploymentConfiguration.Alarms).toEqual({
      AlarmNames: [],
      Enable: false,
      Rollback: false,
    });
  });

  describe('bad input', () => {
    function build(props: Partial<PizzaMonitoringProps>, stack = newStack()) {
      const { service, database } = quickStart(stack);
      return () => new PizzaMonitoring(stack, 'Monitoring', { service, database, ...props });
    }

    test('nothing to watch', () => {
      expect(() => new PizzaMonitoring(newStack(), 'Monitoring', { alarmEmail: 'a@example.com' })).toThrow(
        'PizzaMonitoring needs something to watch: give at least one of `frontend`, `service` and `database`',
      );
    });

    test.each([
      [
        { alarmEmail: 'not an email' },
        '`alarmEmail` must be one email address such as "student@example.com" (AWS sends the alerts there), got: "not an email"',
      ],
      [
        { serviceCpuThresholdPercent: 0 },
        '`serviceCpuThresholdPercent` must be a percentage above 0 and below 100, got: 0',
      ],
      [
        { databaseCpuThresholdPercent: 150 },
        '`databaseCpuThresholdPercent` must be a percentage above 0 and below 100, got: 150',
      ],
      [{ target5xxThreshold: -1 }, '`target5xxThreshold` must be an integer from 0 to 100000, got: -1'],
      [{ loadBalancer5xxThreshold: 2.5 }, '`loadBalancer5xxThreshold` must be an integer from 0 to 100000, got: 2.5'],
      [{ responseTimeThreshold: Duration.minutes(2) }, '`responseTimeThreshold` must be above 0 and at most a minute'],
      [{ databaseFreeStorageThreshold: Size.bytes(0) }, '`databaseFreeStorageThreshold` must be above 0'],
      [
        { databaseConnectionsThreshold: 0 },
        '`databaseConnectionsThreshold` must be an integer from 1 to 100000, got: 0',
      ],
      [
        { frontend5xxRateThresholdPercent: 100 },
        '`frontend5xxRateThresholdPercent` must be a percentage above 0 and below 100, got: 100',
      ],
      [
        { topic: 'arn:aws:sns:us-east-1:123456789012:alarms' as any },
        'PizzaMonitoring: `topic` must be an object, got: string',
      ],
    ])('%j', (props, message) => {
      expect(build(props as Partial<PizzaMonitoringProps>)).toThrow(message);
    });

    test('a second monitoring of one service with deployment alarms (ECS keeps one set)', () => {
      const stack = newStack();
      const { service } = quickStart(stack);
      new PizzaMonitoring(stack, 'First', { service });
      expect(() => new PizzaMonitoring(stack, 'Second', { service })).toThrow(
        'PizzaService Test/Service already has the deployment alarms of another PizzaMonitoring: give this one `deploymentAlarms: false` (ECS keeps one set of deployment alarms per service).',
      );
      expect(() => new PizzaMonitoring(stack, 'Third', { service, deploymentAlarms: false })).not.toThrow();
    });

    test('in another stack than the service, unless its deployment alarms are off', () => {
      const app = new App();
      const serviceStack = newStack('us-east-1', 'Service', app);
      const { service } = quickStart(serviceStack);
      const other = newStack('us-east-1', 'Ops', app);
      expect(() => new PizzaMonitoring(other, 'Monitoring', { service })).toThrow(
        "PizzaMonitoring Ops/Monitoring is in another stack than `service` Service/Service: its deployment alarms are part of the service. Create the monitoring in the service's stack, or set `deploymentAlarms: false`.",
      );
      expect(() => new PizzaMonitoring(other, 'Quiet', { service, deploymentAlarms: false })).not.toThrow();
    });
  });
});
