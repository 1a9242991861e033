import {
  EXPECTED_WRITE_UNITS,
  LARGEST_DELIVERY,
  measureTableUnits,
  recordIndexes,
} from "../../bench/sections/write-units";
import { synthStack } from "../support/synth";

// The real validator and router adapters on dynalite, charged by DynamoDB's rules against the
// indexes the synthesized stack declares: a write or an index entry added per webhook shows here.

const { doc } = synthStack();
const WEBHOOKS = 20;

test("a webhook costs exactly the write units the bench expects, step by step", async () => {
  const units = await measureTableUnits(doc, WEBHOOKS);
  expect(units.writesByStep).toEqual(EXPECTED_WRITE_UNITS);
  expect(units.indexWrites).toEqual({});
});

test("the expected units meet the goal: at most 3 write units a webhook", () => {
  expect(Object.values(EXPECTED_WRITE_UNITS).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
});

test("every record stays under 1 KB, so each write is one unit", async () => {
  const units = await measureTableUnits(doc, WEBHOOKS);
  expect(units.itemBytes).toBeLessThan(1024);
  expect(units.itemWritesPerWebhook).toBe(3);
});

test("the largest record the validator accepts (provider id, delivery id, event type at their limits, content digest) still costs one unit a write", async () => {
  const units = await measureTableUnits(doc, 3, LARGEST_DELIVERY);
  expect(units.writesByStep).toEqual(EXPECTED_WRITE_UNITS);
  expect(units.itemBytes).toBeLessThan(1024);
});

test("an index added to the table's definition is charged on every write that moves its key", async () => {
  const indexed = structuredClone(doc);
  const table = Object.values(indexed.resource.aws_dynamodb_table)[0] as Record<string, unknown>;
  table.global_secondary_index = [
    { name: "byStatus", hash_key: "status", range_key: "receivedAt", projection_type: "KEYS_ONLY" },
  ];
  expect(recordIndexes(indexed)).toEqual([
    { name: "byStatus", partitionKey: "status", sortKey: "receivedAt", projection: "KEYS_ONLY" },
  ]);
  const units = await measureTableUnits(indexed, WEBHOOKS);
  // the claim puts an entry (1), each status change moves it (delete + put, 2)
  expect(units.writesByStep).toEqual({ claim: 2, "mark QUEUED": 3, "mark ROUTED": 3 });
  expect(units.writesByStep).not.toEqual(EXPECTED_WRITE_UNITS);
});
