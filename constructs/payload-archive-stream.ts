import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { EncryptedQueue, SQS_MAX_RETENTION_SECONDS } from "./encrypted-queue";
import { EVENTS_SERVICE, type EventBus } from "./event-bus";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import type { IGrantable } from "./policy";
import { type TargetRetry, targetRetryPolicy } from "./route-target";
import { ServiceRole } from "./service-role";

/** What the archive stream needs of the payload bucket. */
export interface ArchiveBucket {
  readonly arn: string;
  /** Firehose's S3 permissions on the archive prefix and KMS on the key. */
  grantArchiveWrite(grantee: IGrantable): void;
}

/** Firehose log stream names for S3 delivery errors (the console's convention). */
export const FIREHOSE_LOG_STREAM = "DestinationDelivery";

export interface PayloadArchiveStreamProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly bus: EventBus;
  readonly bucket: ArchiveBucket;
  /** Where archived events go, e.g. `archive/` (PayloadBucket.ARCHIVE_PREFIX); must end in `/`. */
  readonly prefix: string;
  /** Matches every platform event. @default `{"source":[{"prefix":"webhooks."}]}` */
  readonly sourcePrefix?: string;
  /** Flush when this many MiB are buffered (1–128). @default 5 */
  readonly bufferingSizeMib?: number;
  /** Flush after this many seconds (0–900). @default 300 */
  readonly bufferingIntervalSeconds?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default EventBridge's 185 attempts / 24 hours */
  readonly retry?: TargetRetry;
  /** Encrypts the target's dead-letter queue (see RouteTargetProps.deadLetterKey). @default key */
  readonly deadLetterKey?: PlatformKey;
}

/**
 * The batched event archive: a catch-all rule (every `webhooks.*` source) on the bus targeting a
 * Firehose stream that writes GZIP objects under `<prefix>!{timestamp:yyyy/MM/dd}/` of the
 * payload bucket, one newline-delimited object per buffer (5 MiB / 300 s by default: never one
 * S3 object per webhook), failed records under `<prefix>errors/`. Default settings: stream SSE with
 * the platform CMK, objects SSE-KMS with the CMK, error logging to a CMK-encrypted log group, no
 * dynamic partitioning (date prefixes only: provider prefixes would need 64 MiB buffers). EventBridge
 * reaches the stream through a role it can assume only for this rule; the target has a retry
 * policy and a standard dead-letter queue.
 */
export class PayloadArchiveStream extends Construct {
  readonly streamName: string;
  readonly streamArn: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  /** Events EventBridge could not deliver to Firehose. */
  readonly targetDlq: EncryptedQueue;
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: PayloadArchiveStreamProps) {
    super(scope, id);
    const { naming, context, key, bus, bucket } = props;
    if (!props.prefix.endsWith("/")) throw new Error("PayloadArchiveStream: prefix must end with /");
    const bufferingSize = props.bufferingSizeMib ?? 5;
    const bufferingInterval = props.bufferingIntervalSeconds ?? 300;
    if (bufferingSize < 1 || bufferingSize > 128)
      throw new Error("PayloadArchiveStream: bufferingSizeMib must be 1..128");
    if (bufferingInterval < 0 || bufferingInterval > 900) {
      throw new Error("PayloadArchiveStream: bufferingIntervalSeconds must be 0..900");
    }

    this.streamName = naming.name("aws_kinesis_firehose_delivery_stream.name", "archive");
    this.logGroup = new EncryptedLogGroup(this, "logs", {
      name: `/aws/kinesisfirehose/${this.streamName}`,
      key,
      context,
      retentionInDays: props.logRetentionDays,
    });
    const logStream = new CloudwatchLogStream(this, "log-stream", {
      name: FIREHOSE_LOG_STREAM,
      logGroupName: this.logGroup.name,
      dependsOn: [this.logGroup.resource],
    });

    // Firehose documents sts:ExternalId (= the account) as the guard for its delivery role.
    const deliveryRole = new ServiceRole(this, "delivery-role", {
      naming,
      context,
      purpose: "archive-firehose",
      service: "firehose.amazonaws.com",
      trustConditions: [{ test: "StringEquals", variable: "sts:ExternalId", values: [context.accountId] }],
    });
    bucket.grantArchiveWrite(deliveryRole);
    deliveryRole.addToPolicy({
      actions: ["logs:PutLogEvents"],
      resources: [`${this.logGroup.arn}:log-stream:${FIREHOSE_LOG_STREAM}`],
    });

    const stream = new KinesisFirehoseDeliveryStream(this, "stream", {
      name: this.streamName,
      destination: "extended_s3",
      serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.arn },
      extendedS3Configuration: {
        roleArn: deliveryRole.arn,
        bucketArn: bucket.arn,
        prefix: `${props.prefix}!{timestamp:yyyy/MM/dd}/`,
        // Required once the prefix uses expressions; the error type keeps failures apart.
        errorOutputPrefix: `${props.prefix}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        bufferingSize,
        bufferingInterval,
        compressionFormat: "GZIP",
        kmsKeyArn: key.arn,
        // Firehose concatenates records; a newline after each event keeps the objects line-delimited JSON.
        processingConfiguration: {
          enabled: true,
          processors: [{ type: "AppendDelimiterToRecord" }],
        },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.name,
          logStreamName: FIREHOSE_LOG_STREAM,
        },
      },
      dependsOn: [logStream],
    });
    this.streamArn = stream.arn;

    const source = props.sourcePrefix ?? "webhooks.";
    this.ruleName = naming.name("aws_cloudwatch_event_rule.name", "archive-all");
    const rule = new CloudwatchEventRule(this, "rule", {
      name: this.ruleName,
      description: "Every platform event to the batched S3 archive",
      eventBusName: bus.nameRef,
      eventPattern: JSON.stringify({ source: [{ prefix: source }] }),
      state: "ENABLED",
    });
    this.ruleArn = rule.arn;

    const putRole = new ServiceRole(this, "put-role", {
      naming,
      context,
      purpose: "archive-events",
      service: EVENTS_SERVICE,
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
        { test: "ArnEquals", variable: "aws:SourceArn", values: [this.ruleArn] },
      ],
    });
    putRole.addToPolicy({
      actions: ["firehose:PutRecord", "firehose:PutRecordBatch"],
      resources: [stream.arn],
    });

    this.targetDlq = new EncryptedQueue(this, "target-dlq", {
      naming,
      key: props.deadLetterKey ?? key,
      purpose: "archive-target-dlq",
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    bus.allowDeliveryTo(this.targetDlq, "EventBridgeArchiveDeadLetters", this.ruleArn);

    new CloudwatchEventTarget(this, "target", {
      rule: rule.name,
      eventBusName: bus.nameRef,
      targetId: naming.name("aws_cloudwatch_event_target.target_id", "archive-firehose"),
      arn: stream.arn,
      roleArn: putRole.arn,
      retryPolicy: targetRetryPolicy(props.retry),
      deadLetterConfig: { arn: this.targetDlq.arn },
    });
  }
}
