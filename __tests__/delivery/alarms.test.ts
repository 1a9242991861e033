import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { VALIDATOR_METRIC } from "../../constructs/platform-alarms";
import { WEBHOOKS_METRIC } from "../../functions/validator/adapters/powertools-metrics";
import { deadLetterQueuesOf } from "../policy/delivery-rules";
import { resourcesOf, synthStack } from "../support/synth";
import { keyArnOf, keyStatement, only, refTo, statements } from "./helpers";

const { json, doc, stack } = synthStack({ alarmEmail: "oncall@example.com" });
const [topicId, topic] = only(doc, "aws_sns_topic");
const topicRef = refTo("aws_sns_topic", topicId, "arn");
const alarms = resourcesOf(doc, "aws_cloudwatch_metric_alarm").map(([, alarm]) => alarm);
const [, topicPolicy] = only(doc, "aws_sns_topic_policy");
const topicArn = statements(topicPolicy.policy)[0].Resource;

function alarmsOn(namespace: string, metricName: string, dimensions: Record<string, string>) {
  return alarms.filter(
    (a) =>
      a.namespace === namespace &&
      a.metric_name === metricName &&
      Object.entries(dimensions).every(([key, value]) => a.dimensions?.[key] === value),
  );
}

describe("alarm topic", () => {
  test("is encrypted with the operations key, so a disabled data key cannot silence the alarms", () => {
    expect(json).toHaveResourceWithProperties(SnsTopic, {
      name: "whk-dev-alarms",
      kms_master_key_id: keyArnOf(doc, "operations-key"),
    });
    expect(topic.name).toBe("whk-dev-alarms");
  });

  test("the key lets CloudWatch encrypt for this topic only (Decrypt + GenerateDataKey*)", () => {
    expect(keyStatement(doc, "CloudWatchAlarmsToEncryptedTopic", "operations-key")).toEqual({
      Sid: "CloudWatchAlarmsToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topicArn } },
    });
    expect(topicArn).toMatch(/:sns:us-east-1:\$\{data\.aws_caller_identity\..*\}:whk-dev-alarms$/);
  });

  test("the topic policy lets CloudWatch publish for this account's platform alarms only", () => {
    expect(topicPolicy.arn).toBe(topicRef);
    const [publish, deny] = statements(topicPolicy.policy);
    expect(publish).toEqual({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) },
        ArnLike: { "aws:SourceArn": expect.stringMatching(/:cloudwatch:us-east-1:.*:alarm:whk-dev-\*$/) },
      },
    });
    expect(deny).toEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "sns:Publish",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  test("subscribes the configured e-mail address", () => {
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: topicRef,
      protocol: "email",
      endpoint: "oncall@example.com",
    });
  });

  test("is exposed as alarmTopicArn", () => {
    expect(stack.delivery.alarmTopicArn).toBe(stack.delivery.alarms.topicArn);
  });
});

describe("every alarm", () => {
  test("notifies the topic on ALARM and OK with actions enabled", () => {
    expect(alarms.length).toBeGreaterThan(20);
    for (const alarm of alarms) {
      expect(alarm).toEqual(
        expect.objectContaining({ actions_enabled: true, alarm_actions: [topicRef], ok_actions: [topicRef] }),
      );
    }
  });

  test("decides how missing data reads and says why in its description", () => {
    for (const alarm of alarms) {
      expect(["notBreaching", "breaching", "ignore"]).toContain(alarm.treat_missing_data);
      expect(alarm.alarm_description).toMatch(
        new RegExp(`Missing data: ${alarm.treat_missing_data} \\(.+\\)\\.$`),
      );
    }
  });

  test("is named <prefix>-<env>-<purpose>, uniquely", () => {
    const names = alarms.map((a) => a.alarm_name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^whk-dev-[a-z0-9-]+$/);
  });
});

