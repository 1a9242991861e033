import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { FunctionEnv } from "@webhooks/shared";
import { synthStack } from "../support/synth";
import { actionsOn, keyArnOf, only, refTo, roleStatements, statements } from "./helpers";

const { json, doc, stack } = synthStack();
const [routerId, router] = only(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-router");
const [queueId] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-ingest");
const [, mapping] = only(
  doc,
  "aws_lambda_event_source_mapping",
  (m) => m.event_source_arn === refTo("aws_sqs_queue", queueId, "arn"),
);
const role = roleStatements(doc, "whk-dev-router-us-east-1");
const keyArn = keyArnOf(doc);
const [tableId] = only(doc, "aws_dynamodb_table");
const [bucketId] = only(doc, "aws_s3_bucket");
const busArn = statements(only(doc, "aws_cloudwatch_event_bus_policy")[1].policy)[0].Resource;

describe("router function", () => {
  test("is bundled from functions/router/index.ts with 256 MB and a 30 s timeout", () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "whk-dev-router",
      memory_size: 256,
      timeout: 30,
      handler: "index.handler",
    });
    expect(stack.delivery.router.functionName).toBe("whk-dev-router");
  });

  test("reads the table, bus, source prefix, entry budget and bucket from its environment", () => {
    expect(router.environment.variables).toEqual({
      [FunctionEnv.tableName]: stack.table.name,
      [FunctionEnv.eventBusName]: "whk-dev-bus",
      [FunctionEnv.eventSourcePrefix]: "webhooks",
      [FunctionEnv.busEntryMaxBytes]: "262144",
      [FunctionEnv.payloadBucket]: only(doc, "aws_s3_bucket")[1].bucket,
      POWERTOOLS_SERVICE_NAME: "whk-dev-router",
      POWERTOOLS_METRICS_NAMESPACE: "Webhooks",
    });
  });

  test("traces only what an upstream sampled: its SQS source sends no decision, Lambda's own rate is fixed", () => {
    expect(router.tracing_config).toEqual({ mode: "PassThrough" });
  });

  test("reserves the event source's maximum concurrency, so a flood elsewhere cannot starve it", () => {
    const [, mapping] = only(doc, "aws_lambda_event_source_mapping", (m) => m.batch_size === 10);
    expect(router.reserved_concurrent_executions).toBe(stack.config.limits.routerConcurrency);
    // Equal, never below: a throttled receive counts toward maxReceiveCount (healthy messages in the DLQ).
    expect(mapping.scaling_config.maximum_concurrency).toBe(router.reserved_concurrent_executions);
  });
});

describe("event source mapping", () => {
  test("reads batches of 10 with a 1 s window and reports batch item failures", () => {
    expect(json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      event_source_arn: refTo("aws_sqs_queue", queueId, "arn"),
      function_name: refTo("aws_lambda_function", routerId, "arn"),
      batch_size: 10,
      maximum_batching_window_in_seconds: 1,
      function_response_types: ["ReportBatchItemFailures"],
      enabled: true,
    });
  });

  test("caps concurrency with scaling_config.maximum_concurrency", () => {
    expect(mapping.scaling_config).toEqual({ maximum_concurrency: 10 });
  });

  test("waits for the role policy (Lambda checks queue access when the mapping is created)", () => {
    const [policyId] = only(doc, "aws_iam_role_policy", (p) =>
      statements(p.policy).some((s) => s.Action === "events:PutEvents"),
    );
    expect(mapping.depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
  });
});

describe("least-privilege role", () => {
  test("may put events on the one bus and nothing else on EventBridge", () => {
    const eventActions = role
      .flatMap((s) => [s.Action].flat())
      .filter((a: string) => a.startsWith("events:"));
    expect(eventActions).toEqual(["events:PutEvents"]);
    expect(actionsOn(role, busArn)).toEqual(["events:PutEvents"]);
  });

  test("reads statuses and marks records on the table only (no index, no delete, no put)", () => {
    expect(actionsOn(role, refTo("aws_dynamodb_table", tableId, "arn"))).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:UpdateItem",
    ]);
  });

  test("reads and writes claim-checked payloads under payloads/ only", () => {
    const payloads = `${refTo("aws_s3_bucket", bucketId, "arn")}/payloads/*`;
    expect(actionsOn(role, payloads)).toEqual(["s3:GetObject", "s3:PutObject"]);
    const s3Resources = role
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith("s3:")))
      .map((s) => s.Resource);
    expect(new Set(s3Resources)).toEqual(new Set([payloads]));
  });

  test("may decrypt and generate data keys with the platform key only", () => {
    expect(actionsOn(role, keyArn)).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
  });

  test("has exactly the statements its runtime needs", () => {
    const actions = [...new Set(role.flatMap((s) => [s.Action].flat()))].sort();
    expect(actions).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:UpdateItem",
      "events:PutEvents",
      "kms:Decrypt",
      "kms:GenerateDataKey",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "s3:GetObject",
      "s3:PutObject",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });
});
