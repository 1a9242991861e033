import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { type IndexShape, itemBytes, writeUnits } from "../../bench/support/dynamo-units";

const INDEXES: readonly IndexShape[] = [
  { name: "byProviderDay", partitionKey: "providerDay", sortKey: "receivedAt", projection: "KEYS_ONLY" },
  { name: "byPendingDay", partitionKey: "pendingDay", sortKey: "receivedAt", projection: "KEYS_ONLY" },
];

const s = (value: string): AttributeValue => ({ S: value });
const claimed = {
  webhookId: s("wh_1"),
  status: s("RECEIVED"),
  receivedAt: s("2026-11-23T12:00:00.000Z"),
  providerDay: s("stripe#2026-11-23"),
  pendingDay: s("2026-11-23#a"),
};

describe("write units charged by DynamoDB's rules", () => {
  test("a new item with both index keys costs the item plus one write per index", () => {
    expect(writeUnits(undefined, claimed, INDEXES)).toEqual({
      table: 1,
      indexes: { byProviderDay: 1, byPendingDay: 1 },
      total: 3,
    });
  });

  test("an update that touches no index key costs the item only (KEYS_ONLY)", () => {
    expect(writeUnits(claimed, { ...claimed, status: s("QUEUED") }, INDEXES).total).toBe(1);
  });

  test("removing a sparse index key costs one index write", () => {
    const { pendingDay: _removed, ...routed } = claimed;
    expect(writeUnits(claimed, { ...routed, status: s("ROUTED") }, INDEXES)).toEqual({
      table: 1,
      indexes: { byPendingDay: 1 },
      total: 2,
    });
  });

  test("changing an index key costs a delete and a put in that index", () => {
    const moved = { ...claimed, providerDay: s("stripe#2026-11-24") };
    expect(writeUnits(claimed, moved, INDEXES).indexes).toEqual({ byProviderDay: 2 });
  });

  test("an ALL-projection index is written again on any change while the item is in it", () => {
    const all: IndexShape[] = [
      { name: "byDay", partitionKey: "providerDay", sortKey: "receivedAt", projection: "ALL" },
    ];
    expect(writeUnits(claimed, { ...claimed, status: s("QUEUED") }, all)).toEqual({
      table: 1,
      indexes: { byDay: 1 },
      total: 2,
    });
  });

  test("the table charges the larger of the two images per started KB", () => {
    const large = { ...claimed, note: s("x".repeat(1500)) };
    expect(itemBytes(large)).toBeGreaterThan(1024);
    expect(writeUnits(large, claimed, INDEXES).table).toBe(2);
  });
});
