// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { TerraformStack, Testing } from "cdktf";
import { AwsContext } from "../../constructs/aws-context";
import { EventBus } from "../../constructs/event-bus";
import { Naming } from "../../constructs/naming";
import { PlatformKey } from "../../constructs/platform-key";
import { synthStack } from "../support/synth";
import { keyStatement, only, queuePolicyStatements, refTo, roleStatements, statements } from "./helpers";

const { json, doc, stack } = synthStack();
const [busId, bus] = only(doc, "aws_cloudwatch_event_bus");
const [keyId] = only(doc, "aws_kms_key");
const [keyPolicyId] = only(doc, "aws_kms_key_policy");
const [dlqId, dlq] = only(doc, "aws_sqs_queue", (q) => q.name === "whk-dev-bus-dlq");
const [, busPolicy] = only(doc, "aws_cloudwatch_event_bus_policy");
const [, archive] = only(doc, "aws_cloudwatch_event_archive");
const busArn = statements(busPolicy.policy)[0].Resource;

describe("event bus", () => {
  test("is a custom bus named by the naming module", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventBus, { name: "whk-dev-bus" });
    expect(stack.delivery.busName).toBe("whk-dev-bus");
  });

  test("is encrypted with the platform CMK", () => {
    expect(bus.kms_key_identifier).toBe(refTo("aws_kms_key", keyId, "arn"));
  });

  test("is created after the key policy (EventBridge checks it may use the key)", () => {
    expect(bus.depends_on).toEqual([`aws_kms_key_policy.${keyPolicyId}`]);
  });

  test("sends events it cannot encrypt or decrypt to a standard, CMK-encrypted DLQ kept 14 days", () => {
    expect(bus.dead_letter_config).toEqual({ arn: refTo("aws_sqs_queue", dlqId, "arn") });
    expect(dlq.fifo_queue).toBeUndefined();
    expect(dlq.message_retention_seconds).toBe(1_209_600);
    expect(dlq.kms_master_key_id).toBe(refTo("aws_kms_key", keyId, "arn"));
  });

  test("its DLQ lets EventBridge send only on behalf of this bus, over TLS", () => {
    const policy = queuePolicyStatements(doc, dlqId);
    expect(policy).toContainEqual({
      Sid: "EventBridgeBusDeadLetters",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: refTo("aws_sqs_queue", dlqId, "arn"),
      Condition: { ArnEquals: { "aws:SourceArn": busArn } },
    });
    expect(policy).toContainEqual(expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }));
  });
});

describe("bus policy", () => {
  test("allows PutEvents for this account only, narrowed to the router role by aws:PrincipalArn", () => {
    const [routerRoleId] = only(doc, "aws_iam_role", (r) => r.name === "whk-dev-router");
    expect(busPolicy.event_bus_name).toBe(refTo("aws_cloudwatch_event_bus", busId, "name"));
    expect(statements(busPolicy.policy)).toEqual([
      {
        Sid: "PutEventsFromPlatformPublishersOnly",
        Effect: "Allow",
        Principal: {
          AWS: expect.stringMatching(
            /^arn:\$\{data\.aws_partition\..*\}:iam::\$\{data\.aws_caller_identity\..*\}:root$/,
          ),
        },
        Action: "events:PutEvents",
        Resource: busArn,
        Condition: { ArnEquals: { "aws:PrincipalArn": refTo("aws_iam_role", routerRoleId, "arn") } },
      },
    ]);
  });

  test("the bus ARN in policies is built from the bus name", () => {
    expect(busArn).toMatch(/:events:us-east-1:\$\{data\.aws_caller_identity\..*\}:event-bus\/whk-dev-bus$/);
  });

  test("the router is the only role allowed PutEvents", () => {
    const putters = doc.resource.aws_iam_role_policy
      ? Object.values(doc.resource.aws_iam_role_policy as Record<string, any>).filter((p) =>
          statements(p.policy).some((s) => [s.Action].flat().includes("events:PutEvents")),
        )
      : [];
    expect(putters).toHaveLength(1);
    expect(roleStatements(doc, "whk-dev-router")).toContainEqual({
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: busArn,
    });
  });

  test("a bus nobody may publish to fails synth", () => {
    const root = new TerraformStack(Testing.app(), "lonely");
    const naming = new Naming({ prefix: "whk", environment: "dev" });
    const context = new AwsContext(root, "context", { region: "us-east-1" });
    const key = new PlatformKey(root, "key", { naming, context });
    new EventBus(root, "bus", { naming, context, key, sources: ["webhooks.a"] });
    expect(() => Testing.synth(root)).toThrow(/no publisher was granted PutEvents/);
  });
});

describe("archive", () => {
  test("keeps events for the configured retention, with the CMK", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventArchive, {
      name: "whk-dev-archive",
      event_source_arn: refTo("aws_cloudwatch_event_bus", busId, "arn"),
      retention_days: stack.config.limits.archiveRetentionDays,
      kms_key_identifier: refTo("aws_kms_key", keyId, "arn"),
    });
    expect(stack.delivery.archiveName).toBe("whk-dev-archive");
  });

  test("archives only the platform's sources, one per configured provider", () => {
    expect(JSON.parse(archive.event_pattern)).toEqual({
      source: stack.config.providers.map((p) => `webhooks.${p.id}`).sort(),
    });
  });

  test("a retention of 0 (forever) is refused", () => {
    const root = new TerraformStack(Testing.app(), "forever");
    const naming = new Naming({ prefix: "whk", environment: "dev" });
    const context = new AwsContext(root, "context", { region: "us-east-1" });
    const key = new PlatformKey(root, "key", { naming, context });
    expect(
      () =>
        new EventBus(root, "bus", { naming, context, key, sources: ["webhooks.a"], archiveRetentionDays: 0 }),
    ).toThrow(/archiveRetentionDays/);
  });
});

describe("key policy for EventBridge", () => {
  test("lets EventBridge describe, generate data keys and decrypt for this account's bus and archive", () => {
    expect(keyStatement(doc, "EventBridgeBusAndArchive")).toEqual({
      Sid: "EventBridgeBusAndArchive",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncrypt*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\$\{data\.aws_caller_identity\./) },
      },
    });
  });

  test("lets EventBridge encrypt into exactly the queues it delivers to (no aws:SourceArn: B.15)", () => {
    const statement = keyStatement(doc, "EventBridgeDeliveryToQueues");
    expect(statement.Action).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
    const queueArns = [
      "whk-dev-bus-dlq",
      "whk-dev-route-payments",
      "whk-dev-route-payments-target-dlq",
      "whk-dev-archive-target-dlq",
    ].map((name) => refTo("aws_sqs_queue", only(doc, "aws_sqs_queue", (q) => q.name === name)[0], "arn"));
    expect([...statement.Condition.StringEquals["kms:EncryptionContext:aws:sqs:arn"]].sort()).toEqual(
      queueArns.sort(),
    );
  });
});
