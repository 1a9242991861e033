import { createHash } from "node:crypto";
import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { PutObjectCommand } from "@aws-sdk/client-s3";

import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { envelope, PAYLOAD_BUCKET, referenceTo, sqsEvent, sqsRecord, sqsRecords } from "./support/factories";
import { acceptAll, routerHarness } from "./support/harness";

// security-checklist §C, routing-Lambda negative tests, one describe per case.

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

type Answer = { ErrorCode: string; ErrorMessage: string } | { EventId: string };

/** Fails the entries at `indexes` (of each call) with `code`; the others succeed. */
function failingAt(indexes: readonly number[], code: string) {
  return (input: { Entries?: readonly PutEventsRequestEntry[] }) => {
    const entries: Answer[] = (input.Entries ?? []).map((_, index) =>
      indexes.includes(index)
        ? { ErrorCode: code, ErrorMessage: `${code} for entry ${index}` }
        : { EventId: `e${index}` },
    );
    return { FailedEntryCount: entries.filter((entry) => "ErrorCode" in entry).length, Entries: entries };
  };
}

const sdkError = (name: string, httpStatusCode: number, fault: "client" | "server") =>
  Object.assign(new Error(`${name} from the service`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode },
  });

describe("1. partial PutEvents failure: FailedEntryCount 2 with ThrottlingException", () => {
  test("retries only the two failed entries, then acknowledges everything once they succeed", async () => {
    const harness = routerHarness(table);
    harness.eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce(failingAt([3, 7], "ThrottlingException"))
      .callsFake(acceptAll);
    const records = sqsRecords(10);

    const response = await harness.route(sqsEvent(records));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    const [first, retry] = harness.putCalls();
    expect(first).toHaveLength(10);
    expect(retry).toEqual([first![3], first![7]]);
    expect(harness.counters.get("putEventsRetries")).toBe(2);
  });

  test("when throttling persists, reports exactly those two messageIds after the last attempt", async () => {
    const harness = routerHarness(table);
    const records = sqsRecords(10);
    harness.eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce(failingAt([3, 7], "ThrottlingException"))
      .callsFake(failingAt([0, 1], "ThrottlingException"));

    const response = await harness.route(sqsEvent(records));

    expect(response).toStrictEqual({
      batchItemFailures: [
        { itemIdentifier: records[3]!.messageId },
        { itemIdentifier: records[7]!.messageId },
      ],
    });
    expect(harness.putCalls()).toHaveLength(harness.config.retry.maxAttempts);
    expect(
      harness
        .putCalls()
        .slice(1)
        .every((entries) => entries.length === 2),
    ).toBe(true);
    expect(harness.counters.get("failed{reason=putEventsRetriesExhausted}")).toBe(2);
  });

  test("backs off exponentially with jitter between attempts", async () => {
    const harness = routerHarness(table);
    harness.eventBridge.on(PutEventsCommand).callsFake(failingAt([0], "InternalFailure"));

    await harness.route(sqsEvent(sqsRecords(1)));

    // random() is 0.5 in the harness: half of 100, 200, 400, 800, 1600 ms.
    expect(harness.clock.sleeps).toEqual([50, 100, 200, 400, 800]);
  });
});

describe("2. MalformedDetail on one entry", () => {
  test("reports that record, acknowledges the others and does not retry it", async () => {
    const harness = routerHarness(table);
    harness.eventBridge.on(PutEventsCommand).callsFake(failingAt([1], "MalformedDetail"));
    const records = sqsRecords(3);

    const response = await harness.route(sqsEvent(records));

    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.messageId }] });
    expect(harness.putCalls()).toHaveLength(1);
    expect(harness.counters.get("failed{reason=putEventsRejected}")).toBe(1);
  });
});

describe("3. a thrown error from the SDK", () => {
  // The whole call failed, so each of its messages is reported: with ≤ 10 messages (one call) that
  // is the whole batch, redelivered; entries of other calls that did reach the bus are not re-put.
  test("a thrown 5xx is retried as a call and, if it persists, every message of the batch is reported", async () => {
    const harness = routerHarness(table);
    harness.eventBridge.on(PutEventsCommand).rejects(sdkError("InternalException", 500, "server"));
    const records = sqsRecords(4);

    const response = await harness.route(sqsEvent(records));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.messageId),
    );
    expect(harness.putCalls()).toHaveLength(harness.config.retry.maxAttempts);
  });

  test("a thrown ThrottlingException is retried and the batch succeeds when the bus recovers", async () => {
    const harness = routerHarness(table);
    harness.eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(sdkError("ThrottlingException", 400, "client"))
      .callsFake(acceptAll);

    const response = await harness.route(sqsEvent(sqsRecords(4)));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(harness.putCalls()).toHaveLength(2);
  });

  test("a thrown AccessDeniedException is not retried and every message of the call is reported", async () => {
    const harness = routerHarness(table);
    harness.eventBridge.on(PutEventsCommand).rejects(sdkError("AccessDeniedException", 400, "client"));
    const records = sqsRecords(3);

    const response = await harness.route(sqsEvent(records));

    expect(response.batchItemFailures).toHaveLength(3);
    expect(harness.putCalls()).toHaveLength(1);
    expect(harness.counters.get("failed{reason=putEventsRejected}")).toBe(3);
  });

  test("a network error without an HTTP status is retried", async () => {
    const harness = routerHarness(table);
    harness.eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .callsFake(acceptAll);

    const response = await harness.route(sqsEvent(sqsRecords(2)));

    expect(response).toStrictEqual({ batchItemFailures: [] });
  });
});

