import { block, blocks, bool, type Entry, num, record, str, strings } from "./document";
import type { Model } from "./model";
import { leadingRef } from "./references";
import type { Finding, IamInventory, ResourceEntry } from "./types";

/** Readable labels of the stack's top-level constructs (the first segment of a construct path). */
const GROUP_LABELS: Readonly<Record<string, string>> = {
  context: "AWS context",
  key: "platform key",
  "operations-key": "operations key",
  layer: "shared layer",
  table: "records table",
  payloads: "payload bucket",
  ingest: "ingest queue",
  ingress: "ingress",
  delivery: "delivery",
};

const SERVICE_LABELS: Readonly<Record<string, string>> = {
  "lambda.amazonaws.com": "Lambda",
  "events.amazonaws.com": "EventBridge",
  "firehose.amazonaws.com": "Firehose",
  "apigateway.amazonaws.com": "API Gateway",
  "states.amazonaws.com": "Step Functions",
  "cloudwatch.amazonaws.com": "CloudWatch alarms",
  "sns.amazonaws.com": "SNS",
  "sqs.amazonaws.com": "SQS",
  "s3.amazonaws.com": "S3",
};

export function serviceLabel(principal: string): string {
  const service = principal.replace(/^Service:/, "");
  if (/^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(service)) return "CloudWatch Logs";
  return SERVICE_LABELS[service] ?? service;
}

interface Context {
  readonly m: Model;
  readonly iam: IamInventory;
  /** Name of what a value references (or the literal). */
  n(value: unknown): string;
  /** Name of an entry by address. */
  name(address: string): string;
  /** Entries of a type referencing this entry from one of the given attributes (all when none given). */
  from(entry: Entry, type: string, ...attributes: string[]): Entry[];
}

type Purpose = (entry: Entry, c: Context) => string;

const days = (value: unknown): string => {
  const count = num(value);
  return count === undefined ? "" : `, ${count} d retention`;
};

const first = (text: string | undefined, max = 90): string => {
  if (!text) return "";
  const sentence = text.split(/(?<=[.;])\s/)[0]!.replace(/[.;]$/, "");
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
};

const policyOf =
  (kind: string, target: string): Purpose =>
  (entry, c) => {
    const sids = statementSids(entry.attrs.policy);
    return `${kind} ${c.n(entry.attrs[target])}${sids ? `: ${sids}` : ""}`;
  };

function statementSids(policy: unknown): string {
  if (typeof policy !== "string" || !policy.trim().startsWith("{")) return "";
  try {
    const statements = record(JSON.parse(policy)).Statement;
    return (Array.isArray(statements) ? statements : [statements])
      .map((statement) => str(record(statement).Sid))
      .filter((sid): sid is string => Boolean(sid))
      .join(", ");
  } catch {
    return "";
  }
}

const bucketPart =
  (what: (entry: Entry) => string): Purpose =>
  (entry, c) =>
    `${what(entry)} of bucket ${c.n(entry.attrs.bucket)}`;

