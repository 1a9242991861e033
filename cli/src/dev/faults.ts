import type { EventBus, RecordStore } from "../../../functions/router/ports";
import type { QueuePort, StorePort } from "../../../functions/validator/ports";
import { UsageError } from "../command";

/** Where `--fail <point>=<rate>` makes calls fail, and what a user then sees. */
export const FAULT_POINTS = {
  store:
    "a records-table call fails: the validator answers 503 (the sender retries), the router's batch comes back",
  enqueue: "the validator's send to the ingest queue fails: 503, the sender retries",
  bus: "a PutEvents entry fails: the router retries it, then SQS redelivers, then the ingest DLQ",
  forward: "a forward fails as if the consumer were down: redelivered, then the route's DLQ",
} as const;

export type FaultPoint = keyof typeof FAULT_POINTS;

export const FAULT_HELP = Object.entries(FAULT_POINTS)
  .map(([point, effect]) => `    ${point.padEnd(8)} ${effect}`)
  .join("\n");

/** What an injected failure throws: named, so logs show it was on purpose. */
export class InjectedFault extends Error {
  override readonly name = "InjectedFault";
}

/**
 * `--fail` values (`bus=0.5`, `forward=100%`), each point once, rates in 0..1.
 *
 * @example parseFaults(["bus=0.5", "forward=100%"]) // Map { "bus" => 0.5, "forward" => 1 }
 */
export function parseFaults(specs: readonly string[]): Map<FaultPoint, number> {
  const rates = new Map<FaultPoint, number>();
  for (const spec of specs) {
    const match = /^([a-z]+)=([0-9.]+)(%?)$/.exec(spec);
    const point = match?.[1] as FaultPoint | undefined;
    if (!match || !point || !(point in FAULT_POINTS)) {
      throw new UsageError(
        `--fail takes <point>=<rate> with a point of ${Object.keys(FAULT_POINTS).join(", ")}, got '${spec}'`,
      );
    }
    const rate = Number(match[2]) / (match[3] ? 100 : 1);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new UsageError(
        `--fail ${point}: the rate must be 0..1 or 0%..100%, got '${match[2]}${match[3]}'`,
      );
    }
    if (rates.has(point)) throw new UsageError(`--fail ${point} is given twice`);
    rates.set(point, rate);
  }
  return rates;
}

/** Decides, call by call, whether a point fails: with its rate's probability. */
export class FaultInjector {
  constructor(
    readonly rates: ReadonlyMap<FaultPoint, number>,
    private readonly random: () => number = Math.random,
  ) {}

  fails(point: FaultPoint): boolean {
    const rate = this.rates.get(point) ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** Throws an {@link InjectedFault} when the point fails this time. */
  check(point: FaultPoint): void {
    if (this.fails(point)) throw new InjectedFault(`injected by --fail ${point}=${this.rates.get(point)}`);
  }
}

/** The validator's records-table port, each call failing at the `store` rate. */
export function faultyStore(store: StorePort, faults: FaultInjector): StorePort {
  return {
    claim: guarded(faults, "store", (request) => store.claim(request)),
    markQueued: guarded(faults, "store", (webhookId, nowMs) => store.markQueued(webhookId, nowMs)),
    release: guarded(faults, "store", (webhookId, leaseUntil) => store.release(webhookId, leaseUntil)),
  };
}

/** The router's records-table port, each call failing at the `store` rate. */
export function faultyRecords(records: RecordStore, faults: FaultInjector): RecordStore {
  return {
    statuses: guarded(faults, "store", (webhookIds) => records.statuses(webhookIds)),
    markRouted: guarded(faults, "store", (webhookId, nowMs) => records.markRouted(webhookId, nowMs)),
  };
}

/** The validator's ingest-queue port, each send failing at the `enqueue` rate. */
export function faultyQueue(queue: QueuePort, faults: FaultInjector): QueuePort {
  return { send: guarded(faults, "enqueue", (message) => queue.send(message)) };
}

/** `call`, rejecting with an {@link InjectedFault} first when `point` fails. */
function guarded<A extends unknown[], R>(
  faults: FaultInjector,
  point: FaultPoint,
  call: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    faults.check(point);
    return call(...args);
  };
}

/** The router's bus port, each entry failing retryably (as EventBridge's InternalFailure) at the `bus` rate. */
export function faultyBus(bus: EventBus, faults: FaultInjector): EventBus {
  return {
    async putEvents(entries, signal) {
      const failing = entries.map(() => faults.fails("bus"));
      const passed = entries.filter((_, index) => !failing[index]);
      const results = passed.length > 0 ? [...(await bus.putEvents(passed, signal))] : [];
      return failing.map((fails) =>
        fails
          ? {
              ok: false,
              code: "InternalFailure",
              message: `injected by --fail bus=${faults.rates.get("bus")}`,
              retryable: true,
            }
          : results.shift()!,
      );
    },
  };
}
