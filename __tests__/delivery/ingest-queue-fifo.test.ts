// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { Naming } from "../../constructs/naming";
import { only, refTo, synthDeliveryStack } from "./helpers";

// The longest names the configuration allows: 8-character prefix, 10-character environment, 40-character suffix.
const LONGEST = { prefix: "whkwhkwh", environment: "devdevdevd", environmentSuffix: "a".repeat(40) };
const { doc, ingest } = synthDeliveryStack({ fifo: true }, LONGEST);
const [queueId, queue] = only(doc, "aws_sqs_queue", (q) => q.name === ingest.name);
const [dlqId, dlq] = only(doc, "aws_sqs_queue", (q) => q.name === ingest.dlqName);

describe("FIFO ingest queue", () => {
  test("a FIFO ingest queue keeps .fifo inside 80 characters", () => {
    for (const name of [queue.name, dlq.name]) {
      expect(name).toMatch(/^[A-Za-z0-9_-]{1,75}\.fifo$/);
      expect(name.length).toBeLessThanOrEqual(80);
    }
  });

  test("a purpose too long for 80 characters is cut and hashed before .fifo", () => {
    const naming = new Naming({
      prefix: LONGEST.prefix,
      environment: LONGEST.environment,
      suffix: LONGEST.environmentSuffix,
      region: "us-east-1",
      accountId: "123456789012",
    });
    const name = naming.name("aws_sqs_queue.name", "ingest-dead-letters-for-the-very-long-purpose", {
      fifo: true,
    });
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^whkwhkwh-devdevdevd-a+-.*-[0-9a-f]{8}\.fifo$/);
  });

  test("queue and DLQ are FIFO with content-based deduplication", () => {
    for (const q of [queue, dlq]) {
      expect(q).toEqual(expect.objectContaining({ fifo_queue: true, content_based_deduplication: true }));
    }
  });

  test("uses high-throughput mode: deduplication and throughput per message group", () => {
    expect(queue).toEqual(
      expect.objectContaining({
        deduplication_scope: "messageGroup",
        fifo_throughput_limit: "perMessageGroupId",
      }),
    );
  });

  test("the router's event source takes no batching window", () => {
    const [, mapping] = only(
      doc,
      "aws_lambda_event_source_mapping",
      (m) => m.event_source_arn === refTo("aws_sqs_queue", queueId, "arn"),
    );
    expect(mapping.maximum_batching_window_in_seconds).toBeUndefined();
    expect(mapping.function_response_types).toEqual(["ReportBatchItemFailures"]);
  });

  test("visibility timeout is 6 × the router timeout with no window to add", () => {
    expect(queue.visibility_timeout_seconds).toBe(180);
  });

  test("redrives to the FIFO DLQ", () => {
    const [, redrive] = only(
      doc,
      "aws_sqs_queue_redrive_policy",
      (r) => r.queue_url === refTo("aws_sqs_queue", queueId, "url"),
    );
    expect(JSON.parse(redrive.redrive_policy).deadLetterTargetArn).toBe(refTo("aws_sqs_queue", dlqId, "arn"));
  });

  test("EventBridge DLQs stay standard queues when the ingest queue is FIFO", () => {
    const dlqArns = [
      ...Object.values(doc.resource.aws_cloudwatch_event_target),
      ...Object.values(doc.resource.aws_cloudwatch_event_bus),
    ].map((resource: any) => resource.dead_letter_config.arn);
    expect(dlqArns.length).toBeGreaterThan(1);
    for (const arn of dlqArns) {
      const [, target] = only(doc, "aws_sqs_queue", (q) => arn === refTo("aws_sqs_queue", idOf(q), "arn"));
      expect(target.fifo_queue).toBeUndefined();
    }
  });
});

function idOf(attributes: unknown): string {
  return Object.entries(doc.resource.aws_sqs_queue).find(([, q]) => q === attributes)![0];
}
