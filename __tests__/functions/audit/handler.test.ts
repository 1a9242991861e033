import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { type AuditTrail, createAuditHandler } from "../../../functions/audit/handler";
import type { StatusTransition } from "../../../functions/audit/transition";

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

function recordingTrail() {
  const transitions: StatusTransition[] = [];
  const failures: { message: string; attributes: Record<string, unknown> }[] = [];
  const trail: AuditTrail = {
    transition: (transition) => transitions.push(transition),
    failure: (message, attributes) => failures.push({ message, attributes }),
  };
  return { trail, transitions, failures };
}

const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

test("INSERT is a claim: the new status, when, and which delivery the webhook id is", async () => {
  const { trail, transitions } = recordingTrail();
  const record = streamRecord("INSERT", { newStatus: "RECEIVED" });

  const response = await createAuditHandler({ trail })(event(record));

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(transitions).toStrictEqual([
    {
      webhookId: "wh_0123456789abcdef0123456789abcdef",
      to: "RECEIVED",
      at: "2026-11-23T10:00:00Z",
      provider: "stripe",
      deliveryId: "evt_1",
    },
  ]);
});

test("MODIFY that changes the status carries the record id, from, to and when, nothing else", async () => {
  const { trail, transitions } = recordingTrail();

  await createAuditHandler({ trail })(
    event(streamRecord("MODIFY", { oldStatus: "QUEUED", newStatus: "ROUTED" })),
  );

  expect(transitions).toStrictEqual([
    {
      webhookId: "wh_0123456789abcdef0123456789abcdef",
      from: "QUEUED",
      to: "ROUTED",
      at: "2026-11-23T10:00:00Z",
    },
  ]);
});

test("a claim over an expired record (MODIFY into RECEIVED) names the delivery too", async () => {
  const { trail, transitions } = recordingTrail();

  await createAuditHandler({ trail })(
    event(streamRecord("MODIFY", { oldStatus: "ROUTED", newStatus: "RECEIVED" })),
  );

  expect(transitions[0]).toMatchObject({
    from: "ROUTED",
    to: "RECEIVED",
    provider: "stripe",
    deliveryId: "evt_1",
  });
});

test("MODIFY that leaves the status as it was logs nothing", async () => {
  const { trail, transitions } = recordingTrail();

  const response = await createAuditHandler({ trail })(
    event(streamRecord("MODIFY", { oldStatus: "RECEIVED", newStatus: "RECEIVED" })),
  );

  expect(response).toStrictEqual({ batchItemFailures: [] });
  expect(transitions).toHaveLength(0);
});

test("a TTL removal (principal dynamodb.amazonaws.com) is logged as EXPIRED", async () => {
  const { trail, transitions } = recordingTrail();

  await createAuditHandler({ trail })(
    event(streamRecord("REMOVE", { oldStatus: "ROUTED" }, { userIdentity: TTL_IDENTITY })),
  );

  expect(transitions).toStrictEqual([
    {
      webhookId: "wh_0123456789abcdef0123456789abcdef",
      from: "ROUTED",
      to: "EXPIRED",
      at: "2026-11-23T10:00:00Z",
    },
  ]);
});

test("any other removal is logged as DELETED", async () => {
  const { trail, transitions } = recordingTrail();

  await createAuditHandler({ trail })(event(streamRecord("REMOVE", { oldStatus: "QUEUED" })));

  expect(transitions[0]).toMatchObject({ from: "QUEUED", to: "DELETED" });
});

test("a malformed record is reported by its SequenceNumber; records after it are left for the retry", async () => {
  const { trail, transitions, failures } = recordingTrail();
  const before = streamRecord("INSERT", { newStatus: "RECEIVED" });
  const malformed = streamRecord("MODIFY", { oldStatus: "RECEIVED" });
  const after = streamRecord("MODIFY", { oldStatus: "RECEIVED", newStatus: "QUEUED" });

  const response = await createAuditHandler({ trail })(event(before, malformed, after));

  expect(response).toStrictEqual({
    batchItemFailures: [{ itemIdentifier: malformed.dynamodb!.SequenceNumber }],
  });
  expect(transitions.map((transition) => transition.to)).toEqual(["RECEIVED"]);
  expect(failures.map((failure) => failure.attributes.sequenceNumber)).toEqual([
    malformed.dynamodb!.SequenceNumber,
  ]);
});

test.each([
  ["an image that is not a DynamoDB attribute map", { NewImage: { status: { Q: "x" } } as never }],
  ["an image without webhookId", { NewImage: marshall({ status: "RECEIVED" }) as never }],
  ["an image without status", { NewImage: marshall({ webhookId: "wh_1" }) as never }],
])("%s is reported by its SequenceNumber", async (_, images) => {
  const { trail } = recordingTrail();
  const record = streamRecord("INSERT", {});
  record.dynamodb = { ...record.dynamodb, ...images };

  const response = await createAuditHandler({ trail })(event(record));

  expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] });
});

test("a record without a SequenceNumber cannot be reported, so the whole batch fails", async () => {
  const { trail } = recordingTrail();
  const record = streamRecord("INSERT", { newStatus: "RECEIVED" });
  delete record.dynamodb!.SequenceNumber;

  await expect(createAuditHandler({ trail })(event(record))).rejects.toThrow(/no SequenceNumber/);
});

test("a batch with no records reports no failures", async () => {
  const { trail } = recordingTrail();

  expect(await createAuditHandler({ trail })(event())).toStrictEqual({ batchItemFailures: [] });
});
