// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { DELIVERY_RULES } from "../policy/delivery-rules";
import { evaluate } from "../policy/rules";
import { synthStack } from "../support/synth";

/**
 * Each delivery rule must be able to fail: a rule that passes on a broken document guards nothing.
 * Every case breaks one resource of a clean synth the way a regression would, and expects the rule
 * with that id to name an offender.
 */
const { doc } = synthStack();

function byName(d: any, type: string, name: string, attribute = "name"): any {
  return Object.values(d.resource[type] as Record<string, any>).find((r) => r[attribute] === name);
}

function first(d: any, type: string, where: (r: any) => boolean = () => true): any {
  return Object.values(d.resource[type] as Record<string, any>).find(where);
}

function editPolicy(resource: any, attribute: string, edit: (statements: any[]) => any[]): void {
  const parsed = JSON.parse(resource[attribute]);
  parsed.Statement = edit([parsed.Statement].flat());
  resource[attribute] = JSON.stringify(parsed);
}

const BREAKS: Record<string, (d: any) => void> = {
  CKV_AWS_27: (d) => {
    delete byName(d, "aws_sqs_queue", "whk-dev-bus-dlq").kms_master_key_id;
  },
  CKV2_AWS_73: (d) => {
    byName(d, "aws_sqs_queue", "whk-dev-ingest").kms_master_key_id = "alias/aws/sqs";
  },
  "CKV_AWS_168/SQS.3": (d) =>
    editPolicy(first(d, "aws_sqs_queue_policy"), "policy", (s) => [
      ...s,
      { Sid: "Open", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" },
    ]),
  "SQS-TLS-ONLY": (d) =>
    editPolicy(first(d, "aws_sqs_queue_policy"), "policy", (s) => s.filter((x) => x.Effect !== "Deny")),
  "SQS-REDRIVE": (d) => {
    const ingest = Object.entries(d.resource.aws_sqs_queue).find(
      ([, q]: any) => q.name === "whk-dev-ingest",
    )![0];
    for (const [id, policy] of Object.entries(d.resource.aws_sqs_queue_redrive_policy) as Array<
      [string, any]
    >) {
      if (policy.queue_url.includes(ingest)) delete d.resource.aws_sqs_queue_redrive_policy[id];
    }
  },
  "SQS-DLQ-RETENTION": (d) => {
    byName(d, "aws_sqs_queue", "whk-dev-ingest-dlq").message_retention_seconds = 345_600;
  },
  "SQS-REDRIVE-ALLOW": (d) => {
    first(d, "aws_sqs_queue_redrive_allow_policy").redrive_allow_policy = JSON.stringify({
      redrivePermission: "allowAll",
    });
  },
  "SQS-VISIBILITY-6X": (d) => {
    byName(d, "aws_sqs_queue", "whk-dev-ingest").visibility_timeout_seconds = 30;
  },
  "SQS-MAX-MESSAGE-SIZE": (d) => {
    delete byName(d, "aws_sqs_queue", "whk-dev-route-payments").max_message_size;
  },
  "ESM-SQS": (d) => {
    byName(d, "aws_lambda_function", "whk-dev-router", "function_name").reserved_concurrent_executions = 2;
  },
  "ESM-STREAM": (d) => {
    delete first(d, "aws_lambda_event_source_mapping", (m) => m.starting_position).destination_config;
  },
  "EventBridge.3": (d) =>
    editPolicy(first(d, "aws_cloudwatch_event_bus_policy"), "policy", (s) =>
      s.map(({ Condition, ...rest }) => rest),
    ),
  "EB-BUS-CMK-DLQ": (d) => {
    delete first(d, "aws_cloudwatch_event_bus").dead_letter_config;
  },
  "EB-ARCHIVE": (d) => {
    first(d, "aws_cloudwatch_event_archive").retention_days = 0;
  },
  "EB-TARGET-RETRY-DLQ": (d) => {
    delete first(d, "aws_cloudwatch_event_target").retry_policy;
  },
  "EB-TARGET-DLQ-STANDARD": (d) => {
    byName(d, "aws_sqs_queue", "whk-dev-route-payments-target-dlq").fifo_queue = true;
  },
  "EB-QUEUE-SOURCEARN": (d) => {
    const queue = Object.entries(d.resource.aws_sqs_queue).find(
      ([, q]: any) => q.name === "whk-dev-route-payments",
    )![0];
    const policy = first(d, "aws_sqs_queue_policy", (p) => p.queue_url.includes(`${queue}.url`));
    editPolicy(policy, "policy", (s) => s.filter((x) => x.Effect !== "Allow"));
  },
  "EB-KMS-QUEUE-DELIVERY": (d) => {
    for (const [, keyPolicy] of Object.entries<any>(d.resource.aws_kms_key_policy)) {
      editPolicy(keyPolicy, "policy", (s) => s.filter((x) => x.Sid !== "EventBridgeDeliveryToQueues"));
    }
  },
  "FIREHOSE-ARCHIVE": (d) => {
    first(d, "aws_kinesis_firehose_delivery_stream").extended_s3_configuration.buffering_interval = 0;
  },
  CKV_AWS_26: (d) => {
    delete first(d, "aws_sns_topic").kms_master_key_id;
  },
  "AVD-AWS-0136": (d) => {
    for (const [, keyPolicy] of Object.entries<any>(d.resource.aws_kms_key_policy)) {
      editPolicy(keyPolicy, "policy", (s) => s.filter((x) => x.Sid !== "CloudWatchAlarmsToEncryptedTopic"));
    }
  },
  CKV_AWS_169: (d) =>
    editPolicy(first(d, "aws_sns_topic_policy"), "policy", (s) => [
      ...s,
      { Sid: "Public", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*" },
    ]),
  CKV_AWS_319: (d) => {
    first(d, "aws_cloudwatch_metric_alarm").actions_enabled = false;
  },
  "CloudWatch.15": (d) => {
    first(d, "aws_cloudwatch_metric_alarm").ok_actions = [];
  },
  "ALARM-MISSING-DATA": (d) => {
    delete first(d, "aws_cloudwatch_metric_alarm").treat_missing_data;
  },
  "OPS1-DLQ": (d) => {
    first(
      d,
      "aws_cloudwatch_metric_alarm",
      (a) => a.alarm_name === "whk-dev-bus-dlq-depth",
    ).dimensions.QueueName = "x";
  },
  "OPS1-QUEUE-AGE": (d) => {
    first(
      d,
      "aws_cloudwatch_metric_alarm",
      (a) => a.metric_name === "ApproximateAgeOfOldestMessage",
    ).metric_name = "x";
  },
  "OPS1-FUNCTIONS": (d) => {
    first(d, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === "whk-dev-audit-throttles").metric_name =
      "x";
  },
  "OPS1-RULES": (d) => {
    first(
      d,
      "aws_cloudwatch_metric_alarm",
      (a) => a.alarm_name === "whk-dev-archive-sent-to-dlq",
    ).metric_name = "x";
  },
  "OPS1-API": (d) => {
    first(d, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === "whk-dev-api-5xx").metric_name = "x";
  },
};

test("every delivery rule has a breaking case", () => {
  expect(Object.keys(BREAKS).sort()).toEqual(DELIVERY_RULES.map((rule) => rule.id).sort());
});

test.each(DELIVERY_RULES.map((rule) => [rule.id, rule] as const))("%s holds on the stack", (_id, rule) => {
  expect(evaluate(rule, doc)).toEqual([]);
});

test.each(DELIVERY_RULES.map((rule) => [rule.id, rule] as const))(
  "%s fails when a resource breaks it",
  (id, rule) => {
    const broken = structuredClone(doc);
    BREAKS[id]!(broken);
    expect(evaluate(rule, broken).length).toBeGreaterThan(0);
  },
);

test.each([
  ["every platform source by prefix", true, [{ prefix: "webhooks." }]],
  ["listed platform sources", true, ["webhooks.stripe", "webhooks.github"]],
  ["every source (an empty prefix)", false, [{ prefix: "" }]],
  ["a source outside the platform", false, ["webhooks.stripe", "aws.ec2"]],
  ["anything but a platform source", false, [{ "anything-but": { prefix: "webhooks." } }]],
])("EB-ARCHIVE: an archive of %s holds: %s", (_case, holds, source) => {
  const rule = DELIVERY_RULES.find((candidate) => candidate.id === "EB-ARCHIVE")!;
  const edited = structuredClone(doc);
  first(edited, "aws_cloudwatch_event_archive").event_pattern = JSON.stringify({ source });
  expect(evaluate(rule, edited)).toHaveLength(holds ? 0 : 1);
});
