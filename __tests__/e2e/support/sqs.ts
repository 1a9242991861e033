import { createHash } from "node:crypto";
import type { SendMessageCommandInput } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { VirtualClock } from "./world";

export const QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:wh-e2e-ingest";
export const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/wh-e2e-ingest";
/**
 * SQS allows #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF in a message; others
 * are refused (InvalidMessageContents) or, in newer revisions of its API reference, replaced with
 * U+FFFD. Either way the body is not kept: the simulation refuses.
 */
const NOT_ALLOWED_IN_A_MESSAGE = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface QueueSettings {
  /** The queue's `max_message_size`, body plus attributes. */
  readonly maxMessageBytes: number;
  /** Receives before the redrive policy moves a message to the DLQ (the stack's default, 3). */
  readonly maxReceiveCount: number;
  /** 6 × the router's 30 s timeout (+ the batching window), as the stack sizes it. */
  readonly visibilityTimeoutMs: number;
  /** The event source mapping's batch size (10). */
  readonly batchSize: number;
  /**
   * A standard queue delivers at least once: a deleted message may come back from a server that
   * missed the delete. When true, every message the router deletes is delivered once more, after
   * the originals are drained (never in the same batch as itself).
   */
  readonly atLeastOnceCopies: boolean;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly webhookId: string;
  readonly provider: string;
  readonly sentAt: number;
  /** A standard queue's extra copy of an already deleted message. */
  readonly copy: boolean;
  receiveCount: number;
  visibleAt: number;
}

/** What happened to a message on one receive. */
export interface Receive {
  readonly messageId: string;
  readonly webhookId: string;
  readonly receiveCount: number;
  readonly copy: boolean;
  readonly outcome: "deleted" | "reported" | "invocationFailed";
}

export type RouterFunction = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * The ingest queue, its DLQ and the Lambda event source mapping: SendMessage stores a message;
 * {@link drain} hands visible messages to the router in batches, deletes what it acknowledged,
 * keeps reported items and whole failed invocations invisible for the visibility timeout, then
 * redelivers them with ApproximateReceiveCount + 1, and moves a message that has been received
 * `maxReceiveCount` times to the DLQ instead of receiving it again.
 */
export class SqsSimulation {
  /** Every message SQS ever accepted (copies excluded). */
  readonly accepted: QueuedMessage[] = [];
  readonly dlq: QueuedMessage[] = [];
  readonly receives: Receive[] = [];
  /** True while only SQS's extra copies are being delivered (the originals are all done). */
  deliveringCopies = false;
  /** Router invocations, and how many of them failed as a whole. */
  invocations = 0;
  failedInvocations = 0;
  /** Protocol violations a real queue would have refused. */
  readonly violations: string[] = [];
  private queue: QueuedMessage[] = [];
  private copies: QueuedMessage[] = [];
  private sequence = 0;

  constructor(
    private readonly clock: VirtualClock,
    readonly settings: QueueSettings,
  ) {}

