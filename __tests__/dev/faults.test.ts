import {
  FaultInjector,
  faultyBus,
  faultyQueue,
  faultyRecords,
  faultyStore,
  InjectedFault,
  parseFaults,
} from "../../cli/src/dev/faults";
import type { BusEntry, EventBus, RecordStore } from "../../functions/router/ports";
import type { QueuePort, StorePort } from "../../functions/validator/ports";

test.each([
  [["bus=0.5"], [["bus", 0.5]]],
  [["forward=100%"], [["forward", 1]]],
  [
    ["store=0", "enqueue=25%"],
    [
      ["store", 0],
      ["enqueue", 0.25],
    ],
  ],
])("parseFaults(%j) reads each point's rate", (specs, rates) => {
  expect([...parseFaults(specs)]).toEqual(rates);
});

test.each([
  ["disk=0.5", "--fail takes <point>=<rate> with a point of store, enqueue, bus, forward, got 'disk=0.5'"],
  ["bus", "--fail takes <point>=<rate> with a point of store, enqueue, bus, forward, got 'bus'"],
  ["bus=1.5", "--fail bus: the rate must be 0..1 or 0%..100%, got '1.5'"],
  ["bus=150%", "--fail bus: the rate must be 0..1 or 0%..100%, got '150%'"],
])("parseFaults refuses %s", (spec, message) => {
  expect(() => parseFaults([spec])).toThrow(message);
});

test("a point given twice is refused", () => {
  expect(() => parseFaults(["bus=1", "bus=0"])).toThrow("--fail bus is given twice");
});

test("a point fails when the random draw is below its rate, and never at rate 0 or without a rate", () => {
  const draws = [0.1, 0.9, 0];
  const faults = new FaultInjector(
    new Map([
      ["bus", 0.5],
      ["store", 0],
    ]),
    () => draws.shift()!,
  );

  expect([faults.fails("bus"), faults.fails("bus"), faults.fails("store"), faults.fails("forward")]).toEqual([
    true,
    false,
    false,
    false,
  ]);
});

const always = (point: "store" | "enqueue" | "bus") => new FaultInjector(new Map([[point, 1]]));

test("a failing enqueue rejects with an injected fault and sends nothing", async () => {
  const send = jest.fn<ReturnType<QueuePort["send"]>, Parameters<QueuePort["send"]>>();
  const queue = faultyQueue({ send }, always("enqueue"));

  await expect(queue.send({ body: "{}", webhookId: "wh_1", provider: "stripe" })).rejects.toThrow(
    new InjectedFault("injected by --fail enqueue=1"),
  );
  expect(send).not.toHaveBeenCalled();
});

test("a failing store fails the validator's claim and the router's status read before they reach the table", async () => {
  const store: StorePort = { claim: jest.fn(), markQueued: jest.fn(), release: jest.fn() };
  const records: RecordStore = { statuses: jest.fn(), markRouted: jest.fn() };
  const request = {
    webhookId: "wh_1",
    provider: "stripe",
    deliveryId: "evt_1",
    eventType: "x",
    receivedAt: "2026-01-01T00:00:00.000Z",
    nowMs: 0,
    leaseUntil: 1,
    expiresAt: 2,
    contentDigest: "0".repeat(64),
  };

  await expect(faultyStore(store, always("store")).claim(request)).rejects.toBeInstanceOf(InjectedFault);
  await expect(faultyRecords(records, always("store")).statuses(["wh_1"])).rejects.toBeInstanceOf(
    InjectedFault,
  );
  expect(store.claim).not.toHaveBeenCalled();
  expect(records.statuses).not.toHaveBeenCalled();
});

test("a failing bus fails the drawn entries retryably and puts the others, results in entry order", async () => {
  const put: BusEntry[][] = [];
  const bus: EventBus = {
    async putEvents(entries) {
      put.push([...entries]);
      return entries.map(() => ({ ok: true }) as const);
    },
  };
  const draws = [0.9, 0.1, 0.9];
  const entry = (detail: string): BusEntry => ({
    source: "webhooks.stripe",
    detailType: "x",
    detail,
    time: new Date(0),
    eventBusName: "bus",
  });

  const results = await faultyBus(
    bus,
    new FaultInjector(new Map([["bus", 0.5]]), () => draws.shift()!),
  ).putEvents([entry("a"), entry("b"), entry("c")], new AbortController().signal);

  expect(results).toEqual([
    { ok: true },
    { ok: false, code: "InternalFailure", message: "injected by --fail bus=0.5", retryable: true },
    { ok: true },
  ]);
  expect(put.map((entries) => entries.map((e) => e.detail))).toEqual([["a", "c"]]);
});
