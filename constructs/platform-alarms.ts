import type { AlarmSpec, MetricRef } from "./alarms";

/** The validator's EMF metric (functions/validator/adapters/powertools-metrics.ts `WEBHOOKS_METRIC`). */
export const VALIDATOR_METRIC = "Webhooks";

/** Alarm thresholds; each has a default that suits a low-volume production environment. */
export interface AlarmThresholds {
  /** Oldest ingest message, seconds, for 5 minutes running. @default 300 */
  readonly ingestOldestMessageSeconds?: number;
  /** API p99 latency, ms (Slack gives up after 3 s, Shopify after 5 s). @default 2500 */
  readonly apiLatencyP99Ms?: number;
  /** Signature mismatches per 5 minutes across providers. @default 50 */
  readonly signatureRejectionsPer5Min?: number;
  /** Archive data freshness, seconds (3 × the 300 s buffer). @default 900 */
  readonly archiveFreshnessSeconds?: number;
}

/** A dead-letter queue: what it holds and how to empty it once the cause is fixed. */
export interface DeadLetterQueueRef {
  readonly purpose: string;
  readonly name: string;
  readonly holds: string;
  readonly runbook: string;
}

/** An EventBridge rule whose deliveries are alarmed, and where its failed events end up. */
export interface RuleRef {
  readonly purpose: string;
  readonly name: string;
  readonly target: string;
  readonly targetDlqPurpose: string;
}

/** The physical names and settings the platform's alarms watch. */
export interface PlatformAlarmInputs {
  readonly functions: ReadonlyArray<{ readonly purpose: string; readonly name: string }>;
  readonly deadLetterQueues: readonly DeadLetterQueueRef[];
  readonly ingestQueueName: string;
  /** A FIFO ingest queue scales by message group (one per provider), not by concurrency. */
  readonly fifoIngestQueue: boolean;
  readonly routerConcurrency: number;
  readonly restApiName: string;
  readonly stageName: string;
  readonly metricsNamespace: string;
  readonly validatorService: string;
  readonly routerService: string;
  readonly busName: string;
  readonly rules: readonly RuleRef[];
  readonly archiveStreamName: string;
  readonly thresholds?: AlarmThresholds;
}

const COUNTS_ONLY = "no data means no messages or no invocations, which is healthy";

/** What each function's Errors and Throttles alarm asks an operator to check first. */
const FUNCTION_RUNBOOKS: Readonly<Record<string, Record<"Errors" | "Throttles", string>>> = {
  validator: {
    Errors:
      "Log `unexpected failure` in the validator's log group. A configuration error at init fails every request: fix it and redeploy. Senders retry, nothing acknowledged is lost.",
    Throttles:
      "The validator hit its reserved concurrency (limits.validatorConcurrency) and senders got 5xx, which they retry. Check for a flood (WAF rate-limit counts, access log IPs); raise the limit with the account's concurrency if the traffic is real.",
  },
  router: {
    Errors:
      "A whole batch failed (e.g. reading the table) and SQS redelivers it: router log, DynamoDB health, permissions after a change.",
    Throttles:
      "Router invocations above its reserved concurrency: messages wait in the ingest queue, nothing is lost until maxReceiveCount.",
  },
  audit: {
    Errors:
      "The audit function failed: stream records are retried and batches bisected; after the retry limit they go to the audit-failures queue.",
    Throttles: "The audit function was throttled: stream records wait and are retried.",
  },
};

/**
 * Every alarm of the platform as data: metric, threshold, missing-data treatment and the runbook
 * line an operator reads when it fires (docs/runbook.md is generated from these).
 */
