import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { MonitoringAlarm } from './alarms';

/** The dashboard grid is 24 units wide: three graphs a row. */
const GRAPH_WIDTH = 8;
const GRAPH_HEIGHT = 6;

/** The order of the dashboard's rows. */
const SECTIONS: MonitoringAlarm['section'][] = ['Service', 'Database', 'Frontend'];

/** A metric the dashboard graphs without an alarm (e.g. CloudFront's, from a stack outside us-east-1). */
export interface DashboardGraph {
  readonly section: MonitoringAlarm['section'];
  readonly title: string;
  readonly metric: cloudwatch.IMetric;
}

/**
 * Creates, in `scope`, one dashboard with a row per section (a title, then a graph per alarm, its threshold drawn
 * as the alarm's annotation, then `graphs`), plus `notes` (e.g. why an alarm could not be made) as text at the top.
 */
export function createDashboard(
  scope: Construct,
  alarms: MonitoringAlarm[],
  graphs: DashboardGraph[],
  notes: string[],
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { periodOverride: cloudwatch.PeriodOverride.AUTO });
  if (notes.length > 0) {
    dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: notes.map((n) => `- ${n}`).join('\n'), width: 24, height: 2 }),
    );
  }
  for (const section of SECTIONS) {
    const widgets: cloudwatch.IWidget[] = [
      ...alarms
        .filter((a) => a.section === section)
        .map(
          (a) =>
            new cloudwatch.AlarmWidget({
              alarm: a.alarm,
              title: title(a.id, section),
              width: GRAPH_WIDTH,
              height: GRAPH_HEIGHT,
            }),
        ),
      ...graphs
        .filter((g) => g.section === section)
        .map(
          (g) =>
            new cloudwatch.GraphWidget({ title: g.title, left: [g.metric], width: GRAPH_WIDTH, height: GRAPH_HEIGHT }),
        ),
    ];
    if (widgets.length === 0) {
      continue;
    }
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${section}`, width: 24, height: 1 }));
    for (let i = 0; i < widgets.length; i += 24 / GRAPH_WIDTH) {
      dashboard.addWidgets(...widgets.slice(i, i + 24 / GRAPH_WIDTH));
    }
  }
  return dashboard;
}

/** `ServiceTarget5xx` → `Target 5xx`. */
function title(id: string, section: string): string {
  return id
    .slice(section.length)
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/^(\d)/, ' $1')
    .replace(/\bCpu\b/, 'CPU')
    .trim();
}
