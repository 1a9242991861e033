import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { BUS_ENTRY_BUDGET_BYTES, EVENT_SOURCE_PREFIX, FunctionEnv } from "@webhooks/shared";
import { Construct } from "constructs";
import type { PlatformConfig } from "../stacks/config";
import { type AlarmRecord, Alarms, type MetricRef } from "./alarms";
import type { AwsContext } from "./aws-context";
import { BundledFunction } from "./bundled-function";
import { Dashboard, type DashboardGraph, type DashboardMetric } from "./dashboard";
import { EncryptedQueue, SQS_MAX_RETENTION_SECONDS } from "./encrypted-queue";
import { EventBus } from "./event-bus";
import { type IngestQueue, VISIBILITY_TIMEOUT_FACTOR } from "./ingest-queue";
import type { Naming } from "./naming";
import { PayloadArchiveStream } from "./payload-archive-stream";
import { PayloadBucket } from "./payload-bucket";
import { type AlarmThresholds, type DeadLetterQueueRef, platformAlarms } from "./platform-alarms";
import type { PlatformKey } from "./platform-key";
import { RouteTarget } from "./route-target";
import type { SharedLayer } from "./shared-layer";
import type { WebhookTable } from "./webhook-table";

/** The router's timeout; the ingest queue's visibility timeout is sized from it. */
export const ROUTER_TIMEOUT_SECONDS = 30;
/** Messages per router invocation (SQS's maximum without a batching window over 0). */
export const ROUTER_BATCH_SIZE = 10;
/** PutEvents entry budget (functions/shared/limits.ts): 256 KiB, since not every Region has the 1 MiB raise. */
export const BUS_ENTRY_MAX_BYTES = BUS_ENTRY_BUDGET_BYTES;

/**
 * The router function's environment (what its configuration loader reads) for the resources it
 * uses; `webhooks dev` builds its local router from the same environment.
 */
export function routerEnvironment(resources: {
  readonly tableName: string;
  readonly busName: string;
  readonly payloadBucket: string;
}): Record<string, string> {
  return {
    [FunctionEnv.tableName]: resources.tableName,
    [FunctionEnv.eventBusName]: resources.busName,
    [FunctionEnv.eventSourcePrefix]: EVENT_SOURCE_PREFIX,
    [FunctionEnv.busEntryMaxBytes]: String(BUS_ENTRY_MAX_BYTES),
    [FunctionEnv.payloadBucket]: resources.payloadBucket,
  };
}

/** What delivery reads of the ingress: the API's metric dimensions and the validator's name. */
export interface DeliveryIngress {
  readonly restApiName: string;
  readonly stageName: string;
  readonly validator: { readonly functionName: string };
  /** The `service` dimension of the validator's metrics. */
  readonly validatorService: string;
  /** The validator's EMF namespace; the router and audit function publish to the same one. */
  readonly metricsNamespace?: string;
}

export interface DeliveryProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /**
   * Encrypts what must keep working when `key` is disabled or deleted: the bus DLQ and the
   * EventBridge target DLQs (which fill exactly then) and the alarm topic (which reports it).
   */
  readonly operationsKey: PlatformKey;
  readonly table: WebhookTable;
  readonly bucket: PayloadBucket;
  readonly queue: IngestQueue;
  readonly layer: SharedLayer;
  readonly config: PlatformConfig;
  readonly ingress: DeliveryIngress;
  /**
   * CloudWatch namespace of the router's and audit function's EMF metrics, and where the
   * signature-rejection alarm reads the validator's metric.
   * @default ingress.metricsNamespace, else "Webhooks" (the functions' own default)
   */
  readonly metricsNamespace?: string;
  /** @default each threshold's own default */
  readonly thresholds?: AlarmThresholds;
}

/**
 * Everything after the ingest queue: the router (SQS → EventBridge), the custom bus with its
 * archive and DLQ, one rule + consumer queue per configured route, the catch-all Firehose archive
 * to S3, the audit function on the table's stream, the alarms with their topic, and the dashboard.
 */
