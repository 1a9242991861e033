import { randomUUID } from "node:crypto";
import type { EventBus, PutResult } from "../../../functions/router/ports";
import type { CompiledPattern } from "../event-pattern";
import type { LocalQueue } from "./local-queue";

/** The account id local ARNs and events carry: no AWS account is involved. */
export const LOCAL_ACCOUNT = "000000000000";

/** A configured route: its rule's pattern, evaluated locally, and its consumer queue. */
export interface LocalRoute {
  readonly id: string;
  readonly pattern: CompiledPattern;
  readonly queue: LocalQueue;
}

/** An event as EventBridge delivers it to an SQS target (the message body a consumer reads). */
export interface BusEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface LocalBusOptions {
  readonly busName: string;
  readonly region: string;
  readonly routes: readonly LocalRoute[];
  /** Called for every accepted event with the ids of the routes it matched (maybe none). */
  readonly onEvent: (event: BusEvent, matched: readonly string[]) => void;
}

/**
 * The router's EventBus port over the configured routes: each entry becomes the event EventBridge
 * would make of it, every route whose pattern matches gets it on its queue, as the route's rule and
 * target would put it there. An entry for another bus fails like PutEvents on a missing bus.
 */
export function localBus(options: LocalBusOptions): EventBus {
  return {
    async putEvents(entries) {
      return entries.map((entry): PutResult => {
        if (entry.eventBusName !== options.busName) {
          return {
            ok: false,
            code: "ResourceNotFoundException",
            message: `Event bus ${entry.eventBusName} does not exist (the local bus is ${options.busName})`,
            retryable: false,
          };
        }
        const event: BusEvent = {
          version: "0",
          id: randomUUID(),
          "detail-type": entry.detailType,
          source: entry.source,
          account: LOCAL_ACCOUNT,
          // EventBridge keeps whole seconds.
          time: entry.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
          region: options.region,
          resources: [],
          detail: JSON.parse(entry.detail),
        };
        const matched = options.routes.filter((route) => route.pattern.matches(event));
        const body = JSON.stringify(event);
        for (const route of matched) route.queue.send(body);
        options.onEvent(
          event,
          matched.map((route) => route.id),
        );
        return { ok: true };
      });
    },
  };
}
