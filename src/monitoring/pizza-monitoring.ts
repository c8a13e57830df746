import { Annotations, ArnFormat, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  CLOUDFRONT_METRICS_REGION,
  cloudFront5xxRate,
  databaseAlarms,
  frontendAlarms,
  MonitoringAlarm,
  serviceAlarms,
} from './alarms';
import { createDashboard, DashboardGraph } from './dashboard';
import { PizzaMonitoringProps } from './props';
import { PizzaDatabase } from '../database/pizza-database';
import { PizzaFrontend } from '../frontend/pizza-frontend';
import { PizzaService } from '../service/pizza-service';
import { acknowledgeNag } from '../shared/nag';
import { show, validateEmail, validateIntegerRange, validatePropsShape } from '../shared/validation';

/** The services whose deployments a PizzaMonitoring already wired to its alarms. */
const servicesWithDeploymentAlarms = new WeakSet<PizzaService>();

/**
 * Alarms and one dashboard for a JWT Pizza deployment, so that its owner hears of a failing service before the
 * graders do: opinionated thresholds for the course's traffic (a handful of requests a minute, silence at night),
 * one SNS topic, and ECS deployment alarms that roll back a release that serves errors.
 *
 * Missing data is not breaching: no traffic at night, or a paused service, is not a failure. The one exception is
 * the crash-loop alarm: a target group with no registered task publishes nothing, which is what a crash loop looks
 * like. What each alarm means and what to check first is in its description (and in the README's "Operate it").
 *
 * @example
 * declare const frontend: PizzaFrontend;
 * declare const service: PizzaService;
 * declare const database: PizzaDatabase;
 * new PizzaMonitoring(this, 'Monitoring', { frontend, service, database, alarmEmail: 'student@example.com' });
 */
export class PizzaMonitoring extends Construct {
  /** Every alarm, in dashboard order. */
  public readonly alarms: cloudwatch.Alarm[];

  /** The dashboard: a row of graphs per watched construct, each with its alarm's threshold. */
  public readonly dashboard: cloudwatch.Dashboard;

  /** The SNS topic every alarm notifies. */
  public readonly topic: sns.ITopic;

  /** The alarms that roll back a service deployment (empty without `service` or with `deploymentAlarms: false`). */
  public readonly deploymentAlarms: cloudwatch.Alarm[];

  /**
   * The EventBridge rule that emails the topic when ECS fails a deployment of the service (its circuit breaker rolled
   * it back: tasks that never started or never became healthy, which publish no health data for an alarm to judge);
   * undefined without a running `service`.
   */
  public readonly deploymentFailedRule?: events.Rule;

  constructor(scope: Construct, id: string, props: PizzaMonitoringProps) {
    super(scope, id);
    validatePropsShape('PizzaMonitoring', props, {
      frontend: { kind: PizzaFrontend },
      service: { kind: PizzaService },
      database: { kind: PizzaDatabase },
      alarmEmail: { kind: 'string' },
      topic: { kind: 'object' },
      deploymentAlarms: { kind: 'boolean' },
      loadBalancer5xxThreshold: { kind: 'number' },
      target5xxThreshold: { kind: 'number' },
      responseTimeThreshold: { kind: Duration },
      serviceCpuThresholdPercent: { kind: 'number' },
      serviceMemoryThresholdPercent: { kind: 'number' },
      databaseCpuThresholdPercent: { kind: 'number' },
      databaseFreeStorageThreshold: { kind: Size },
      databaseConnectionsThreshold: { kind: 'number' },
      databaseFreeMemoryThreshold: { kind: Size },
      frontend5xxRateThresholdPercent: { kind: 'number' },
    });
    if (!props.frontend && !props.service && !props.database) {
      throw new Error(
        'PizzaMonitoring needs something to watch: give at least one of `frontend`, `service` and `database`',
      );
    }
    if (props.alarmEmail !== undefined) {
      validateEmail('alarmEmail', props.alarmEmail);
    }
    const thresholds = resolveThresholds(props);
    const stack = Stack.of(this);
    const alarms: MonitoringAlarm[] = [];
    const graphs: DashboardGraph[] = [];
    const notes: string[] = [];

    if (props.service?.paused) {
      notes.push(`${props.service.node.path} is paused: no service alarm until it is resumed`);
    } else if (props.service) {
      alarms.push(...serviceAlarms(this, props.service, props.service.minCapacity, thresholds.service));
    }
    if (props.database) {
      alarms.push(...databaseAlarms(this, props.database, thresholds.database));
    }
    if (props.frontend) {
      if (stack.region === CLOUDFRONT_METRICS_REGION) {
        alarms.push(...frontendAlarms(this, props.frontend, thresholds.frontend5xxRate));
      } else {
        const why =
          `the CloudFront 5xx alarm of ${props.frontend.node.path} is not created: CloudFront publishes its metrics ` +
          `in ${CLOUDFRONT_METRICS_REGION} only and an alarm reads its own region's metrics, so this stack ` +
          `(${Token.isUnresolved(stack.region) ? 'an environment-agnostic stack' : stack.region}) can only graph it. Put a PizzaMonitoring with \`frontend\` in a ${CLOUDFRONT_METRICS_REGION} stack for the alarm.`;
        notes.push(why);
        graphs.push({
          section: 'Frontend',
          title: '5xx error rate (us-east-1)',
          metric: cloudFront5xxRate(props.frontend),
        });
        Annotations.of(this).addInfo(why);
      }
    }

    this.topic = props.topic ?? this.createTopic(props.alarmEmail);
    const action = new cloudwatchActions.SnsAction(this.topic);
    for (const { alarm } of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms = alarms.map((a) => a.alarm);
    this.dashboard = createDashboard(this, alarms, graphs, notes);
    this.deploymentAlarms = this.wireDeploymentAlarms(props, alarms);
    if (props.service && !props.service.paused) {
      this.deploymentFailedRule = new events.Rule(this, 'ServiceDeploymentFailed', {
        description: 'JWT Pizza: ECS failed a deployment of the service (its circuit breaker rolled it back)',
        eventPattern: {
          source: ['aws.ecs'],
          detailType: ['ECS Deployment State Change'],
          resources: [props.service.service.serviceArn],
          detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
        },
        targets: [
          new targets.SnsTopic(this.topic, {
            message: events.RuleTargetInput.fromText(
              `ECS failed a deployment of ${props.service.node.path} and rolled it back: ` +
                `${events.EventField.fromPath('$.detail.reason')}. Check the service's events and the stopped ` +
                "tasks' reasons (a bad image, a missing secret, a failing health check).",
            ),
          }),
        ],
      });
    }
  }

  /** The alarm named by its id, e.g. `ServiceTarget5xx`, or undefined when it was not created. */
  public alarm(alarmId: string): cloudwatch.Alarm | undefined {
    const child = this.node.tryFindChild(alarmId);
    return child instanceof cloudwatch.Alarm ? child : undefined;
  }

  private createTopic(email: string | undefined): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', { displayName: 'JWT Pizza alarms', enforceSSL: true });
    // the topic policy that enforceSSL adds replaces SNS's default one, which is what lets the account's CloudWatch
    // alarms publish: allow them again, this account's alarms only
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (email !== undefined) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    acknowledgeNag(topic, [
      {
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key, and a customer managed ' +
          'key costs $1/month, more than the alarms; the messages hold alarm states, not data.',
      },
    ]);
    return topic;
  }

