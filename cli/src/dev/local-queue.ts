import { createHash, randomUUID } from "node:crypto";

/** Epoch milliseconds; tests pass a clock they move. */
export interface QueueClock {
  now(): number;
}

export interface LocalQueueSettings {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** How long a received message stays hidden before it is delivered again. */
  readonly visibilityTimeoutMs: number;
  /** SQS refuses a larger body (the queue's `max_message_size`). */
  readonly maxMessageBytes: number;
  /** SQS's redrive policy: a message received this many times goes to the dead-letter queue instead. */
  readonly redrive?: { readonly deadLetterQueue: LocalQueue; readonly maxReceiveCount: number };
  readonly clock?: QueueClock;
}

/** A message as a consumer receives it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** Lowercase hex MD5 of the body, as SQS returns it (the SDK checks it). */
  readonly md5OfBody: string;
  /** String message attributes (the validator sets webhookId and provider). */
  readonly attributes: Readonly<Record<string, string>>;
  /** How many times it has been received, this time included. */
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  visibleAt: number;
  receiptHandle: string | undefined;
  /** In a dead-letter queue: the queue it came from (where a move task returns it). */
  readonly deadLetteredFrom: LocalQueue | undefined;
}

/** One message move task of a dead-letter queue, as ListMessageMoveTasks reports it. */
export interface MoveTask {
  readonly taskHandle: string;
  readonly status: "COMPLETED";
  readonly sourceArn: string;
  readonly destinationArn: string | undefined;
  readonly moved: number;
  readonly toMove: number;
  readonly startedAt: number;
}

/** A request SQS would refuse as InvalidParameterValue; the local endpoint answers with that name. */
export class LocalQueueError extends Error {
  override readonly name = "InvalidParameterValue";
}

/**
 * An in-memory SQS standard queue: a received message is hidden for the visibility timeout and
 * delivered again unless deleted with its latest receipt handle; with a redrive policy, a message
 * already received `maxReceiveCount` times moves to the dead-letter queue the next time it would be
 * received, as SQS moves it. A dead-letter queue's messages go back with {@link startMoveTask}.
 */
export class LocalQueue {
  private readonly messages: StoredMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly tasks: MoveTask[] = [];
  private readonly clock: QueueClock;
  /** Called for each message moved to the dead-letter queue. */
  onDeadLetter: ((message: ReceivedMessage, deadLetterQueue: LocalQueue) => void) | undefined;

  constructor(readonly settings: LocalQueueSettings) {
    this.clock = settings.clock ?? { now: Date.now };
  }

  get name(): string {
    return this.settings.name;
  }

  /** Adds a message; returns its id and the MD5 of its body (what SendMessage answers). */
  send(
    body: string,
    attributes: Readonly<Record<string, string>> = {},
  ): { messageId: string; md5OfBody: string } {
    const bytes = Buffer.byteLength(body, "utf8");
    if (bytes > this.settings.maxMessageBytes) {
      throw new LocalQueueError(
        `the message is ${bytes} bytes, over queue ${this.name}'s limit of ${this.settings.maxMessageBytes}`,
      );
    }
    const message = this.store(body, attributes, undefined);
    return { messageId: message.messageId, md5OfBody: message.md5OfBody };
  }

  /**
   * Up to `max` visible messages, each hidden for `visibilityTimeoutMs` (default: the queue's);
   * messages over the redrive policy's receive count move to the dead-letter queue instead.
   */
  receiveNow(max: number, visibilityTimeoutMs = this.settings.visibilityTimeoutMs): ReceivedMessage[] {
    const now = this.clock.now();
    const received: ReceivedMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      const redrive = this.settings.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.remove(message);
        redrive.deadLetterQueue.store(message.body, message.attributes, this);
        this.onDeadLetter?.(this.view(message), redrive.deadLetterQueue);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + visibilityTimeoutMs;
      received.push(this.view(message));
    }
    return received;
  }

  /**
   * {@link receiveNow}, waiting up to `waitMs` for a message (SQS long polling); an aborted
   * `signal` ends the wait with what there is (nothing).
   */
  async receive(options: {
    readonly max: number;
    readonly waitMs: number;
    readonly visibilityTimeoutMs?: number;
    readonly signal?: AbortSignal;
  }): Promise<ReceivedMessage[]> {
    const deadline = this.clock.now() + options.waitMs;
    for (;;) {
      const received = this.receiveNow(options.max, options.visibilityTimeoutMs);
      const now = this.clock.now();
      if (received.length > 0 || now >= deadline || options.signal?.aborted) return received;
      await this.changed(Math.min(deadline - now, this.untilNextVisible(now)), options.signal);
    }
  }

  /** Deletes a received message; false when the handle is not its latest (received again since, or gone). */
  delete(receiptHandle: string): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) return false;
    this.remove(message);
    return true;
  }

  /** SQS's approximate counts: visible (waiting) and in flight (received, not deleted). */
  counts(): { readonly visible: number; readonly inFlight: number } {
    const now = this.clock.now();
    const inFlight = this.messages.filter((message) => message.visibleAt > now).length;
    return { visible: this.messages.length - inFlight, inFlight };
  }

  /**
   * Moves this dead-letter queue's visible messages back to the queues they came from (or to
   * `destination`), as new messages; the task completes at once.
   */
  startMoveTask(destination?: LocalQueue): MoveTask {
    const now = this.clock.now();
    const visible = this.messages.filter((message) => message.visibleAt <= now);
    if (!destination && visible.some((message) => !message.deadLetteredFrom)) {
      throw new LocalQueueError(
        `queue ${this.name} holds messages that were not dead-lettered: name a destination`,
      );
    }
    for (const message of visible) {
      this.remove(message);
      (destination ?? message.deadLetteredFrom!).store(message.body, message.attributes, undefined);
    }
    const task: MoveTask = {
      taskHandle: randomUUID(),
      status: "COMPLETED",
      sourceArn: this.settings.arn,
      destinationArn: destination?.settings.arn,
      moved: visible.length,
      toMove: visible.length,
      startedAt: now,
    };
    this.tasks.unshift(task);
    return task;
  }

  /** Move tasks of this queue, the latest first. */
  moveTasks(): readonly MoveTask[] {
    return this.tasks;
  }

  private store(
    body: string,
    attributes: Readonly<Record<string, string>>,
    deadLetteredFrom: LocalQueue | undefined,
  ): StoredMessage {
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash("md5").update(body, "utf8").digest("hex"),
      attributes,
      sentAt: this.clock.now(),
      receiveCount: 0,
      firstReceivedAt: undefined,
      visibleAt: this.clock.now(),
      receiptHandle: undefined,
      deadLetteredFrom,
    };
    this.messages.push(message);
    this.notify();
    return message;
  }

  private remove(message: StoredMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }

  private view(message: StoredMessage): ReceivedMessage {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? "",
      body: message.body,
      md5OfBody: message.md5OfBody,
      attributes: message.attributes,
      receiveCount: message.receiveCount,
      sentAt: message.sentAt,
      firstReceivedAt: message.firstReceivedAt ?? message.sentAt,
    };
  }

  /**
   * Milliseconds from `now` until the next message is visible (Infinity when the queue is empty):
   * 0 for one that became visible since it was last looked for, which a later clock reading than
   * the receive's would otherwise skip, leaving the receive asleep for its whole wait.
   */
  private untilNextVisible(now: number): number {
    return Math.max(0, Math.min(...this.messages.map((message) => message.visibleAt)) - now);
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private changed(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
