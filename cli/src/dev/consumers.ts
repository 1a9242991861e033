import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { createRouterHandler } from "../../../functions/router/handler";
import { type ForwardOutcome, forwardEvent, summarizeEvent } from "../listen/forward";
import type { FaultInjector } from "./faults";
import type { LocalQueue, ReceivedMessage } from "./local-queue";
import type { DevLog } from "./log";

/** A long poll's wait: consumers wake at once for a message, and stop when the server stops. */
const POLL_WAIT_MS = 20_000;

export interface RouterSourceOptions {
  readonly queue: LocalQueue;
  readonly route: ReturnType<typeof createRouterHandler>;
  /** Messages per invocation (the event source mapping's batch size). */
  readonly batchSize: number;
  /** The router function's timeout: what each invocation's context reports remaining at its start. */
  readonly timeoutMs: number;
  readonly region: string;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

/**
 * Lambda's SQS event source mapping: receives batches from the ingest queue, invokes the router
 * with them, deletes the messages it did not report failed (ReportBatchItemFailures), and leaves
 * all of them when it throws; what is left comes back after the visibility timeout.
 */
export async function runRouterSource(options: RouterSourceOptions): Promise<void> {
  const { queue, signal } = options;
  while (!signal.aborted) {
    const messages = await queue.receive({ max: options.batchSize, waitMs: POLL_WAIT_MS, signal });
    if (messages.length === 0) continue;
    const started = options.now();
    const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, queue, options.region)) };
    let failed: ReadonlySet<string>;
    try {
      const result = await options.route(event, {
        getRemainingTimeInMillis: () => options.timeoutMs - (options.now() - started),
      });
      failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      // The router logged why; Lambda retries the whole batch.
      failed = new Set(messages.map((message) => message.messageId));
    }
    for (const message of messages) if (!failed.has(message.messageId)) queue.delete(message.receiptHandle);
  }
}

/** A message as Lambda's SQS event source hands it to the function. */
export function sqsRecord(message: ReceivedMessage, queue: LocalQueue, region: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: "webhooks-dev",
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([name, value]) => [
        name,
        { stringValue: value, dataType: "String", stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: message.md5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: queue.settings.arn,
    awsRegion: region,
  };
}

export interface ForwarderOptions {
  readonly routeId: string;
  readonly queue: LocalQueue;
  /** Where the route's events are POSTed; without one they are printed and deleted. */
  readonly target: URL | undefined;
  /** The route queue's maxReceiveCount, for the log line. */
  readonly maxReceiveCount: number;
  readonly fetch: typeof fetch;
  readonly faults: FaultInjector;
  readonly log: DevLog;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

/**
 * A route's consumer: each event of the route queue is POSTed to the target as `webhooks listen`
 * POSTs it and deleted after a 2xx; any other answer leaves it for the queue to deliver again after
 * its visibility timeout, and to dead-letter after maxReceiveCount receives, as SQS does to a
 * consumer that fails. One event at a time.
 */
export async function runForwarder(options: ForwarderOptions): Promise<void> {
  const { queue, signal, target } = options;
  while (!signal.aborted) {
    const [message] = await queue.receive({ max: 1, waitMs: POLL_WAIT_MS, signal });
    if (!message) continue;
    if (!target) {
      options.log.printed(options.routeId, message.body);
      queue.delete(message.receiptHandle);
      continue;
    }
    const outcome: ForwardOutcome = options.faults.fails("forward")
      ? {
          delivered: false,
          error: `injected by --fail forward=${options.faults.rates.get("forward")}`,
          ms: 0,
        }
      : await forwardEvent(
          options.fetch,
          target,
          message.body,
          summarizeEvent(message.body),
          options.now,
          signal,
        );
    // Stopping mid-forward: the message stays, as it would in SQS.
    if (signal.aborted && !outcome.delivered) return;
    options.log.forwarded(options.routeId, message.body, outcome, {
      count: message.receiveCount,
      max: options.maxReceiveCount,
      againInMs: queue.settings.visibilityTimeoutMs,
    });
    if (outcome.delivered) queue.delete(message.receiptHandle);
  }
}
