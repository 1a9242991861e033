import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EncryptedQueue, SQS_MAX_RETENTION_SECONDS } from "./encrypted-queue";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { type IGrantable, type PolicyStatement, policyDocument } from "./policy";

export const EVENTS_SERVICE = "events.amazonaws.com";

export interface EventBusProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /**
   * What every event source the platform puts on the bus begins with (`webhooks.`); the archive
   * keeps the events of those sources. A prefix, not a list of sources: EventBridge caps a pattern
   * at 2,048 characters, which a list of some hundred providers would exceed.
   */
  readonly sourcePrefix: string;
  /** Days the archive keeps events for replay (0 would mean forever, which is refused). @default 30 */
  readonly archiveRetentionDays?: number;
  /**
   * Encrypts the bus's dead-letter queue. The DLQ holds the events the bus could not encrypt or
   * decrypt with `key` (a disabled or deleted key), so it must not depend on that key.
   * @default key (only for tests: the stack passes its operations key)
   */
  readonly deadLetterKey?: PlatformKey;
  /**
   * IAM role ARNs that may put events besides the principals granted through
   * {@link EventBus.grantPutEvents} (an operator's redrive role). @default []
   */
  readonly publisherArns?: readonly string[];
}

/**
 * The custom event bus webhooks are routed to. Default settings: encrypted with the platform CMK,
 * a bus-level dead-letter queue (standard, TLS-only, on its own key) for events EventBridge cannot
 * encrypt or decrypt, an `aws_cloudwatch_event_bus_policy` that denies `events:PutEvents` to every
 * principal but the publishers (EventBridge.3; an Allow alone restricts no caller of this account
 * whose own IAM policy allows PutEvents, so events claiming to be verified webhooks could be forged),
 * and a CMK-encrypted archive with finite retention and a pattern scoped to the platform's sources
 * (by their prefix).
 *
 * Key policies (registered here): EventBridge may use the platform key for this account's bus and
 * archive (`aws:SourceAccount`), and may encrypt messages it delivers into the queues registered
 * with {@link allowDeliveryTo}, on each queue's own key (`kms:EncryptionContext:aws:sqs:arn`). The
 * delivery statement is narrowed by the queue's encryption context, not `aws:SourceArn`: AWS
 * documents that source conditions are not supported for EventBridge deliveries to encrypted
 * targets, and a condition that never matches drops events silently.
 */
export class EventBus extends Construct {
  /** The bus name as a plain string (alarm dimensions, dashboards). */
  readonly name: string;
  /**
   * The same name as a reference to the bus resource: rules and targets use it, so Terraform
   * creates them after the bus.
   */
  readonly nameRef: string;
  /** Built from the name (not a resource reference), so key and queue policies form no cycle with the bus. */
  readonly arn: string;
  readonly archiveName: string;
  readonly archiveArn: string;
  readonly archiveRetentionDays: number;
  /** Events EventBridge could not encrypt/decrypt with the key. */
  readonly dlq: EncryptedQueue;
  private readonly publishers: string[] = [];

