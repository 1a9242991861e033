import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { synthStack } from "../support/synth";
import {
  actionsOn,
  keyIdOf,
  only,
  queuePolicyStatements,
  refTo,
  roleStatements,
  statements,
} from "./helpers";

const { json, doc } = synthStack();
const [streamId, stream] = only(doc, "aws_kinesis_firehose_delivery_stream");
const s3 = stream.extended_s3_configuration;
const keyId = keyIdOf(doc, "key");
const keyArn = refTo("aws_kms_key", keyId, "arn");
const [bucketId] = only(doc, "aws_s3_bucket");
const bucketArn = refTo("aws_s3_bucket", bucketId, "arn");
const [ruleId, rule] = only(doc, "aws_cloudwatch_event_rule", (r) => r.name === "whk-dev-archive-all");
const ruleArn = refTo("aws_cloudwatch_event_rule", ruleId, "arn");
const [, target] = only(
  doc,
  "aws_cloudwatch_event_target",
  (t) => t.rule === refTo("aws_cloudwatch_event_rule", ruleId, "name"),
);
const [logGroupId, logGroup] = only(
  doc,
  "aws_cloudwatch_log_group",
  (g) => g.name === "/aws/kinesisfirehose/whk-dev-archive",
);

describe("catch-all rule", () => {
  test("matches every platform event by source prefix webhooks.", () => {
    expect(JSON.parse(rule.event_pattern)).toEqual({ source: [{ prefix: "webhooks." }] });
  });

  test("targets the Firehose stream through a role, with retry policy and a standard DLQ", () => {
    const [dlqId, dlq] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-archive-target-dlq");
    expect(target).toEqual(
      expect.objectContaining({
        arn: refTo("aws_kinesis_firehose_delivery_stream", streamId, "arn"),
        role_arn: expect.stringContaining("aws_iam_role"),
        retry_policy: { maximum_retry_attempts: 185, maximum_event_age_in_seconds: 86_400 },
        dead_letter_config: { arn: refTo("aws_sqs_queue", dlqId, "arn") },
      }),
    );
    expect(dlq.fifo_queue).toBeUndefined();
    expect(queuePolicyStatements(doc, dlqId)).toContainEqual(
      expect.objectContaining({
        Sid: "EventBridgeArchiveDeadLetters",
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      }),
    );
  });

  test("EventBridge may assume the put role only for this rule in this account", () => {
    const [, role] = only(doc, "aws_iam_role", (r) => r.name === "whk-dev-archive-events-us-east-1");
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) },
          ArnEquals: { "aws:SourceArn": ruleArn },
        },
      },
    ]);
  });

  test("the put role may only PutRecord/PutRecordBatch on the stream", () => {
    expect(roleStatements(doc, "whk-dev-archive-events-us-east-1")).toEqual([
      {
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: refTo("aws_kinesis_firehose_delivery_stream", streamId, "arn"),
      },
    ]);
  });
});

describe("Firehose stream", () => {
  test("delivers to the payload bucket under archive/ with a date prefix", () => {
    expect(json).toHaveResourceWithProperties(KinesisFirehoseDeliveryStream, {
      name: "whk-dev-archive",
      destination: "extended_s3",
    });
    expect(s3.bucket_arn).toBe(bucketArn);
    expect(s3.prefix).toBe("archive/!{timestamp:yyyy/MM/dd}/");
  });

  test("keeps failed records apart under an error prefix naming the error type", () => {
    expect(s3.error_output_prefix).toBe(
      "archive/errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
    );
  });

  test("batches 5 MiB or 300 s per object, GZIP-compressed (never one object per webhook)", () => {
    expect(s3).toEqual(
      expect.objectContaining({ buffering_size: 5, buffering_interval: 300, compression_format: "GZIP" }),
    );
  });

  test("ends every record with a newline, without dynamic partitioning", () => {
    expect(s3.processing_configuration).toEqual({
      enabled: true,
      processors: [{ type: "AppendDelimiterToRecord" }],
    });
    expect(s3.dynamic_partitioning_configuration).toBeUndefined();
  });

  test("encrypts the stream and the objects with the platform CMK", () => {
    expect(stream.server_side_encryption).toEqual({
      enabled: true,
      key_type: "CUSTOMER_MANAGED_CMK",
      key_arn: keyArn,
    });
    expect(s3.kms_key_arn).toBe(keyArn);
  });

  test("logs delivery errors to a CMK-encrypted log group with retention", () => {
    expect(s3.cloudwatch_logging_options).toEqual({
      enabled: true,
      log_group_name: "/aws/kinesisfirehose/whk-dev-archive",
      log_stream_name: "DestinationDelivery",
    });
    expect(logGroup).toEqual(expect.objectContaining({ kms_key_id: keyArn, retention_in_days: 30 }));
    expect(json).toHaveResourceWithProperties(CloudwatchLogStream, {
      name: "DestinationDelivery",
      log_group_name: "/aws/kinesisfirehose/whk-dev-archive",
    });
  });
});

describe("Firehose delivery role", () => {
  const role = roleStatements(doc, "whk-dev-archive-firehose-us-east-1");

  test("is assumable by Firehose for this account only (sts:ExternalId)", () => {
    const [, trust] = only(doc, "aws_iam_role", (r) => r.name === "whk-dev-archive-firehose-us-east-1");
    expect(statements(trust.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "firehose.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": expect.stringMatching(/aws_caller_identity/) } },
      },
    ]);
  });

  test("writes objects under archive/ only, through bucket.grantArchiveWrite", () => {
    expect(actionsOn(role, `${bucketArn}/archive/*`)).toEqual(["s3:AbortMultipartUpload", "s3:PutObject"]);
    expect(actionsOn(role, `${bucketArn}/payloads/*`)).toEqual([]);
    expect(actionsOn(role, keyArn)).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
  });

  test("writes its error log stream only", () => {
    expect(
      actionsOn(
        role,
        `${refTo("aws_cloudwatch_log_group", logGroupId, "arn")}:log-stream:DestinationDelivery`,
      ),
    ).toEqual(["logs:PutLogEvents"]);
  });
});
