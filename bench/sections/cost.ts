import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serializeEnvelope, webhookIdFor } from "@webhooks/shared";
import { wholeRef } from "../../cli/src/inventory/references";
import type { LogVolume } from "./log-volume";
import type { TableUnits } from "./write-units";

interface PriceTable {
  readonly prices: Record<string, { readonly usd: number }>;
  readonly assumptions: Record<string, { readonly value: number }>;
}

export const PRICE_TABLE_PATH = join(__dirname, "..", "prices.json");

/** One line of the estimate: what is counted per million webhooks, at what unit price. */
export interface CostLine {
  readonly service: string;
  readonly item: string;
  /** Units per million webhooks. */
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly usd: number;
}

export interface CostEstimate {
  readonly perMillion: readonly CostLine[];
  readonly perMillionUsd: number;
  readonly monthly: readonly CostLine[];
  readonly monthlyUsd: number;
  /** CloudWatch Logs bytes per webhook by writer, and `total`. */
  readonly logBytesPerWebhook: Readonly<Record<string, number>>;
  /** X-Ray traces recorded per million webhooks, by what samples them. */
  readonly tracesPerMillion: Readonly<Record<string, number>>;
}

const MILLION = 1_000_000;
const GB = 1024 ** 3;
// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;
// biome-ignore lint/suspicious/noExplicitAny: see Doc
type Resource = Record<string, any>;

const resources = (doc: Doc, type: string): Array<[string, Resource]> =>
  Object.entries(doc.resource?.[type] ?? {});
/** The logical id a `${type.id.attr}` reference points at, when it points at that type. */
function referencedId(reference: unknown, type: string): string | undefined {
  const ref = wholeRef(reference);
  return ref?.type === type && !ref.data ? ref.id : undefined;
}

/** Share of requests X-Ray records under a reservoir-plus-rate sampling rule at a steady rate. */
function sampledShare(ratePerSecond: number, reservoir: number, rate: number): number {
  const sampled = Math.min(ratePerSecond, reservoir) + rate * Math.max(0, ratePerSecond - reservoir);
  return sampled / ratePerSecond;
}

/** The EventBridge entry size of a 1 KB webhook: detail + source + detail-type + 14 bytes of time. */
function busEntryBytes(payloadBytes: number): number {
  const deliveryId = "evt_1NqX2bL3kKzE8mQp";
  const detail = serializeEnvelope({
    version: 1,
    webhookId: webhookIdFor("stripe", deliveryId),
    provider: "stripe",
    deliveryId,
    eventType: "payment_intent.succeeded",
    receivedAt: "2026-11-23T12:00:00.000Z",
    contentType: "application/json",
    payload: { kind: "inline", data: { pad: "x".repeat(payloadBytes - 10) } },
  });
  return Buffer.byteLength(detail) + "webhooks.stripe".length + "payment_intent.succeeded".length + 14;
}

/**
 * AWS cost per million 1 KB webhooks, from the synthesized stack (which services and features are
 * on, memory, architecture, batch sizes, log levels, tracing, retention), the measured table units
 * and log volume, and the price table. Fixed monthly charges are listed apart.
 */
