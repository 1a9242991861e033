import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { denyInsecureTransport, policyDocument } from "./policy";

export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/**
 * How an alarm reads a period without data. Every alarm states it, with the reason, because the
 * provider's default (`missing`) leaves an idle alarm in INSUFFICIENT_DATA, which notifies nobody.
 */
export type MissingData = "notBreaching" | "breaching" | "ignore";

export type Comparison =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

/** One metric (namespace, name, dimensions) and how it is aggregated. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Maximum`, `Average`, …; or a percentile such as `p99` (an extended statistic). */
  readonly statistic: string;
}

export interface AlarmSpec {
  /** Names the alarm `<prefix>-<env>-<purpose>`. */
  readonly purpose: string;
  /** What is wrong when it fires. */
  readonly description: string;
  /** What an operator checks and does first (docs/runbook.md is generated from these). */
  readonly runbook: string;
  /**
   * A metric; a CloudWatch Metrics Insights query returning one time series; or a metric-math
   * expression over named input metrics (ids `m1`, `m2`, … as keys).
   */
  readonly metric:
    | MetricRef
    | { readonly query: string }
    | { readonly expression: string; readonly inputs: Readonly<Record<string, MetricRef>> };
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Seconds. @default 60 */
  readonly period?: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: MissingData;
  /** Why missing data is read that way; appended to the description. */
  readonly missingDataReason: string;
}

/** An alarm as the dashboard, the runbook and the tests see it. */
export interface AlarmRecord {
  readonly purpose: string;
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly runbook: string;
}

/** CloudWatch's limit on `alarm_description`. */
export const ALARM_DESCRIPTION_MAX = 1024;

export interface AlarmsProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /** E-mail subscribed to the topic (SNS sends a confirmation). @default - no subscription */
  readonly email?: string;
}

/**
 * The alarm topic and every alarm of the platform. Default settings: the topic is encrypted with
 * the platform CMK and the key policy lets `cloudwatch.amazonaws.com` use it for this topic only
 * (`kms:Decrypt` + `kms:GenerateDataKey*` under `kms:EncryptionContext:aws:sns:topicArn`; without
 * that grant alarms deploy cleanly and deliver nothing). The topic policy lets CloudWatch publish
 * only for this account's platform alarms (`aws:SourceAccount`, `aws:SourceArn`) and refuses
 * non-TLS publishes. Every alarm notifies the topic on ALARM and on OK, with actions enabled.
 */
export class Alarms extends Construct {
  readonly topicName: string;
  /** Built from the name, so the key policy forms no cycle with the topic. */
  readonly topicArn: string;
  private readonly naming: Naming;
  private readonly context: AwsContext;
  private readonly topic: SnsTopic;
  private readonly records: AlarmRecord[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { naming, context, key } = props;
    this.naming = naming;
    this.context = context;
    this.topicName = naming.name("aws_sns_topic.name", "alarms");
    this.topicArn = context.arn("sns", this.topicName);

    key.grantService({
      sid: "CloudWatchAlarmsToEncryptedTopic",
      service: CLOUDWATCH_SERVICE,
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      conditions: [
        { test: "StringEquals", variable: "kms:EncryptionContext:aws:sns:topicArn", values: [this.topicArn] },
      ],
    });
    this.topic = new SnsTopic(this, "topic", {
      name: this.topicName,
      displayName: `${naming.base} webhook platform alarms`,
      kmsMasterKeyId: key.arn,
    });
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          sid: "CloudWatchAlarmsPublish",
          principals: { type: "Service", identifiers: [CLOUDWATCH_SERVICE] },
          actions: ["sns:Publish"],
          resources: [this.topicArn],
          conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [context.arn("cloudwatch", `alarm:${naming.base}-*`)],
            },
          ],
        },
        denyInsecureTransport([this.topicArn], ["sns:Publish"]),
      ]),
    });
    if (props.email) {
      new SnsTopicSubscription(this, "email", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }

  /** Every alarm added so far, in order. */
  get alarms(): readonly AlarmRecord[] {
    return this.records;
  }

  /** Adds an alarm that notifies the topic on ALARM and OK. Throws on a duplicate purpose. */
  add(spec: AlarmSpec): AlarmRecord {
    if (this.records.some((record) => record.purpose === spec.purpose)) {
      throw new Error(`Alarms: an alarm for ${spec.purpose} already exists`);
    }
    const name = this.naming.name("aws_cloudwatch_metric_alarm.alarm_name", spec.purpose);
    const evaluationPeriods = spec.evaluationPeriods ?? 1;
    const period = spec.period ?? 60;
    const description = `${spec.description} Missing data: ${spec.treatMissingData} (${spec.missingDataReason}).`;
    if (description.length > ALARM_DESCRIPTION_MAX) {
      throw new Error(
        `Alarms: the description of ${spec.purpose} has ${description.length} characters, over CloudWatch's ${ALARM_DESCRIPTION_MAX}`,
      );
    }
    new CloudwatchMetricAlarm(this, spec.purpose, {
      alarmName: name,
      alarmDescription: description,
      actionsEnabled: true,
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? evaluationPeriods,
      treatMissingData: spec.treatMissingData,
      ...metricAttributes(spec.metric, period),
    });
    const record = {
      purpose: spec.purpose,
      name,
      arn: this.context.arn("cloudwatch", `alarm:${name}`),
      description: spec.description,
      runbook: spec.runbook,
    };
    this.records.push(record);
    return record;
  }
}

function metricAttributes(metric: AlarmSpec["metric"], period: number): Record<string, unknown> {
  if ("query" in metric) {
    return { metricQuery: [{ id: "q1", expression: metric.query, period, returnData: true }] };
  }
  if ("expression" in metric) {
    const inputs = Object.entries(metric.inputs).map(([id, input]) => ({
      id,
      returnData: false,
      metric: {
        namespace: input.namespace,
        metricName: input.metricName,
        dimensions: { ...input.dimensions },
        stat: input.statistic,
        period,
      },
    }));
    return { metricQuery: [...inputs, { id: "e1", expression: metric.expression, returnData: true }] };
  }
  const percentile = /^p\d+(\.\d+)?$/.test(metric.statistic);
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: { ...metric.dimensions },
    period,
    ...(percentile
      ? { extendedStatistic: metric.statistic, evaluateLowSampleCountPercentiles: "ignore" }
      : { statistic: metric.statistic }),
  };
}