describe("coverage", () => {
  test("every DLQ has a depth alarm", () => {
    const dlqNames = deadLetterQueuesOf(doc).map((id) => doc.resource.aws_sqs_queue[id].name);
    expect(dlqNames.sort()).toEqual(
      [
        "whk-dev-archive-target-dlq",
        "whk-dev-audit-failures",
        "whk-dev-bus-dlq",
        "whk-dev-ingest-dlq",
        "whk-dev-route-payments-dlq",
        "whk-dev-route-payments-target-dlq",
      ].sort(),
    );
    for (const name of dlqNames) {
      const [alarm] = alarmsOn("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: name });
      expect(alarm).toEqual(
        expect.objectContaining({
          statistic: "Maximum",
          comparison_operator: "GreaterThanThreshold",
          threshold: 0,
          treat_missing_data: "notBreaching",
        }),
      );
    }
  });

  test("the ingest queue alarms when its oldest message is 5 minutes old for 5 minutes", () => {
    expect(alarmsOn("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "whk-dev-ingest" })).toEqual([
      expect.objectContaining({ threshold: 300, period: 60, evaluation_periods: 5, datapoints_to_alarm: 5 }),
    ]);
  });

  test.each(["whk-dev-validator", "whk-dev-router", "whk-dev-audit"])(
    "%s alarms on Errors and Throttles",
    (fn) => {
      for (const metricName of ["Errors", "Throttles"]) {
        expect(alarmsOn("AWS/Lambda", metricName, { FunctionName: fn })).toEqual([
          expect.objectContaining({
            statistic: "Sum",
            threshold: 0,
            comparison_operator: "GreaterThanThreshold",
          }),
        ]);
      }
    },
  );

  test("the API alarms on any 5XX, with the ingress API name and stage as dimensions", () => {
    const api = { ApiName: stack.ingress.restApiName, Stage: stack.ingress.stageName };
    expect(alarmsOn("AWS/ApiGateway", "5XXError", api)).toEqual([
      expect.objectContaining({ statistic: "Sum", threshold: 0, period: 300 }),
    ]);
  });

  test("the API alarms on p99 latency, ignoring periods with too few samples", () => {
    const api = { ApiName: stack.ingress.restApiName, Stage: stack.ingress.stageName };
    const [alarm] = alarmsOn("AWS/ApiGateway", "Latency", api);
    expect(alarm).toEqual(
      expect.objectContaining({
        extended_statistic: "p99",
        threshold: 2500,
        evaluate_low_sample_count_percentiles: "ignore",
      }),
    );
    expect(alarm.statistic).toBeUndefined();
  });

  test("a signature-rejection spike alarms on this deployment's validator metric only (its service)", () => {
    expect(VALIDATOR_METRIC).toBe(WEBHOOKS_METRIC);
    const [alarm] = alarms.filter((a) => a.alarm_name === "whk-dev-signature-rejections");
    expect(alarm.metric_query).toEqual([
      {
        id: "q1",
        expression: `SELECT SUM("${WEBHOOKS_METRIC}") FROM "${stack.ingress.metricsNamespace}" WHERE service = 'whk-dev-validator' AND outcome = 'rejected' AND reason = 'signature_mismatch'`,
        period: 300,
        return_data: true,
      },
    ]);
    expect(alarm).toEqual(
      expect.objectContaining({ threshold: 50, comparison_operator: "GreaterThanThreshold" }),
    );
  });

  test("any delivery id reused for a different body (a refused 409) alarms, on the validator's metric", () => {
    const [alarm] = alarms.filter((a) => a.alarm_name === "whk-dev-delivery-id-conflicts");
    expect(alarm.metric_query).toEqual([
      {
        id: "q1",
        expression: `SELECT SUM("${WEBHOOKS_METRIC}") FROM "${stack.ingress.metricsNamespace}" WHERE service = 'whk-dev-validator' AND outcome = 'rejected' AND reason = 'delivery_id_conflict'`,
        period: 300,
        return_data: true,
      },
    ]);
    expect(alarm).toEqual(
      expect.objectContaining({ threshold: 0, comparison_operator: "GreaterThanThreshold" }),
    );
  });

  test("the router alarms when it keeps reporting messages for redelivery", () => {
    const [, router] = only(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-router");
    const { POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE } = router.environment.variables;
    expect(alarmsOn(POWERTOOLS_METRICS_NAMESPACE, "failed", { service: POWERTOOLS_SERVICE_NAME })).toEqual([
      expect.objectContaining({ evaluation_periods: 3, datapoints_to_alarm: 2, threshold: 0 }),
    ]);
  });

  test.each(["whk-dev-route-payments", "whk-dev-archive-all"])(
    "rule %s alarms on FailedInvocations and InvocationsSentToDlq, by bus and rule",
    (rule) => {
      for (const metricName of ["FailedInvocations", "InvocationsSentToDlq"]) {
        expect(alarmsOn("AWS/Events", metricName, { EventBusName: "whk-dev-bus", RuleName: rule })).toEqual([
          expect.objectContaining({ statistic: "Sum", threshold: 0, treat_missing_data: "notBreaching" }),
        ]);
      }
    },
  );

  test("a silent archive while the router routes events breaches (silence is the failure there)", () => {
    const [, router] = only(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-router");
    const { POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE } = router.environment.variables;
    const [alarm] = alarms.filter((a) => a.alarm_name === "whk-dev-archive-silent");
    expect(alarm.metric_query).toEqual([
      {
        id: "m1",
        return_data: false,
        metric: {
          namespace: POWERTOOLS_METRICS_NAMESPACE,
          metric_name: "routed",
          dimensions: { service: POWERTOOLS_SERVICE_NAME },
          stat: "Sum",
          period: 300,
        },
      },
      {
        id: "m2",
        return_data: false,
        metric: {
          namespace: "AWS/Firehose",
          metric_name: "IncomingRecords",
          dimensions: { DeliveryStreamName: "whk-dev-archive" },
          stat: "Sum",
          period: 300,
        },
      },
      { id: "e1", expression: "IF(m1 > 0 AND FILL(m2, 0) == 0, 1, 0)", return_data: true },
    ]);
    expect(alarm).toEqual(
      expect.objectContaining({
        threshold: 1,
        comparison_operator: "GreaterThanOrEqualToThreshold",
        evaluation_periods: 2,
      }),
    );
  });

  test("the archive stream alarms on failed S3 deliveries and stale data", () => {
    const stream = { DeliveryStreamName: "whk-dev-archive" };
    expect(alarmsOn("AWS/Firehose", "DeliveryToS3.Success", stream)).toEqual([
      expect.objectContaining({
        statistic: "Minimum",
        comparison_operator: "LessThanThreshold",
        threshold: 1,
      }),
    ]);
    expect(alarmsOn("AWS/Firehose", "DeliveryToS3.DataFreshness", stream)).toEqual([
      expect.objectContaining({
        statistic: "Maximum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 900,
      }),
    ]);
  });
});
