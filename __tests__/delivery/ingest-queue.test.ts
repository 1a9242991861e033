import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { EncryptedQueue } from "../../constructs/encrypted-queue";
import { IngestQueue } from "../../constructs/ingest-queue";
import { bareScope } from "../support/scope";
import { synthStack } from "../support/synth";
import { actionsOn, keyArnOf, only, queuePolicyStatements, refTo, roleStatements } from "./helpers";

const { json, doc, stack } = synthStack();
const [queueId, queue] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-ingest");
const [dlqId, dlq] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-ingest-dlq");
const queueArn = refTo("aws_sqs_queue", queueId, "arn");
const keyArn = keyArnOf(doc);

describe("ingest queue", () => {
  test("is a standard queue by default", () => {
    expect(queue.fifo_queue).toBeUndefined();
    expect(queue.content_based_deduplication).toBeUndefined();
    expect(stack.queue.fifo).toBe(false);
  });

  test("accepts 1 MiB messages (the provider's default would be 256 KiB)", () => {
    expect(json).toHaveResourceWithProperties(SqsQueue, {
      name: "whk-dev-ingest",
      max_message_size: 1_048_576,
    });
    expect(stack.queue.maxMessageBytes).toBe(1_048_576);
  });

  test("visibility timeout is at least 6 × the router timeout plus the batching window", () => {
    const [, mapping] = only(doc, "aws_lambda_event_source_mapping", (m) => m.event_source_arn === queueArn);
    const [, router] = only(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-router");
    expect(router.timeout).toBe(30);
    expect(queue.visibility_timeout_seconds).toBeGreaterThanOrEqual(
      6 * router.timeout + mapping.maximum_batching_window_in_seconds,
    );
    expect(queue.visibility_timeout_seconds).toBe(181);
  });

  test("keeps messages 4 days and its DLQ 14 days (longer: expiry counts from the first enqueue)", () => {
    expect(queue.message_retention_seconds).toBe(345_600);
    expect(dlq.message_retention_seconds).toBe(1_209_600);
  });

  test("is encrypted with the platform CMK and a stated data-key reuse period", () => {
    for (const q of [queue, dlq]) {
      expect(q).toEqual(
        expect.objectContaining({ kms_master_key_id: keyArn, kms_data_key_reuse_period_seconds: 300 }),
      );
      expect(q.sqs_managed_sse_enabled).toBeUndefined();
    }
  });

  test("consumers long-poll", () => {
    expect(queue.receive_wait_time_seconds).toBe(20);
  });
});

describe("redrive", () => {
  test("moves a message to the DLQ after 3 receives, as its own resource", () => {
    expect(json).toHaveResourceWithProperties(SqsQueueRedrivePolicy, {
      queue_url: refTo("aws_sqs_queue", queueId, "url"),
      redrive_policy: JSON.stringify({
        deadLetterTargetArn: refTo("aws_sqs_queue", dlqId, "arn"),
        maxReceiveCount: 3,
      }),
    });
    expect(queue.redrive_policy).toBeUndefined();
  });

  test("the DLQ accepts redrive from the ingest queue only", () => {
    expect(json).toHaveResourceWithProperties(SqsQueueRedriveAllowPolicy, {
      queue_url: refTo("aws_sqs_queue", dlqId, "url"),
      redrive_allow_policy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [queueArn] }),
    });
  });

  test("maxReceiveCount comes from the configuration", () => {
    expect(stack.queue.maxReceiveCount).toBe(stack.config.limits.maxReceiveCount);
  });
});

describe("queue policies", () => {
  test.each([
    ["ingest", () => queueId],
    ["ingest DLQ", () => dlqId],
  ])("the %s policy refuses requests without TLS", (_name, id) => {
    expect(queuePolicyStatements(doc, id())).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  test("the ingest queue policy allows nobody else (access comes from grants)", () => {
    expect(queuePolicyStatements(doc, queueId).filter((s) => s.Effect === "Allow")).toEqual([]);
  });
});

describe("grants", () => {
  test("grantSend gives the validator SendMessage on the queue and GenerateDataKey + Decrypt on the key", () => {
    const validator = roleStatements(doc, "whk-dev-validator-us-east-1");
    expect(actionsOn(validator, queueArn)).toEqual(["sqs:SendMessage"]);
    expect(actionsOn(validator, keyArn)).toEqual(
      expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey"]),
    );
  });

  test("grantConsume gives the router receive, delete and attributes on the queue only", () => {
    expect(actionsOn(roleStatements(doc, "whk-dev-router-us-east-1"), queueArn)).toEqual([
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
  });

  test("no role may touch the DLQ (operators redrive with their own credentials)", () => {
    for (const role of ["whk-dev-validator", "whk-dev-router", "whk-dev-audit"]) {
      expect(
        actionsOn(roleStatements(doc, `${role}-us-east-1`), refTo("aws_sqs_queue", dlqId, "arn")),
      ).toEqual([]);
    }
  });
});

describe("invalid combinations", () => {
  test("a FIFO ingest queue refuses a batching window", () => {
    const { root, naming, context, key } = bareScope();
    expect(
      () => new IngestQueue(root, "q", { naming, context, key, fifo: true, batchingWindowSeconds: 1 }),
    ).toThrow(/FIFO queue's event source takes no batching window/);
  });

  test("maxReceiveCount must be 1..1000", () => {
    const { root, naming, context, key } = bareScope();
    expect(() => new IngestQueue(root, "q", { naming, context, key, maxReceiveCount: 0 })).toThrow(
      /maxReceiveCount/,
    );
  });

  test("a DLQ that keeps messages no longer than its source is refused", () => {
    const { root, naming, key } = bareScope();
    const source = new EncryptedQueue(root, "source", {
      naming,
      key,
      purpose: "a",
      messageRetentionSeconds: 86_400,
    });
    const short = new EncryptedQueue(root, "dlq", {
      naming,
      key,
      purpose: "b",
      messageRetentionSeconds: 86_400,
    });
    expect(() => source.deadLetterTo(short, 3)).toThrow(/retain messages longer than its source/);
  });

  test("a standard queue cannot dead-letter to a FIFO queue", () => {
    const { root, naming, key } = bareScope();
    const source = new EncryptedQueue(root, "source", { naming, key, purpose: "a" });
    const fifo = new EncryptedQueue(root, "dlq", {
      naming,
      key,
      purpose: "b",
      fifo: true,
      messageRetentionSeconds: 1_209_600,
    });
    expect(() => source.deadLetterTo(fifo, 3)).toThrow(/must be one too/);
  });

  test("max_message_size outside SQS's 1 KiB..1 MiB is refused", () => {
    const { root, naming, key } = bareScope();
    expect(
      () => new EncryptedQueue(root, "big", { naming, key, purpose: "a", maxMessageBytes: 2_000_000 }),
    ).toThrow(/maxMessageBytes/);
  });
});
