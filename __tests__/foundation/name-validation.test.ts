import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Testing } from "cdktf";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { WebhookStack } from "../../stacks/webhook-stack";

function synthWith(add: (stack: WebhookStack) => void): () => string {
  const stack = new WebhookStack(Testing.app(), "webhooks-dev", DEFAULT_CONFIG);
  add(stack);
  return () => Testing.synth(stack, true);
}

function failureOf(synth: () => string): string {
  try {
    synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("synth succeeded");
}

test("a raw resource with an over-long name fails synth with type, logical id, attribute, value and length", () => {
  const message = failureOf(
    synthWith(
      (stack) =>
        new CloudwatchEventArchive(stack, "raw-archive", { name: "a".repeat(49), eventSourceArn: "arn" }),
    ),
  );
  expect(message).toContain(
    `aws_cloudwatch_event_archive raw-archive name = "${"a".repeat(49)}" (length 49/48): length 49 outside 1..48`,
  );
});

test("every offender gets its own line", () => {
  const message = failureOf(
    synthWith((stack) => {
      new IamRole(stack, "raw-role", { name: "r".repeat(65), assumeRolePolicy: "{}" });
      new SqsQueue(stack, "raw-queue", { name: "bad name" });
    }),
  );
  const lines = message.split("\n").filter((line) => line.includes("raw-"));
  expect(lines).toHaveLength(2);
  expect(lines.join("\n")).toMatch(/aws_iam_role raw-role name .* length 65 outside 1\.\.64/);
  expect(lines.join("\n")).toMatch(/aws_sqs_queue raw-queue name = "bad name" .* does not match/);
});

test("a name that is an unresolved token of unknown shape fails synth", () => {
  const message = failureOf(
    synthWith((stack) => new SqsQueue(stack, "token-queue", { name: stack.table.arn })),
  );
  expect(message).toMatch(/aws_sqs_queue token-queue name = \$\{TfToken\[.*\]\}: unresolved token/);
});

test("a name holding the account id is checked as if it held the 12 digits", () => {
  const message = failureOf(
    synthWith(
      (stack) =>
        new SqsQueue(stack, "account-queue", { name: `${"q".repeat(68)}-${stack.context.accountId}` }),
    ),
  );
  expect(message).toContain(
    `aws_sqs_queue account-queue name = "${"q".repeat(68)}-123456789012" (length 81/80)`,
  );
});

test("name_prefix is refused", () => {
  const message = failureOf(
    synthWith((stack) => new SqsQueue(stack, "prefixed-queue", { namePrefix: "whk-" })),
  );
  expect(message).toContain(
    "aws_sqs_queue prefixed-queue name_prefix: non-deterministic names are not allowed",
  );
});

test("names set through escape-hatch overrides are checked too", () => {
  const message = failureOf(
    synthWith((stack) =>
      new SqsQueue(stack, "override-queue", { name: "ok" }).addOverride("name", "x".repeat(81)),
    ),
  );
  expect(message).toContain("aws_sqs_queue override-queue name");
});
