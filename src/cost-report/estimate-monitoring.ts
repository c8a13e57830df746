import { Estimator, isObject, num, ResourceFamily } from './estimator';
import { PRICES } from './price-list';

/** Alarms Application Auto Scaling creates for one target-tracking policy (scale-out and scale-in). */
const TARGET_TRACKING_ALARMS = 2;

/**
 * Monitoring: CloudWatch alarms (metric, metric math, anomaly detection, composite), target-tracking alarms,
 * dashboards and AWS Budgets budgets.
 */
export const MONITORING_FAMILY: ResourceFamily = {
  prices: {
    'AWS::CloudWatch::Alarm': alarm,
    'AWS::CloudWatch::CompositeAlarm': (estimator, id, type) =>
      estimator.add(id, type, 'CloudWatch composite alarm', 1, 'alarm', PRICES.compositeAlarmMonth),
    'AWS::ApplicationAutoScaling::ScalingPolicy': scalingPolicy,
    'AWS::CloudWatch::Dashboard': (estimator, id, type) =>
      estimator.add(id, type, 'CloudWatch dashboard', 1, 'dashboard', PRICES.dashboardMonth, [
        "the account's first three dashboards are free (up to 50 metrics each); each one beyond costs this",
      ]),
    'AWS::Budgets::Budget': (estimator, id, type) =>
      estimator.add(id, type, 'AWS Budgets budget', 1, 'budget', PRICES.budgetMonth, [
        'a budget that only notifies is free; AWS charges only for budgets with actions, after the first two',
      ]),
  },
};

/** Prices a metric alarm per metric it reads, at the high-resolution price when its period is under a minute. */
function alarm(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  let metrics = 1;
  let period = num(props.Period);
  const notes: string[] = [];
  if (Array.isArray(props.Metrics)) {
    const queries = props.Metrics.filter(isObject);
    const anomaly = queries.some(
      (q: any) => typeof q.Expression === 'string' && q.Expression.includes('ANOMALY_DETECTION_BAND'),
    );
    const stats = queries.filter((q: any) => isObject(q.MetricStat));
    metrics = anomaly ? 3 : Math.max(1, stats.length);
    if (anomaly) {
      notes.push('an anomaly detection alarm is billed as 3 alarm metrics');
    } else if (metrics > 1) {
      notes.push(`a metric math alarm is billed per metric it reads (${metrics})`);
    }
    const periods = stats.map((q: any) => num(q.MetricStat.Period)).filter((p: number | undefined) => p !== undefined);
    period = periods.length > 0 ? Math.min(...(periods as number[])) : undefined;
  }
  const highResolution = period !== undefined && period < 60;
  estimator.add(
    id,
    type,
    highResolution ? 'CloudWatch alarm (high resolution)' : 'CloudWatch alarm',
    metrics,
    'alarm metric',
    highResolution ? PRICES.alarmHighResMetricMonth : PRICES.alarmMetricMonth,
    notes,
  );
}

/** Prices the two alarms Application Auto Scaling creates for a target-tracking policy. */
function scalingPolicy(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  if (props.PolicyType !== 'TargetTrackingScaling') {
    return; // step scaling policies use alarms of the template, priced as such
  }
  estimator.add(
    id,
    type,
    'CloudWatch alarms of a target-tracking policy',
    TARGET_TRACKING_ALARMS,
    'alarm metric',
    PRICES.alarmMetricMonth,
    ['Application Auto Scaling creates a scale-out and a scale-in alarm for each target-tracking policy'],
  );
}
