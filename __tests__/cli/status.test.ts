import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DynamoDBClient, GetItemCommand, ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { RecordAttribute as A, webhookIdFor } from "@webhooks/shared";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { windowStart } from "../../cli/src/commands/status";
import { SCAN_SEGMENTS } from "../../cli/src/records/pending-scan";
import { createDynamoDbStore } from "../../functions/validator/adapters/dynamodb-store";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { type LocalTable, startLocalTable } from "../support/dynalite";
import { runCli, tempDir } from "./support/cli-io";

const TABLE = "whk-dev-records";
const BUCKET = "whk-dev-payloads-123456789012-us-east-1";
/**
 * The part of a synthesized stack `status` reads: the table, the region, the providers output, the
 * validator's TTL, and the Firehose stream archiving the bus to the payload bucket.
 */
const stackDir = tempDir({
  "cdk.tf.json": JSON.stringify({
    provider: { aws: [{ region: "us-east-1" }] },
    output: {
      [PROVIDERS_OUTPUT]: { value: JSON.stringify(["stripe", "github", "slack"].map((id) => ({ id }))) },
    },
    resource: {
      aws_dynamodb_table: { table_1: { name: TABLE, hash_key: "webhookId" } },
      aws_s3_bucket: { payloads: { bucket: BUCKET } },
      aws_kinesis_firehose_delivery_stream: {
        archive: {
          extended_s3_configuration: {
            bucket_arn: `\${aws_s3_bucket.payloads.arn}`,
            prefix: "archive/!{timestamp:yyyy/MM/dd}/",
          },
        },
      },
      aws_lambda_function: {
        validator: {
          environment: {
            variables: {
              DEDUPE_TTL_SECONDS: String(3 * 86_400),
            },
          },
        },
      },
    },
  }),
});

let table: LocalTable;
const deliveries = [
  {
    provider: "stripe",
    deliveryId: "evt_1",
    eventType: "payment_intent.succeeded",
    receivedAt: "2025-01-31T09:00:00.000Z",
    status: "ROUTED",
  },
  {
    provider: "stripe",
    deliveryId: "evt_2",
    eventType: "charge.refunded",
    receivedAt: "2025-01-31T08:00:00.000Z",
    status: "QUEUED",
  },
  {
    provider: "stripe",
    deliveryId: "evt_3",
    eventType: "charge.refunded",
    receivedAt: "2025-01-30T23:59:59.000Z",
    status: "QUEUED",
  },
  {
    // Received 71 hours before the tests' now: alive for one more hour of a 3-day TTL.
    provider: "slack",
    deliveryId: "Ev1",
    eventType: "app_mention",
    receivedAt: "2025-01-28T13:00:00.000Z",
    status: "QUEUED",
  },
  {
    provider: "github",
    deliveryId: "d-1",
    eventType: "push",
    receivedAt: "2025-01-31T10:00:00.000Z",
    status: "RECEIVED",
  },
] as const;
const idOf = (provider: string, deliveryId: string) => webhookIdFor(provider, deliveryId);

beforeAll(async () => {
  table = await startLocalTable(TABLE);
  // Records written by the validator's own store adapter, then moved on like the router does.
  const store = createDynamoDbStore(table.client, TABLE);
  for (const d of deliveries) {
    const webhookId = idOf(d.provider, d.deliveryId);
    const nowMs = Date.parse(d.receivedAt);
    await store.claim({
      ...d,
      webhookId,
      nowMs,
      leaseUntil: nowMs + 10_000,
      expiresAt: Math.floor(nowMs / 1000) + 604_800,
      contentDigest: d.deliveryId,
    });
    if (d.status !== "RECEIVED") await store.markQueued(webhookId, nowMs + 50);
    if (d.status === "ROUTED") {
      await table.client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { [A.webhookId]: { S: webhookId } },
          UpdateExpression: "SET #status = :routed",
          ExpressionAttributeNames: { "#status": A.status },
          ExpressionAttributeValues: { ":routed": { S: "ROUTED" } },
        }),
      );
    }
  }
});

afterAll(() => table.close());

/** A bus event as the archive stream stores it (one a line), for a delivery received at `receivedAt`. */
function busEvent(provider: string, deliveryId: string, eventType: string, receivedAt: string): string {
  return JSON.stringify({
    version: "0",
    id: `event-${deliveryId}`,
    "detail-type": eventType,
    source: `webhooks.${provider}`,
    time: receivedAt,
    detail: { webhookId: idOf(provider, deliveryId), provider, deliveryId, eventType, receivedAt, data: {} },
  });
}

