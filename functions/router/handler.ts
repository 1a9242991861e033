import { type Envelope, EnvelopeError, parseEnvelope, RecordStatus } from "@webhooks/shared";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { RouterConfig } from "./config";
import { describeError, type Failure, FailureReason } from "./failure";
import { isFifoBatch, withGroupOrder } from "./fifo";
import type { BlobStore, Clock, Counters, EventBus, InvocationContext, Log, RecordStore } from "./ports";
import { type Prepared, prepareEntry } from "./prepare";
import { publish } from "./publish";

export interface RouterDeps {
  readonly records: RecordStore;
  readonly bus: EventBus;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly logger: Log;
  readonly counters: Counters;
  readonly config: RouterConfig;
  /** Backoff jitter source. @default Math.random */
  readonly random?: () => number;
}

interface Message {
  readonly record: SQSRecord;
  readonly envelope: Envelope;
}

type Ready = Message & Extract<Prepared, { ok: true }>;

/**
 * The router: SQS batch in, events on the bus, partial batch response out. A message is reported
 * failed (so SQS redelivers it and, after maxReceiveCount, moves it to the DLQ) when it cannot be
 * parsed, its payload cannot be loaded, or its entry did not reach the bus; messages whose record
 * is already ROUTED, and later copies of a webhook routed in the same batch, are acknowledged
 * without a second event. Only an error outside per-message handling (reading the table) rejects,
 * which fails the whole batch before anything was put.
 *
 * @example export const handler = createRouterHandler({ records, bus, blobs, clock, logger, counters, config });
 */
export function createRouterHandler(deps: RouterDeps) {
  return async function route(event: SQSEvent, context: InvocationContext): Promise<SQSBatchResponse> {
    const deadline = deps.clock.now() + context.getRemainingTimeInMillis() - deps.config.safetyMarginMs;
    try {
      return await routeBatch(event.Records, deadline, deps);
    } catch (error) {
      deps.logger.error("batch failed; all its messages will be redelivered", {
        records: event.Records.length,
        error: describeError(error),
      });
      throw error;
    } finally {
      deps.counters.publish();
    }
  };
}

async function routeBatch(
  records: readonly SQSRecord[],
  deadline: number,
  deps: RouterDeps,
): Promise<SQSBatchResponse> {
  const fifo = isFifoBatch(records);
  // In a FIFO batch, a message after a failed one of its group is reported, never put.
  const blocking = (failures: ReadonlyMap<string, Failure>) =>
    fifo ? withGroupOrder(records, failures) : failures;
  const failures = new Map<string, Failure>();

  const messages: Message[] = [];
  for (const record of records) {
    try {
      messages.push({ record, envelope: parseEnvelope(record.body) });
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      failures.set(record.messageId, { reason: FailureReason.malformedEnvelope, detail: error.message });
    }
  }

  const statuses = await deps.records.statuses(messages.map((message) => message.envelope.webhookId));
  const alreadyRouted = messages.filter(
    (message) => statuses.get(message.envelope.webhookId) === RecordStatus.Routed,
  );
  for (const message of alreadyRouted) deps.logger.info("already routed; not put again", logKeys(message));

  // Two copies of one webhook can share a batch (a SendMessage whose answer was lost and the
  // sender's retry, or SQS's at-least-once delivery); the status read above cannot tell them apart,
  // so only the first is put and the others share its fate.
  const firstCopy = new Map<string, Message>();
  const laterCopies: Message[] = [];
  for (const message of messages) {
    if (alreadyRouted.includes(message)) continue;
    if (firstCopy.has(message.envelope.webhookId)) laterCopies.push(message);
    else firstCopy.set(message.envelope.webhookId, message);
  }

  const blockedBeforePrepare = blocking(failures);
  const toPrepare = [...firstCopy.values()].filter(
    (message) => !blockedBeforePrepare.has(message.record.messageId),
  );
  const signal = AbortSignal.timeout(Math.max(0, deadline - deps.clock.now()));
  const prepared = await Promise.all(
    toPrepare.map((message) => prepareEntry(message.envelope, deps.blobs, deps.config, signal)),
  );
  const ready: Ready[] = [];
  prepared.forEach((result, index) => {
    const message = toPrepare[index]!;
    if (result.ok) ready.push({ ...message, ...result });
    else failures.set(message.record.messageId, { reason: result.reason, detail: result.detail });
  });

  const blockedBeforePut = blocking(failures);
  const toPut = ready.filter((item) => !blockedBeforePut.has(item.record.messageId));
  const results = await publish(toPut, deadline, {
    bus: deps.bus,
    clock: deps.clock,
    counters: deps.counters,
    random: deps.random ?? Math.random,
    entryMaxBytes: deps.config.entryMaxBytes,
    retry: deps.config.retry,
  });
  const routed: Ready[] = [];
  results.forEach((result, index) => {
    const item = toPut[index]!;
    if (result.ok) routed.push(item);
    else failures.set(item.record.messageId, { reason: result.reason, detail: result.detail });
  });

  await Promise.all(routed.map((item) => markRouted(item, statuses.has(item.envelope.webhookId), deps)));

  const notRouted = blocking(failures);
  for (const copy of laterCopies) {
    const first = firstCopy.get(copy.envelope.webhookId)!.record.messageId;
    if (notRouted.has(first)) {
      failures.set(copy.record.messageId, {
        reason: FailureReason.copyNotRouted,
        detail: `message ${first}, the first copy in this batch, was not routed`,
      });
    } else deps.logger.info("copy of a webhook routed in this batch; not put again", logKeys(copy));
  }
  const reported = blocking(failures);
  const skippedCopies = laterCopies.filter((copy) => !reported.has(copy.record.messageId));
  report(records, messages, reported, { routed, alreadyRouted, skippedCopies }, deps);
  return {
    batchItemFailures: records
      .filter((record) => reported.has(record.messageId))
      .map((record) => ({ itemIdentifier: record.messageId })),
  };
}

