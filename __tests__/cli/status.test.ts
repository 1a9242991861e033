import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { RecordAttribute as A, webhookIdFor } from "@webhooks/shared";
import { createDynamoDbStore } from "../../functions/validator/adapters/dynamodb-store";
import { type LocalTable, startLocalTable } from "../support/dynalite";
import { NOW_MS, runCli, tempDir } from "./support/cli-io";

const TABLE = "whk-dev-records";
/** The part of a synthesized stack `status` reads: the table's name and the region. */
const stackDir = tempDir({
  "cdk.tf.json": JSON.stringify({
    provider: { aws: [{ region: "us-east-1" }] },
    resource: { aws_dynamodb_table: { table_1: { name: TABLE, hash_key: "webhookId" } } },
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
    });
    if (d.status !== "RECEIVED") await store.markQueued(webhookId, nowMs + 50);
    if (d.status === "ROUTED") {
      await table.client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { [A.webhookId]: { S: webhookId } },
          UpdateExpression: "SET #status = :routed REMOVE #pendingDay",
          ExpressionAttributeNames: { "#status": A.status, "#pendingDay": A.pendingDay },
          ExpressionAttributeValues: { ":routed": { S: "ROUTED" } },
        }),
      );
    }
  }
});

afterAll(() => table.close());

const status = (...argv: string[]) =>
  runCli(["status", ...argv, "--stack-dir", stackDir], { aws: { dynamoDb: () => table.client } });

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

  test("--provider --day lists that day's deliveries oldest first through the byProviderDay index", async () => {
    const { code, stdout } = await status("--provider", "stripe", "--day", "2025-01-31");

    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("2 stripe deliveries on 2025-01-31:");
    expect(lines[1]).toMatch(/^RECEIVED AT\s+STATUS\s+WEBHOOK ID\s+PROVIDER\s+DELIVERY ID\s+EVENT TYPE$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      ["2025-01-31T08:00:00.000Z", "QUEUED"],
      ["2025-01-31T09:00:00.000Z", "ROUTED"],
    ]);
  });

  test("--limit caps the list and says so", async () => {
    const { stdout } = await status("--provider", "stripe", "--day", "2025-01-31", "--limit", "1");

    expect(stdout).toContain("1 stripe deliveries on 2025-01-31 (first 1; raise --limit for more):");
    expect(stdout).toContain("evt_2");
  });

  test("--pending lists what is not yet ROUTED, across every shard of the sparse index (default: today)", async () => {
    const today = await runCli(["status", "--pending", "--json", "--stack-dir", stackDir], {
      aws: { dynamoDb: () => table.client },
      now: NOW_MS,
    });
    const dayBefore = await status("--pending", "--day", "2025-01-30", "--json");

    expect(JSON.parse(today.stdout).map((r: { deliveryId: string }) => r.deliveryId)).toEqual([
      "evt_2",
      "d-1",
    ]);
    expect(JSON.parse(dayBefore.stdout).map((r: { deliveryId: string }) => r.deliveryId)).toEqual(["evt_3"]);
  });

  test("an empty day: exit 1", async () => {
    const { code, stderr } = await status("--provider", "slack", "--day", "2025-01-31");

    expect(code).toBe(1);
    expect(stderr).toBe(`no slack deliveries on 2025-01-31 in ${TABLE}\n`);
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
  ])("bad input %j: exit 2", async (argv, message) => {
    const { code, stderr } = await status(...argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
