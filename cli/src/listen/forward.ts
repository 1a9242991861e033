/** A local server that has not answered in this long is treated like one that refused. */
const FORWARD_TIMEOUT_MS = 10_000;

/** The fields of an EventBridge event the output shows; missing ones print as `-`. */
export interface EventSummary {
  readonly id: string | undefined;
  readonly time: string | undefined;
  readonly source: string | undefined;
  readonly detailType: string | undefined;
  readonly webhookId: string | undefined;
}

/** Reads what the output needs from a message body (the event as EventBridge delivered it). */
export function summarizeEvent(body: string): EventSummary {
  let event: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null) event = parsed;
  } catch {}
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    id: text(event.id),
    time: text(event.time),
    source: text(event.source),
    detailType: text(event["detail-type"]),
    webhookId: text(detail.webhookId),
  };
}

export type ForwardOutcome =
  | { readonly delivered: boolean; readonly status: number; readonly ms: number }
  | { readonly delivered: false; readonly error: string; readonly ms: number };

/**
 * POSTs the event, exactly as the route's consumers would read it from their queue, to the local
 * URL with its id and webhook id as headers. Delivered means a 2xx; anything else, a connection
 * error or a timeout is not.
 */
export async function forwardEvent(
  fetcher: typeof fetch,
  url: URL,
  body: string,
  event: EventSummary,
  clock: () => number,
  abortSignal: AbortSignal,
): Promise<ForwardOutcome> {
  const started = clock();
  try {
    const response = await fetcher(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(event.id ? { "x-event-id": event.id } : {}),
        ...(event.webhookId ? { "x-webhook-id": event.webhookId } : {}),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.any([abortSignal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]),
    });
    await response.arrayBuffer();
    return {
      delivered: response.status >= 200 && response.status < 300,
      status: response.status,
      ms: clock() - started,
    };
  } catch (error) {
    return { delivered: false, error: fetchFailure(error), ms: clock() - started };
  }
}

/** `ECONNREFUSED`, `timed out after 10 s`, …: why fetch failed, from its cause when it has one. */
function fetchFailure(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: unknown };
  if (name === "TimeoutError") return `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`;
  if (name === "AbortError") return "stopped before an answer";
  const { code, message: causeMessage } = (cause ?? {}) as { code?: string; message?: string };
  return code ?? causeMessage ?? message ?? String(error);
}
