import type { RetryConfig } from "./config";
import { chunkForPutEvents } from "./entry";
import { type Failure, FailureReason } from "./failure";
import type { BusEntry, Clock, Counters, EventBus, PutResult } from "./ports";

export interface SizedEntry {
  readonly entry: BusEntry;
  readonly size: number;
}

export type PublishResult = { readonly ok: true } | ({ readonly ok: false } & Failure);

export interface PublishDeps {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly counters: Counters;
  /** In [0, 1); spreads retries of concurrent invocations apart. */
  readonly random: () => number;
  readonly entryMaxBytes: number;
  readonly retry: RetryConfig;
}

/**
 * Puts entries in as few PutEvents calls as the 10-entry and size budgets allow, then retries only
 * the entries that failed retryably, with exponential backoff and full jitter, while attempts and
 * time before `deadline` remain. Returns one result per entry, in order; never throws for an AWS
 * error, so entries that did reach the bus are always known.
 *
 * @example await publish([{ entry, size: entrySize(entry) }], clock.now() + 25_000, deps)
 */
export async function publish(
  items: readonly SizedEntry[],
  deadline: number,
  deps: PublishDeps,
): Promise<PublishResult[]> {
  const results: PublishResult[] = new Array(items.length);
  const lastError = new Map<number, Extract<PutResult, { ok: false }>>();
  let pending = items.map((_, index) => index);

  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      const delay = backoffDelay(attempt - 1, deps.retry, deps.random);
      if (deps.clock.now() + delay >= deadline) break;
      await deps.clock.sleep(delay);
      deps.counters.count("putEventsRetries", pending.length);
    }
    const remaining = deadline - deps.clock.now();
    if (remaining <= 0) break;

    const signal = AbortSignal.timeout(remaining);
    const chunks = chunkForPutEvents(pending, (index) => items[index]!.size, deps.entryMaxBytes);
    deps.counters.count("putEventsCalls", chunks.length);
    const outcomes = await Promise.all(
      chunks.map((chunk) =>
        deps.bus.putEvents(
          chunk.map((index) => items[index]!.entry),
          signal,
        ),
      ),
    );

    const retry: number[] = [];
    chunks.forEach((chunk, c) => {
      chunk.forEach((index, position) => {
        const outcome = outcomes[c]![position]!;
        if (outcome.ok) {
          results[index] = outcome;
        } else if (outcome.retryable && attempt < deps.retry.maxAttempts) {
          lastError.set(index, outcome);
          retry.push(index);
        } else {
          results[index] = {
            ok: false,
            reason: outcome.retryable
              ? FailureReason.putEventsRetriesExhausted
              : FailureReason.putEventsRejected,
            detail: `${outcome.code}: ${outcome.message}`,
          };
        }
      });
    });
    pending = retry;
  }

  for (const index of pending) {
    const error = lastError.get(index);
    results[index] = {
      ok: false,
      reason: FailureReason.timeBudgetExhausted,
      detail: error ? `last error ${error.code}: ${error.message}` : "no time left to call PutEvents",
    };
  }
  return results;
}

/** Full jitter: uniform in [0, min(max, base·2^(retry−1))). */
function backoffDelay(retry: number, config: RetryConfig, random: () => number): number {
  return Math.floor(random() * Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (retry - 1)));
}
