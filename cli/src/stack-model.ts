import { FunctionEnv, type ProviderRuntimeConfig, RecordAttribute } from "@webhooks/shared";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { wholeRef } from "./inventory/references";

/** An SQS queue that is the dead-letter queue of another SQS queue: redrive with a message move task. */
export interface QueueRedrive {
  /** Short name: the source queue's name without the common `<prefix>-<env>-` head, e.g. `ingest`. */
  readonly label: string;
  readonly sourceQueue: string;
  readonly dlq: string;
  readonly maxReceiveCount?: number;
}

/**
 * Where the events in an EventBridge dead-letter queue belong: the consumer queue or Firehose
 * stream its rule's target failed to deliver them to, or the bus itself for the bus's DLQ.
 */
export type EventDlqDestination =
  | { readonly kind: "queue"; readonly queue: string }
  | { readonly kind: "stream"; readonly stream: string }
  | { readonly kind: "bus" };

/** A dead-letter queue EventBridge fills (a rule target's or the bus's): no SQS source queue. */
export interface EventDlq {
  /** Short name, e.g. `route-payments` for `whk-dev-route-payments-target-dlq`, `bus` for the bus DLQ. */
  readonly label: string;
  readonly dlq: string;
  /** Rules whose target sends failures here (none for the bus DLQ). */
  readonly rules: readonly string[];
  readonly destination: EventDlqDestination;
}

export interface StackRule {
  readonly name: string;
  readonly eventPattern: Record<string, unknown> | undefined;
  /** Every target of the rule delivers to a Firehose stream (the catch-all payload archive). */
  readonly archiveOnly: boolean;
}

/** What the CLI's AWS commands need to know of a synthesized stack: physical names, not ARNs. */
export interface StackModel {
  readonly dir: string;
  /** The aws provider's region, when it is a literal. */
  readonly region: string | undefined;
  readonly tableName: string | undefined;
  readonly busName: string | undefined;
  readonly archiveName: string | undefined;
  readonly archiveRetentionDays: number | undefined;
  /** Rules on the platform's bus. */
  readonly rules: readonly StackRule[];
  readonly redrives: readonly QueueRedrive[];
  readonly eventDlqs: readonly EventDlq[];
  /** Providers as the validator knows them (its `providers.json`, which the stack outputs). */
  readonly providers: readonly ProviderRuntimeConfig[];
  /** Events get source `<prefix>.<provider>` (the router's `EVENT_SOURCE_PREFIX`). */
  readonly eventSourcePrefix: string;
  /** How long a delivery record lives (the validator's `DEDUPE_TTL_SECONDS`). */
  readonly dedupeTtlSeconds: number | undefined;
  /**
   * Where the Firehose stream archives every bus event: newline-delimited GZIP objects under
   * `<prefix><yyyy>/<MM>/<dd>/`, dated by their arrival at Firehose (UTC).
   */
  readonly payloadArchive: PayloadArchive | undefined;
  /** Set for the local instance of `webhooks dev`: its AWS endpoint (DynamoDB, SQS), no AWS account. */
  readonly localEndpoint?: string;
}

export interface PayloadArchive {
  readonly bucket: string;
  /** e.g. `archive/`: the stream's prefix before its `!{timestamp:yyyy/MM/dd}/` part. */
  readonly prefix: string;
}

/** The date part the CLI reads archive days from; a stream with any other prefix is not read. */
const ARCHIVE_DAY_EXPRESSION = "!{timestamp:yyyy/MM/dd}/";

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is untyped
type Resources = Record<string, Record<string, any>>;

/** `${type.id.attr}` → [type, id]; undefined for anything else (a literal or an expression). */
function reference(value: unknown): [string, string] | undefined {
  const ref = wholeRef(value);
  return ref && !ref.data ? [ref.type, ref.id] : undefined;
}

function literal(value: unknown): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

function resourcesOf(doc: unknown): Resources {
  // biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is untyped
  return ((doc ?? {}) as any).resource ?? {};
}

/**
 * Whether a stack document deploys the webhook platform: it has the delivery records table (keyed
 * by webhook id). The regional stack (the region's API Gateway account setting) and other stacks
 * next to the environment stacks do not.
 */
export function isPlatformStack(doc: unknown): boolean {
  return Object.values(resourcesOf(doc).aws_dynamodb_table ?? {}).some(
    (table) => table.hash_key === RecordAttribute.webhookId,
  );
}

