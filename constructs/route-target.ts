import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import type { RouteConfig } from "../stacks/config";
import { EncryptedQueue, SQS_MAX_RETENTION_SECONDS } from "./encrypted-queue";
import type { EventBus } from "./event-bus";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import type { IGrantable } from "./policy";
import { routePattern } from "./route-pattern";

/** How EventBridge retries a target before the event goes to the target's DLQ. */
export interface TargetRetry {
  /** 0–185. @default 185 (EventBridge's default, stated explicitly) */
  readonly maximumRetryAttempts?: number;
  /** 60–86400. @default 86400 (24 hours) */
  readonly maximumEventAgeSeconds?: number;
}

/** EventBridge's own retry defaults for rule targets, set explicitly so a plan shows them. */
export const DEFAULT_TARGET_RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 } as const;

/** Validates and fills a retry policy (`retry_policy` of `aws_cloudwatch_event_target`). */
export function targetRetryPolicy(retry: TargetRetry = {}): {
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
} {
  const attempts = retry.maximumRetryAttempts ?? DEFAULT_TARGET_RETRY.maximumRetryAttempts;
  const age = retry.maximumEventAgeSeconds ?? DEFAULT_TARGET_RETRY.maximumEventAgeSeconds;
  if (!Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
    throw new Error(`maximumRetryAttempts must be an integer in 0..185, got ${attempts}`);
  }
  if (!Number.isInteger(age) || age < 60 || age > 86_400) {
    throw new Error(`maximumEventAgeSeconds must be an integer in 60..86400, got ${age}`);
  }
  return { maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age };
}

/** Receives of a consumer-queue message before it moves to the consumer DLQ, unless a route sets its own. */
export const DEFAULT_CONSUMER_MAX_RECEIVE_COUNT = 5;
/** Visibility timeout of a consumer queue in seconds (≥ 6 × a consumer's timeout), unless a route sets its own. */
export const DEFAULT_CONSUMER_VISIBILITY_TIMEOUT_SECONDS = 180;

export interface RouteTargetProps {
  readonly naming: Naming;
  readonly key: PlatformKey;
  readonly bus: EventBus;
  readonly route: RouteConfig;
  /** Every platform event source (`webhooks.<provider>`): the plain strings the route's `source` may name. */
  readonly sources: readonly string[];
  /** Receives of a consumer-queue message before it moves to the consumer DLQ. @default 5 */
  readonly consumerMaxReceiveCount?: number;
  /** Visibility timeout of the consumer queue (≥ 6 × the consumer's timeout). @default 180 */
  readonly consumerVisibilityTimeoutSeconds?: number;
  /** @default EventBridge's 185 attempts / 24 hours */
  readonly retry?: TargetRetry;
  /**
   * Encrypts the target's dead-letter queue: events EventBridge could not deliver, including when
   * `key` is disabled, so it must not depend on `key`. @default key
   */
  readonly deadLetterKey?: PlatformKey;
}

/**
 * One configured route: a rule on the bus whose pattern is the route's (with `source` defaulted
 * to every platform source, by their prefix), targeting a consumer queue this stack creates. The
 * queue is standard, CMK-encrypted and TLS-only with its own DLQ and redrive; the target has a
 * retry policy and its own dead-letter queue (standard: EventBridge rejects FIFO DLQs). Both queues
 * let EventBridge send only on behalf of this rule (`aws:SourceArn`).
 */
export class RouteTarget extends Construct {
  readonly routeId: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly eventPattern: Record<string, unknown>;
  /** What consumers read. */
  readonly queue: EncryptedQueue;
  /** Consumer messages received too often. */
  readonly dlq: EncryptedQueue;
  /** Events EventBridge could not deliver to the queue (`webhooks redrive --target-dlq` sends them on). */
  readonly targetDlq: EncryptedQueue;

  constructor(scope: Construct, id: string, props: RouteTargetProps) {
    super(scope, id);
    const { naming, key, bus, route } = props;
    this.routeId = route.id;
    this.eventPattern = routePattern(route, props.sources);

    this.ruleName = naming.name("aws_cloudwatch_event_rule.name", `route-${route.id}`);
    const rule = new CloudwatchEventRule(this, "rule", {
      name: this.ruleName,
      description: route.description ?? `Route ${route.id}`,
      eventBusName: bus.nameRef,
      eventPattern: JSON.stringify(this.eventPattern),
      state: "ENABLED",
    });
    this.ruleArn = rule.arn;

    this.dlq = new EncryptedQueue(this, "dlq", {
      naming,
      key,
      purpose: `route-${route.id}-dlq`,
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    this.queue = new EncryptedQueue(this, "queue", {
      naming,
      key,
      purpose: `route-${route.id}`,
      visibilityTimeoutSeconds:
        props.consumerVisibilityTimeoutSeconds ?? DEFAULT_CONSUMER_VISIBILITY_TIMEOUT_SECONDS,
    });
    this.queue.deadLetterTo(this.dlq, props.consumerMaxReceiveCount ?? DEFAULT_CONSUMER_MAX_RECEIVE_COUNT);
    this.targetDlq = new EncryptedQueue(this, "target-dlq", {
      naming,
      key: props.deadLetterKey ?? key,
      purpose: `route-${route.id}-target-dlq`,
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    bus.allowDeliveryTo(this.queue, "EventBridgeRoute", this.ruleArn);
    bus.allowDeliveryTo(this.targetDlq, "EventBridgeRouteDeadLetters", this.ruleArn);

    new CloudwatchEventTarget(this, "target", {
      rule: rule.name,
      eventBusName: bus.nameRef,
      targetId: naming.name("aws_cloudwatch_event_target.target_id", `route-${route.id}-queue`),
      arn: this.queue.arn,
      retryPolicy: targetRetryPolicy(props.retry),
      deadLetterConfig: { arn: this.targetDlq.arn },
    });
  }

  /** What a consumer needs: receive, delete and read attributes of the route queue, and `kms:Decrypt`. */
  grantConsume(grantee: IGrantable): void {
    this.queue.grantConsume(grantee);
  }
}