/** One-line purposes by resource type; the construct path and references disambiguate. */
const PURPOSES: Readonly<Record<string, Purpose>> = {
  aws_api_gateway_account: () => "account-wide API Gateway setting: the CloudWatch role for API logs",
  aws_api_gateway_api_key: () => "API key identifying callers of key-required routes (usage plan)",
  aws_api_gateway_deployment: (e, c) => `deployment snapshot of REST API ${c.n(e.attrs.rest_api_id)}`,
  aws_api_gateway_gateway_response: (e) =>
    `JSON body of API Gateway's own ${str(e.attrs.response_type) ?? "?"} rejections${e.attrs.status_code ? ` (${str(e.attrs.status_code)})` : ""}`,
  aws_api_gateway_integration: (e, c) =>
    `${str(e.attrs.type) === "AWS_PROXY" ? "Lambda proxy" : (str(e.attrs.type) ?? "integration")} of ${c.name(e.address)} to ${c.n(e.attrs.uri)}`,
  aws_api_gateway_method: (e, c) => {
    const headers = Object.keys(record(e.attrs.request_parameters))
      .filter((key) => key.startsWith("method.request.header."))
      .map((key) => key.slice("method.request.header.".length));
    const key = bool(e.attrs.api_key_required) ? ", API key" : "";
    return `public route ${c.name(e.address)}${headers.length ? ` (requires ${headers.join(", ")}${key})` : key ? ` (${key.slice(2)})` : ""}`;
  },
  aws_api_gateway_method_settings: (e) =>
    `stage method settings ${str(e.attrs.method_path) ?? ""}: throttling, metrics, logging`,
  aws_api_gateway_model: (e) =>
    `request body model (${str(e.attrs.content_type) ?? "?"}) of validated routes`,
  aws_api_gateway_request_validator: (e) =>
    `request validator: ${[bool(e.attrs.validate_request_parameters) && "required headers", bool(e.attrs.validate_request_body) && "body model"].filter(Boolean).join(" and ") || "nothing"}`,
  aws_api_gateway_resource: (e, c) => `API path ${c.name(e.address)}`,
  aws_api_gateway_rest_api: (e) =>
    `REST API receiving webhooks from the internet (${strings(block(e.attrs.endpoint_configuration).types).join(", ") || "EDGE"})`,
  aws_api_gateway_rest_api_policy: (e, c) => `resource policy of REST API ${c.n(e.attrs.rest_api_id)}`,
  aws_api_gateway_stage: (e, c) => `deployed stage of REST API ${c.n(e.attrs.rest_api_id)} (the public URL)`,
  aws_api_gateway_usage_plan: () => "usage plan: quota and throttle for API-key callers",
  aws_api_gateway_usage_plan_key: (e, c) =>
    `puts API key ${c.n(e.attrs.key_id)} on usage plan ${c.n(e.attrs.usage_plan_id)}`,
  aws_cloudwatch_dashboard: () => "CloudWatch dashboard of the platform",
  aws_cloudwatch_event_archive: (e, c) =>
    `EventBridge archive of bus ${c.n(e.attrs.event_source_arn)} for replay${days(e.attrs.retention_days)}`,
  aws_cloudwatch_event_bus: (e, c) => {
    const dlq = block(e.attrs.dead_letter_config).arn;
    return `EventBridge custom bus of verified webhooks${dlq ? ` (bus DLQ ${c.n(dlq)})` : ""}`;
  },
  aws_cloudwatch_event_bus_policy: policyOf("resource policy of bus", "event_bus_name"),
  aws_cloudwatch_event_rule: (e) =>
    `EventBridge rule: ${first(str(e.attrs.description)) || "matches events on the bus"}`,
  aws_cloudwatch_event_target: (e, c) => `delivers rule ${c.n(e.attrs.rule)} to ${c.n(e.attrs.arn)}`,
  aws_cloudwatch_log_group: (e) =>
    `${logGroupPurpose(str(e.attrs.name) ?? "")}${days(e.attrs.retention_in_days)}`,
  aws_cloudwatch_log_stream: (e) =>
    `log stream in ${str(e.attrs.log_group_name) ?? "?"} (Firehose delivery errors)`,
  aws_cloudwatch_log_resource_policy: () => "CloudWatch Logs resource policy: which services may write logs",
  aws_cloudwatch_composite_alarm: (e) =>
    `composite alarm: ${first(str(e.attrs.alarm_description)) || "fires on a rule over other alarms"}`,
  aws_cloudwatch_metric_alarm: (e) =>
    `alarm: ${first(str(e.attrs.alarm_description)) || str(e.attrs.metric_name) || "?"}`,
  aws_dynamodb_table: (e, c) => {
    const indexes = blocks(e.attrs.global_secondary_index).length;
    const consumers = c
      .from(e, "aws_lambda_event_source_mapping", "event_source_arn")
      .map((mapping) => c.n(mapping.attrs.function_name));
    const features = [
      `key ${str(e.attrs.hash_key) ?? "?"}`,
      indexes && `${indexes} GSI${indexes > 1 ? "s" : ""}`,
      bool(block(e.attrs.ttl).enabled) && "TTL",
      bool(block(e.attrs.point_in_time_recovery).enabled) && "PITR",
      consumers.length > 0 && `stream → ${consumers.join(", ")}`,
    ].filter(Boolean);
    const writers = accessors(e, c, /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/);
    const readers = accessors(e, c, /^dynamodb:(GetItem|BatchGetItem|Query|Scan)$/);
    return `DynamoDB table (${features.join(", ")}): ${access(writers, readers)}`;
  },
  aws_iam_policy: () => "customer-managed IAM policy",
  aws_iam_role: (e, c) => rolePurpose(e, c),
  aws_iam_role_policy: (e, c) => `inline permissions of role ${c.n(e.attrs.role)}`,
  aws_iam_role_policy_attachment: (e, c) =>
    `attaches ${c.n(e.attrs.policy_arn)} to role ${c.n(e.attrs.role)}`,
  aws_kinesis_firehose_delivery_stream: (e, c) => {
    const s3 = block(e.attrs.extended_s3_configuration);
    return `Firehose stream batching events into s3://${c.n(s3.bucket_arn)}/${str(s3.prefix) ?? ""}`;
  },
  aws_kms_alias: (e, c) =>
    `alias naming KMS key ${c.m.resolver.target(e.attrs.target_key_id)?.address ?? c.n(e.attrs.target_key_id)}`,
  aws_kms_key: (e) =>
    `customer-managed KMS key${e.attrs.description ? `: ${first(str(e.attrs.description))}` : ""}`,
  aws_kms_key_policy: (e, c) => `key policy of ${c.n(e.attrs.key_id)}: who may use the key`,
  aws_lambda_event_source_mapping: (e, c) => {
    const source = c.m.resolver.target(e.attrs.event_source_arn);
    const kind =
      source?.type === "aws_sqs_queue"
        ? "SQS queue"
        : source?.type === "aws_dynamodb_table"
          ? "table stream"
          : "source";
    return `invokes ${c.n(e.attrs.function_name)} with batches from ${kind} ${c.n(e.attrs.event_source_arn)}${e.attrs.batch_size !== undefined ? ` (batch ${str(e.attrs.batch_size)})` : ""}`;
  },
  aws_lambda_function: (e) =>
    `Lambda function: ${first(str(e.attrs.description)) || str(e.attrs.handler) || "?"}`,
  aws_lambda_function_url: (e, c) => `public HTTPS URL of Lambda ${c.n(e.attrs.function_name)}`,
  aws_lambda_layer_version: (e) => `Lambda layer: ${first(str(e.attrs.description)) || "shared code"}`,
  aws_lambda_permission: (e, c) => {
    const principal = str(e.attrs.principal) ?? "?";
    const source = str(e.attrs.source_arn);
    const route = source
      ? /\/([A-Z*]+)(\/.*)$/.exec(leadingRef(source) ? source.replace(/^\$\{[^}]+\}/, "") : source)
      : null;
    const via = route ? ` for ${route[1]} ${route[2]}` : source ? ` from ${c.m.resolver.text(source)}` : "";
    return `lets ${principal === "*" ? "anyone" : serviceLabel(principal)} invoke ${c.n(e.attrs.function_name)}${via}`;
  },
  aws_s3_bucket: (e, c) => {
    const streams = c
      .from(e, "aws_kinesis_firehose_delivery_stream")
      .map((s) => `Firehose ${c.name(s.address)}`);
    const writers = [...new Set([...accessors(e, c, /^s3:PutObject$/), ...streams])];
    const readers = accessors(e, c, /^s3:GetObject/);
    return `S3 bucket (${scopeOf(e)}): ${access(writers, readers)}`;
  },
  aws_s3_bucket_acl: bucketPart((e) => `canned ACL ${str(e.attrs.acl) ?? "(grants)"}`),
  aws_s3_bucket_lifecycle_configuration: bucketPart(
    (e) =>
      `lifecycle rules ${blocks(e.attrs.rule)
        .map((rule) => str(rule.id) ?? "?")
        .join(", ")}`,
  ),
  aws_s3_bucket_ownership_controls: bucketPart(
    (e) => `object ownership ${str(block(e.attrs.rule).object_ownership) ?? "?"}`,
  ),
  aws_s3_bucket_policy: (e, c) => policyOf("bucket policy of", "bucket")(e, c),
  aws_s3_bucket_public_access_block: bucketPart((e) => {
    const flags = [
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ];
    const on = flags.filter((flag) => bool(e.attrs[flag]));
    return on.length === flags.length
      ? "blocks all public access"
      : `public access block (${on.join(", ") || "all off"})`;
  }),
  aws_s3_bucket_server_side_encryption_configuration: bucketPart((e) => {
    const rule = block(blocks(e.attrs.rule)[0]?.apply_server_side_encryption_by_default);
    return `default encryption ${str(rule.sse_algorithm) ?? "?"}`;
  }),
  aws_s3_bucket_versioning: bucketPart(
    (e) => `versioning ${str(block(e.attrs.versioning_configuration).status) ?? "?"}`,
  ),
  aws_s3_bucket_website_configuration: bucketPart(() => "public website endpoint"),
  aws_s3_account_public_access_block: () => "account-wide S3 public access block",
  aws_secretsmanager_secret: (e) =>
    `Secrets Manager secret: ${first(str(e.attrs.description)?.split(":")[0]) || "value set outside Terraform"}`,
  aws_secretsmanager_secret_policy: policyOf("resource policy of secret", "secret_arn"),
  aws_secretsmanager_secret_version: (e, c) =>
    `secret value of ${c.n(e.attrs.secret_id)} (stored in Terraform state)`,
  aws_sns_topic: (e, c) => {
    const alarms = c.from(e, "aws_cloudwatch_metric_alarm").length;
    return alarms ? `SNS topic ${alarms} alarms notify` : "SNS topic";
  },
  aws_sns_topic_policy: policyOf("topic policy of", "arn"),
  aws_sns_topic_subscription: (e, c) =>
    `${str(e.attrs.protocol) ?? "?"} subscription to ${c.n(e.attrs.topic_arn)}`,
  aws_sqs_queue: (e, c) => queuePurpose(e, c),
  aws_sqs_queue_policy: policyOf("queue policy of", "queue_url"),
  aws_sqs_queue_redrive_policy: (e, c) => {
    const redrive = parseJson(e.attrs.redrive_policy);
    return `moves messages of ${c.n(e.attrs.queue_url)} to ${c.n(redrive.deadLetterTargetArn)} after ${str(redrive.maxReceiveCount) ?? "?"} receives`;
  },
  aws_sqs_queue_redrive_allow_policy: (e, c) => {
    const allow = parseJson(e.attrs.redrive_allow_policy);
    const sources = strings(allow.sourceQueueArns).map((arn) => c.n(arn));
    return `only ${sources.join(", ") || str(allow.redrivePermission) || "?"} may use ${c.n(e.attrs.queue_url)} as dead-letter queue`;
  },
  aws_wafv2_web_acl: (e) =>
    `WAF web ACL: ${first(str(e.attrs.description)) || `${blocks(e.attrs.rule).length} rules`}`,
  aws_wafv2_web_acl_association: (e, c) =>
    `puts WAF ${c.n(e.attrs.web_acl_arn)} in front of ${c.n(e.attrs.resource_arn)}`,
  aws_wafv2_web_acl_logging_configuration: (e, c) =>
    `logs WAF ${c.n(e.attrs.resource_arn)} blocks and counts to ${strings(e.attrs.log_destination_configs)
      .map((d) => c.n(d))
      .join(", ")} (${blocks(e.attrs.redacted_fields).length} fields redacted)`,
  aws_xray_sampling_rule: (e) =>
    `X-Ray sampling of ${str(e.attrs.service_name) ?? "?"}: ${str(e.attrs.reservoir_size) ?? "?"} a second, then ${Number(e.attrs.fixed_rate ?? 0) * 100}%`,
  archive_file: (e, c) => {
    const users = c.m
      .referrers(e.address)
      .filter((r) => r.attribute === "filename")
      .map(
        (r) =>
          `${r.entry.type === "aws_lambda_layer_version" ? "layer" : "Lambda"} ${c.name(r.entry.address)}`,
      );
    return `zip built at plan time: package of ${users.join(", ") || "?"}`;
  },
  aws_caller_identity: () => "the deploying account's id (ARNs are built from names)",
  aws_partition: () => "the AWS partition (ARNs are built from names)",
  aws_region: () => "the provider's region",
  aws_iam_policy_document: () => "IAM policy document rendered by Terraform",
};

