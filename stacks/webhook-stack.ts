import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GENERIC_ENDPOINT_ID } from "@webhooks/shared";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsContext } from "../constructs/aws-context";
import { Delivery } from "../constructs/delivery";
import { IngestQueue } from "../constructs/ingest-queue";
import { Ingress } from "../constructs/ingress";
import { NameValidation } from "../constructs/name-validation";
import { Naming } from "../constructs/naming";
import { PayloadBucket } from "../constructs/payload-bucket";
import { PlatformKey } from "../constructs/platform-key";
import { SharedLayer } from "../constructs/shared-layer";
import { WebhookTable } from "../constructs/webhook-table";
import { configureBackend } from "./backend";
import type { PlatformConfig } from "./config";
import { PROVIDERS_OUTPUT } from "./stack-outputs";

/**
 * The whole platform for one environment: providers, backend, the data and operations keys, the
 * shared layer, and the ingress and delivery constructs composed from the configuration. The
 * region's API Gateway CloudWatch role is not here (see RegionalStack): destroying this stack never
 * touches anything another stack relies on.
 */
export class WebhookStack extends TerraformStack {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly operationsKey: PlatformKey;
  readonly layer: SharedLayer;
  readonly table: WebhookTable;
  readonly bucket: PayloadBucket;
  readonly queue: IngestQueue;
  readonly ingress: Ingress;
  readonly delivery: Delivery;

  constructor(
    scope: Construct,
    id: string,
    readonly config: PlatformConfig,
  ) {
    super(scope, id);
    this.context = new AwsContext(this, "context", { region: config.region });
    this.naming = new Naming({
      prefix: config.prefix,
      environment: config.environment,
      suffix: config.environmentSuffix,
      region: config.region,
      accountId: this.context.accountId,
    });
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [
        { tags: { ...config.tags, Environment: config.environment, Service: config.serviceName } },
      ],
    });
    new ArchiveProvider(this, "archive");
    configureBackend(this, config.backend);

    const deletionWindowInDays = config.production ? 30 : 7;
    this.key = new PlatformKey(this, "key", {
      naming: this.naming,
      context: this.context,
      deletionWindowInDays,
    });
    this.operationsKey = new PlatformKey(this, "operations-key", {
      naming: this.naming,
      context: this.context,
      purpose: "operations",
      encrypts: "dead-letter queues and alarm topic (kept apart from the data key they report on)",
      deletionWindowInDays,
    });
    this.layer = new SharedLayer(this, "layer", { naming: this.naming });
    const base = { naming: this.naming, context: this.context, key: this.key };

    this.table = new WebhookTable(this, "table", {
      ...base,
      deletionProtection: config.production,
      retain: config.production,
    });
    this.bucket = new PayloadBucket(this, "payloads", {
      ...base,
      glacierAfterDays: config.limits.glacierAfterDays,
      payloadRetentionDays: config.limits.archiveRetentionDays + 14,
      retain: config.production,
    });
    this.queue = new IngestQueue(this, "ingest", {
      ...base,
      maxReceiveCount: config.limits.maxReceiveCount,
      fifo: config.fifoIngestQueue,
    });
    const stores = { table: this.table, bucket: this.bucket, queue: this.queue };
    this.ingress = new Ingress(this, "ingress", {
      ...base,
      ...stores,
      layer: this.layer,
      config,
    });
    this.delivery = new Delivery(this, "delivery", {
      ...base,
      ...stores,
      operationsKey: this.operationsKey,
      layer: this.layer,
      config,
      ingress: this.ingress,
    });

    this.addOutputs();

    this.node.addValidation(new NameValidation(this, this.naming));
  }

  /** What consumers and operators need: endpoints, queues to read, DLQs to watch, names for the CLI. */
  private addOutputs(): void {
    const { ingress, delivery } = this;
    this.output("kms_key_arn", this.key.arn, "ARN of the platform's data key (CMK)");
    this.output("kms_key_alias", this.key.aliasName, "Alias of the data key");
    this.output(
      "operations_key_arn",
      this.operationsKey.arn,
      "ARN of the operations key (dead-letter queues EventBridge fills, alarm topic)",
    );
    this.output("shared_layer_arn", this.layer.arn, "ARN of the shared Lambda layer version");
    this.output("table_name", this.table.name, "DynamoDB table of delivery records (status, dedupe)");
    this.output(
      "payload_bucket",
      this.bucket.name,
      "S3 bucket of claim-checked payloads and the batched archive",
    );
    this.output("ingest_queue_url", this.queue.url, "SQS ingest queue the validator enqueues to");
    this.output(
      "ingest_dlq_url",
      this.queue.dlqUrl,
      "Dead-letter queue of the ingest queue (redrive with the CLI)",
    );
    this.output("api_invoke_url", ingress.invokeUrl, "Base URL of the webhook API stage");
    for (const [endpoint, url] of Object.entries(ingress.endpoints)) {
      this.output(
        `endpoint_${endpoint.replaceAll("-", "_")}`,
        url,
        endpoint === GENERIC_ENDPOINT_ID
          ? "Generic endpoint for in-house senders: they name their provider in X-Provider-ID, sign with X-Webhook-Signature and send the API key (x-api-key)"
          : `Webhook endpoint of provider ${endpoint}: paste it into the sender's webhook settings`,
      );
    }
    this.output(
      "api_key_id",
      ingress.api.apiKeyId,
      "Id of the API key callers of API-key routes send as x-api-key (`aws apigateway get-api-key --api-key <id> --include-value`)",
    );
    this.output("validator_function_name", ingress.validator.functionName, "Validator Lambda");
    this.output(
      PROVIDERS_OUTPUT,
      ingress.providersJson,
      "Providers the validator accepts, as its package's providers.json lists them (the CLI reads them here)",
    );
    this.output("router_function_name", delivery.router.functionName, "Router Lambda");
    this.output(
      "audit_function_name",
      delivery.audit.functionName,
      "Audit Lambda (one log line per status change)",
    );
    this.output("event_bus_name", delivery.busName, "EventBridge bus webhooks are routed to");
    this.output("event_archive_name", delivery.archiveName, "EventBridge archive (replay with the CLI)");
    this.output("bus_dlq_url", delivery.bus.dlq.url, "Events the bus could not encrypt or decrypt");
    for (const route of delivery.routes) {
      const id = route.routeId.replaceAll("-", "_");
      this.output(`route_${id}_queue_url`, route.queue.url, `Queue the ${route.routeId} consumer reads`);
      this.output(
        `route_${id}_queue_arn`,
        route.queue.arn,
        `ARN of the ${route.routeId} queue (consumer IAM, event sources)`,
      );
      this.output(
        `route_${id}_dlq_url`,
        route.dlq.url,
        `Messages the ${route.routeId} consumer failed repeatedly`,
      );
      this.output(
        `route_${id}_target_dlq_url`,
        route.targetDlq.url,
        `Events EventBridge could not deliver to the ${route.routeId} queue`,
      );
    }
    this.output(
      "archive_target_dlq_url",
      delivery.archiveStream.targetDlq.url,
      "Events EventBridge could not deliver to the archive stream",
    );
    this.output(
      "audit_failures_queue_url",
      delivery.auditFailures.url,
      "Stream batches the audit function dropped",
    );
    this.output("alarm_topic_arn", delivery.alarmTopicArn, "SNS topic alarms notify");
    this.output("dashboard_name", delivery.dashboard.name, "CloudWatch dashboard of this environment");
  }

  /** A stack output an operator needs (`cdktf output`, the CLI's inventory). */
  output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description });
  }
}
