// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { dashboardBody } from "../../constructs/dashboard";
import { resourcesOf, synthStack } from "../support/synth";
import { only } from "./helpers";

const { json, doc, stack } = synthStack();
const [, dashboard] = only(doc, "aws_cloudwatch_dashboard");
const body = JSON.parse(dashboard.dashboard_body);
const metricWidgets = body.widgets.filter((w: any) => w.type === "metric");
const lines: unknown[][] = metricWidgets.flatMap((w: any) => w.properties.metrics);

describe("dashboard", () => {
  test("there is one dashboard per environment, named by the naming module", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchDashboard, {
      dashboard_name: "whk-dev-webhooks-us-east-1",
    });
    expect(resourcesOf(doc, "aws_cloudwatch_dashboard")).toHaveLength(1);
  });

  test("starts with the status of every alarm", () => {
    const [first] = body.widgets;
    expect(first.type).toBe("alarm");
    expect(first.properties.alarms).toHaveLength(resourcesOf(doc, "aws_cloudwatch_metric_alarm").length);
  });

  test("graphs the API, the ingest queue, every DLQ, the functions, the rules and the archive stream", () => {
    expect(metricWidgets.map((w: any) => w.properties.title)).toEqual([
      "API requests and errors",
      "API latency",
      "Ingest queue",
      "Dead-letter queues",
      "Function invocations",
      "Function errors and throttles",
      "Function duration p99",
      "Rules: deliveries and failures",
      "Archive stream",
    ]);
    const dlqLines = metricWidgets.find((w: any) => w.properties.title === "Dead-letter queues").properties
      .metrics;
    expect(dlqLines).toHaveLength(6);
  });

  test("every graph reads the stack's region, and its lines name metrics by plain names", () => {
    for (const widget of metricWidgets) expect(widget.properties.region).toBe("us-east-1");
    for (const line of lines) {
      for (const part of line.slice(0, -1)) expect(part).not.toMatch(/\$\{/);
    }
    expect(lines).toContainEqual([
      "AWS/Lambda",
      "Errors",
      "FunctionName",
      "whk-dev-router",
      { stat: "Sum", label: "router Errors" },
    ]);
  });

  test("the body is deterministic: the same graphs render the same bytes", () => {
    const graphs = [
      {
        title: "t",
        metrics: [{ namespace: "n", metricName: "m", dimensions: { a: "b" }, statistic: "Sum", label: "l" }],
      },
    ];
    expect(dashboardBody({ region: "eu-west-1", graphs })).toBe(
      dashboardBody({ region: "eu-west-1", graphs }),
    );
    expect(stack.delivery.dashboard.body).toBe(stack.delivery.dashboard.body);
  });

  test("widgets are laid out two per row without overlap", () => {
    const cells = metricWidgets.map((w: any) => `${w.x},${w.y}`);
    expect(new Set(cells).size).toBe(cells.length);
    for (const widget of metricWidgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
  });
});

describe("without alarmEmail", () => {
  test("the topic has no subscription", () => {
    expect(resourcesOf(doc, "aws_sns_topic_subscription")).toEqual([]);
  });
});