  /** SendMessage, as SQS answers it (the fault plan is applied by the caller). */
  send(input: SendMessageCommandInput): { MessageId: string; MD5OfMessageBody: string } {
    const body = input.MessageBody ?? "";
    const attributes = input.MessageAttributes ?? {};
    const size =
      Buffer.byteLength(body) +
      Object.entries(attributes).reduce(
        (sum, [name, value]) =>
          sum +
          Buffer.byteLength(name) +
          Buffer.byteLength(value.DataType ?? "") +
          Buffer.byteLength(value.StringValue ?? ""),
        0,
      );
    if (input.QueueUrl !== QUEUE_URL) this.violations.push(`SendMessage to ${input.QueueUrl}`);
    if (NOT_ALLOWED_IN_A_MESSAGE.test(body)) {
      this.violations.push("SendMessage with a character SQS does not allow");
      throw Object.assign(new Error("InvalidMessageContents: invalid characters"), {
        name: "InvalidMessageContents",
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (size > this.settings.maxMessageBytes) {
      this.violations.push(`SendMessage of ${size} bytes over the queue's ${this.settings.maxMessageBytes}`);
      throw Object.assign(new Error("InvalidParameterValue: message too long"), {
        name: "InvalidParameterValue",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const message: QueuedMessage = {
      messageId: `m-${String(++this.sequence).padStart(3, "0")}`,
      body,
      webhookId: attributes.webhookId?.StringValue ?? "",
      provider: attributes.provider?.StringValue ?? "",
      sentAt: this.clock.now(),
      copy: false,
      receiveCount: 0,
      visibleAt: this.clock.now(),
    };
    this.accepted.push(message);
    this.queue.push(message);
    return { MessageId: message.messageId, MD5OfMessageBody: createHash("md5").update(body).digest("hex") };
  }

  /** Messages still in the queue (visible or in flight). */
  get depth(): number {
    return this.queue.length + this.copies.length;
  }

  /**
   * Runs the event source mapping until the queue is empty: every message deleted or in the DLQ.
   * Time moves forward to each redelivery.
   */
  async drain(route: RouterFunction): Promise<void> {
    for (let round = 0; ; round++) {
      if (round > 200) throw new Error("the queue never drained");
      const now = this.clock.now();
      for (const message of this.queue.filter((m) => m.visibleAt <= now)) {
        if (message.receiveCount >= this.settings.maxReceiveCount) this.moveToDlq(message);
      }
      const visible = this.queue.filter((m) => m.visibleAt <= now);
      if (visible.length === 0) {
        if (this.queue.length > 0) {
          this.clock.set(Math.min(...this.queue.map((m) => m.visibleAt)));
        } else if (this.copies.length > 0) {
          this.queue = this.copies.map((m) => ({ ...m, visibleAt: now }));
          this.copies = [];
          this.deliveringCopies = true;
        } else {
          this.deliveringCopies = false;
          return;
        }
        continue;
      }
      await this.deliver(visible.slice(0, this.settings.batchSize), route);
    }
  }

  /** A message move task: the DLQ's messages back to the source queue, receive counts reset. */
  redrive(): number {
    const moved = this.dlq.splice(0);
    for (const message of moved)
      this.queue.push({ ...message, receiveCount: 0, visibleAt: this.clock.now() });
    return moved.length;
  }

  private async deliver(batch: QueuedMessage[], route: RouterFunction): Promise<void> {
    const now = this.clock.now();
    for (const message of batch) {
      message.receiveCount += 1;
      message.visibleAt = now + this.settings.visibilityTimeoutMs;
    }
    this.invocations += 1;
    let failed: Set<string>;
    try {
      const response = await route({ Records: batch.map((message) => this.record(message)) });
      failed = new Set(response.batchItemFailures.map((item) => item.itemIdentifier));
    } catch {
      this.failedInvocations += 1;
      for (const message of batch) this.note(message, "invocationFailed");
      return;
    }
    for (const message of batch) {
      if (failed.has(message.messageId)) {
        this.note(message, "reported");
        continue;
      }
      this.note(message, "deleted");
      this.queue = this.queue.filter((m) => m !== message);
      if (this.settings.atLeastOnceCopies && !message.copy) this.copies.push({ ...message, copy: true });
    }
  }

  private note(message: QueuedMessage, outcome: Receive["outcome"]): void {
    this.receives.push({
      messageId: message.messageId,
      webhookId: message.webhookId,
      receiveCount: message.receiveCount,
      copy: message.copy,
      outcome,
    });
  }

  private moveToDlq(message: QueuedMessage): void {
    this.queue = this.queue.filter((m) => m !== message);
    this.dlq.push(message);
  }

  /** The record Lambda's SQS event source builds for a received message. */
  private record(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: "AROAE2EVALIDATOR:wh-e2e-validator",
        ApproximateFirstReceiveTimestamp: String(message.sentAt + 1),
      },
      messageAttributes: {
        webhookId: {
          stringValue: message.webhookId,
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
        provider: {
          stringValue: message.provider,
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
      },
      md5OfBody: createHash("md5").update(message.body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: QUEUE_ARN,
      awsRegion: "us-east-1",
    };
  }
}
