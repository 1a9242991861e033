import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { synthStack } from "../support/synth";
import { actionsOn, only, queuePolicyStatements, refTo, roleStatements } from "./helpers";

const { json, doc, stack } = synthStack();
const [auditId, audit] = only(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-audit");
const [tableId] = only(doc, "aws_dynamodb_table");
const streamArn = refTo("aws_dynamodb_table", tableId, "stream_arn");
const [, mapping] = only(doc, "aws_lambda_event_source_mapping", (m) => m.event_source_arn === streamArn);
const [failuresId, failures] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-audit-failures");
const role = roleStatements(doc, "whk-dev-audit-us-east-1");

describe("audit function", () => {
  test("is bundled from functions/audit/index.ts and needs no configuration", () => {
    expect(audit.timeout).toBe(30);
    expect(audit.environment.variables).toEqual({});
    expect(stack.delivery.audit.functionName).toBe("whk-dev-audit");
  });

  test("traces only what an upstream sampled: the stream sends no decision, Lambda's own rate is fixed", () => {
    expect(audit.tracing_config).toEqual({ mode: "PassThrough" });
  });
});

describe("stream event source", () => {
  test("reads the table's stream from TRIM_HORIZON, so records written around a replacement are audited", () => {
    expect(json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      event_source_arn: streamArn,
      function_name: refTo("aws_lambda_function", auditId, "arn"),
      starting_position: "TRIM_HORIZON",
      batch_size: 100,
      enabled: true,
    });
  });

  test("bisects failing batches and reports batch item failures", () => {
    expect(mapping.bisect_batch_on_function_error).toBe(true);
    expect(mapping.function_response_types).toEqual(["ReportBatchItemFailures"]);
  });

  test("bounds retries and record age inside the stream's 24-hour retention", () => {
    expect(mapping.maximum_retry_attempts).toBe(5);
    expect(mapping.maximum_record_age_in_seconds).toBe(21_600);
    expect(mapping.maximum_record_age_in_seconds).toBeLessThan(86_400);
  });

  test("sends dropped batches to the audit failure queue", () => {
    expect(mapping.destination_config).toEqual({
      on_failure: { destination_arn: refTo("aws_sqs_queue", failuresId, "arn") },
    });
  });
});

describe("audit failure queue", () => {
  test("is CMK-encrypted, kept 14 days and TLS-only", () => {
    expect(failures).toEqual(
      expect.objectContaining({
        message_retention_seconds: 1_209_600,
        kms_master_key_id: expect.stringContaining("aws_kms_key"),
      }),
    );
    expect(queuePolicyStatements(doc, failuresId)[0]).toEqual(
      expect.objectContaining({ Sid: "DenyInsecureTransport" }),
    );
  });

  test("the audit role may send to it (the event source sends with the function's role)", () => {
    expect(actionsOn(role, refTo("aws_sqs_queue", failuresId, "arn"))).toEqual(["sqs:SendMessage"]);
  });
});

describe("audit role", () => {
  test("reads the table's stream through table.grantStreamRead and nothing of the table itself", () => {
    expect(actionsOn(role, streamArn)).toEqual([
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
    ]);
    expect(actionsOn(role, refTo("aws_dynamodb_table", tableId, "arn"))).toEqual([]);
  });
});
