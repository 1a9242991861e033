import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { routePattern } from "../../constructs/route-pattern";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { synthStack } from "../support/synth";
import { only, queuePolicyStatements, refTo } from "./helpers";

const ROUTES = [
  DEFAULT_CONFIG.routes[0]!,
  { id: "github-pushes", eventPattern: { "detail-type": ["push"] } },
];
const { json, doc, stack } = synthStack({ routes: ROUTES });
const SOURCES = stack.config.providers.map((p) => `webhooks.${p.id}`);
const [busId] = only(doc, "aws_cloudwatch_event_bus");

function route(id: string) {
  const [ruleId, rule] = only(doc, "aws_cloudwatch_event_rule", (r) => r.name === `whk-dev-route-${id}`);
  const [queueId, queue] = only(doc, "aws_sqs_queue", (q) => q.name === `whk-dev-route-${id}`);
  const [dlqId, dlq] = only(doc, "aws_sqs_queue", (q) => q.name === `whk-dev-route-${id}-dlq`);
  const [targetDlqId, targetDlq] = only(
    doc,
    "aws_sqs_queue",
    (q) => q.name === `whk-dev-route-${id}-target-dlq`,
  );
  const [, target] = only(
    doc,
    "aws_cloudwatch_event_target",
    (t) => t.rule === refTo("aws_cloudwatch_event_rule", ruleId, "name"),
  );
  return {
    ruleId,
    rule,
    queueId,
    queue,
    dlqId,
    dlq,
    targetDlqId,
    targetDlq,
    target,
    ruleArn: refTo("aws_cloudwatch_event_rule", ruleId, "arn"),
  };
}

describe.each(ROUTES.map((r) => [r.id]))("route %s", (id) => {
  const r = route(id);

  test("is a rule on the platform bus, created after the bus", () => {
    expect(r.rule.event_bus_name).toBe(refTo("aws_cloudwatch_event_bus", busId, "name"));
    expect(r.rule.state).toBe("ENABLED");
  });

  test("targets a consumer queue created by this stack", () => {
    expect(r.target.arn).toBe(refTo("aws_sqs_queue", r.queueId, "arn"));
    expect(r.target.event_bus_name).toBe(refTo("aws_cloudwatch_event_bus", busId, "name"));
  });

  test("the target retries explicitly (185 attempts / 24 h) and dead-letters to a standard queue", () => {
    expect(r.target.retry_policy).toEqual({
      maximum_retry_attempts: 185,
      maximum_event_age_in_seconds: 86_400,
    });
    expect(r.target.dead_letter_config).toEqual({ arn: refTo("aws_sqs_queue", r.targetDlqId, "arn") });
    expect(r.targetDlq.fifo_queue).toBeUndefined();
    expect(r.targetDlq.message_retention_seconds).toBe(1_209_600);
  });

  test("the consumer queue is standard, CMK-encrypted, 1 MiB, and redrives to its own DLQ after 5 receives", () => {
    expect(r.queue).toEqual(
      expect.objectContaining({
        max_message_size: 1_048_576,
        kms_master_key_id: expect.stringContaining("aws_kms_key"),
      }),
    );
    expect(r.queue.fifo_queue).toBeUndefined();
    const [, redrive] = only(
      doc,
      "aws_sqs_queue_redrive_policy",
      (p) => p.queue_url === refTo("aws_sqs_queue", r.queueId, "url"),
    );
    expect(JSON.parse(redrive.redrive_policy)).toEqual({
      deadLetterTargetArn: refTo("aws_sqs_queue", r.dlqId, "arn"),
      maxReceiveCount: 5,
    });
    expect(r.dlq.message_retention_seconds).toBeGreaterThan(r.queue.message_retention_seconds);
  });

  test("the consumer DLQ accepts redrive from its queue only", () => {
    const [, allow] = only(
      doc,
      "aws_sqs_queue_redrive_allow_policy",
      (p) => p.queue_url === refTo("aws_sqs_queue", r.dlqId, "url"),
    );
    expect(JSON.parse(allow.redrive_allow_policy)).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [refTo("aws_sqs_queue", r.queueId, "arn")],
    });
  });

  test.each([
    ["consumer queue", "queueId", "EventBridgeRoute"],
    ["target DLQ", "targetDlqId", "EventBridgeRouteDeadLetters"],
  ] as const)("the %s lets EventBridge send only on behalf of this rule", (_name, key, sid) => {
    const queueId = r[key];
    expect(queuePolicyStatements(doc, queueId)).toContainEqual({
      Sid: sid,
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: refTo("aws_sqs_queue", queueId, "arn"),
      Condition: { ArnEquals: { "aws:SourceArn": r.ruleArn } },
    });
  });

  test("every queue of the route refuses requests without TLS", () => {
    for (const queueId of [r.queueId, r.dlqId, r.targetDlqId]) {
      expect(queuePolicyStatements(doc, queueId)[0]).toEqual(
        expect.objectContaining({
          Sid: "DenyInsecureTransport",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    }
  });
});

describe("event patterns", () => {
  test("a route that names its source keeps it", () => {
    expect(JSON.parse(route("payments").rule.event_pattern)).toEqual({
      source: ["webhooks.stripe"],
      "detail-type": [{ prefix: "payment_intent." }],
    });
  });

  test("a route without source gets every platform source, by their prefix", () => {
    expect(JSON.parse(route("github-pushes").rule.event_pattern)).toEqual({
      source: [{ prefix: "webhooks." }],
      "detail-type": ["push"],
    });
  });

  test("a refused source's problem names ten platform sources and counts the rest", () => {
    const many = Array.from({ length: 150 }, (_, index) => `webhooks.p${index}`);
    expect(() => routePattern({ id: "x", eventPattern: { source: ["aws.ec2"] } }, many)).toThrow(
      "route x: eventPattern.source names aws.ec2, not a platform source (one per provider: webhooks.p0, webhooks.p1, webhooks.p2, webhooks.p3, webhooks.p4, webhooks.p5, webhooks.p6, webhooks.p7, webhooks.p8, webhooks.p9 and 140 more)",
    );
  });

  test("a route naming a source outside the platform is refused", () => {
    expect(() => routePattern({ id: "x", eventPattern: { source: ["aws.ec2"] } }, SOURCES)).toThrow(
      /not a platform source/,
    );
  });

  test("a route may use EventBridge operators in source", () => {
    expect(routePattern({ id: "x", eventPattern: { source: [{ prefix: "webhooks.s" }] } }, SOURCES)).toEqual({
      source: [{ prefix: "webhooks.s" }],
    });
  });
});

test("routes expose their queues for consumers", () => {
  expect(stack.delivery.routes.map((r) => r.routeId)).toEqual(["payments", "github-pushes"]);
  expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, {
    target_id: "whk-dev-route-payments-queue",
  });
});
