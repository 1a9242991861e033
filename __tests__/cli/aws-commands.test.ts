import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { webhookIdFor } from "@webhooks/shared";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClientConfig } from "../../cli/src/command";
import { busDenied } from "../../cli/src/commands/redrive";
import { stackModel } from "../../cli/src/stack-model";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { synthStack } from "../support/synth";
import { fakeAwsClients, NOW_MS, runCli, tempDir } from "./support/cli-io";

// GIVEN the default stack plus a route without a source (it matches every provider).
const { doc } = synthStack({
  routes: [
    ...DEFAULT_CONFIG.routes,
    { id: "audit", description: "every event", eventPattern: { "detail-type": [{ prefix: "" }] } },
  ],
});
/** A checkout where `npm run synth` ran: cdktf.out/stacks/webhooks-dev/cdk.tf.json. */
const checkout = tempDir();
mkdirSync(join(checkout, "cdktf.out/stacks/webhooks-dev"), { recursive: true });
writeFileSync(join(checkout, "cdktf.out/stacks/webhooks-dev/cdk.tf.json"), JSON.stringify(doc));

const ACCOUNT = "123456789012";
const sqsArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const sqsUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/whk-dev-bus`;
const ARCHIVE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:archive/whk-dev-archive`;
const ruleArn = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/whk-dev-bus/${name}`;

const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);
const firehose = mockClient(FirehoseClient);

beforeEach(() => {
  sqs.reset();
  events.reset();
  firehose.reset();
  sqs
    .on(GetQueueUrlCommand)
    .callsFake((input: { QueueName: string }) => ({ QueueUrl: sqsUrl(input.QueueName) }));
});

function dlqHolds(visible: number, inFlight = 0) {
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => ({
    Attributes: {
      QueueArn: sqsArn(input.QueueUrl.split("/").pop()!),
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
    },
  }));
}

const inCheckout = { cwd: checkout };

describe("the stack model (read from the synthesized cdk.tf.json)", () => {
  test("names the table, bus, archive, providers and region", () => {
    const model = stackModel(doc, "dir");

    expect(model).toMatchObject({
      region: "us-east-1",
      tableName: "whk-dev-records",
      busName: "whk-dev-bus",
      archiveName: "whk-dev-archive",
      archiveRetentionDays: 30,
      eventSourcePrefix: "webhooks",
      dedupeTtlSeconds: 604_800,
    });
    expect(model.providers.map((p) => [p.id, p.scheme, p.headerFamily])).toEqual([
      ["acme", "generic", undefined],
      ["stripe", "stripe", undefined],
      ["github", "github", undefined],
      ["shopify", "shopify", undefined],
      ["slack", "slack", undefined],
      ["svix", "standard-webhooks", "svix"],
    ]);
  });

  test("SQS-sourced DLQs (message move tasks) apart from EventBridge DLQs (redelivered to their target)", () => {
    const model = stackModel(doc, "dir");

    expect([...model.redrives].sort((a, b) => a.label.localeCompare(b.label))).toEqual([
      { label: "ingest", sourceQueue: "whk-dev-ingest", dlq: "whk-dev-ingest-dlq", maxReceiveCount: 3 },
      {
        label: "route-audit",
        sourceQueue: "whk-dev-route-audit",
        dlq: "whk-dev-route-audit-dlq",
        maxReceiveCount: 5,
      },
      {
        label: "route-payments",
        sourceQueue: "whk-dev-route-payments",
        dlq: "whk-dev-route-payments-dlq",
        maxReceiveCount: 5,
      },
    ]);
    expect([...model.eventDlqs].sort((a, b) => a.label.localeCompare(b.label))).toEqual([
      {
        label: "archive",
        dlq: "whk-dev-archive-target-dlq",
        rules: ["whk-dev-archive-all"],
        destination: { kind: "stream", stream: "whk-dev-archive" },
      },
      { label: "bus", dlq: "whk-dev-bus-dlq", rules: [], destination: { kind: "bus" } },
      {
        label: "route-audit",
        dlq: "whk-dev-route-audit-target-dlq",
        rules: ["whk-dev-route-audit"],
        destination: { kind: "queue", queue: "whk-dev-route-audit" },
      },
      {
        label: "route-payments",
        dlq: "whk-dev-route-payments-target-dlq",
        rules: ["whk-dev-route-payments"],
        destination: { kind: "queue", queue: "whk-dev-route-payments" },
      },
    ]);
    expect(model.rules.find((rule) => rule.name === "whk-dev-archive-all")?.archiveOnly).toBe(true);
    expect(model.rules.find((rule) => rule.name === "whk-dev-route-payments")?.archiveOnly).toBe(false);
  });

  test("no synthesized stack: exit 1 telling to synthesize with the deployed environment", async () => {
    const { code, stderr } = await runCli(["redrive", "--yes"], { cwd: tempDir() });

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^webhooks redrive: no synthesized stack under cdktf.out\/stacks: run `npm run synth` with the same WEBHOOK_\* environment/,
    );
  });
});

describe("region and profile", () => {
  /** Shared AWS files with profile ops in config and profile ci in credentials. */
  const awsFiles = tempDir({
    config: "[default]\nregion = us-east-1\n[profile ops]\nregion = eu-west-1\n[sso-session corp]\n",
    credentials: "[ci]\naws_access_key_id = x\n",
  });
  const sharedFiles = {
    AWS_CONFIG_FILE: join(awsFiles, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(awsFiles, "credentials"),
  };

  async function configUsed(argv: string[], env: Record<string, string | undefined> = {}) {
    const configs: AwsClientConfig[] = [];
    dlqHolds(0);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    const result = await runCli(argv, {
      ...inCheckout,
      env: { ...sharedFiles, ...env },
      aws: {
        sqs: (config) => {
          configs.push(config);
          return fakeAwsClients.sqs(config);
        },
      },
    });
    return { ...result, config: configs[0] };
  }

  test.each([
    { argv: [], env: {}, config: { region: "us-east-1" }, note: "us-east-1 (from the stack)" },
    {
      argv: [],
      env: { AWS_REGION: "us-east-1" },
      config: { region: "us-east-1" },
      note: "us-east-1 (from AWS_REGION)",
    },
    {
      argv: ["--region", "us-east-1", "--profile", "ops"],
      env: { AWS_REGION: "eu-west-1" },
      config: { region: "us-east-1", profile: "ops" },
      note: "us-east-1 (from --region)",
    },
    {
      argv: ["--profile", "ci"],
      env: {},
      config: { region: "us-east-1", profile: "ci" },
      note: "us-east-1 (from the stack)",
    },
  ])("$argv $env → $config", async ({ argv, env, config, note }) => {
    const result = await configUsed(["redrive", ...argv], env);

    expect(result.config).toEqual(config);
    expect(result.stdout).toContain(`region:   ${note}`);
  });

  test("a region other than the stack's: one warning naming the queue and both regions; the command goes on", async () => {
    const { code, stderr } = await configUsed(["redrive"], { AWS_REGION: "eu-central-1" });

    expect(code).toBe(0);
    expect(stderr).toBe(
      "warning: queue whk-dev-ingest-dlq is in us-east-1, but the region in effect is eu-central-1 (from AWS_REGION); pass --region us-east-1 to use the stack's\n",
    );
  });

  test.each([
    { argv: ["--profile", "nosuch"], env: {}, option: "--profile" },
    { argv: [], env: { AWS_PROFILE: "nosuch" }, option: "AWS_PROFILE" },
    { argv: ["--profile", "corp"], env: {}, option: "--profile" },
  ])(
    "$option of a profile in neither shared file ($argv): exit 2 naming the files, no AWS call",
    async ({ argv, env, option }) => {
      const profile = argv[1] ?? "nosuch";

      const { code, stderr } = await configUsed(["redrive", ...argv], env);

      expect(code).toBe(2);
      expect(stderr).toBe(
        `webhooks redrive: ${option}: profile ${profile} does not exist in ${sharedFiles.AWS_CONFIG_FILE} or ${sharedFiles.AWS_SHARED_CREDENTIALS_FILE} (profiles there: ci, default, ops) (see webhooks redrive --help)\n`,
      );
      expect(sqs.calls()).toHaveLength(0);
    },
  );
});

describe("redrive --queue: SQS message move task", () => {
  test("ingest by default: shows the plan, starts the task at the given rate, prints handle and status", async () => {
    // GIVEN
    dlqHolds(12, 1);
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ Status: "COMPLETED", TaskHandle: "old" }] })
      .resolves({
        Results: [
          {
            Status: "RUNNING",
            TaskHandle: "h-1",
            ApproximateNumberOfMessagesMoved: 2,
            ApproximateNumberOfMessagesToMove: 12,
            MaxNumberOfMessagesPerSecond: 5,
          },
        ],
      });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "h-1" });

    // WHEN
    const { code, stdout } = await runCli(["redrive", "--rate", "5", "--yes"], inCheckout);

    // THEN
    expect(code).toBe(0);
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({
      QueueName: "whk-dev-ingest-dlq",
    });
    const start = sqs.commandCalls(StartMessageMoveTaskCommand);
    expect(start).toHaveLength(1);
    expect(start[0]!.args[0].input).toEqual({
      SourceArn: sqsArn("whk-dev-ingest-dlq"),
      MaxNumberOfMessagesPerSecond: 5,
    });
    expect(stdout).toBe(
      [
        "Redrive whk-dev-ingest-dlq → whk-dev-ingest (its source queue) with an SQS message move task",
        "  region:   us-east-1 (from the stack)",
        "  rate:     5 messages/s",
        "  messages: ≈ 12 waiting, 1 in flight",
        "started message move task h-1",
        "status: RUNNING (2 of ≈ 12 moved, 5 messages/s)",
        "",
      ].join("\n"),
    );
  });

  test("a route's consumer queue by route id; no --rate leaves the rate to SQS", async () => {
    dlqHolds(3);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "h-2" });

    const { code } = await runCli(["redrive", "--queue", "payments", "--yes"], inCheckout);

    expect(code).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: sqsArn("whk-dev-route-payments-dlq"),
    });
  });

  test("without --yes and without a terminal: refuses with exit 2 and moves nothing", async () => {
    dlqHolds(3);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });

    const { code, stdout, stderr } = await runCli(["redrive"], inCheckout);

    expect(code).toBe(2);
    expect(stdout).toContain("messages: ≈ 3 waiting");
    expect(stderr).toBe(
      "webhooks redrive: refusing to act without confirmation: standard input is not a terminal; pass --yes to proceed\n",
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  test.each([
    { answer: false, code: 1, starts: 0 },
    { answer: true, code: 0, starts: 1 },
  ])("asks on a terminal: answer $answer → exit $code", async ({ answer, code, starts }) => {
    dlqHolds(3);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "h" });

    const result = await runCli(["redrive"], { ...inCheckout, interactive: true, answers: [answer] });

    expect(result.code).toBe(code);
    expect(result.questions).toEqual(["Move the messages of whk-dev-ingest-dlq back to whk-dev-ingest?"]);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(starts);
  });

  test("--watch polls every 5 s until the task ends; a failed task exits 1", async () => {
    dlqHolds(3);
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [] })
      .resolvesOnce({ Results: [{ Status: "RUNNING", ApproximateNumberOfMessagesMoved: 1 }] })
      .resolvesOnce({ Results: [{ Status: "RUNNING", ApproximateNumberOfMessagesMoved: 2 }] })
      .resolves({
        Results: [{ Status: "FAILED", FailureReason: "AccessDenied", ApproximateNumberOfMessagesMoved: 2 }],
      });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "h" });

    const { code, stdout, slept } = await runCli(["redrive", "--watch", "--yes"], inCheckout);

    expect(code).toBe(1);
    expect(slept).toEqual([5000, 5000]);
    expect(stdout).toContain("status: FAILED: AccessDenied (2 moved)");
  });

  test("prints its plan before calling AWS: a failing first call still leaves the plan on screen", async () => {
    sqs
      .on(GetQueueUrlCommand)
      .rejects(
        Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" }),
      );

    const { code, stdout, stderr } = await runCli(["redrive", "--queue", "payments", "--yes"], inCheckout);

    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        "Redrive whk-dev-route-payments-dlq → whk-dev-route-payments (its source queue) with an SQS message move task",
        "  region:   us-east-1 (from the stack)",
        "  rate:     SQS's system-optimized rate",
        "",
      ].join("\n"),
    );
    expect(stderr).toBe("webhooks redrive: QueueDoesNotExist: The specified queue does not exist.\n");
  });

  test("a task already running: exit 1 naming its handle, nothing started", async () => {
    dlqHolds(3);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: "RUNNING", TaskHandle: "busy" }] });

    const { code, stderr } = await runCli(["redrive", "--yes"], inCheckout);

    expect(code).toBe(1);
    expect(stderr).toContain("a message move task is already running on whk-dev-ingest-dlq (handle busy)");
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  test("an empty DLQ: nothing to do, nothing asked", async () => {
    dlqHolds(0);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });

    const { code, stdout, questions } = await runCli(["redrive"], { ...inCheckout, interactive: true });

    expect({ code, questions }).toEqual({ code: 0, questions: [] });
    expect(stdout).toContain("nothing to redrive: whk-dev-ingest-dlq is empty");
  });

  test.each([
    [["--queue", "nope"], "--queue: nope is not a queue with an SQS dead-letter queue"],
    [["--queue", "archive"], "; archive is an EventBridge dead-letter queue: use --target-dlq archive"],
    [["--target-dlq", "ingest"], "; ingest has an SQS source queue: use --queue ingest"],
    [["--rate", "0"], "--rate must be an integer in 1..500, got '0'"],
    [["--rate", "501"], "--rate must be an integer in 1..500, got '501'"],
    [["--queue", "ingest", "--target-dlq", "payments"], "--queue and --target-dlq are exclusive"],
    [["--max", "3"], "--max applies to --target-dlq only"],
  ])("bad input %j: exit 2", async (argv, message) => {
    const { code, stderr } = await runCli(["redrive", ...argv], inCheckout);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe("redrive --target-dlq: EventBridge dead letters go where EventBridge failed to deliver them", () => {
  const event = (n: number) => ({
    version: "0",
    id: `event-${n}`,
    "detail-type": "payment_intent.succeeded",
    source: "webhooks.stripe",
    account: ACCOUNT,
    time: "2025-01-31T10:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { webhookId: `wh_${n}`, provider: "stripe", data: { n } },
  });
  const message = (n: number, body = JSON.stringify(event(n))) => ({
    MessageId: `m-${n}`,
    ReceiptHandle: `r-${n}`,
    Body: body,
  });
  const deleted = () =>
    sqs.commandCalls(DeleteMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);

  test("a route's: each event, as EventBridge put it, goes to the route's consumer queue; only what was sent is deleted", async () => {
    // GIVEN two events and a message that is not an event
    dlqHolds(3);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message(1), message(2), message(3, "not json")] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: "0", MessageId: "x", MD5OfMessageBody: "" }],
      Failed: [{ Id: "1", Code: "KMS.ThrottlingException", SenderFault: false, Message: "slow down" }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: "0" }] });

    // WHEN
    const { code, stdout, stderr } = await runCli(
      ["redrive", "--target-dlq", "payments", "--yes"],
      inCheckout,
    );

    // THEN
    expect(code).toBe(1);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: sqsUrl("whk-dev-route-payments"),
        Entries: [1, 2].map((n, index) => ({ Id: String(index), MessageBody: JSON.stringify(event(n)) })),
      },
    ]);
    expect(deleted()).toEqual([{ Id: "0", ReceiptHandle: "r-1" }]);
    expect(events.calls()).toHaveLength(0);
    expect(stdout).toBe(
      [
        "Send the events in whk-dev-route-payments-target-dlq to queue whk-dev-route-payments, the consumer queue EventBridge failed to deliver them to",
        "  dead letters of rule whk-dev-route-payments",
        "  region:   us-east-1 (from the stack)",
        "  rate:     ≤ 10 events/s",
        "  Only this route's consumers receive them again; they dedupe on detail.webhookId.",
        "  messages: ≈ 3 waiting, 0 in flight",
        `sent 1 event(s) to queue whk-dev-route-payments; 1 failed, 1 skipped (left in whk-dev-route-payments-target-dlq, visible again in 120 s)`,
        "",
      ].join("\n"),
    );
    expect(stderr).toBe(
      [
        "skipped message m-3: the body is not JSON (not an EventBridge event)",
        "send failed for message m-2: KMS.ThrottlingException slow down",
        "",
      ].join("\n"),
    );
  });

  test("the archive's: the events go to the archive's Firehose stream exactly (the stream adds the delimiter)", async () => {
    dlqHolds(2);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message(1), message(2)] })
      .resolves({ Messages: [] });
    firehose.on(PutRecordBatchCommand).resolves({
      FailedPutCount: 0,
      RequestResponses: [{ RecordId: "a" }, { RecordId: "b" }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    const { code, stdout } = await runCli(["redrive", "--target-dlq", "archive", "--yes"], inCheckout);

    expect(code).toBe(0);
    const input = firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input;
    expect(input.DeliveryStreamName).toBe("whk-dev-archive");
    expect(input.Records!.map((record) => Buffer.from(record.Data!).toString("utf8"))).toEqual([
      JSON.stringify(event(1)),
      JSON.stringify(event(2)),
    ]);
    expect(deleted()).toEqual([
      { Id: "0", ReceiptHandle: "r-1" },
      { Id: "1", ReceiptHandle: "r-2" },
    ]);
    expect(stdout).toContain(
      "Put the events in whk-dev-archive-target-dlq into Firehose stream whk-dev-archive, the archive target EventBridge failed to deliver them to\n",
    );
    expect(stdout).toContain("put 2 event(s) into stream whk-dev-archive; 0 failed, 0 skipped\n");
  });

  test("the bus's: each event is put on the bus again with its source, detail-type, detail and time", async () => {
    dlqHolds(1);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message(1)] })
      .resolves({ Messages: [] });
    events.on(PutEventsCommand).resolves({ Entries: [{ EventId: "e1" }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    const { code, stdout } = await runCli(["redrive", "--target-dlq", "bus", "--yes"], inCheckout);

    expect(code).toBe(0);
    expect(events.commandCalls(PutEventsCommand)[0]!.args[0].input).toEqual({
      Entries: [
        {
          EventBusName: "whk-dev-bus",
          Source: "webhooks.stripe",
          DetailType: "payment_intent.succeeded",
          Detail: JSON.stringify(event(1).detail),
          Time: new Date("2025-01-31T10:00:00Z"),
        },
      ],
    });
    expect(deleted()).toEqual([{ Id: "0", ReceiptHandle: "r-1" }]);
    expect(stdout).toContain("Re-put the events in whk-dev-bus-dlq onto bus whk-dev-bus");
    expect(stdout).toContain(
      "  The bus admits only the router and the configuration's eventBusPublisherArns: your role must be listed there.\n",
    );
    expect(stdout).toContain("re-put 1 event(s) onto bus whk-dev-bus; 0 failed, 0 skipped\n");
  });

  test("the bus refuses the caller: exit 1 saying who it admits and naming the caller's role; nothing deleted", async () => {
    dlqHolds(1);
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [message(1)] });
    events
      .on(PutEventsCommand)
      .rejects(
        Object.assign(
          new Error(
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice is not authorized to perform: events:PutEvents on resource: ${BUS_ARN} with an explicit deny in a resource-based policy`,
          ),
          { name: "AccessDeniedException" },
        ),
      );

    const { code, stderr } = await runCli(["redrive", "--target-dlq", "bus", "--yes"], inCheckout);

    expect(code).toBe(1);
    expect(stderr).toBe(
      `PutEvents was denied, stopping: bus whk-dev-bus admits only the router and the principals listed in the configuration field eventBusPublisherArns; you are arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice (role arn:aws:iam::${ACCOUNT}:role/ops, with its path if it has one): add that role to eventBusPublisherArns and deploy\n`,
    );
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test.each([
    {
      caller: `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized`,
      who: `you are arn:aws:iam::${ACCOUNT}:user/bob: add that role to eventBusPublisherArns and deploy`,
    },
    { caller: "Access denied", who: "add your role's ARN to eventBusPublisherArns and deploy" },
  ])("the denial names the caller when AWS does: $caller", ({ caller, who }) => {
    expect(busDenied("whk-dev-bus", caller)).toBe(
      `bus whk-dev-bus admits only the router and the principals listed in the configuration field eventBusPublisherArns; ${who}`,
    );
  });

  test("keeps to --rate: receives at most rate messages at a time and sleeps between batches", async () => {
    dlqHolds(4);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message(1), message(2)] })
      .resolvesOnce({ Messages: [message(3), message(4)] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    const { code, slept } = await runCli(
      ["redrive", "--target-dlq", "route-payments", "--rate", "2", "--yes"],
      inCheckout,
    );

    expect(code).toBe(0);
    expect(
      sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages),
    ).toEqual([2, 2, 2]);
    expect(slept).toEqual([1000, 1000]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  test("stops when only messages it already handled come back, and at --max", async () => {
    dlqHolds(5);
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [message(1)] });
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: "0", Code: "Oops", SenderFault: false }] });

    const again = await runCli(["redrive", "--target-dlq", "payments", "--yes"], inCheckout);
    sqs.reset();
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: sqsUrl("q") });
    dlqHolds(5);
    sqs.on(ReceiveMessageCommand).callsFake(() => ({ Messages: [message(Math.random())] }));
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    const capped = await runCli(["redrive", "--target-dlq", "payments", "--max", "3", "--yes"], inCheckout);

    expect(again.code).toBe(1);
    expect(capped.code).toBe(0);
    expect(capped.stdout).toContain("sent 3 event(s)");
  });

  test("without --yes and without a terminal: refuses with exit 2, receives nothing", async () => {
    dlqHolds(2);

    const { code } = await runCli(["redrive", "--target-dlq", "payments"], inCheckout);

    expect(code).toBe(2);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });
});