function parseJson(value: unknown): Record<string, unknown> {
  if (typeof value !== "string") return record(value);
  try {
    return record(JSON.parse(value));
  } catch {
    return {};
  }
}

function logGroupPurpose(name: string): string {
  const lambda = /^\/aws\/lambda\/(.+)$/.exec(name);
  if (lambda) return `log group of Lambda ${lambda[1]}`;
  if (name.startsWith("/aws/apigateway/") || name.startsWith("API-Gateway-"))
    return "API Gateway access log group";
  if (name.startsWith("aws-waf-logs-")) return "WAF log group (blocked and counted requests)";
  const firehose = /^\/aws\/kinesisfirehose\/(.+)$/.exec(name);
  if (firehose) return `delivery error log group of Firehose ${firehose[1]}`;
  return "log group";
}

function rolePurpose(role: Entry, c: Context): string {
  const entry = c.iam.roles.find((candidate) => candidate.address === role.address);
  const services = (entry?.trust ?? []).flatMap((statement) => statement.principals).map(serviceLabel);
  const service = services.join(", ") || "?";
  const users = c.m
    .referrers(role.address)
    .map((r) => r.entry)
    .filter((user) =>
      [
        "aws_lambda_function",
        "aws_cloudwatch_event_target",
        "aws_kinesis_firehose_delivery_stream",
        "aws_api_gateway_account",
      ].includes(user.type),
    );
  if (service === "Lambda" && users.some((user) => user.type === "aws_lambda_function")) {
    return `execution role of Lambda ${users.map((user) => c.name(user.address)).join(", ")}`;
  }
  const targets = users.filter((user) => user.type === "aws_cloudwatch_event_target");
  if (targets.length > 0) {
    return `role ${service} assumes to deliver ${targets.map((t) => `rule ${c.n(t.attrs.rule)} to ${c.n(t.attrs.arn)}`).join(", ")}`;
  }
  const streams = users.filter((user) => user.type === "aws_kinesis_firehose_delivery_stream");
  if (streams.length > 0) {
    return `role ${service} assumes to write stream ${streams.map((s) => c.name(s.address)).join(", ")} to S3`;
  }
  if (users.some((user) => user.type === "aws_api_gateway_account"))
    return `role ${service} assumes to write API logs`;
  return `role ${service} assumes`;
}

