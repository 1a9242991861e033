import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { denyInsecureTransport, type IGrantable, type PolicyStatement, policyDocument } from "./policy";

/** SQS's largest message (the queue attribute accepts 1,024–1,048,576 bytes since 2025). */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** SQS's longest retention, 14 days: what every dead-letter queue keeps. */
export const SQS_MAX_RETENTION_SECONDS = 1_209_600;
/** 4 days, SQS's own default, stated explicitly. */
export const DEFAULT_RETENTION_SECONDS = 345_600;

export interface EncryptedQueueProps {
  readonly naming: Naming;
  readonly key: PlatformKey;
  /** Names the queue: `<prefix>-<env>-<purpose>[.fifo]`. */
  readonly purpose: string;
  /** A FIFO queue (name ends in `.fifo`, content-based deduplication, high-throughput mode). @default false */
  readonly fifo?: boolean;
  /** @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Largest message. The provider's default is 262,144 (the old limit); the platform sets SQS's
   * 1 MiB maximum everywhere so no queue on a path is smaller than the one before it.
   * @default 1048576 (1 MiB)
   */
  readonly maxMessageBytes?: number;
  /** How long SQS reuses a data key before calling KMS again. @default 300 (5 minutes) */
  readonly kmsDataKeyReusePeriodSeconds?: number;
  /** Long polling for consumers. @default 20 */
  readonly receiveWaitTimeSeconds?: number;
}

/**
 * A queue encrypted with the platform key, with one `aws_sqs_queue_policy` that always refuses
 * requests not made over TLS, plus the statements other constructs add (a service allowed to send,
 * scoped by `aws:SourceArn`). Grants say exactly which SQS and KMS actions they give.
 */
export class EncryptedQueue extends Construct {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
  readonly maxMessageBytes: number;
  readonly messageRetentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** The key the queue is encrypted with (services sending into it need it). */
  readonly key: PlatformKey;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.fifo = props.fifo ?? false;
    this.key = props.key;
    this.maxMessageBytes = props.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES;
    this.messageRetentionSeconds = props.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? 30;
    if (this.maxMessageBytes < 1024 || this.maxMessageBytes > SQS_MAX_MESSAGE_BYTES) {
      throw new Error(
        `EncryptedQueue ${props.purpose}: maxMessageBytes must be 1024..${SQS_MAX_MESSAGE_BYTES}`,
      );
    }
    if (this.messageRetentionSeconds < 60 || this.messageRetentionSeconds > SQS_MAX_RETENTION_SECONDS) {
      throw new Error(
        `EncryptedQueue ${props.purpose}: messageRetentionSeconds must be 60..${SQS_MAX_RETENTION_SECONDS}`,
      );
    }
    if (this.visibilityTimeoutSeconds < 0 || this.visibilityTimeoutSeconds > 43_200) {
      throw new Error(
        `EncryptedQueue ${props.purpose}: visibilityTimeoutSeconds must be 0..43200 (12 hours)`,
      );
    }
    this.name = props.naming.name("aws_sqs_queue.name", props.purpose, { fifo: this.fifo });
    const queue = new SqsQueue(this, "queue", {
      name: this.name,
      fifoQueue: this.fifo ? true : undefined,
      contentBasedDeduplication: this.fifo ? true : undefined,
      // High-throughput FIFO: deduplication and throughput per message group (one group per provider).
      deduplicationScope: this.fifo ? "messageGroup" : undefined,
      fifoThroughputLimit: this.fifo ? "perMessageGroupId" : undefined,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: props.kmsDataKeyReusePeriodSeconds ?? 300,
      maxMessageSize: this.maxMessageBytes,
      messageRetentionSeconds: this.messageRetentionSeconds,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: props.receiveWaitTimeSeconds ?? 20,
    });
    this.url = queue.url;
    this.arn = queue.arn;
    new SqsQueuePolicy(this, "policy", {
      queueUrl: queue.url,
      policy: Lazy.stringValue({
        produce: () => policyDocument([denyInsecureTransport([this.arn], ["sqs:*"]), ...this.statements]),
      }),
    });
  }

  /** Adds a statement to the queue's resource policy (after the TLS-only deny). */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.push({ ...statement, resources: statement.resources ?? [this.arn] });
  }

  /**
   * Lets an AWS service send to this queue on behalf of one resource only: `sqs:SendMessage` for
   * `service` with `ArnEquals aws:SourceArn` (the confused-deputy guard), e.g. EventBridge for a rule.
   */
  allowServiceSend(sid: string, service: string, sourceArn: string): void {
    this.addToResourcePolicy({
      sid,
      principals: { type: "Service", identifiers: [service] },
      actions: ["sqs:SendMessage"],
      conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [sourceArn] }],
    });
  }

  /** Grants `sqs:SendMessage` (SendMessageBatch included) on this queue and `kms:GenerateDataKey` + `kms:Decrypt` on the key. */
  grantSend(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["sqs:SendMessage"], resources: [this.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * Grants what a Lambda event source mapping needs to consume: `sqs:ReceiveMessage`,
   * `sqs:DeleteMessage`, `sqs:GetQueueAttributes` on this queue and `kms:Decrypt` on the key.
   */
  grantConsume(grantee: IGrantable): void {
    grantee.addToPolicy({
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      resources: [this.arn],
    });
    this.key.grantDecrypt(grantee);
  }

  /**
   * Moves messages received `maxReceiveCount` times to `dlq`: an `aws_sqs_queue_redrive_policy` on
   * this queue and an `aws_sqs_queue_redrive_allow_policy` on the DLQ accepting this queue only
   * (separate resources, so the two queues form no cycle). The DLQ must keep messages longer than
   * this queue: a standard queue's message expires by its original enqueue time, which the move
   * does not reset.
   */
  deadLetterTo(dlq: EncryptedQueue, maxReceiveCount: number): void {
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`${this.name}: maxReceiveCount must be an integer in 1..1000, got ${maxReceiveCount}`);
    }
    if (dlq.fifo !== this.fifo) {
      throw new Error(
        `${this.name}: the dead-letter queue of a ${this.fifo ? "FIFO" : "standard"} queue must be one too`,
      );
    }
    if (dlq.messageRetentionSeconds <= this.messageRetentionSeconds) {
      throw new Error(
        `${this.name}: dead-letter queue ${dlq.name} must retain messages longer than its source (${dlq.messageRetentionSeconds} s ≤ ${this.messageRetentionSeconds} s)`,
      );
    }
    new SqsQueueRedrivePolicy(this, "redrive", {
      queueUrl: this.url,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
    });
    new SqsQueueRedriveAllowPolicy(dlq, "redrive-allow", {
      queueUrl: dlq.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [this.arn] }),
    });
  }
}