/**
 * The archive objects of two days, GZIP with one event a line: evt_1 routed the day it arrived,
 * evt_5 received just before midnight and routed after it (so in the next day's object), a put
 * of evt_1 twice (its ROUTED mark failed), another provider's and another day's events.
 */
const ARCHIVE: Readonly<Record<string, string[]>> = {
  "archive/2025/01/31/whk-dev-archive-1-2025-01-31-09-05-00-a": [
    busEvent("stripe", "evt_1", "payment_intent.succeeded", "2025-01-31T09:00:00.000Z"),
    busEvent("github", "d-0", "push", "2025-01-31T09:01:00.000Z"),
    busEvent("stripe", "evt_0", "charge.refunded", "2025-01-30T23:00:00.000Z"),
  ],
  "archive/2025/01/31/whk-dev-archive-1-2025-01-31-09-10-00-b": [
    busEvent("stripe", "evt_1", "payment_intent.succeeded", "2025-01-31T09:00:00.000Z"),
    "",
  ],
  "archive/2025/02/01/whk-dev-archive-1-2025-02-01-00-05-00-c": [
    busEvent("stripe", "evt_5", "charge.refunded", "2025-01-31T23:59:59.000Z"),
    busEvent("stripe", "evt_6", "charge.refunded", "2025-02-01T00:01:00.000Z"),
  ],
};
const s3Client = new S3Client({
  region: "us-east-1",
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
});
const s3 = mockClient(s3Client);
s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
  Contents: Object.keys(ARCHIVE)
    .filter((key) => key.startsWith(input.Prefix))
    .map((Key) => ({ Key })),
  IsTruncated: false,
}));
s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
  const bytes = gzipSync(`${ARCHIVE[input.Key]!.join("\n")}\n`);
  return { Body: { transformToByteArray: async () => new Uint8Array(bytes) } as never };
});

const status = (...argv: string[]) =>
  runCli(["status", ...argv, "--stack-dir", stackDir], {
    aws: { dynamoDb: () => table.client, s3: () => s3Client },
  });

