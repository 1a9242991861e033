import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { EventBus, PutResult } from "../ports";

/** Per-entry codes EventBridge documents as transient; every other code fails the same way again. */
const RETRYABLE_ENTRY_CODES = new Set(["InternalFailure", "ThrottlingException"]);

/**
 * PutEvents on a custom bus. Give it a client with `maxAttempts: 1`: the SDK retries only calls
 * that failed as a whole, never failed entries of a 200 answer, so the router owns all retries;
 * SDK retries on top would multiply attempts and spend time its budget does not see.
 */
export function eventBridgeBus(client: EventBridgeClient): EventBus {
  return {
    async putEvents(entries, signal) {
      try {
        const output = await client.send(
          new PutEventsCommand({
            Entries: entries.map((entry) => ({
              Source: entry.source,
              DetailType: entry.detailType,
              Detail: entry.detail,
              Time: entry.time,
              EventBusName: entry.eventBusName,
            })),
          }),
          { abortSignal: signal },
        );
        return entries.map((_, index): PutResult => {
          const result = output.Entries?.[index];
          if (result?.EventId && !result.ErrorCode) return { ok: true };
          const code = result?.ErrorCode ?? "InternalFailure";
          return {
            ok: false,
            code,
            message: result?.ErrorMessage ?? "no event id in the PutEvents response",
            retryable: RETRYABLE_ENTRY_CODES.has(code),
          };
        });
      } catch (error) {
        const failure: PutResult = { ok: false, ...callError(error) };
        return entries.map(() => failure);
      }
    },
  };
}

/**
 * A whole call that failed: throttling, 5xx and errors without an HTTP answer (network, timeout,
 * the router's own deadline, which its retry loop then sees) may pass on retry; other 4xx will not.
 */
function callError(error: unknown): { code: string; message: string; retryable: boolean } {
  const {
    name = "Error",
    message = String(error),
    $metadata,
  } = (error ?? {}) as Partial<Error> & { $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  const retryable = name === "ThrottlingException" || status === undefined || status === 429 || status >= 500;
  return { code: name, message, retryable };
}
