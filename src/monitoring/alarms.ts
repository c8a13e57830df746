import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { PizzaDatabase } from '../database/pizza-database';
import type { PizzaFrontend } from '../frontend/pizza-frontend';
import type { PizzaService } from '../service/pizza-service';

/** CloudFront publishes its metrics in us-east-1 only, and an alarm reads metrics of its own region only. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/** Requests are few at course traffic: counts are summed over five minutes, so one bad minute is seen whole. */
const COUNT_PERIOD = Duration.minutes(5);

/** Utilization and latency are judged over three five-minute periods: a short spike does not page anyone. */
const SUSTAINED_PERIODS = 3;

/** The crash-loop check: every minute for five minutes with fewer healthy tasks than the service's minimum. */
const CRASH_LOOP_MINUTES = 5;

/** One alarm of the monitoring, with the metric it watches (the dashboard graphs the same metric). */
export interface MonitoringAlarm {
  /** The construct id of the alarm, e.g. `ServiceTarget5xx`. */
  readonly id: string;
  readonly alarm: cloudwatch.Alarm;
  readonly metric: cloudwatch.IMetric;
  /** The dashboard row it belongs to. */
  readonly section: 'Service' | 'Database' | 'Frontend';
}

/** An alarm to create: what it watches and when it fires. */
interface AlarmSpec {
  readonly id: string;
  readonly section: MonitoringAlarm['section'];
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly description: string;
  readonly treatMissingData: cloudwatch.TreatMissingData;
}

/** Creates, in `scope`, the alarm of `spec`. */
function createAlarm(scope: Construct, spec: AlarmSpec): MonitoringAlarm {
  const alarm = new cloudwatch.Alarm(scope, spec.id, {
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmDescription: spec.description,
  });
  return { id: spec.id, alarm, metric: spec.metric, section: spec.section };
}

const ABOVE = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const BELOW = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
/**
 * No data means no traffic (counts, latency) or nothing running (a paused or scaled-in resource): quiet nights and
 * paused stacks must not alarm. Every alarm below is judged on the data there is.
 */
const QUIET = cloudwatch.TreatMissingData.NOT_BREACHING;

/** The service's thresholds (resolved defaults). */
export interface ServiceThresholds {
  readonly loadBalancer5xx: number;
  readonly target5xx: number;
  readonly responseTime: Duration;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
}

/**
 * The service's alarms: load balancer and target 5xx, unhealthy hosts, p95 response time, fewer healthy tasks than
 * the minimum for five minutes (a crash loop), CPU and memory.
 */