describe("replay", () => {
  function archiveAndRules() {
    events.on(DescribeArchiveCommand).resolves({
      ArchiveArn: ARCHIVE_ARN,
      EventSourceArn: BUS_ARN,
      State: "ENABLED",
      EventCount: 1234,
      RetentionDays: 30,
    });
    events.on(DescribeRuleCommand).callsFake((input: { Name: string }) => ({ Arn: ruleArn(input.Name) }));
    events.on(StartReplayCommand).resolves({ State: "STARTING" });
  }
  const range = ["--from", "2025-01-31T09:00:00Z", "--to", "2025-01-31T10:30:00+00:00"];

  test("replays the provider's time range from the archive to the rules matching its events", async () => {
    // GIVEN
    archiveAndRules();
    events.on(DescribeReplayCommand).resolves({ State: "RUNNING" });

    // WHEN
    const { code, stdout } = await runCli(["replay", "--provider", "stripe", ...range, "--yes"], inCheckout);

    // THEN
    expect(code).toBe(0);
    expect(events.commandCalls(DescribeRuleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: "whk-dev-route-audit", EventBusName: "whk-dev-bus" },
      { Name: "whk-dev-route-payments", EventBusName: "whk-dev-bus" },
    ]);
    expect(events.commandCalls(StartReplayCommand)[0]!.args[0].input).toEqual({
      ReplayName: "whk-dev-archive-stripe-20250131T120000",
      Description: "webhooks replay --provider stripe",
      EventSourceArn: ARCHIVE_ARN,
      EventStartTime: new Date("2025-01-31T09:00:00Z"),
      EventEndTime: new Date("2025-01-31T10:30:00Z"),
      Destination: {
        Arn: BUS_ARN,
        FilterArns: [ruleArn("whk-dev-route-audit"), ruleArn("whk-dev-route-payments")],
      },
    });
    expect(stdout).toContain(
      "Replay webhooks.stripe events archived 2025-01-31T09:00:00.000Z … 2025-01-31T10:30:00.000Z",
    );
    expect(stdout).toContain(
      "warning: rule whk-dev-route-audit also matches webhooks.acme, webhooks.github, webhooks.shopify, webhooks.slack, webhooks.svix",
    );
    expect(stdout).toContain(
      "started replay whk-dev-archive-stripe-20250131T120000: STARTING\nstatus: RUNNING\n",
    );
  });

  test("--rule narrows the rules; --include-archive adds the catch-all archive rule", async () => {
    archiveAndRules();
    events.on(DescribeReplayCommand).resolves({ State: "COMPLETED" });

    await runCli(["replay", "--provider", "stripe", ...range, "--rule", "payments", "--yes"], inCheckout);
    await runCli(["replay", "--provider", "github", ...range, "--include-archive", "--yes"], inCheckout);

    const [narrowed, withArchive] = events
      .commandCalls(StartReplayCommand)
      .map((call) => call.args[0].input.Destination);
    expect(narrowed!.FilterArns).toEqual([ruleArn("whk-dev-route-payments")]);
    expect(withArchive!.FilterArns).toEqual([ruleArn("whk-dev-archive-all"), ruleArn("whk-dev-route-audit")]);
  });

  test("--include-archive with --rule: the named rules and the archive rule", async () => {
    archiveAndRules();
    events.on(DescribeReplayCommand).resolves({ State: "COMPLETED" });

    const { code, stdout } = await runCli(
      ["replay", "--provider", "stripe", ...range, "--rule", "payments", "--include-archive", "--yes"],
      inCheckout,
    );

    expect(code).toBe(0);
    expect(events.commandCalls(StartReplayCommand)[0]!.args[0].input.Destination!.FilterArns).toEqual([
      ruleArn("whk-dev-route-payments"),
      ruleArn("whk-dev-archive-all"),
    ]);
    expect(stdout).toContain("  rules:   whk-dev-route-payments, whk-dev-archive-all\n");
  });

  test("--include-archive where no archive rule matches the provider: exit 2, nothing started", async () => {
    const noArchive = JSON.parse(JSON.stringify(doc));
    for (const [id, rule] of Object.entries(noArchive.resource.aws_cloudwatch_event_rule)) {
      if ((rule as { name: string }).name === "whk-dev-archive-all")
        delete noArchive.resource.aws_cloudwatch_event_rule[id];
    }
    const dir = tempDir({ "cdk.tf.json": JSON.stringify(noArchive) });

    const { code, stderr } = await runCli([
      "replay",
      "--provider",
      "stripe",
      ...range,
      "--include-archive",
      "--stack-dir",
      dir,
      "--yes",
    ]);

    expect(code).toBe(2);
    expect(stderr).toBe(
      "webhooks replay: --include-archive: no archive rule on the bus matches webhooks.stripe events (see webhooks replay --help)\n",
    );
    expect(events.calls()).toHaveLength(0);
  });

  test("--watch polls every 10 s until the replay ends", async () => {
    archiveAndRules();
    events
      .on(DescribeReplayCommand)
      .resolvesOnce({ State: "STARTING" })
      .resolvesOnce({ State: "RUNNING" })
      .resolves({ State: "COMPLETED", EventLastReplayedTime: new Date("2025-01-31T10:29:59Z") });

    const { code, stdout, slept } = await runCli(
      ["replay", "--provider", "stripe", ...range, "--watch", "--yes"],
      inCheckout,
    );

    expect(code).toBe(0);
    expect(slept).toEqual([10_000, 10_000]);
    expect(stdout).toContain("status: COMPLETED (last replayed event 2025-01-31T10:29:59.000Z)");
  });

  test("a provider no rule matches: exit 1, nothing started", async () => {
    const onlyPayments = JSON.parse(JSON.stringify(doc));
    for (const [id, rule] of Object.entries(onlyPayments.resource.aws_cloudwatch_event_rule)) {
      if ((rule as { name: string }).name === "whk-dev-route-audit")
        delete onlyPayments.resource.aws_cloudwatch_event_rule[id];
    }
    const dir = tempDir({ "cdk.tf.json": JSON.stringify(onlyPayments) });

    const { code, stderr } = await runCli([
      "replay",
      "--provider",
      "shopify",
      ...range,
      "--stack-dir",
      dir,
      "--yes",
    ]);

    expect(code).toBe(1);
    expect(stderr).toBe(
      "webhooks replay: no rule on the bus matches webhooks.shopify events: a replay would reach nothing (only the catch-all archive rule does: --include-archive replays to it)\n",
    );
    expect(events.calls()).toHaveLength(0);
  });

  test("without --yes and without a terminal: refuses with exit 2", async () => {
    archiveAndRules();

    const { code } = await runCli(["replay", "--provider", "stripe", ...range], inCheckout);

    expect(code).toBe(2);
    expect(events.commandCalls(StartReplayCommand)).toHaveLength(0);
  });

  test("warns when --from is past the archive's retention", async () => {
    archiveAndRules();
    events.on(DescribeReplayCommand).resolves({ State: "RUNNING" });

    const { stdout } = await runCli(
      ["replay", "--provider", "stripe", "--from", "2024-12-01", "--to", "2024-12-02", "--yes"],
      inCheckout,
    );

    expect(stdout).toContain("warning: --from is older than the archive's 30-day retention");
  });

  test.each([
    [["--from", "2025-01-31T09:00:00Z"], "--provider is required"],
    [["--provider", "stripe", "--to", "2025-01-31T10:00:00Z"], "--from is required"],
    [
      ["--provider", "stripe", "--from", "2025-01-31 09:00", "--to", "2025-01-31T10:00:00Z"],
      "--from must be ISO 8601",
    ],
    [
      ["--provider", "stripe", "--from", "2025-01-31T09:00:00", "--to", "2025-01-31T10:00:00Z"],
      "--from must be ISO 8601 with Z or an offset",
    ],
    [
      ["--provider", "stripe", "--from", "2025-02-30", "--to", "2025-01-31T10:00:00Z"],
      "--from must be ISO 8601",
    ],
    [
      ["--provider", "stripe", "--from", "2025-01-31T10:00:00Z", "--to", "2025-01-31T09:00:00Z"],
      "--from must be before --to",
    ],
    [
      ["--provider", "stripe", "--from", "2025-01-31T10:00:00Z", "--to", "2025-02-01T00:00:00Z"],
      "--to 2025-02-01T00:00:00.000Z is in the future",
    ],
    [
      ["--provider", "paypal", ...range],
      "--provider: paypal is not a provider of the stack (acme, stripe, github, shopify, slack, svix)",
    ],
    [["--provider", "stripe", ...range, "--rule", "nope"], "--rule: nope is not a rule on the bus"],
    [
      ["--provider", "github", ...range, "--rule", "payments"],
      "--rule: whk-dev-route-payments does not match webhooks.github events",
    ],
  ])("bad input %j: exit 2", async (argv, message) => {
    const { code, stderr } = await runCli(["replay", ...argv], inCheckout);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(events.calls()).toHaveLength(0);
  });

  test("the replay name stays within EventBridge's 64 characters", async () => {
    const { replayNameFor } = await import("../../cli/src/commands/replay");

    const name = replayNameFor("x".repeat(48), "p".repeat(32), NOW_MS);

    expect(name).toHaveLength(64);
    expect(name.endsWith(`-${"p".repeat(32)}-20250131T120000`)).toBe(true);
  });
});