function queuePurpose(queue: Entry, c: Context): string {
  const name = c.name(queue.address);
  const redrives = [
    ...c.m.doc
      .ofType("aws_sqs_queue_redrive_policy")
      .map((r) => ({ source: r.attrs.queue_url, policy: r.attrs.redrive_policy })),
    ...c.m.doc
      .ofType("aws_sqs_queue")
      .map((q) => ({ source: `\${${q.address}.arn}`, policy: q.attrs.redrive_policy })),
  ];
  for (const { source, policy } of redrives) {
    const redrive = parseJson(policy);
    if (c.m.resolver.target(redrive.deadLetterTargetArn)?.address === queue.address) {
      return `dead-letter queue of ${c.n(source)} (after ${str(redrive.maxReceiveCount) ?? "?"} receives)`;
    }
  }
  const targetDlq = c.from(queue, "aws_cloudwatch_event_target", "dead_letter_config");
  if (targetDlq.length > 0) {
    return `dead-letter queue of the EventBridge target of rule ${targetDlq.map((t) => c.n(t.attrs.rule)).join(", ")} (undeliverable events)`;
  }
  const busDlq = c.from(queue, "aws_cloudwatch_event_bus", "dead_letter_config");
  if (busDlq.length > 0)
    return `dead-letter queue of event bus ${busDlq.map((b) => c.name(b.address)).join(", ")}`;
  const onFailure = c.from(queue, "aws_lambda_event_source_mapping", "destination_config");
  if (onFailure.length > 0) {
    return `on-failure destination of ${onFailure.map((mapping) => `${c.n(mapping.attrs.event_source_arn)} → ${c.n(mapping.attrs.function_name)}`).join(", ")} (records that kept failing)`;
  }
  const senders = [
    ...accessors(queue, c, /^sqs:SendMessage$/),
    ...c.from(queue, "aws_cloudwatch_event_target", "arn").map((target) => `rule ${c.n(target.attrs.rule)}`),
  ];
  const consumers = c
    .from(queue, "aws_lambda_event_source_mapping", "event_source_arn")
    .map((mapping) => c.n(mapping.attrs.function_name));
  const fifo = bool(queue.attrs.fifo_queue) || name.endsWith(".fifo") ? "FIFO " : "";
  const flow = `${senders.join(", ") || "?"} → ${consumers.join(", ") || "consumer outside this stack"}`;
  const kind = consumers.length > 0 && senders.some((s) => !s.startsWith("rule ")) ? "ingest" : "consumer";
  return `SQS ${fifo}${kind} queue (${flow})`;
}