/** Whether a stack holds the region's API Gateway account setting (the regional stack's resource). */
export function holdsApiGatewayAccount(doc: unknown): boolean {
  return Object.keys(resourcesOf(doc).aws_api_gateway_account ?? {}).length > 0;
}

/** Reads the physical names the CLI needs out of a synthesized stack document. */
export function stackModel(doc: unknown, dir: string): StackModel {
  // biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is untyped
  const root = (doc ?? {}) as any;
  const resources = resourcesOf(doc);
  const of = (type: string): Array<[string, Record<string, unknown>]> =>
    Object.entries(resources[type] ?? {});

  const queueName = (value: unknown): string | undefined => {
    const ref = reference(value);
    if (ref?.[0] !== "aws_sqs_queue") return literal(value);
    return literal(resources.aws_sqs_queue?.[ref[1]]?.name);
  };
  const queueNames = of("aws_sqs_queue")
    .map(([, queue]) => literal(queue.name))
    .filter((name): name is string => name !== undefined);
  const head = commonHead(queueNames);
  const short = (name: string) => (name.startsWith(head) ? name.slice(head.length) : name);

  const tables = of("aws_dynamodb_table");
  const table = tables.find(([, t]) => t.hash_key === "webhookId") ?? tables[0];
  const buses = of("aws_cloudwatch_event_bus");
  const bus = buses[0];
  const busName = bus ? literal(bus[1].name) : undefined;
  const archive = of("aws_cloudwatch_event_archive")[0];

  const firehoseTargets = new Map<string, boolean>();
  const targetDlqs = new Map<string, { rules: string[]; destination: EventDlqDestination }>();
  for (const [, target] of of("aws_cloudwatch_event_target")) {
    const ruleRef = reference(target.rule);
    const ruleId = ruleRef?.[0] === "aws_cloudwatch_event_rule" ? ruleRef[1] : undefined;
    const ruleName = ruleId
      ? literal(resources.aws_cloudwatch_event_rule?.[ruleId]?.name)
      : literal(target.rule);
    const targetRef = reference(target.arn);
    const toFirehose = targetRef?.[0] === "aws_kinesis_firehose_delivery_stream";
    if (ruleName) firehoseTargets.set(ruleName, (firehoseTargets.get(ruleName) ?? true) && toFirehose);
    const dlq = queueName((target.dead_letter_config as { arn?: unknown } | undefined)?.arn);
    const destination = targetDestination(targetRef, resources);
    if (!dlq || !ruleName || !destination) continue;
    const known = targetDlqs.get(dlq);
    if (known) known.rules.push(ruleName);
    else targetDlqs.set(dlq, { rules: [ruleName], destination });
  }

  const rules: StackRule[] = [];
  for (const [, rule] of of("aws_cloudwatch_event_rule")) {
    const name = literal(rule.name);
    if (!name) continue;
    const onBus =
      bus === undefined || reference(rule.event_bus_name)?.[1] === bus[0] || rule.event_bus_name === busName;
    if (!onBus) continue;
    let eventPattern: Record<string, unknown> | undefined;
    try {
      eventPattern = typeof rule.event_pattern === "string" ? JSON.parse(rule.event_pattern) : undefined;
    } catch {
      eventPattern = undefined;
    }
    rules.push({ name, eventPattern, archiveOnly: firehoseTargets.get(name) ?? false });
  }

  rules.sort((a, b) => a.name.localeCompare(b.name));

  const redrives: QueueRedrive[] = [];
  for (const [, policy] of of("aws_sqs_queue_redrive_policy")) {
    const sourceQueue = queueName(policy.queue_url);
    let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } = {};
    try {
      parsed = JSON.parse(String(policy.redrive_policy));
    } catch {}
    const dlq = queueName(parsed.deadLetterTargetArn);
    if (!sourceQueue || !dlq) continue;
    redrives.push({
      label: short(sourceQueue),
      sourceQueue,
      dlq,
      maxReceiveCount: typeof parsed.maxReceiveCount === "number" ? parsed.maxReceiveCount : undefined,
    });
  }
  // Redrive policies set inline on a queue.
  for (const [, queue] of of("aws_sqs_queue")) {
    const name = literal(queue.name);
    if (!name || typeof queue.redrive_policy !== "string" || redrives.some((r) => r.sourceQueue === name))
      continue;
    try {
      const parsed = JSON.parse(queue.redrive_policy) as {
        deadLetterTargetArn?: unknown;
        maxReceiveCount?: unknown;
      };
      const dlq = queueName(parsed.deadLetterTargetArn);
      if (dlq)
        redrives.push({
          label: short(name),
          sourceQueue: name,
          dlq,
          maxReceiveCount: Number(parsed.maxReceiveCount),
        });
    } catch {}
  }

  const eventDlqs: EventDlq[] = [...targetDlqs].map(([dlq, { rules, destination }]) => ({
    label: short(dlq).replace(/-target-dlq$|-dlq$/, ""),
    dlq,
    rules,
    destination,
  }));
  const busDlq = bus
    ? queueName((bus[1].dead_letter_config as { arn?: unknown } | undefined)?.arn)
    : undefined;
  if (busDlq && !targetDlqs.has(busDlq)) {
    eventDlqs.push({
      label: short(busDlq).replace(/-dlq$/, ""),
      dlq: busDlq,
      rules: [],
      destination: { kind: "bus" },
    });
  }

  const functions = of("aws_lambda_function");
  const envOf = (name: string): string | undefined => {
    for (const [, fn] of functions) {
      const value = (fn.environment as { variables?: Record<string, unknown> } | undefined)?.variables?.[
        name
      ];
      if (typeof value === "string") return value;
    }
    return undefined;
  };
  let providers: ProviderRuntimeConfig[] = [];
  try {
    const listed = JSON.parse(root.output?.[PROVIDERS_OUTPUT]?.value ?? "[]");
    if (Array.isArray(listed)) providers = listed;
  } catch {}

  return {
    dir,
    payloadArchive: payloadArchiveOf(of("aws_kinesis_firehose_delivery_stream"), resources),
    region: literal(root.provider?.aws?.[0]?.region),
    tableName: table ? literal(table[1].name) : undefined,
    busName,
    archiveName: archive ? literal(archive[1].name) : undefined,
    archiveRetentionDays:
      archive && typeof archive[1].retention_days === "number" ? archive[1].retention_days : undefined,
    rules,
    redrives,
    eventDlqs,
    providers,
    eventSourcePrefix: envOf(FunctionEnv.eventSourcePrefix) ?? "webhooks",
    dedupeTtlSeconds: positiveInteger(envOf(FunctionEnv.dedupeTtlSeconds)),
  };
}