describe("status", () => {
  test("by webhook id: one GetItem on the table key, every field", async () => {
    const webhookId = idOf("stripe", "evt_1");

    const { code, stdout } = await status(webhookId);

    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `webhook id:  ${webhookId}`,
        "provider:    stripe",
        "delivery id: evt_1",
        "event type:  payment_intent.succeeded",
        "status:      ROUTED (put on the event bus)",
        "received at: 2025-01-31T09:00:00.000Z",
        "updated at:  2025-01-31T09:00:00.050Z",
        "expires at:  2025-02-07T09:00:00.000Z",
        "",
      ].join("\n"),
    );
  });

  test("by provider and delivery id: the same key, computed", async () => {
    const { code, stdout } = await status("--provider", "github", "--delivery-id", "d-1", "--json");

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      webhookId: idOf("github", "d-1"),
      status: "RECEIVED",
      leaseUntil: Date.parse("2025-01-31T10:00:10.000Z"),
    });
  });

  test("a record with a lapsed claim says so", async () => {
    const { stdout } = await status("--provider", "github", "--delivery-id", "d-1");

    expect(stdout).toContain(
      "status:      RECEIVED (claim lapsed before it was queued: the sender's retry takes it over)",
    );
  });

  test("not found: exit 1 with the computed id", async () => {
    const { code, stderr } = await status("--provider", "stripe", "--delivery-id", "evt_404");

    expect(code).toBe(1);
    expect(stderr).toBe(
      `no record for ${idOf("stripe", "evt_404")} (provider stripe, delivery id evt_404) in ${TABLE}: never accepted, or expired (records live for the dedupe TTL)\n`,
    );
  });

  test("--provider --day lists that day's deliveries that reached the bus, oldest first, from the archive of that day and the next", async () => {
    const { code, stdout } = await status("--provider", "stripe", "--day", "2025-01-31");

    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe(
      `2 stripe deliveries received on 2025-01-31 that reached the bus (s3://${BUCKET}/archive/2025/01/31/ and 2025-02-01's objects, 3 read):`,
    );
    expect(lines[1]).toMatch(/^RECEIVED AT\s+STATUS\s+WEBHOOK ID\s+PROVIDER\s+DELIVERY ID\s+EVENT TYPE$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/))).toEqual([
      [
        "2025-01-31T09:00:00.000Z",
        "ROUTED",
        idOf("stripe", "evt_1"),
        "stripe",
        "evt_1",
        "payment_intent.succeeded",
      ],
      ["2025-01-31T23:59:59.000Z", "ROUTED", idOf("stripe", "evt_5"), "stripe", "evt_5", "charge.refunded"],
    ]);
  });

  test("--provider --day reads the archive prefixes of that day and the next, and nothing from the table", async () => {
    s3.resetHistory();
    const ddb = mockClient(table.client);
    try {
      await status("--provider", "stripe", "--day", "2025-01-31");
      expect(ddb.calls()).toHaveLength(0);
    } finally {
      ddb.restore();
    }
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Prefix: "archive/2025/01/31/" },
      { Bucket: BUCKET, Prefix: "archive/2025/02/01/" },
    ]);
  });

  test("--limit caps the list and says so", async () => {
    const { stdout } = await status("--provider", "stripe", "--day", "2025-01-31", "--limit", "1");

    expect(stdout).toContain("(first 1; raise --limit for more):");
    expect(stdout).toContain("evt_1");
    expect(stdout).not.toContain("evt_5");
  });

  test("--provider --day on a stack without an archive stream says so: exit 1", async () => {
    const doc = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    delete doc.resource.aws_kinesis_firehose_delivery_stream;
    const bare = tempDir({ "cdk.tf.json": JSON.stringify(doc) });
    const { code, stderr } = await runCli([
      "status",
      "--provider",
      "stripe",
      "--day",
      "2025-01-31",
      "--stack-dir",
      bare,
    ]);

    expect(code).toBe(1);
    expect(stderr).toContain("has no payload archive (Firehose stream to S3)");
  });

  test("--pending lists what is not yet ROUTED, oldest first, over every UTC day the dedupe TTL reaches back to", async () => {
    const { code, stdout } = await status("--pending");

    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("4 pending deliveries in the last 4 days (2025-01-28 … 2025-01-31):");
    expect(lines.slice(2).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      ["2025-01-28T13:00:00.000Z", "QUEUED"],
      ["2025-01-30T23:59:59.000Z", "QUEUED"],
      ["2025-01-31T08:00:00.000Z", "QUEUED"],
      ["2025-01-31T10:00:00.000Z", "RECEIVED"],
    ]);
  });

  test("--pending is a filtered parallel Scan of the whole table: not ROUTED, not past its TTL, in the window", async () => {
    const ddb = mockClient(table.client);
    ddb.on(ScanCommand).resolves({ Items: [], ScannedCount: 0 });
    try {
      await status("--pending", "--days", "2");
      const inputs = ddb.commandCalls(ScanCommand).map((call) => call.args[0].input);
      expect(inputs.map((input) => input.Segment).sort()).toEqual([...Array(SCAN_SEGMENTS).keys()]);
      expect(inputs[0]).toMatchObject({
        TableName: TABLE,
        TotalSegments: SCAN_SEGMENTS,
        FilterExpression: "#status <> :routed AND #expiresAt >= :now AND #receivedAt >= :from",
        ExpressionAttributeValues: {
          ":routed": { S: "ROUTED" },
          ":now": { N: String(Date.parse("2025-01-31T12:00:00Z") / 1000) },
          ":from": { S: "2025-01-30" },
        },
      });
      expect(inputs[0]).not.toHaveProperty("IndexName");
      expect(inputs[0]).not.toHaveProperty("ConsistentRead");
    } finally {
      ddb.restore();
    }
  });

  test("--pending leaves out a record past its TTL that TTL has not deleted yet", async () => {
    const { stdout } = await runCli(["status", "--pending", "--json", "--stack-dir", stackDir], {
      aws: { dynamoDb: () => table.client },
      // evt_3 (QUEUED, received 2025-01-30T23:59:59Z) expires 7 days later
      now: Date.parse("2025-02-07T00:00:00Z"),
    });

    expect(JSON.parse(stdout).map((r: { deliveryId: string }) => r.deliveryId)).not.toContain("evt_3");
  });

  test.each([
    { argv: ["--days", "1"], pending: ["evt_2", "d-1"] },
    { argv: ["--day", "2025-01-30"], pending: ["evt_3"] },
    { argv: ["--days", "2", "--limit", "2"], pending: ["evt_3", "evt_2"] },
  ])("--pending $argv → $pending", async ({ argv, pending }) => {
    const { stdout } = await status("--pending", "--json", ...argv);

    expect(JSON.parse(stdout).map((r: { deliveryId: string }) => r.deliveryId)).toEqual(pending);
  });

  test.each([
    { argv: ["--days", "2"], code: 0 },
    { argv: ["--days", "2", "--fail-if-any"], code: 1 },
  ])("--pending $argv with deliveries pending: exit $code", async ({ argv, code }) => {
    const result = await status("--pending", ...argv);

    expect(result.code).toBe(code);
    expect(result.stdout).toContain("3 pending deliveries");
  });

  test.each([
    {
      argv: ["--days", "2"],
      line: `no pending deliveries in the last 2 days (2025-02-28 … 2025-03-01) in ${TABLE}\n`,
    },
    { argv: ["--day", "2025-02-28"], line: `no pending deliveries on 2025-02-28 in ${TABLE}\n` },
    {
      argv: ["--fail-if-any"],
      line: `no pending deliveries in the last 4 days (2025-02-26 … 2025-03-01) in ${TABLE}\n`,
    },
    { argv: ["--days", "1", "--json"], line: "[]\n" },
  ])("nothing pending ($argv) is a healthy answer: exit 0 and one line", async ({ argv, line }) => {
    const result = await runCli(["status", "--pending", ...argv, "--stack-dir", stackDir], {
      aws: { dynamoDb: () => table.client },
      now: Date.parse("2025-03-01T12:00:00Z"),
    });

    expect(result).toMatchObject({ code: 0, stdout: line, stderr: "" });
  });

  test("windowStart: the first of `days` UTC days ending with the last", () => {
    expect(windowStart("2025-03-01", 3)).toBe("2025-02-27");
    expect(windowStart("2025-03-01", 1)).toBe("2025-03-01");
  });

  test("the window of n days always holds n days, the last one included", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
        fc.integer({ min: 1, max: 366 }),
        (date, days) => {
          const last = date.toISOString().slice(0, 10);
          const first = windowStart(last, days);
          expect((Date.parse(last) - Date.parse(first)) / 86_400_000 + 1).toBe(days);
        },
      ),
    );
  });

  test("a region other than the table's: the warning names the table and both regions before AWS's own error", async () => {
    const elsewhere = new DynamoDBClient({
      region: "eu-west-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    mockClient(elsewhere)
      .on(GetItemCommand)
      .rejects(
        Object.assign(new Error("Requested resource not found"), { name: "ResourceNotFoundException" }),
      );

    const result = await runCli(
      ["status", idOf("stripe", "evt_1"), "--region", "eu-west-1", "--stack-dir", stackDir],
      { aws: { dynamoDb: () => elsewhere } },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        `warning: table ${TABLE} is in us-east-1, but the region in effect is eu-west-1 (from --region); pass --region us-east-1 to use the stack's`,
        "webhooks status: ResourceNotFoundException: Requested resource not found",
        "",
      ].join("\n"),
    );
  });

  test("an empty day: exit 1, pointing at the pending listing for what is not routed yet", async () => {
    const { code, stderr } = await status("--provider", "slack", "--day", "2025-01-31");

    expect(code).toBe(1);
    expect(stderr).toBe(
      `no slack deliveries received on 2025-01-31 that reached the bus (s3://${BUCKET}/archive/2025/01/31/ and 2025-02-01's objects, 3 read); not yet routed: webhooks status --pending --day 2025-01-31\n`,
    );
  });

  test.each([
    [[], "give a <webhookId>, --provider with --delivery-id or --day, or --pending"],
    [["wh_nothex"], "'wh_nothex' is not a webhook id (wh_ + 32 lowercase hex)"],
    [["--provider", "stripe"], "--provider needs --delivery-id or --day"],
    [["--delivery-id", "evt_1"], "--delivery-id needs --provider"],
    [["--provider", "stripe", "--day", "2025-1-31"], "--day must be a UTC date YYYY-MM-DD, got '2025-1-31'"],
    [
      ["--provider", "stripe", "--day", "2025-02-29"],
      "--day must be a UTC date YYYY-MM-DD, got '2025-02-29'",
    ],
    [["--pending", "--limit", "0"], "--limit must be an integer in 1..1000, got '0'"],
    [
      ["--pending", "--provider", "stripe"],
      "give one of <webhookId>, --provider with --delivery-id or --day, or --pending",
    ],
    [["wh_0123456789abcdef0123456789abcdef", "wh_0123456789abcdef0123456789abcdef"], "unexpected argument"],
    [["--pending", "--days", "0"], "--days must be an integer in 1..366, got '0'"],
    [["--pending", "--days", "2", "--day", "2025-01-31"], "--day and --days are exclusive"],
    [
      ["--provider", "stripe", "--day", "2025-01-31", "--fail-if-any"],
      "--fail-if-any goes with --pending only",
    ],
    [["--provider", "stripe", "--day", "2025-01-31", "--days", "2"], "--days goes with --pending only"],
    [
      ["--provider", "paypal", "--delivery-id", "x"],
      "--provider: paypal is not a provider of the stack (stripe, github, slack)",
    ],
  ])("bad input %j: exit 2", async (argv, message) => {
    const { code, stderr } = await status(...argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