describe("4. a message over the EventBridge entry limit", () => {
  const bigData = { blob: "x".repeat(300_000) };

  test("a claim-checked payload too big for the bus is put once as a payloadRef, without data", async () => {
    const harness = routerHarness(table);
    const bytes = Buffer.from(JSON.stringify(bigData));
    const ref = referenceTo(bytes);
    harness.serveObject(ref.key, bytes);
    const message = envelope({ payload: { kind: "reference", ref } });

    const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(harness.putCalls()).toHaveLength(1);
    const [detail] = harness.putDetails();
    expect(detail).toStrictEqual({
      webhookId: message.webhookId,
      provider: message.provider,
      deliveryId: message.deliveryId,
      eventType: message.eventType,
      receivedAt: message.receivedAt,
      payloadRef: { ...ref, contentType: "application/json" },
    });
    expect(harness.s3Puts()).toHaveLength(0);
    expect(harness.counters.get("routedByReference")).toBe(1);
  });

  test("an inline payload too big for the bus is written to the payload bucket and put as a payloadRef", async () => {
    const harness = routerHarness(table);
    const message = envelope({ payload: { kind: "inline", data: bigData } });

    const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    const [put] = harness.s3Puts();
    const stored = Buffer.from(put!.Body as Uint8Array);
    expect(put).toMatchObject({
      Bucket: PAYLOAD_BUCKET,
      Key: `payloads/stripe/2026/11/23/${message.webhookId}.json`,
      ContentType: "application/json",
    });
    expect(JSON.parse(stored.toString("utf8"))).toStrictEqual(bigData);
    expect(harness.putDetails()[0]).toMatchObject({
      payloadRef: {
        bucket: PAYLOAD_BUCKET,
        key: put!.Key,
        sha256: createHash("sha256").update(stored).digest("hex"),
        size: stored.byteLength,
        contentType: "application/json",
      },
    });
    expect(harness.putDetails()[0]).not.toHaveProperty("data");
  });

  test("every entry put fits the configured budget by EventBridge's formula", async () => {
    const harness = routerHarness(table, { config: { entryMaxBytes: 2_000 } });
    const sizes = [100, 1_000, 1_900, 5_000].map((n) => ({ blob: "é".repeat(n) }));

    await harness.route(
      sqsEvent(sizes.map((data) => sqsRecord({ envelope: envelope({ payload: { kind: "inline", data } }) }))),
    );

    for (const entry of harness.putCalls().flat()) {
      const size =
        14 +
        [entry.Source, entry.DetailType, entry.Detail].reduce((sum, s) => sum + Buffer.byteLength(s!), 0);
      expect(size).toBeLessThanOrEqual(2_000);
    }
    expect(harness.putCalls().flat()).toHaveLength(4);
  });

  test("entries are split across calls so that no request exceeds the size budget", async () => {
    const harness = routerHarness(table, { config: { entryMaxBytes: 5_000 } });
    const records = Array.from({ length: 6 }, () =>
      sqsRecord({ envelope: envelope({ payload: { kind: "inline", data: { blob: "y".repeat(2_000) } } }) }),
    );

    await harness.route(sqsEvent(records));

    expect(harness.putCalls().map((entries) => entries.length)).toEqual([2, 2, 2]);
  });

  test("an entry that cannot fit even by reference is reported once, without a PutEvents call or a retry", async () => {
    const harness = routerHarness(table, { config: { entryMaxBytes: 300 } });
    const record = sqsRecord({ envelope: envelope({ payload: { kind: "inline", data: bigData } }) });

    const response = await harness.route(sqsEvent([record]));

    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(harness.putCalls()).toHaveLength(0);
    expect(harness.counters.get("failed{reason=entryTooLarge}")).toBe(1);
  });

  test("a failed claim-check write is reported for redelivery", async () => {
    const harness = routerHarness(table);
    harness.s3.on(PutObjectCommand).rejects(sdkError("InternalError", 500, "server"));
    const record = sqsRecord({ envelope: envelope({ payload: { kind: "inline", data: bigData } }) });

    const response = await harness.route(sqsEvent([record]));

    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(harness.counters.get("failed{reason=claimCheckFailed}")).toBe(1);
  });

  test("a DetailType EventBridge would refuse is reported alone instead of failing its whole call", async () => {
    const harness = routerHarness(table);
    const bad = sqsRecord({ envelope: envelope({ eventType: "t".repeat(129) }) });
    const good = sqsRecord();

    const response = await harness.route(sqsEvent([bad, good]));

    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    expect(harness.putCalls()).toEqual([[expect.objectContaining({ DetailType: "invoice.paid" })]]);
  });
});

describe("5. nothing failed", () => {
  test("answers an empty batchItemFailures list, so every message is deleted", async () => {
    const harness = routerHarness(table);

    expect(await harness.route(sqsEvent(sqsRecords(5)))).toStrictEqual({ batchItemFailures: [] });
  });

  test("an empty batch puts nothing and answers an empty list", async () => {
    const harness = routerHarness(table);

    expect(await harness.route(sqsEvent([]))).toStrictEqual({ batchItemFailures: [] });
    expect(harness.putCalls()).toHaveLength(0);
  });
});