export function estimateCost(doc: Doc, table: TableUnits, logs: LogVolume): CostEstimate {
  const { prices, assumptions } = JSON.parse(readFileSync(PRICE_TABLE_PATH, "utf8")) as PriceTable;
  const price = (name: string) => {
    const entry = prices[name];
    if (!entry) throw new Error(`prices.json has no price "${name}"`);
    return entry.usd;
  };
  const assume = (name: string) => {
    const entry = assumptions[name];
    if (!entry) throw new Error(`prices.json has no assumption "${name}"`);
    return entry.value;
  };
  const perMillion: CostLine[] = [];
  const add = (
    lines: CostLine[],
    service: string,
    item: string,
    quantity: number,
    unit: string,
    unitUsd: number,
  ) => lines.push({ service, item, quantity, unit, unitUsd, usd: quantity * unitUsd });

  const rate = assume("sustainedRequestsPerSecond");
  const payloadBytes = assume("payloadBytes");
  // Lambda samples what comes without an upstream decision by X-Ray's default rule, which cannot be
  // configured for functions; a stage without a rule of its own is sampled by the same default.
  const defaultShare = (perSecond: number) =>
    sampledShare(perSecond, assume("xrayDefaultReservoirPerSecond"), assume("xrayDefaultFixedRate"));
  const logBytes: Record<string, number> = {};
  const addLog = (writer: string, bytes: number) => {
    logBytes[writer] = (logBytes[writer] ?? 0) + bytes;
  };
  const traces: Record<string, number> = {};

  // Ingress: API Gateway REST, its WAF, and the stage's access log.
  const stages = resources(doc, "aws_api_gateway_stage");
  if (resources(doc, "aws_api_gateway_rest_api").length > 0)
    add(
      perMillion,
      "API Gateway",
      "REST requests",
      MILLION,
      "request",
      price("apiGatewayRestPerMillionRequests") / MILLION,
    );
  if (resources(doc, "aws_wafv2_web_acl_association").length > 0)
    add(
      perMillion,
      "WAF",
      "requests inspected",
      MILLION,
      "request",
      price("wafPerMillionRequests") / MILLION,
    );
  const stageRules = resources(doc, "aws_xray_sampling_rule").filter(
    ([, rule]) => rule.service_type === "AWS::ApiGateway::Stage",
  );
  for (const [stageId, stage] of stages) {
    if (stage.access_log_settings?.format) addLog("access log", MILLION * logs.accessLogBytesPerRequest);
    if (!stage.xray_tracing_enabled) continue;
    // The stage's rule names it by ARN; X-Ray takes the matching rule of lowest priority number.
    const rule = stageRules
      .map(([, candidate]) => candidate)
      .sort((a, b) => a.priority - b.priority)
      .find((candidate) => referencedId(candidate.resource_arn, "aws_api_gateway_stage") === stageId);
    traces[
      rule ? `stage rule (${rule.reservoir_size}/s + ${rule.fixed_rate * 100}%)` : "X-Ray's default rule"
    ] = MILLION * (rule ? sampledShare(rate, rule.reservoir_size, rule.fixed_rate) : defaultShare(rate));
  }

  // Functions: the API's (per request), the SQS consumer's (per batch), the stream consumer's.
  const mappings = resources(doc, "aws_lambda_event_source_mapping");
  const apiFunctions = new Set(
    resources(doc, "aws_lambda_permission")
      .filter(([, permission]) => permission.principal === "apigateway.amazonaws.com")
      .map(([, permission]) => referencedId(permission.function_name, "aws_lambda_function")),
  );
  const ingestMapping = mappings.find(([, m]) => referencedId(m.event_source_arn, "aws_sqs_queue"));
  const streamMapping = mappings.find(([, m]) => referencedId(m.event_source_arn, "aws_dynamodb_table"));
  const routerBatch = Math.min(
    ingestMapping?.[1].batch_size ?? 10,
    rate * (ingestMapping?.[1].maximum_batching_window_in_seconds ?? 0) || 1,
  );
  const streamRecords = MILLION * table.itemWritesPerWebhook;
  const auditBatch = Math.min(streamMapping?.[1].batch_size ?? 100, assume("auditRecordsPerInvocation"));
  const invocationsOf = (
    id: string,
  ): { invocations: number; billedMs: number; perSecond: number } | undefined => {
    if (apiFunctions.has(id))
      return { invocations: MILLION, billedMs: assume("validatorBilledMs"), perSecond: rate };
    if (ingestMapping && referencedId(ingestMapping[1].function_name, "aws_lambda_function") === id)
      return {
        invocations: MILLION / routerBatch,
        billedMs: assume("routerBilledMsPerBatch"),
        perSecond: rate / routerBatch,
      };
    if (streamMapping && referencedId(streamMapping[1].function_name, "aws_lambda_function") === id)
      return {
        invocations: streamRecords / auditBatch,
        billedMs: assume("auditBilledMsPerBatch"),
        perSecond: (rate * table.itemWritesPerWebhook) / auditBatch,
      };
    return undefined;
  };
  for (const [id, fn] of resources(doc, "aws_lambda_function")) {
    const load = invocationsOf(id);
    if (!load) throw new Error(`aws_lambda_function.${id}: the cost model does not know what invokes it`);
    const name = fn.function_name as string;
    const gbSeconds = load.invocations * (fn.memory_size / 1024) * (load.billedMs / 1000);
    const arm = (fn.architectures ?? []).includes("arm64");
    add(
      perMillion,
      "Lambda",
      `${name} requests`,
      load.invocations,
      "request",
      price("lambdaPerMillionRequests") / MILLION,
    );
    add(
      perMillion,
      "Lambda",
      `${name} compute (${fn.memory_size} MB × ${load.billedMs} ms)`,
      gbSeconds,
      "GB-s",
      price(arm ? "lambdaArmPerGbSecond" : "lambdaX86PerGbSecond"),
    );
    const systemLevel = fn.logging_config?.system_log_level ?? "INFO";
    if (systemLevel === "INFO" || systemLevel === "DEBUG")
      addLog("platform lines", load.invocations * assume("lambdaPlatformLogBytesPerInvocation"));
    // An API's function is traced with the stage's decision; event sources send none, so only an
    // Active function samples on its own (PassThrough traces nothing that comes without one).
    if (fn.tracing_config?.mode === "Active" && !apiFunctions.has(id))
      traces[`${name} (Lambda's fixed rate)`] = load.invocations * defaultShare(load.perSecond);
  }
  addLog("validator", MILLION * logs.validatorBytesPerRequest);
  addLog("router", (MILLION / routerBatch) * logs.routerBytesPerBatch);
  if (streamMapping) addLog("audit", MILLION * logs.auditBytesPerWebhook);

  // Queues: the ingest queue (sent once, received and deleted in batches) and the route queues EventBridge sends to.
  const entryBytes = busEntryBytes(payloadBytes);
  const chunks = (bytes: number) => Math.ceil(bytes / 65_536);
  if (ingestMapping) {
    const queue =
      doc.resource.aws_sqs_queue[referencedId(ingestMapping[1].event_source_arn, "aws_sqs_queue")!];
    const sqsPrice =
      price(queue.fifo_queue ? "sqsFifoPerMillionRequests" : "sqsStandardPerMillionRequests") / MILLION;
    add(perMillion, "SQS", `${queue.name}: SendMessage`, MILLION * chunks(entryBytes), "request", sqsPrice);
    add(
      perMillion,
      "SQS",
      `${queue.name}: ReceiveMessage + DeleteMessageBatch`,
      (2 * MILLION) / routerBatch,
      "request",
      sqsPrice,
    );
  }
  const targets = resources(doc, "aws_cloudwatch_event_target");
  const routeTargets = targets.filter(([, target]) => referencedId(target.arn, "aws_sqs_queue"));
  if (routeTargets.length > 0)
    add(
      perMillion,
      "SQS",
      "route queues: SendMessage by EventBridge",
      MILLION * assume("routesMatchedPerWebhook") * chunks(entryBytes),
      "request",
      price("sqsStandardPerMillionRequests") / MILLION,
    );

  // The bus, its archive, and the catch-all rule's Firehose archive.
  if (resources(doc, "aws_cloudwatch_event_bus").length > 0)
    add(
      perMillion,
      "EventBridge",
      `PutEvents entries (${entryBytes} B each)`,
      MILLION * chunks(entryBytes),
      "event",
      price("eventBridgeCustomEventsPerMillion") / MILLION,
    );
  for (const [, archive] of resources(doc, "aws_cloudwatch_event_archive")) {
    const gigabytes = (MILLION * entryBytes) / GB;
    add(
      perMillion,
      "EventBridge",
      "archive: events processed",
      gigabytes,
      "GB",
      price("eventBridgeArchivePerGbProcessed"),
    );
    const months = (archive.retention_days ?? 0) / 30;
    add(
      perMillion,
      "EventBridge",
      `archive: storage for ${archive.retention_days} days`,
      gigabytes * months,
      "GB-month",
      price("eventBridgeArchivePerGbMonth"),
    );
  }
  for (const [, target] of targets) {
    const streamId = referencedId(target.arn, "aws_kinesis_firehose_delivery_stream");
    if (!streamId) continue;
    const stream = doc.resource.aws_kinesis_firehose_delivery_stream[streamId];
    const billed = Math.ceil(entryBytes / 5120) * 5120;
    add(
      perMillion,
      "Firehose",
      `${stream.name}: ingestion (records billed in 5 KB steps)`,
      (MILLION * billed) / GB,
      "GB",
      price("firehosePerGbIngested"),
    );
    const bufferBytes = (stream.extended_s3_configuration?.buffering_size ?? 5) * 1024 ** 2;
    add(
      perMillion,
      "S3",
      "archive objects written by Firehose",
      Math.ceil((MILLION * entryBytes) / bufferBytes),
      "PUT",
      price("s3PutPerThousand") / 1000,
    );
  }

  // The records table: measured units per webhook, and storage while records live.
  for (const [, records] of resources(doc, "aws_dynamodb_table")) {
    if (records.billing_mode !== "PAY_PER_REQUEST")
      throw new Error("the cost model prices on-demand tables only");
    add(
      perMillion,
      "DynamoDB",
      `write units (${table.writeUnitsPerWebhook} per webhook, measured)`,
      MILLION * table.writeUnitsPerWebhook,
      "WRU",
      price("dynamoDbPerMillionWriteUnits") / MILLION,
    );
    add(
      perMillion,
      "DynamoDB",
      `read units (${table.readUnitsPerWebhook} per webhook, measured)`,
      MILLION * table.readUnitsPerWebhook,
      "RRU",
      price("dynamoDbPerMillionReadUnits") / MILLION,
    );
    const gbMonths = ((MILLION * table.itemBytes) / GB) * (assume("recordRetentionDays") / 30);
    add(
      perMillion,
      "DynamoDB",
      `storage (${table.itemBytes} B items, ${assume("recordRetentionDays")} days)`,
      gbMonths,
      "GB-month",
      price("dynamoDbStoragePerGbMonth"),
    );
    if (records.point_in_time_recovery?.enabled)
      add(
        perMillion,
        "DynamoDB",
        "point-in-time recovery",
        gbMonths,
        "GB-month",
        price("dynamoDbPitrPerGbMonth"),
      );
  }

  const totalLogBytes = Object.values(logBytes).reduce((sum, bytes) => sum + bytes, 0);
  add(
    perMillion,
    "CloudWatch Logs",
    `ingestion (${Object.keys(logBytes).join(", ")})`,
    totalLogBytes / GB,
    "GB",
    price("cloudWatchLogsPerGbIngested"),
  );
  const totalTraces = Object.values(traces).reduce((sum, count) => sum + count, 0);
  if (totalTraces > 0)
    add(
      perMillion,
      "X-Ray",
      `traces recorded at ${rate}/s: ${Object.keys(traces).join(", ")}`,
      totalTraces,
      "trace",
      price("xrayPerMillionTracesRecorded") / MILLION,
    );

  const monthly: CostLine[] = [];
  const count = (type: string) => resources(doc, type).length;
  add(monthly, "KMS", "customer managed keys", count("aws_kms_key"), "key", price("kmsKeyPerMonth"));
  add(
    monthly,
    "Secrets Manager",
    "signing secrets",
    count("aws_secretsmanager_secret"),
    "secret",
    price("secretPerMonth"),
  );
  for (const [, acl] of resources(doc, "aws_wafv2_web_acl")) {
    add(monthly, "WAF", "web ACL", 1, "ACL", price("wafWebAclPerMonth"));
    add(
      monthly,
      "WAF",
      "rules (a managed group is one)",
      acl.rule?.length ?? 0,
      "rule",
      price("wafRulePerMonth"),
    );
  }
  add(monthly, "CloudWatch", "alarms", count("aws_cloudwatch_metric_alarm"), "alarm", price("alarmPerMonth"));
  add(
    monthly,
    "CloudWatch",
    "dashboards",
    count("aws_cloudwatch_dashboard"),
    "dashboard",
    price("dashboardPerMonth"),
  );

  const sum = (lines: readonly CostLine[]) => lines.reduce((total, line) => total + line.usd, 0);
  const perWebhook = Object.fromEntries(
    Object.entries(logBytes).map(([writer, bytes]) => [writer, bytes / MILLION]),
  );
  return {
    perMillion,
    perMillionUsd: sum(perMillion),
    monthly,
    monthlyUsd: sum(monthly),
    logBytesPerWebhook: { ...perWebhook, total: totalLogBytes / MILLION },
    tracesPerMillion: { ...traces, total: totalTraces },
  };
}