export function buildResources(m: Model, iam: IamInventory, findings: Finding[]): ResourceEntry[] {
  const context: Context = {
    m,
    iam,
    n: (value) => m.resolver.nameIn(value) || "?",
    name: (address) => m.name(address) ?? address,
    from: (entry, type, ...attributes) =>
      m
        .referrers(entry.address)
        .filter((r) => r.entry.type === type && (attributes.length === 0 || attributes.includes(r.attribute)))
        .map((r) => r.entry)
        .filter((found, index, all) => all.indexOf(found) === index),
  };
  const entries = m.doc.entries.map((entry): ResourceEntry => {
    const purpose = PURPOSES[entry.type];
    const segments = entry.path.split("/");
    const group =
      entry.path === entry.id
        ? "(no construct)"
        : (GROUP_LABELS[segments[0]!] ?? segments[0]!.replace(/-/g, " "));
    const name = m.name(entry.address) ?? "";
    if (!purpose) {
      findings.push({
        severity: "note",
        section: "resources",
        subject: entry.address,
        message: `no purpose known for type ${entry.type}; add it to the inventory's purpose table`,
      });
    }
    if (!name) {
      findings.push({
        severity: "note",
        section: "resources",
        subject: entry.address,
        message: "nothing identifies this resource (no name attribute, no reference to a named resource)",
      });
    }
    return {
      address: entry.address,
      mode: entry.mode,
      type: entry.type,
      path: entry.path,
      group,
      name,
      nameSource: m.nameSource(entry.address) ?? "",
      purpose: purpose
        ? purpose(entry, context)
        : `${entry.type.replace(/^aws_/, "").replace(/_/g, " ")} (${entry.path})`,
      known: purpose !== undefined,
    };
  });
  const order = new Map<string, number>();
  for (const entry of entries) if (!order.has(entry.group)) order.set(entry.group, order.size);
  const groupOrder = [...order.keys()].sort((a, b) => rank(a) - rank(b) || order.get(a)! - order.get(b)!);
  return [...entries].sort(
    (a, b) =>
      groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) ||
      a.path.localeCompare(b.path) ||
      a.address.localeCompare(b.address),
  );
}

