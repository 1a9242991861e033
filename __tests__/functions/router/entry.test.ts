import fc from "fast-check";
import {
  busEntry,
  chunkForPutEvents,
  entrySize,
  MAX_ENTRIES_PER_CALL,
} from "../../../functions/router/entry";
import { envelope } from "./support/factories";

const settings = { eventBusName: "wh-test-bus", sourcePrefix: "webhooks" };

test("entry size is 14 bytes for Time plus the UTF-8 bytes of Source, DetailType and Detail", () => {
  const entry = busEntry(
    envelope({ provider: "shopify", eventType: "orders/créé" }),
    { data: "€" },
    settings,
  );

  expect(entrySize(entry)).toBe(
    14 +
      Buffer.byteLength("webhooks.shopify") +
      Buffer.byteLength("orders/créé") +
      Buffer.byteLength(entry.detail),
  );
  expect(Buffer.byteLength("orders/créé")).toBe(13);
});

test("the bus name does not count toward the entry size", () => {
  const message = envelope();
  const short = busEntry(message, { data: 1 }, settings);
  const long = busEntry(message, { data: 1 }, { ...settings, eventBusName: "b".repeat(200) });

  expect(entrySize(long)).toBe(entrySize(short));
});

test("25 small entries go out in calls of 10, 10 and 5", () => {
  const chunks = chunkForPutEvents(
    Array.from({ length: 25 }, (_, i) => i),
    () => 100,
    262_144,
  );

  expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
});

test("chunks keep order, hold at most 10 entries and stay within the byte budget", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 60 }),
      fc.integer({ min: 1_000, max: 5_000 }),
      (sizes, budget) => {
        const chunks = chunkForPutEvents(sizes, (size) => size, budget);

        expect(chunks.flat()).toEqual(sizes);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_CALL);
          expect(chunk.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(budget);
        }
      },
    ),
  );
});
