import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import type { MetricRef } from "./alarms";
import type { Naming } from "./naming";

/** One line of a graph. */
export interface DashboardMetric extends MetricRef {
  readonly label: string;
}

/** A graph: one widget of the dashboard. */
export interface DashboardGraph {
  readonly title: string;
  readonly metrics: readonly DashboardMetric[];
}

export interface DashboardProps {
  readonly naming: Naming;
  /** The region every metric is read from (a plain config string, so the body stays deterministic). */
  readonly region: string;
  /** Graphs in reading order, laid out two per row. */
  readonly graphs: readonly DashboardGraph[];
  /** Alarm ARNs shown in one status widget at the top. @default - no alarm widget */
  readonly alarmArns?: readonly string[];
  /** Seconds per data point. @default 300 */
  readonly period?: number;
}

const WIDTH = 12;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard per environment (`<prefix>-<env>-webhooks`). The body is built
 * deterministically from the graphs given (fixed order, fixed layout), so an unchanged stack
 * synthesizes a byte-identical body and the plan shows no diff.
 */
export class Dashboard extends Construct {
  readonly name: string;
  /** The rendered `dashboard_body`. */
  readonly body: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.name = props.naming.name("aws_cloudwatch_dashboard.dashboard_name", "webhooks");
    this.body = dashboardBody(props);
    new CloudwatchDashboard(this, "dashboard", { dashboardName: this.name, dashboardBody: this.body });
  }
}

/** The dashboard JSON: an optional alarm-status row, then the graphs two per row. */
export function dashboardBody(props: Omit<DashboardProps, "naming">): string {
  const period = props.period ?? 300;
  const widgets: unknown[] = [];
  let y = 0;
  if (props.alarmArns && props.alarmArns.length > 0) {
    widgets.push({
      type: "alarm",
      x: 0,
      y,
      width: 2 * WIDTH,
      height: 4,
      properties: { title: "Alarms", alarms: [...props.alarmArns] },
    });
    y += 4;
  }
  props.graphs.forEach((graph, index) => {
    widgets.push({
      type: "metric",
      x: (index % 2) * WIDTH,
      y: y + Math.floor(index / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: graph.title,
        region: props.region,
        view: "timeSeries",
        stacked: false,
        period,
        metrics: graph.metrics.map(metricLine),
      },
    });
  });
  return JSON.stringify({ widgets });
}

function metricLine(metric: DashboardMetric): unknown[] {
  const dimensions = Object.entries(metric.dimensions).flat();
  return [
    metric.namespace,
    metric.metricName,
    ...dimensions,
    { stat: metric.statistic, label: metric.label },
  ];
}