/** Groups in the order data flows: context and shared pieces first, then ingress and delivery. */
function rank(group: string): number {
  const index = Object.values(GROUP_LABELS).indexOf(group);
  return index < 0 ? Object.keys(GROUP_LABELS).length : index;
}

/** The construct path without its leaf, readable: `delivery/route-payments/dlq/queue` → `route-payments dlq`. */
function scopeOf(entry: Entry): string {
  const segments = entry.path.split("/");
  return (segments.length > 1 ? segments.slice(0, -1) : segments).join(" ");
}

/** Functions (or roles without one) whose policies allow a matching action on the entry or below it. */
function accessors(entry: Entry, c: Context, action: RegExp): string[] {
  const readable = c.m.resolver.address(entry.address);
  const names = c.iam.roles
    .filter((role) =>
      role.policies.some((policy) =>
        policy.statements.some(
          (s) =>
            s.effect === "Allow" &&
            s.actions.some((a) => action.test(a)) &&
            s.resources.some(
              (r) => r === readable || r.startsWith(`${readable}/`) || r.startsWith(`${readable} `),
            ),
        ),
      ),
    )
    .flatMap((role) =>
      role.usedBy.length > 0 ? role.usedBy.map((user) => userLabel(user, c)) : [`role ${role.name}`],
    );
  return [...new Set(names)];
}

/** `whk-dev-validator` for a function, `Firehose whk-dev-archive` for a stream, from a readable `usedBy` entry. */
function userLabel(user: string, c: Context): string {
  const address = user.split(" ")[0]!;
  const name = c.name(address);
  if (address.startsWith("aws_lambda_function.")) return name;
  if (address.startsWith("aws_kinesis_firehose_delivery_stream.")) return `Firehose ${name}`;
  if (address.startsWith("aws_cloudwatch_event_target.")) return `EventBridge target ${name}`;
  return name;
}

function access(writers: readonly string[], readers: readonly string[]): string {
  const parts = [
    writers.length > 0 && `written by ${writers.join(", ")}`,
    readers.length > 0 && `read by ${readers.join(", ")}`,
  ].filter(Boolean);
  return parts.join("; ") || "no access granted in this stack";
}