export class Delivery extends Construct {
  readonly busName: string;
  readonly busArn: string;
  readonly archiveName: string;
  readonly router: BundledFunction;
  readonly audit: BundledFunction;
  readonly alarmTopicArn: string;
  readonly bus: EventBus;
  readonly routes: readonly RouteTarget[];
  readonly archiveStream: PayloadArchiveStream;
  readonly auditFailures: EncryptedQueue;
  readonly alarms: Alarms;
  readonly dashboard: Dashboard;
  readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const { naming, context, key, operationsKey, table, bucket, queue, layer, config, ingress } = props;
    const logRetentionDays = config.limits.logRetentionDays;
    this.metricsNamespace = props.metricsNamespace ?? ingress.metricsNamespace ?? "Webhooks";
    const sources = config.providers.map((provider) => `${EVENT_SOURCE_PREFIX}.${provider.id}`);

    // Bus, archive and bus DLQ.
    this.bus = new EventBus(this, "bus", {
      naming,
      context,
      key,
      sourcePrefix: `${EVENT_SOURCE_PREFIX}.`,
      archiveRetentionDays: config.limits.archiveRetentionDays,
      deadLetterKey: operationsKey,
      publisherArns: config.eventBusPublisherArns,
    });
    this.busName = this.bus.name;
    this.busArn = this.bus.arn;
    this.archiveName = this.bus.archiveName;

