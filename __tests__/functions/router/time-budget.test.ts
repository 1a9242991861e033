import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { type LocalTable, startLocalTable } from "../../support/dynalite";
import { sqsEvent, sqsRecords } from "./support/factories";
import { routerHarness } from "./support/harness";

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

const throttleAll = (input: { Entries?: readonly unknown[] }) => ({
  FailedEntryCount: input.Entries?.length ?? 0,
  Entries: (input.Entries ?? []).map(() => ({
    ErrorCode: "ThrottlingException",
    ErrorMessage: "Rate exceeded",
  })),
});

test("with no time left beyond the safety margin, nothing is put and every message is reported", async () => {
  const harness = routerHarness(table);
  const records = sqsRecords(3);

  const response = await harness.route(sqsEvent(records), harness.config.safetyMarginMs);

  expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
    records.map((record) => record.messageId),
  );
  expect(harness.putCalls()).toHaveLength(0);
  expect(harness.counters.get("failed{reason=timeBudgetExhausted}")).toBe(3);
});

test("retries stop before the deadline: persistent throttling is reported, not retried past the time left", async () => {
  const harness = routerHarness(table, {
    config: { retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 100 } },
  });
  harness.eventBridge.on(PutEventsCommand).callsFake(throttleAll);
  const start = harness.clock.now();
  const remainingMs = 10_000;

  const response = await harness.route(sqsEvent(sqsRecords(2)), remainingMs);

  expect(response.batchItemFailures).toHaveLength(2);
  expect(harness.clock.now() - start).toBeLessThan(remainingMs - harness.config.safetyMarginMs);
  expect(harness.counters.get("failed{reason=timeBudgetExhausted}")).toBe(2);
  expect(harness.log.at("warn")[0]?.attributes.detail).toMatch(/ThrottlingException/);
});

test("time spent before the call counts: a slow table read leaves no time for PutEvents", async () => {
  const harness = routerHarness(table, {
    records: (store) => ({
      statuses: async (ids) => {
        harness.clock.advance(29_000);
        return store.statuses(ids);
      },
      markRouted: (id, now) => store.markRouted(id, now),
    }),
  });

  const response = await harness.route(sqsEvent(sqsRecords(2)));

  expect(response.batchItemFailures).toHaveLength(2);
  expect(harness.putCalls()).toHaveLength(0);
});

test("a call cut off by the deadline is reported as out of time, not retried", async () => {
  const harness = routerHarness(table);
  harness.eventBridge.on(PutEventsCommand).callsFake(() => {
    harness.clock.advance(30_000);
    throw Object.assign(new Error("Request aborted"), { name: "AbortError" });
  });

  const response = await harness.route(sqsEvent(sqsRecords(2)));

  expect(response.batchItemFailures).toHaveLength(2);
  expect(harness.putCalls()).toHaveLength(1);
  expect(harness.counters.get("failed{reason=timeBudgetExhausted}")).toBe(2);
});