/**
 * A failed mark is logged and counted but the message is acknowledged: its event is on the bus, and
 * reporting it would put a duplicate. The record stays QUEUED, so `webhooks status --pending` lists it.
 */
async function markRouted(item: Ready, recordExisted: boolean, deps: RouterDeps): Promise<void> {
  if (!recordExisted) {
    // The record expired; one created since belongs to a newer delivery of the same id, not this event.
    deps.logger.info("routed a message whose record has expired; no record to mark", logKeys(item));
    deps.counters.count("routedWithoutRecord", 1);
    return;
  }
  try {
    if (!(await deps.records.markRouted(item.envelope.webhookId, deps.clock.now()))) {
      deps.logger.info("record expired while routing; nothing to mark", logKeys(item));
    }
  } catch (error) {
    deps.logger.error("routed, but could not mark the record ROUTED", {
      ...logKeys(item),
      error: describeError(error),
    });
    deps.counters.count("markRoutedFailed", 1);
  }
}

function report(
  records: readonly SQSRecord[],
  messages: readonly Message[],
  failures: ReadonlyMap<string, Failure>,
  done: {
    readonly routed: readonly Ready[];
    readonly alreadyRouted: readonly Message[];
    readonly skippedCopies: readonly Message[];
  },
  deps: RouterDeps,
): void {
  const byReason = new Map<string, number>();
  for (const record of records) {
    const failure = failures.get(record.messageId);
    if (!failure) continue;
    const message = messages.find((candidate) => candidate.record === record);
    deps.logger.warn("message not routed; reported for redelivery", {
      ...(message ? logKeys(message) : { messageId: record.messageId }),
      reason: failure.reason,
      detail: failure.detail,
      receiveCount: record.attributes.ApproximateReceiveCount,
    });
    byReason.set(failure.reason, (byReason.get(failure.reason) ?? 0) + 1);
  }
  const { routed, alreadyRouted, skippedCopies } = done;
  deps.counters.count("routed", routed.length);
  deps.counters.count("routedByReference", routed.filter((item) => item.payload === "reference").length);
  deps.counters.count(
    "claimCheckedByRouter",
    routed.filter((item) => item.payload === "routerClaimCheck").length,
  );
  deps.counters.count("skippedAlreadyRouted", alreadyRouted.length);
  deps.counters.count("skippedCopies", skippedCopies.length);
  deps.counters.count("failed", failures.size);
  // No summary line: the counters above are the batch's one EMF line, and it carries these figures.
  for (const [reason, count] of byReason) deps.counters.count("failed", count, { reason });
}

function logKeys(message: Message): Record<string, string> {
  return {
    messageId: message.record.messageId,
    webhookId: message.envelope.webhookId,
    provider: message.envelope.provider,
  };
}
