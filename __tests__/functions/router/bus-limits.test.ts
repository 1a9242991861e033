/**
 * The router's side of functions/shared/limits.ts: a payload the bus cannot carry inline unchanged
 * is put by reference (the validator's raw bytes when it has them), an entry is never over the
 * budget, a field EventBridge refuses never reaches PutEvents.
 */
import {
  DELIVERY_ID_MAX_CHARS,
  DETAIL_TYPE_MAX_CHARS,
  INLINE_PAYLOAD_MAX_DEPTH,
  MEDIA_TYPE_MAX_CHARS,
  PROVIDER_ID_MAX_CHARS,
  REFERENCE_ENTRY_MAX_BYTES,
  SOURCE_MAX_CHARS,
} from "@webhooks/shared";
import { busEntry, entryFieldProblem, entrySize } from "../../../functions/router/entry";
import { routerClaimCheckKey } from "../../../functions/router/prepare";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { envelope, PAYLOAD_BUCKET, referenceTo, sqsEvent, sqsRecord } from "./support/factories";
import { routerHarness } from "./support/harness";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

/** A value `levels` deep, counting the scalar at the bottom: nested(1) is 0, nested(2) is [0]. */
function nested(levels: number): unknown {
  let value: unknown = 0;
  for (let level = 1; level < levels; level++) value = [value];
  return value;
}

describe("an inline payload", () => {
  test.each([
    ["nested to the limit is put inline", INLINE_PAYLOAD_MAX_DEPTH, "data"],
    ["one level deeper is put by reference (router claim check)", INLINE_PAYLOAD_MAX_DEPTH + 1, "payloadRef"],
  ])("%s", async (_case, levels, field) => {
    const harness = routerHarness(table);
    const message = envelope({ payload: { kind: "inline", data: nested(levels) } });

    const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(Object.keys(harness.putDetails()[0])).toContain(field);
  });
});

describe("a claim-checked payload the bus cannot carry inline unchanged keeps the validator's reference", () => {
  test.each([
    ["an integer beyond 2^53", '{"id":9007199254740993}'],
    ["a million levels of nesting", `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`],
    ["U+FFFF", '{"note":"\\uffff"}'],
  ])("%s: put once by reference, the raw bytes never re-serialized", async (_case, json) => {
    const harness = routerHarness(table);
    const bytes = Buffer.from(json, "utf8");
    const ref = referenceTo(bytes);
    harness.serveObject(ref.key, bytes);
    const message = envelope({ payload: { kind: "reference", ref } });

    const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(harness.putDetails()[0].payloadRef).toStrictEqual({ ...ref, contentType: "application/json" });
    expect(harness.s3Puts()).toHaveLength(0);
    expect(harness.counters.get("routedByReference")).toBe(1);
  });

  test("a claim-checked payload the bus can carry, small enough, is put inline", async () => {
    const harness = routerHarness(table);
    const bytes = Buffer.from('{"id":9007199254740991}', "utf8");
    const ref = referenceTo(bytes);
    harness.serveObject(ref.key, bytes);

    await harness.route(
      sqsEvent([sqsRecord({ envelope: envelope({ payload: { kind: "reference", ref } }) })]),
    );

    expect(harness.putDetails()[0].data).toStrictEqual({ id: 9007199254740991 });
  });
});

describe("entry fields and sizes", () => {
  test("a DetailType of 128 characters is put; 129 is refused before PutEvents", () => {
    const entry = (length: number) =>
      busEntry(
        envelope({ eventType: "t".repeat(length) }),
        { data: 1 },
        {
          eventBusName: "bus",
          sourcePrefix: "webhooks",
        },
      );
    expect(entryFieldProblem(entry(DETAIL_TYPE_MAX_CHARS))).toBeUndefined();
    expect(entryFieldProblem(entry(DETAIL_TYPE_MAX_CHARS + 1))).toBe("DetailType is over 128 characters");
  });

  test("the largest by-reference entry an accepted delivery can yield fits REFERENCE_ENTRY_MAX_BYTES", () => {
    // Every field at its limit, and every character one that JSON escapes to two.
    const provider = "p".repeat(PROVIDER_ID_MAX_CHARS);
    const sourcePrefix = "s".repeat(SOURCE_MAX_CHARS - 1 - PROVIDER_ID_MAX_CHARS);
    const message = envelope({
      provider,
      deliveryId: '"'.repeat(DELIVERY_ID_MAX_CHARS),
      eventType: "\\".repeat(DETAIL_TYPE_MAX_CHARS),
      contentType: '"'.repeat(MEDIA_TYPE_MAX_CHARS),
    });
    const payloadRef = {
      bucket: "b".repeat(63),
      key: routerClaimCheckKey(message),
      sha256: "f".repeat(64),
      size: 1_048_576,
      contentType: message.contentType,
    };
    const entry = busEntry(message, { payloadRef }, { eventBusName: "bus", sourcePrefix });

    expect(entry.source).toHaveLength(SOURCE_MAX_CHARS);
    expect(entryFieldProblem(entry)).toBeUndefined();
    expect(entrySize(entry)).toBeLessThanOrEqual(REFERENCE_ENTRY_MAX_BYTES);
  });

  test("with the smallest budget the router accepts, a payload of any size is put by reference", async () => {
    const harness = routerHarness(table, { config: { entryMaxBytes: REFERENCE_ENTRY_MAX_BYTES } });
    const message = envelope({
      deliveryId: "d".repeat(DELIVERY_ID_MAX_CHARS),
      payload: { kind: "inline", data: { blob: "x".repeat(10_000) } },
    });

    const response = await harness.route(sqsEvent([sqsRecord({ envelope: message })]));

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(harness.putDetails()[0].payloadRef).toMatchObject({ bucket: PAYLOAD_BUCKET });
  });
});