export function platformAlarms(inputs: PlatformAlarmInputs): AlarmSpec[] {
  const thresholds = inputs.thresholds ?? {};
  const api = { ApiName: inputs.restApiName, Stage: inputs.stageName };
  const stream = { DeliveryStreamName: inputs.archiveStreamName };
  return [
    ...inputs.deadLetterQueues.map(
      (dlq): AlarmSpec => ({
        purpose: `${dlq.purpose}-depth`,
        description: `Dead-letter queue ${dlq.name} holds ${dlq.holds}.`,
        runbook: dlq.runbook,
        metric: sqs(dlq.name, "ApproximateNumberOfMessagesVisible", "Maximum"),
        comparison: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        missingDataReason: "SQS reports a queue while it holds messages; silence means an empty, idle queue",
      }),
    ),
    {
      purpose: "ingest-oldest-message-age",
      description: `The oldest message in ${inputs.ingestQueueName} waits longer than expected: the router is failing, throttled or too slow.`,
      runbook: inputs.fifoIngestQueue
        ? "Router errors or throttles (their alarms), EventBridge throttling (router metric putEventsRetries). The FIFO queue is read one message group (provider) at a time, so raising limits.routerConcurrency does not help: a message that keeps failing holds back the rest of its provider's group — find it in the router log (`message not routed`)."
        : `Router errors or throttles (their alarms), EventBridge throttling (router metric putEventsRetries), or limits.routerConcurrency (${inputs.routerConcurrency}) too low for the rate: raise it (it is both the event source's maximum and the router's reserved concurrency).`,
      metric: sqs(inputs.ingestQueueName, "ApproximateAgeOfOldestMessage", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: thresholds.ingestOldestMessageSeconds ?? 300,
      evaluationPeriods: 5,
      treatMissingData: "notBreaching",
      missingDataReason: "a queue with a waiting message is active and reports; silence means it is empty",
    },
    ...inputs.functions.flatMap((fn) =>
      (["Errors", "Throttles"] as const).map(
        (metricName): AlarmSpec => ({
          purpose: `${fn.purpose}-${metricName.toLowerCase()}`,
          description: `Function ${fn.name} reports ${metricName}.`,
          runbook: FUNCTION_RUNBOOKS[fn.purpose]?.[metricName] ?? `Function ${fn.name}'s log group.`,
          metric: {
            namespace: "AWS/Lambda",
            metricName,
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
          },
          comparison: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
          missingDataReason: COUNTS_ONLY,
        }),
      ),
    ),
    {
      purpose: "api-5xx",
      description: "The webhook API answered 5XX: senders retry, but something of ours is failing.",
      runbook:
        'Validator log, `level = "ERROR"`, names the failing call: a missing secret (ResourceNotFoundException) → store it; throttling → DynamoDB, SQS or Secrets Manager quotas, or the validator\'s reserved concurrency (validator-throttles). Nothing acknowledged is lost: a 5xx means not queued, and senders retry.',
      metric: { namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions: api, statistic: "Sum" },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      period: 300,
      treatMissingData: "notBreaching",
      missingDataReason: COUNTS_ONLY,
    },
    {
      purpose: "api-p99-latency",
      description: "p99 latency of the webhook API is close to provider timeouts (Slack 3 s, Shopify 5 s).",
      runbook:
        "The access log's latencyMs finds the slow requests; X-Ray (one traced request a second) shows where the time goes, a cold start as the validator's Initialization subsegment; the validator's Duration; DynamoDB and SQS latency. Senders that time out retry.",
      metric: { namespace: "AWS/ApiGateway", metricName: "Latency", dimensions: api, statistic: "p99" },
      comparison: "GreaterThanThreshold",
      threshold: thresholds.apiLatencyP99Ms ?? 2500,
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
      missingDataReason: "no requests means no latency to judge; few samples are ignored",
    },
    {
      purpose: "signature-rejections",
      description:
        "Spike in signature mismatches (401): a rotated provider secret not yet stored, or someone probing the endpoint.",
      runbook:
        "`npx webhooks verify` a captured request against the stored secrets: a rotated secret not stored yet, a wrong scheme or headerFamily, or probing (WAF logs, source IPs in the access log).",
      metric: {
        query: `SELECT SUM("${VALIDATOR_METRIC}") FROM "${inputs.metricsNamespace}" WHERE service = '${inputs.validatorService}' AND outcome = 'rejected' AND reason = 'signature_mismatch'`,
      },
      comparison: "GreaterThanThreshold",
      threshold: thresholds.signatureRejectionsPer5Min ?? 50,
      period: 300,
      treatMissingData: "notBreaching",
      missingDataReason: "the validator emits the metric only when it rejects; silence means no rejections",
    },
    {
      purpose: "delivery-id-conflicts",
      description:
        "A sender reused a delivery id for a different body (409): the new body was refused, never queued, and is not on the bus.",
      runbook:
        "The validator log `delivery id reused for a different body` names provider, deliveryId and webhookId; `npx webhooks status --provider <id> --delivery-id <id>` shows the body accepted first. The sender retries the refused one until it gives up. If its retries legitimately change the body (an attempt counter or a send time in it), its scheme must leave those fields out of the content digest; otherwise the sender reused an id: ask it for a new one. If the accepted body never reached the bus (record still RECEIVED), deleting the record lets the next retry through.",
      metric: {
        query: `SELECT SUM("${VALIDATOR_METRIC}") FROM "${inputs.metricsNamespace}" WHERE service = '${inputs.validatorService}' AND outcome = 'rejected' AND reason = 'delivery_id_conflict'`,
      },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      period: 300,
      treatMissingData: "notBreaching",
      missingDataReason: "the validator emits the metric only when it rejects; silence means no conflicts",
    },
    {
      purpose: "router-failed-messages",
      description:
        "The router reported messages for redelivery in two of three 5-minute periods (PutEvents failures, unreadable payloads).",
      runbook:
        "The router's `failed` metric by reason: putEvents… → EventBridge throttling, quotas or the data key's state; payload… → an S3 claim check missing (lifecycle?) or corrupt. The messages are redelivered, then moved to the ingest DLQ.",
      metric: {
        namespace: inputs.metricsNamespace,
        metricName: "failed",
        dimensions: { service: inputs.routerService },
        statistic: "Sum",
      },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
      missingDataReason: "the router publishes only while it runs; no batches means nothing failed",
    },
    ...inputs.rules.flatMap((rule) =>
      RULE_FAILURE_METRICS.map(
        ({ metricName, purpose, what, runbook }): AlarmSpec => ({
          purpose: `${rule.purpose}-${purpose}`,
          description: `Rule ${rule.name} ${what} (${metricName}).`,
          runbook: runbook(rule),
          metric: {
            namespace: "AWS/Events",
            metricName,
            dimensions: { EventBusName: inputs.busName, RuleName: rule.name },
            statistic: "Sum",
          },
          comparison: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
          missingDataReason: "EventBridge publishes these counts only when they are not zero",
        }),
      ),
    ),
    {
      purpose: "archive-silent",
      description:
        "The router put events on the bus but none reached the archive stream for 10 minutes: the catch-all rule matches nothing or cannot invoke Firehose.",
      runbook:
        "The catch-all rule's pattern or target was changed outside Terraform: compare with a plan (`cdktf diff`) and re-apply.",
      metric: {
        // Firehose silence is read as zero (FILL): here silence is the failure.
        expression: "IF(m1 > 0 AND FILL(m2, 0) == 0, 1, 0)",
        inputs: {
          m1: {
            namespace: inputs.metricsNamespace,
            metricName: "routed",
            dimensions: { service: inputs.routerService },
            statistic: "Sum",
          },
          m2: {
            namespace: "AWS/Firehose",
            metricName: "IncomingRecords",
            dimensions: stream,
            statistic: "Sum",
          },
        },
      },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      period: 300,
      evaluationPeriods: 2,
      treatMissingData: "notBreaching",
      missingDataReason:
        "no routed events means nothing should reach the archive; a silent archive while events are routed is filled with 0 and breaches",
    },
    {
      purpose: "archive-delivery-failures",
      description:
        "Firehose failed to put archive objects to S3 (DeliveryToS3.Success below 1); see its error log.",
      runbook:
        "Firehose's error log (/aws/kinesisfirehose/<stream>): bucket policy, KMS, S3 errors. Firehose retries for 24 hours, then writes the records under archive/errors/.",
      metric: {
        namespace: "AWS/Firehose",
        metricName: "DeliveryToS3.Success",
        dimensions: stream,
        statistic: "Minimum",
      },
      comparison: "LessThanThreshold",
      threshold: 1,
      period: 300,
      treatMissingData: "notBreaching",
      missingDataReason:
        "Firehose reports delivery only when a buffer was flushed; no events means nothing to deliver",
    },
    {
      purpose: "archive-data-freshness",
      description:
        "The oldest archive record waits in Firehose far past the buffer interval: S3 delivery is stuck.",
      runbook: "As archive-delivery-failures: Firehose's error log, the bucket policy and the data key.",
      metric: {
        namespace: "AWS/Firehose",
        metricName: "DeliveryToS3.DataFreshness",
        dimensions: stream,
        statistic: "Maximum",
      },
      comparison: "GreaterThanThreshold",
      threshold: thresholds.archiveFreshnessSeconds ?? 900,
      period: 300,
      treatMissingData: "notBreaching",
      missingDataReason: "Firehose reports freshness only while it holds records",
    },
  ];
}

/** The rule metrics that mean an event did not reach its target, each alarmed per rule. */
const RULE_FAILURE_METRICS = [
  {
    metricName: "FailedInvocations",
    purpose: "failed-invocations",
    what: "could not deliver events to its target",
    runbook: (rule: RuleRef) =>
      `${rule.target} refused the events (queue or stream policy, KMS, a deleted target): fix it; EventBridge retries for 24 hours, then the events go to ${rule.targetDlqPurpose}.`,
  },
  {
    metricName: "InvocationsSentToDlq",
    purpose: "sent-to-dlq",
    what: "sent events to its target's dead-letter queue",
    runbook: (rule: RuleRef) =>
      `Events gave up on ${rule.target} and wait in ${rule.targetDlqPurpose}: fix the target, then redrive them (see ${rule.targetDlqPurpose}-depth).`,
  },
  {
    metricName: "InvocationsFailedToBeSentToDlq",
    purpose: "dlq-failed",
    what: "dropped events that neither its target nor its dead-letter queue accepted: they are lost unless replayed from the archive",
    runbook: (rule: RuleRef) =>
      `Both ${rule.target} and ${rule.targetDlqPurpose} refused the events (the operations key disabled or its policy changed, a queue policy, a deleted queue): fix the DLQ first, then \`npx webhooks replay\` the time window from the bus archive.`,
  },
] as const;

function sqs(queueName: string, metricName: string, statistic: string): MetricRef {
  return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, statistic };
}