describe("sign and verify --provider: scheme, header family and tolerance from the stack", () => {
  const body = '{"type":"invoice.paid"}';

  test("svix: svix-* headers; verify prints the webhook id the validator would key the record by", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signed = await runCli(
      [
        "sign",
        "--provider",
        "svix",
        "--secret",
        secret,
        "--data",
        body,
        "--id",
        "msg_1",
        "--timestamp",
        "1738324800",
      ],
      inCheckout,
    );
    const headers = signed.stdout.trim().split("\n");

    const verified = await runCli(
      ["verify", "--provider", "svix", "--secret", secret, "--data", body, "--now", "1738324800"].concat(
        headers.flatMap((line) => ["--header", line]),
      ),
      inCheckout,
    );

    expect(headers.map((line) => line.split(":")[0])).toEqual([
      "svix-id",
      "svix-timestamp",
      "svix-signature",
      "Content-Type",
    ]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`webhook id: ${webhookIdFor("svix", "msg_1")}\n`);
  });

  test("a generic provider also gets X-Provider-ID (the /webhook route requires it)", async () => {
    const { stdout } = await runCli(
      ["sign", "--provider", "acme", "--secret", "s", "--data", body],
      inCheckout,
    );

    expect(stdout).toContain("X-Provider-ID: acme\n");
  });

  test.each([
    [
      ["--provider", "paypal"],
      "--provider: paypal is not a provider of the stack (acme, stripe, github, shopify, slack, svix)",
    ],
    [
      ["--provider", "stripe", "--scheme", "github"],
      "--scheme github contradicts --provider stripe, whose scheme is stripe",
    ],
  ])("bad input %j: exit 2", async (argv, message) => {
    const { code, stderr } = await runCli(["sign", ...argv, "--secret", "s", "--data", body], inCheckout);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
