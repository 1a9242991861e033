import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { type AuditLog, createAuditHandler } from "../../../functions/audit/handler";

// Prepare / Act / Assess; stream records as DynamoDB Streams delivers them to Lambda.

const TTL_IDENTITY = { type: "Service", principalId: "dynamodb.amazonaws.com" };
const CREATED = 1_795_428_000;

let sequence = 100;

function item(status: string, extra: Record<string, unknown> = {}) {
  return marshall({
    webhookId: "wh_0123456789abcdef0123456789abcdef",
    provider: "stripe",
    deliveryId: "evt_1",
    eventType: "invoice.paid",
    status,
    receivedAt: "2026-11-23T10:00:00.000Z",
    providerDay: "stripe#2026-11-23",
    expiresAt: 1_796_032_800,
    updatedAt: 1_795_428_000_500,
    ...extra,
  }) as Record<string, AttributeValue>;
}

function streamRecord(
  eventName: "INSERT" | "MODIFY" | "REMOVE",
  images: { oldStatus?: string; newStatus?: string },
  overrides: Partial<DynamoDBRecord> = {},
): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: "aws:dynamodb",
    eventVersion: "1.1",
    awsRegion: "us-east-1",
    eventSourceARN:
      "arn:aws:dynamodb:us-east-1:123456789012:table/wh-test-webhooks/stream/2026-11-23T00:00:00.000",
    dynamodb: {
      ApproximateCreationDateTime: CREATED,
      Keys: { webhookId: { S: "wh_0123456789abcdef0123456789abcdef" } },
      ...(images.oldStatus ? { OldImage: item(images.oldStatus) as never } : {}),
      ...(images.newStatus ? { NewImage: item(images.newStatus) as never } : {}),
      SequenceNumber: `${sequence}000000000000000000001`,
      SizeBytes: 300,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    ...overrides,
  };
}

function recordingLog() {
  const lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const log: AuditLog = {
    info: (message, attributes) => lines.push({ level: "info", message, attributes }),
    error: (message, attributes) => lines.push({ level: "error", message, attributes }),
  };
  return { log, lines };
}

const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

test("INSERT logs the new record's fields as a transition into its first status", async () => {
  const { log, lines } = recordingLog();
  const record = streamRecord("INSERT", { newStatus: "RECEIVED" });

  const response = await createAuditHandler({ logger: log })(event(record));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(lines).toStrictEqual([
    {
      level: "info",
      message: "status transition",
      attributes: {
        webhookId: "wh_0123456789abcdef0123456789abcdef",
        provider: "stripe",
        deliveryId: "evt_1",
        eventType: "invoice.paid",
        fromStatus: undefined,
        toStatus: "RECEIVED",
        receivedAt: "2026-11-23T10:00:00.000Z",
        eventName: "INSERT",
        approximateCreationTime: new Date(CREATED * 1000).toISOString(),
        sequenceNumber: record.dynamodb!.SequenceNumber,
      },
    },
  ]);
});

test("MODIFY that changes the status logs from-status and to-status", async () => {
  const { log, lines } = recordingLog();

  await createAuditHandler({ logger: log })(
    event(streamRecord("MODIFY", { oldStatus: "QUEUED", newStatus: "ROUTED" })),
  );

  expect(lines[0]?.attributes).toMatchObject({
    fromStatus: "QUEUED",
    toStatus: "ROUTED",
    eventName: "MODIFY",
  });
});

test("MODIFY that leaves the status as it was logs nothing", async () => {
  const { log, lines } = recordingLog();

  const response = await createAuditHandler({ logger: log })(
    event(streamRecord("MODIFY", { oldStatus: "RECEIVED", newStatus: "RECEIVED" })),
  );

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(lines).toHaveLength(0);
});

test("a TTL removal (principal dynamodb.amazonaws.com) is logged as EXPIRED", async () => {
  const { log, lines } = recordingLog();

  await createAuditHandler({ logger: log })(
    event(streamRecord("REMOVE", { oldStatus: "ROUTED" }, { userIdentity: TTL_IDENTITY })),
  );

  expect(lines[0]?.attributes).toMatchObject({
    fromStatus: "ROUTED",
    toStatus: "EXPIRED",
    eventName: "REMOVE",
  });
});

test("any other removal is logged as DELETED", async () => {
  const { log, lines } = recordingLog();

  await createAuditHandler({ logger: log })(event(streamRecord("REMOVE", { oldStatus: "QUEUED" })));

  expect(lines[0]?.attributes).toMatchObject({ fromStatus: "QUEUED", toStatus: "DELETED" });
});

test("a malformed record is reported by its SequenceNumber; records after it are left for the retry", async () => {
  const { log, lines } = recordingLog();
  const before = streamRecord("INSERT", { newStatus: "RECEIVED" });
  const malformed = streamRecord("MODIFY", { oldStatus: "RECEIVED" });
  const after = streamRecord("INSERT", { newStatus: "RECEIVED" });

  const response = await createAuditHandler({ logger: log })(event(before, malformed, after));

  expect(response).toStrictEqual({
    batchItemFailures: [{ itemIdentifier: malformed.dynamodb!.SequenceNumber }],
  });
  expect(lines.map((line) => [line.level, line.attributes.sequenceNumber])).toEqual([
    ["info", before.dynamodb!.SequenceNumber],
    ["error", malformed.dynamodb!.SequenceNumber],
  ]);
});

test.each([
  ["an image that is not a DynamoDB attribute map", { NewImage: { status: { Q: "x" } } as never }],
  ["an image without webhookId", { NewImage: marshall({ status: "RECEIVED" }) as never }],
  ["an image without status", { NewImage: marshall({ webhookId: "wh_1" }) as never }],
])("%s is reported by its SequenceNumber", async (_, images) => {
  const { log } = recordingLog();
  const record = streamRecord("INSERT", {});
  record.dynamodb = { ...record.dynamodb, ...images };

  const response = await createAuditHandler({ logger: log })(event(record));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] });
});

test("a record without a SequenceNumber cannot be reported, so the whole batch fails", async () => {
  const { log } = recordingLog();
  const record = streamRecord("INSERT", { newStatus: "RECEIVED" });
  delete record.dynamodb!.SequenceNumber;

  await expect(createAuditHandler({ logger: log })(event(record))).rejects.toThrow(/no SequenceNumber/);
});

test("a batch with no records reports no failures", async () => {
  const { log } = recordingLog();

  expect(await createAuditHandler({ logger: log })(event())).toStrictEqual({ batchItemFailures: [] });
});
