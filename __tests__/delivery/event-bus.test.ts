// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature

import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { Testing } from "cdktf";
import { EventBus } from "../../constructs/event-bus";
import { bareScope } from "../support/scope";
import { synthStack } from "../support/synth";
import {
  keyIdOf,
  keyStatement,
  only,
  queuePolicyStatements,
  refTo,
  roleStatements,
  statements,
} from "./helpers";

const { json, doc, stack } = synthStack();
const [busId, bus] = only(doc, "aws_cloudwatch_event_bus");
const keyId = keyIdOf(doc, "key");
const keyPolicyId = keyIdOf(doc, "key", "aws_kms_key_policy");
const operationsKeyId = keyIdOf(doc, "operations-key");
const operationsKeyPolicyId = keyIdOf(doc, "operations-key", "aws_kms_key_policy");
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

  test("is created after both key policies (EventBridge checks it may use them)", () => {
    expect(bus.depends_on).toEqual([
      `aws_kms_key_policy.${keyPolicyId}`,
      `aws_kms_key_policy.${operationsKeyPolicyId}`,
    ]);
  });

  test("sends events it cannot encrypt or decrypt to a standard DLQ kept 14 days, on the operations key", () => {
    expect(bus.dead_letter_config).toEqual({ arn: refTo("aws_sqs_queue", dlqId, "arn") });
    expect(dlq.fifo_queue).toBeUndefined();
    expect(dlq.message_retention_seconds).toBe(1_209_600);
    // A disabled data key is what fills this DLQ: it must not be encrypted with that key.
    expect(dlq.kms_master_key_id).toBe(refTo("aws_kms_key", operationsKeyId, "arn"));
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
  const [routerRoleId] = only(doc, "aws_iam_role", (r) => r.name === "whk-dev-router-us-east-1");
  const [allow, deny] = statements(busPolicy.policy);

  test("allows PutEvents for this account only, narrowed to the router role by aws:PrincipalArn", () => {
    expect(busPolicy.event_bus_name).toBe(refTo("aws_cloudwatch_event_bus", busId, "name"));
    expect(allow).toEqual({
      Sid: "PutEventsFromPlatformPublishers",
      Effect: "Allow",
      Principal: {
        AWS: expect.stringMatching(
          /^arn:\$\{data\.aws_partition\..*\}:iam::\$\{data\.aws_caller_identity\..*\}:root$/,
        ),
      },
      Action: "events:PutEvents",
      Resource: busArn,
      Condition: { ArnEquals: { "aws:PrincipalArn": refTo("aws_iam_role", routerRoleId, "arn") } },
    });
  });

  test("denies PutEvents to every other principal, so no one can forge verified events", () => {
    // An Allow alone restricts nobody whose own IAM policy allows events:PutEvents.
    expect(deny).toEqual({
      Sid: "DenyPutEventsFromAnyoneElse",
      Effect: "Deny",
      Principal: "*",
      Action: "events:PutEvents",
      Resource: busArn,
      Condition: {
        ArnNotEquals: { "aws:PrincipalArn": refTo("aws_iam_role", routerRoleId, "arn") },
        Bool: { "aws:PrincipalIsAWSService": "false" },
      },
    });
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
    expect(roleStatements(doc, "whk-dev-router-us-east-1")).toContainEqual({
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: busArn,
    });
  });

  test("a bus nobody may publish to fails synth", () => {
    const { root, naming, context, key } = bareScope("lonely");
    new EventBus(root, "bus", { naming, context, key, sourcePrefix: "webhooks." });
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

  test("archives only the platform's sources, by their prefix: one pattern for any number of providers", () => {
    expect(JSON.parse(archive.event_pattern)).toEqual({ source: [{ prefix: "webhooks." }] });
  });

  test("a retention of 0 (forever) is refused", () => {
    const { root, naming, context, key } = bareScope("forever");
    expect(
      () =>
        new EventBus(root, "bus", {
          naming,
          context,
          key,
          sourcePrefix: "webhooks.",
          archiveRetentionDays: 0,
        }),
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

  const queueArn = (name: string) =>
    refTo("aws_sqs_queue", only(doc, "aws_sqs_queue", (q) => q.name === name)[0], "arn");
  const deliveryQueues = (construct: "key" | "operations-key") => {
    const statement = keyStatement(doc, "EventBridgeDeliveryToQueues", construct);
    expect(statement.Action).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
    return [statement.Condition.StringEquals["kms:EncryptionContext:aws:sqs:arn"]].flat().sort();
  };

  test("lets EventBridge encrypt into the route queues with the data key (no aws:SourceArn: AWS does not support it there)", () => {
    expect(deliveryQueues("key")).toEqual([queueArn("whk-dev-route-payments")]);
  });

  test("lets EventBridge encrypt into its dead-letter queues with the operations key", () => {
    expect(deliveryQueues("operations-key")).toEqual(
      ["whk-dev-bus-dlq", "whk-dev-route-payments-target-dlq", "whk-dev-archive-target-dlq"]
        .map(queueArn)
        .sort(),
    );
  });
});
