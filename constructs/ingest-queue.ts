import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedQueue, SQS_MAX_MESSAGE_BYTES, SQS_MAX_RETENTION_SECONDS } from "./encrypted-queue";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import type { IGrantable } from "./policy";

/** AWS: a source queue's visibility timeout should be at least six times its consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface IngestQueueProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /**
   * A FIFO queue and DLQ (`.fifo` names inside SQS's 80 characters, content-based deduplication,
   * high-throughput mode). The validator sets the message group (one per provider); the router's
   * event source then takes no batching window.
   * @default false (standard: higher throughput; routing is at-least-once anyway)
   */
  readonly fifo?: boolean;
  /** Receives before a message moves to the DLQ. @default 3 */
  readonly maxReceiveCount?: number;
  /** Timeout of the consuming function (the router); sizes the visibility timeout. @default 30 */
  readonly consumerTimeoutSeconds?: number;
  /** The consumer's batching window; also part of the visibility timeout. @default 1 (0 for FIFO, which takes none) */
  readonly batchingWindowSeconds?: number;
  /** @default 345600 (4 days) */
  readonly retentionSeconds?: number;
  /** @default 1209600 (14 days, the SQS maximum: longer than the queue, so a moved message keeps its time) */
  readonly dlqRetentionSeconds?: number;
  /** @default 1048576 (1 MiB, the SQS maximum; the provider's default would be 262,144) */
  readonly maxMessageBytes?: number;
}

/**
 * The queue the validator enqueues verified webhooks to and the router consumes, with its
 * dead-letter queue: both CMK-encrypted and TLS-only, redrive after `maxReceiveCount` receives,
 * the DLQ accepting redrive from this queue only. Visibility timeout = 6 × consumer timeout +
 * batching window.
 */
export class IngestQueue extends Construct {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly dlqName: string;
  readonly fifo: boolean;
  /** The queue's `max_message_size`: the validator claim-checks an envelope that would not fit. */
  readonly maxMessageBytes: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
  /** The batching window the visibility timeout was sized for; the event source uses it. */
  readonly batchingWindowSeconds: number;
  readonly queue: EncryptedQueue;
  readonly dlq: EncryptedQueue;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    const { naming, key } = props;
    this.fifo = props.fifo ?? false;
    this.maxReceiveCount = props.maxReceiveCount ?? 3;
    this.batchingWindowSeconds = props.batchingWindowSeconds ?? (this.fifo ? 0 : 1);
    if (this.fifo && this.batchingWindowSeconds !== 0) {
      throw new Error(
        "IngestQueue: a FIFO queue's event source takes no batching window; set batchingWindowSeconds 0",
      );
    }
    const consumerTimeout = props.consumerTimeoutSeconds ?? 30;
    this.visibilityTimeoutSeconds = VISIBILITY_TIMEOUT_FACTOR * consumerTimeout + this.batchingWindowSeconds;

    this.dlq = new EncryptedQueue(this, "dlq", {
      naming,
      key,
      purpose: "ingest-dlq",
      fifo: this.fifo,
      messageRetentionSeconds: props.dlqRetentionSeconds ?? SQS_MAX_RETENTION_SECONDS,
      maxMessageBytes: props.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES,
    });
    this.queue = new EncryptedQueue(this, "queue", {
      naming,
      key,
      purpose: "ingest",
      fifo: this.fifo,
      messageRetentionSeconds: props.retentionSeconds,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      maxMessageBytes: props.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES,
    });
    this.queue.deadLetterTo(this.dlq, this.maxReceiveCount);

    this.url = this.queue.url;
    this.arn = this.queue.arn;
    this.name = this.queue.name;
    this.dlqUrl = this.dlq.url;
    this.dlqArn = this.dlq.arn;
    this.dlqName = this.dlq.name;
    this.maxMessageBytes = this.queue.maxMessageBytes;
  }

  /** Grants `sqs:SendMessage` on the ingest queue and `kms:GenerateDataKey` + `kms:Decrypt` on the key. */
  grantSend(grantee: IGrantable): void {
    this.queue.grantSend(grantee);
  }

  /** Grants `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes` on the ingest queue and `kms:Decrypt`. */
  grantConsume(grantee: IGrantable): void {
    this.queue.grantConsume(grantee);
  }
}