    // Router: ingest queue → bus.
    const routerConcurrency = config.limits.routerConcurrency;
    const needed = VISIBILITY_TIMEOUT_FACTOR * ROUTER_TIMEOUT_SECONDS + queue.batchingWindowSeconds;
    if (queue.visibilityTimeoutSeconds < needed) {
      throw new Error(
        `Delivery: the ingest queue's visibility timeout (${queue.visibilityTimeoutSeconds} s) is below 6 × the router timeout (${ROUTER_TIMEOUT_SECONDS} s) + batching window (${queue.batchingWindowSeconds} s) = ${needed} s; raise IngestQueueProps.consumerTimeoutSeconds`,
      );
    }
    // The Powertools `service` dimension: per deployment, so alarms never mix environments sharing an account.
    const routerService = `${naming.base}-router`;
    this.router = new BundledFunction(this, "router", {
      naming,
      context,
      key,
      layer,
      purpose: "router",
      entry: "functions/router/index.ts",
      description: "Routes verified webhooks from the ingest queue to the event bus",
      memorySize: 256,
      timeoutSeconds: ROUTER_TIMEOUT_SECONDS,
      // Equal to the event source's maximum concurrency: the router keeps its share of the region's
      // concurrency, and the event source never asks for more than is reserved (a throttled receive
      // counts toward maxReceiveCount and would push healthy messages to the DLQ).
      reservedConcurrency: routerConcurrency,
      // Invoked by its SQS event source, which sends no sampling decision: Active would trace at
      // Lambda's fixed, unconfigurable rate (about $0.12 a million webhooks on its own).
      tracing: "PassThrough",
      logRetentionDays,
      environment: {
        ...routerEnvironment({ tableName: table.name, busName: this.bus.name, payloadBucket: bucket.name }),
        POWERTOOLS_SERVICE_NAME: routerService,
        POWERTOOLS_METRICS_NAMESPACE: this.metricsNamespace,
      },
    });
    queue.grantConsume(this.router.role);
    this.bus.grantPutEvents(this.router.role, this.router.role.arn);
    table.grantRouting(this.router.role);
    // Claim checks: the router reads the validator's and writes its own for oversize inline entries.
    bucket.grantReadPayloads(this.router.role);
    bucket.grantPutPayloads(this.router.role);
    new LambdaEventSourceMapping(this, "router-source", {
      eventSourceArn: queue.arn,
      functionName: this.router.arn,
      enabled: true,
      batchSize: ROUTER_BATCH_SIZE,
      // FIFO event sources take no batching window.
      maximumBatchingWindowInSeconds: queue.fifo ? undefined : queue.batchingWindowSeconds,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: routerConcurrency },
      // Lambda checks the role can read the queue when the mapping is created.
      dependsOn: [this.router.role.policy],
    });

    // One rule and consumer queue per configured route.
    this.routes = config.routes.map(
      (route) =>
        new RouteTarget(this, `route-${route.id}`, {
          naming,
          key,
          deadLetterKey: operationsKey,
          bus: this.bus,
          route,
          sources,
        }),
    );

    // Catch-all → Firehose → s3://<bucket>/archive/yyyy/MM/dd/.
    this.archiveStream = new PayloadArchiveStream(this, "archive", {
      naming,
      context,
      key,
      bus: this.bus,
      bucket,
      prefix: PayloadBucket.ARCHIVE_PREFIX,
      sourcePrefix: `${EVENT_SOURCE_PREFIX}.`,
      logRetentionDays,
      deadLetterKey: operationsKey,
    });

    // Audit: the table's stream → one log line per status transition (functions/audit/stdout-trail.ts).
    this.audit = new BundledFunction(this, "audit", {
      naming,
      context,
      key,
      layer,
      purpose: "audit",
      entry: "functions/audit/index.ts",
      description: "Logs every status transition of a delivery record from the table's stream",
      memorySize: 256,
      timeoutSeconds: 30,
      // Invoked by the stream, which sends no sampling decision (see the router).
      tracing: "PassThrough",
      logRetentionDays,
    });
    this.auditFailures = new EncryptedQueue(this, "audit-failures", {
      naming,
      key,
      purpose: "audit-failures",
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    table.grantStreamRead(this.audit.role);
    // The event source sends on-failure records with the function's role.
    this.auditFailures.grantSend(this.audit.role);
    new LambdaEventSourceMapping(this, "audit-source", {
      eventSourceArn: table.streamArn,
      functionName: this.audit.arn,
      enabled: true,
      // From the oldest record the stream keeps: a mapping created or replaced after the table misses
      // nothing written in between (LATEST would skip those records for good).
      startingPosition: "TRIM_HORIZON",
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      // 6 hours: long enough to ride out an outage, well inside the stream's 24-hour retention.
      maximumRecordAgeInSeconds: 21_600,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: this.auditFailures.arn } },
      dependsOn: [this.audit.role.policy],
    });

    // Alarms and dashboard.
    this.alarms = new Alarms(this, "alarms", {
      naming,
      context,
      key: operationsKey,
      email: config.alarmEmail,
    });
    this.alarmTopicArn = this.alarms.topicArn;
    const functions = [
      { purpose: "validator", name: ingress.validator.functionName },
      { purpose: "router", name: this.router.functionName },
      { purpose: "audit", name: this.audit.functionName },
    ];
    const deadLetterQueues: DeadLetterQueueRef[] = [
      {
        purpose: "ingest-dlq",
        name: queue.dlqName,
        holds: "webhooks the router failed maxReceiveCount times",
        runbook:
          "They are durable, not lost. The router log (`message not routed`) gives the reason; after the fix `npx webhooks redrive --queue ingest` moves them back (records already ROUTED are not put again).",
      },
      {
        purpose: "bus-dlq",
        name: this.bus.dlq.name,
        holds: "events the bus could not encrypt or decrypt",
        runbook:
          "The data key is disabled, pending deletion or its policy changed: fix the key, then `npx webhooks redrive --target-dlq bus` (needs a role listed in eventBusPublisherArns).",
      },
      ...this.routes.flatMap((route) => [
        {
          purpose: `route-${route.routeId}-dlq`,
          name: route.dlq.name,
          holds: `messages the ${route.routeId} consumer failed repeatedly`,
          runbook: `The consumer's problem: after its fix \`npx webhooks redrive --queue ${route.routeId}\`.`,
        },
        {
          purpose: `route-${route.routeId}-target-dlq`,
          name: route.targetDlq.name,
          holds: `events EventBridge could not deliver to the ${route.routeId} queue`,
          runbook: `After fixing the queue (policy, key): \`npx webhooks redrive --target-dlq ${route.routeId}\` sends them to the ${route.routeId} queue (a message move task cannot: their source is not an SQS queue).`,
        },
      ]),
      {
        purpose: "archive-target-dlq",
        name: this.archiveStream.targetDlq.name,
        holds: "events EventBridge could not deliver to the archive stream",
        runbook:
          "After fixing the stream (its role, the data key): `npx webhooks redrive --target-dlq archive` puts them to Firehose. They are also in the bus archive.",
      },
      {
        purpose: "audit-failures",
        name: this.auditFailures.name,
        holds: "stream batches the audit function dropped",
        runbook:
          "Each message names a shard and sequence range; the records are still in the table (its status is authoritative). Log them by hand if the audit trail must be complete.",
      },
    ];
    const alarmSpecs = platformAlarms({
      functions,
      deadLetterQueues,
      ingestQueueName: queue.name,
      fifoIngestQueue: queue.fifo,
      routerConcurrency,
      restApiName: ingress.restApiName,
      stageName: ingress.stageName,
      metricsNamespace: this.metricsNamespace,
      validatorService: ingress.validatorService,
      routerService,
      busName: this.busName,
      rules: [
        ...this.routes.map((route) => ({
          purpose: `route-${route.routeId}`,
          name: route.ruleName,
          target: `the ${route.routeId} queue`,
          targetDlqPurpose: `route-${route.routeId}-target-dlq`,
        })),
        {
          purpose: "archive",
          name: this.archiveStream.ruleName,
          target: "the archive stream",
          targetDlqPurpose: "archive-target-dlq",
        },
      ],
      archiveStreamName: this.archiveStream.streamName,
      thresholds: props.thresholds,
    });
    for (const spec of alarmSpecs) this.alarms.add(spec);
    this.dashboard = new Dashboard(this, "dashboard", {
      naming,
      region: context.region,
      alarmArns: this.alarms.alarms.map((alarm: AlarmRecord) => alarm.arn),
      graphs: this.graphs(props, { functions, deadLetterQueues }),
    });
  }

  private graphs(
    props: DeliveryProps,
    parts: {
      functions: ReadonlyArray<{ purpose: string; name: string }>;
      deadLetterQueues: ReadonlyArray<{ purpose: string; name: string }>;
    },
  ): DashboardGraph[] {
    const { queue, ingress } = props;
    const api = { ApiName: ingress.restApiName, Stage: ingress.stageName };
    const line = (label: string, metric: MetricRef): DashboardMetric => ({ ...metric, label });
    const fnLines = (metricName: string, statistic: string) =>
      parts.functions.map((fn) =>
        line(`${fn.purpose} ${metricName}`, {
          namespace: "AWS/Lambda",
          metricName,
          dimensions: { FunctionName: fn.name },
          statistic,
        }),
      );
    const rules = [
      ...this.routes.map((route) => ({ label: route.routeId, name: route.ruleName })),
      { label: "archive", name: this.archiveStream.ruleName },
    ];
    const stream = { DeliveryStreamName: this.archiveStream.streamName };
    return [
      {
        title: "API requests and errors",
        metrics: ["Count", "4XXError", "5XXError"].map((metricName) =>
          line(metricName, { namespace: "AWS/ApiGateway", metricName, dimensions: api, statistic: "Sum" }),
        ),
      },
      {
        title: "API latency",
        metrics: ["p50", "p99"].map((statistic) =>
          line(`Latency ${statistic}`, {
            namespace: "AWS/ApiGateway",
            metricName: "Latency",
            dimensions: api,
            statistic,
          }),
        ),
      },
      {
        title: "Ingest queue",
        metrics: [
          line("visible", sqs(queue.name, "ApproximateNumberOfMessagesVisible", "Maximum")),
          line("in flight", sqs(queue.name, "ApproximateNumberOfMessagesNotVisible", "Maximum")),
          line("oldest (s)", sqs(queue.name, "ApproximateAgeOfOldestMessage", "Maximum")),
        ],
      },
      {
        title: "Dead-letter queues",
        metrics: parts.deadLetterQueues.map((dlq) =>
          line(dlq.purpose, sqs(dlq.name, "ApproximateNumberOfMessagesVisible", "Maximum")),
        ),
      },
      { title: "Function invocations", metrics: fnLines("Invocations", "Sum") },
      {
        title: "Function errors and throttles",
        metrics: [...fnLines("Errors", "Sum"), ...fnLines("Throttles", "Sum")],
      },
      { title: "Function duration p99", metrics: fnLines("Duration", "p99") },
      {
        title: "Rules: deliveries and failures",
        metrics: rules.flatMap((rule) =>
          ["Invocations", "FailedInvocations", "InvocationsSentToDlq"].map((metricName) =>
            line(`${rule.label} ${metricName}`, {
              namespace: "AWS/Events",
              metricName,
              dimensions: { EventBusName: this.busName, RuleName: rule.name },
              statistic: "Sum",
            }),
          ),
        ),
      },
      {
        title: "Archive stream",
        metrics: [
          line("incoming records", {
            namespace: "AWS/Firehose",
            metricName: "IncomingRecords",
            dimensions: stream,
            statistic: "Sum",
          }),
          line("records to S3", {
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.Records",
            dimensions: stream,
            statistic: "Sum",
          }),
          line("freshness (s)", {
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.DataFreshness",
            dimensions: stream,
            statistic: "Maximum",
          }),
        ],
      },
    ];
  }
}

function sqs(queueName: string, metricName: string, statistic: string): MetricRef {
  return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, statistic };
}