/** The S3 bucket and day-dated prefix of the Firehose stream that archives the bus's events. */
function payloadArchiveOf(
  streams: ReadonlyArray<[string, Record<string, unknown>]>,
  resources: Resources,
): PayloadArchive | undefined {
  for (const [, stream] of streams) {
    const s3 = stream.extended_s3_configuration as { bucket_arn?: unknown; prefix?: unknown } | undefined;
    const bucketRef = reference(s3?.bucket_arn);
    const bucket =
      bucketRef?.[0] === "aws_s3_bucket"
        ? literal(resources.aws_s3_bucket?.[bucketRef[1]]?.bucket)
        : undefined;
    const prefix = typeof s3?.prefix === "string" ? s3.prefix : "";
    if (bucket && prefix.endsWith(ARCHIVE_DAY_EXPRESSION))
      return { bucket, prefix: prefix.slice(0, -ARCHIVE_DAY_EXPRESSION.length) };
  }
  return undefined;
}

/** The queue or Firehose stream a rule target delivers to, by physical name. */
function targetDestination(
  targetRef: [string, string] | undefined,
  resources: Resources,
): EventDlqDestination | undefined {
  const name = targetRef && literal(resources[targetRef[0]]?.[targetRef[1]]?.name);
  if (!name) return undefined;
  if (targetRef[0] === "aws_sqs_queue") return { kind: "queue", queue: name };
  if (targetRef[0] === "aws_kinesis_firehose_delivery_stream") return { kind: "stream", stream: name };
  return undefined;
}

function positiveInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9][0-9]*$/.test(value) ? Number(value) : undefined;
}

/** The longest common head of the names that ends with `-` (`whk-dev-`), or "" for fewer than two names. */
function commonHead(names: readonly string[]): string {
  if (names.length < 2) return "";
  let head = names[0]!;
  for (const name of names) {
    while (!name.startsWith(head)) head = head.slice(0, -1);
  }
  return head.slice(0, head.lastIndexOf("-") + 1);
}