export function serviceAlarms(
  scope: Construct,
  service: PizzaService,
  minimumTasks: number,
  t: ServiceThresholds,
): MonitoringAlarm[] {
  const targets = service.targetGroup.metrics;
  const balancer = service.loadBalancer.metrics;
  const specs: AlarmSpec[] = [
    {
      id: 'ServiceLoadBalancer5xx',
      section: 'Service',
      metric: balancer.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: COUNT_PERIOD, statistic: 'Sum' }),
      threshold: t.loadBalancer5xx,
      comparison: ABOVE,
      evaluationPeriods: 1,
      description: `The load balancer (all its services, when shared) answered more than ${t.loadBalancer5xx} 5xx in five minutes (no healthy task, or tasks failing): check the target health and task logs.`,
      treatMissingData: QUIET,
    },
    {
      id: 'ServiceTarget5xx',
      section: 'Service',
      metric: targets.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: COUNT_PERIOD, statistic: 'Sum' }),
      threshold: t.target5xx,
      comparison: ABOVE,
      evaluationPeriods: 1,
      description: `The service answered more than ${t.target5xx} 5xx in five minutes: check its log group for the errors (often the database or the pizza factory).`,
      treatMissingData: QUIET,
    },
    {
      id: 'ServiceUnhealthyHosts',
      section: 'Service',
      // Minimum across the load balancer's nodes, as the ELB guide recommends for alarms: one node's view alone
      // does not roll a deployment back
      metric: targets.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Minimum' }),
      threshold: 0,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: 'A task failed its health check for three minutes: check the health check path and the task logs.',
      treatMissingData: QUIET,
    },
    {
      id: 'ServiceResponseTime',
      section: 'Service',
      metric: targets.targetResponseTime({ period: COUNT_PERIOD, statistic: 'p95' }),
      threshold: t.responseTime.toMilliseconds() / 1000,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `The p95 response time stayed above ${t.responseTime.toHumanString()} for 15 minutes: check CPU, the database and the pizza factory.`,
      treatMissingData: QUIET,
    },
    {
      id: 'ServiceCpu',
      section: 'Service',
      metric: service.service.metricCpuUtilization({ period: COUNT_PERIOD, statistic: 'Average' }),
      threshold: t.cpuPercent,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `Task CPU stayed above ${t.cpuPercent} % for 15 minutes even with autoscaling: raise \`maxCapacity\` or \`cpu\`.`,
      treatMissingData: QUIET,
    },
    {
      id: 'ServiceMemory',
      section: 'Service',
      metric: service.service.metricMemoryUtilization({ period: COUNT_PERIOD, statistic: 'Average' }),
      threshold: t.memoryPercent,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `Task memory stayed above ${t.memoryPercent} % for 15 minutes: raise \`memoryLimitMiB\`, or look for a leak.`,
      treatMissingData: QUIET,
    },
  ];
  if (minimumTasks > 0) {
    specs.push({
      id: 'ServiceCrashLoop',
      section: 'Service',
      metric: targets.healthyHostCount({ period: Duration.minutes(1), statistic: 'Minimum' }),
      threshold: minimumTasks,
      comparison: BELOW,
      evaluationPeriods: CRASH_LOOP_MINUTES,
      description: `Fewer than ${minimumTasks} healthy task(s) for five minutes: tasks are crashing or failing their health check (a bad image or config), or no image was pushed yet. Check the service's events and the stopped tasks' reasons.`,
      // judged on the counts there are: a task that crashes is registered (and unhealthy) for a while, which publishes
      // 0, five minutes of which alarm. An empty target group publishes nothing: before a first deploy's or a
      // resume's tasks register (they wait minutes for the database to start) that is no crash, and counting it as
      // one mailed an alarm on every resume. Tasks that never start are the deployment circuit breaker's to catch.
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
  }
  return specs.map((spec) => createAlarm(scope, spec));
}

/** The database's thresholds (resolved defaults). */
export interface DatabaseThresholds {
  readonly cpuPercent: number;
  readonly freeStorageBytes: number;
  readonly connections: number;
  readonly freeMemoryBytes: number;
}

/** The database's alarms: CPU, free storage, connections, freeable memory. */
export function databaseAlarms(scope: Construct, database: PizzaDatabase, t: DatabaseThresholds): MonitoringAlarm[] {
  const instance = database.instance;
  const gib = (bytes: number) => `${Math.round((bytes / 1024 ** 3) * 100) / 100} GiB`;
  const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;
  const specs: AlarmSpec[] = [
    {
      id: 'DatabaseCpu',
      section: 'Database',
      metric: instance.metricCPUUtilization({ period: COUNT_PERIOD, statistic: 'Average' }),
      threshold: t.cpuPercent,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `Database CPU stayed above ${t.cpuPercent} % for 15 minutes (a burstable instance may have spent its CPU credits): check slow queries, or a larger \`instanceType\`.`,
      treatMissingData: QUIET,
    },
    {
      id: 'DatabaseFreeStorage',
      section: 'Database',
      metric: instance.metricFreeStorageSpace({ period: COUNT_PERIOD, statistic: 'Minimum' }),
      threshold: t.freeStorageBytes,
      comparison: BELOW,
      evaluationPeriods: 1,
      description: `Less than ${gib(t.freeStorageBytes)} of database storage left: raise \`allocatedStorage\` before the database stops accepting writes.`,
      treatMissingData: QUIET,
    },
    {
      id: 'DatabaseConnections',
      section: 'Database',
      metric: instance.metricDatabaseConnections({ period: COUNT_PERIOD, statistic: 'Maximum' }),
      threshold: t.connections,
      comparison: ABOVE,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `More than ${t.connections} database connections for 15 minutes (a db.t4g.micro allows about 60): the service may be leaking connections.`,
      treatMissingData: QUIET,
    },
    {
      id: 'DatabaseFreeableMemory',
      section: 'Database',
      metric: instance.metricFreeableMemory({ period: COUNT_PERIOD, statistic: 'Minimum' }),
      threshold: t.freeMemoryBytes,
      comparison: BELOW,
      evaluationPeriods: SUSTAINED_PERIODS,
      description: `Less than ${mib(t.freeMemoryBytes)} of database memory free for 15 minutes: too many connections, or a larger \`instanceType\`.`,
      treatMissingData: QUIET,
    },
  ];
  return specs.map((spec) => createAlarm(scope, spec));
}

/** The frontend's alarm: CloudFront's 5xx error rate (a metric of us-east-1). */
export function frontendAlarms(scope: Construct, frontend: PizzaFrontend, ratePercent: number): MonitoringAlarm[] {
  return [
    createAlarm(scope, {
      id: 'Frontend5xxRate',
      section: 'Frontend',
      metric: cloudFront5xxRate(frontend),
      threshold: ratePercent,
      comparison: ABOVE,
      evaluationPeriods: 2,
      description: `More than ${ratePercent} % of the SPA's requests got a 5xx for ten minutes: check the bucket, the last frontend deploy and the distribution.`,
      treatMissingData: QUIET,
    }),
  ];
}

/**
 * CloudFront's 5xx error rate of the frontend's distribution: published in us-east-1 only, with the dimensions
 * `DistributionId` and `Region: Global` (a metric query without `Region` finds no data).
 */
export function cloudFront5xxRate(frontend: PizzaFrontend): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName: '5xxErrorRate',
    dimensionsMap: { DistributionId: frontend.distribution.distributionId, Region: 'Global' },
    region: CLOUDFRONT_METRICS_REGION,
    period: COUNT_PERIOD,
    statistic: 'Average',
  });
}