  constructor(scope: Construct, id: string, props: EventBusProps) {
    super(scope, id);
    const { naming, context, key } = props;
    this.archiveRetentionDays = props.archiveRetentionDays ?? 30;
    if (!Number.isInteger(this.archiveRetentionDays) || this.archiveRetentionDays < 1) {
      throw new Error(
        "EventBus: archiveRetentionDays must be a positive integer (0 would keep events forever)",
      );
    }
    if (props.sourcePrefix === "") throw new Error("EventBus: sourcePrefix must not be empty");

    this.name = naming.name("aws_cloudwatch_event_bus.name", "bus");
    this.arn = context.arn("events", `event-bus/${this.name}`);
    this.archiveName = naming.name("aws_cloudwatch_event_archive.name", "archive");
    this.archiveArn = context.arn("events", `archive/${this.archiveName}`);

    key.grantService({
      sid: "EventBridgeBusAndArchive",
      service: EVENTS_SERVICE,
      actions: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncrypt*"],
      conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] }],
    });
    this.publishers.push(...(props.publisherArns ?? []));

    this.dlq = new EncryptedQueue(this, "dlq", {
      naming,
      key: props.deadLetterKey ?? key,
      purpose: "bus-dlq",
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    this.allowDeliveryTo(this.dlq, "EventBridgeBusDeadLetters", this.arn);

    const bus = new CloudwatchEventBus(this, "bus", {
      name: this.name,
      description: `Verified webhooks of ${naming.base}`,
      kmsKeyIdentifier: key.arn,
      deadLetterConfig: { arn: this.dlq.arn },
      // EventBridge checks it may use the key (DescribeKey) when the bus is created.
      dependsOn: [...new Set([key.policy, this.dlq.key.policy])],
    });
    this.nameRef = bus.name;

    new CloudwatchEventBusPolicy(this, "policy", {
      eventBusName: bus.name,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.busPolicyStatements(context)) }),
    });

    new CloudwatchEventArchive(this, "archive", {
      name: this.archiveName,
      description: `Replay archive of ${naming.base} webhook events`,
      eventSourceArn: bus.arn,
      retentionDays: this.archiveRetentionDays,
      eventPattern: JSON.stringify({ source: [{ prefix: props.sourcePrefix }] }),
      kmsKeyIdentifier: key.arn,
      dependsOn: [key.policy],
    });
  }

  /**
   * Lets `principalArn` put events on this bus: `events:PutEvents` on the bus ARN in the
   * grantee's identity policy, and the principal's ARN in the bus policy's `aws:PrincipalArn`
   * condition.
   */
  grantPutEvents(grantee: IGrantable, principalArn: string): void {
    grantee.addToPolicy({ actions: ["events:PutEvents"], resources: [this.arn] });
    this.publishers.push(principalArn);
  }

  /**
   * Lets EventBridge deliver into a queue on behalf of `sourceArn` (a rule, or this bus for its
   * DLQ): `sqs:SendMessage` in the queue's policy under `aws:SourceArn`, and the queue's ARN in the
   * statement of the queue's key policy that lets EventBridge encrypt for it.
   */
  allowDeliveryTo(queue: EncryptedQueue, sid: string, sourceArn: string): void {
    if (queue.fifo) {
      throw new Error(
        `${queue.name}: EventBridge dead-letter and target queues here must be standard queues`,
      );
    }
    queue.allowServiceSend(sid, EVENTS_SERVICE, sourceArn);
    queue.key.allowServiceToQueue("EventBridgeDeliveryToQueues", EVENTS_SERVICE, queue.arn);
  }

  /**
   * An Allow for the publishers and a Deny for every other principal of any account. AWS services
   * acting as themselves (`aws:PrincipalIsAWSService`: EventBridge replaying the archive) are not
   * denied; they carry no principal ARN to list.
   */
  private busPolicyStatements(context: AwsContext): PolicyStatement[] {
    if (this.publishers.length === 0) {
      throw new Error("EventBus: no publisher was granted PutEvents; the bus policy would allow nobody");
    }
    return [
      {
        sid: "PutEventsFromPlatformPublishers",
        principals: { type: "AWS", identifiers: [`arn:${context.partition}:iam::${context.accountId}:root`] },
        actions: ["events:PutEvents"],
        resources: [this.arn],
        conditions: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: this.publishers }],
      },
      {
        sid: "DenyPutEventsFromAnyoneElse",
        effect: "Deny",
        principals: { type: "*", identifiers: ["*"] },
        actions: ["events:PutEvents"],
        resources: [this.arn],
        conditions: [
          { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: this.publishers },
          { test: "Bool", variable: "aws:PrincipalIsAWSService", values: ["false"] },
        ],
      },
    ];
  }
}