  /** Wires the service's target 5xx and unhealthy task alarms into its deployments, which they then roll back. */
  private wireDeploymentAlarms(props: PizzaMonitoringProps, alarms: MonitoringAlarm[]): cloudwatch.Alarm[] {
    const service = props.service;
    if (!service || service.paused || props.deploymentAlarms === false) {
      return [];
    }
    if (Stack.of(service) !== Stack.of(this)) {
      throw new Error(
        `PizzaMonitoring ${this.node.path} is in another stack than \`service\` ${service.node.path}: its deployment ` +
          "alarms are part of the service. Create the monitoring in the service's stack, or set `deploymentAlarms: false`.",
      );
    }
    if (servicesWithDeploymentAlarms.has(service)) {
      throw new Error(
        `PizzaService ${service.node.path} already has the deployment alarms of another PizzaMonitoring: give this ` +
          'one `deploymentAlarms: false` (ECS keeps one set of deployment alarms per service).',
      );
    }
    servicesWithDeploymentAlarms.add(service);
    const rollback = alarms
      .filter((a) => a.id === 'ServiceTarget5xx' || a.id === 'ServiceUnhealthyHosts')
      .map((a) => a.alarm);
    service.service.enableDeploymentAlarms(
      rollback.map((a) => a.alarmName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
    return rollback;
  }
}

interface Thresholds {
  readonly service: Parameters<typeof serviceAlarms>[3];
  readonly database: Parameters<typeof databaseAlarms>[2];
  readonly frontend5xxRate: number;
}

/** The thresholds with their defaults, each checked against what makes sense. */
function resolveThresholds(props: PizzaMonitoringProps): Thresholds {
  const count = (prop: string, value: number | undefined, fallback: number) => {
    validateIntegerRange(prop, value, 0, 100_000);
    return value ?? fallback;
  };
  const percent = (prop: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Token.isUnresolved(v) && (!Number.isFinite(v) || v <= 0 || v >= 100)) {
      throw new Error(`\`${prop}\` must be a percentage above 0 and below 100, got: ${show(v)}`);
    }
    return v;
  };
  const responseTime = props.responseTimeThreshold ?? Duration.seconds(2);
  const ms = responseTime.toMilliseconds();
  if (ms <= 0 || ms > 60_000) {
    throw new Error(
      `\`responseTimeThreshold\` must be above 0 and at most a minute (the load balancer's idle timeout), got: ${responseTime.toHumanString()}`,
    );
  }
  const storage = props.databaseFreeStorageThreshold ?? Size.gibibytes(2);
  const memory = props.databaseFreeMemoryThreshold ?? Size.mebibytes(64);
  for (const [prop, size] of [
    ['databaseFreeStorageThreshold', storage],
    ['databaseFreeMemoryThreshold', memory],
  ] as const) {
    if (size.toBytes() <= 0) {
      throw new Error(`\`${prop}\` must be above 0, got: ${size.toMebibytes()} MiB`);
    }
  }
  validateIntegerRange('databaseConnectionsThreshold', props.databaseConnectionsThreshold, 1, 100_000);
  const connections = props.databaseConnectionsThreshold ?? 45;
  return {
    service: {
      loadBalancer5xx: count('loadBalancer5xxThreshold', props.loadBalancer5xxThreshold, 5),
      target5xx: count('target5xxThreshold', props.target5xxThreshold, 5),
      responseTime,
      cpuPercent: percent('serviceCpuThresholdPercent', props.serviceCpuThresholdPercent, 85),
      memoryPercent: percent('serviceMemoryThresholdPercent', props.serviceMemoryThresholdPercent, 85),
    },
    database: {
      cpuPercent: percent('databaseCpuThresholdPercent', props.databaseCpuThresholdPercent, 80),
      freeStorageBytes: storage.toBytes(),
      connections,
      freeMemoryBytes: memory.toBytes(),
    },
    frontend5xxRate: percent('frontend5xxRateThresholdPercent', props.frontend5xxRateThresholdPercent, 5),
  };
}
