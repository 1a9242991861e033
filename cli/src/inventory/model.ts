import { type Entry, str, type TfDocument } from "./document";
import { type Ref, Resolver, refsIn, wholeRef } from "./references";

/**
 * The document with what every section needs: physical names (or what identifies a resource
 * without one), a resolver that makes references readable, and who references whom.
 */
export interface Model {
  readonly doc: TfDocument;
  readonly resolver: Resolver;
  /** Physical name or identifying text; undefined when nothing identifies the resource. */
  name(address: string): string | undefined;
  /** The attribute holding the name, or `derived`. */
  nameSource(address: string): string | undefined;
  /** Entries whose attributes reference `address`, with the top-level attribute that does. */
  referrers(address: string): readonly Referrer[];
  /** `/webhooks/acme` for an `aws_api_gateway_resource`, `/` for a root resource id. */
  apiPath(value: unknown): string | undefined;
}

export interface Referrer {
  readonly entry: Entry;
  readonly attribute: string;
  readonly ref: Ref;
}

/** The attribute that holds the physical name, by type. */
export const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_api_gateway_api_key: "name",
  aws_api_gateway_model: "name",
  aws_api_gateway_request_validator: "name",
  aws_api_gateway_rest_api: "name",
  aws_api_gateway_stage: "stage_name",
  aws_api_gateway_usage_plan: "name",
  aws_api_gateway_authorizer: "name",
  aws_apigatewayv2_api: "name",
  aws_cloudwatch_dashboard: "dashboard_name",
  aws_cloudwatch_event_archive: "name",
  aws_cloudwatch_event_bus: "name",
  aws_cloudwatch_event_rule: "name",
  aws_cloudwatch_event_target: "target_id",
  aws_cloudwatch_log_group: "name",
  aws_cloudwatch_log_stream: "name",
  aws_cloudwatch_metric_alarm: "alarm_name",
  aws_cloudwatch_composite_alarm: "alarm_name",
  aws_dynamodb_table: "name",
  aws_iam_policy: "name",
  aws_iam_role: "name",
  aws_iam_role_policy: "name",
  aws_kinesis_firehose_delivery_stream: "name",
  aws_kms_alias: "name",
  aws_lambda_function: "function_name",
  aws_lambda_layer_version: "layer_name",
  aws_lambda_permission: "statement_id",
  aws_lambda_alias: "name",
  aws_s3_bucket: "bucket",
  aws_secretsmanager_secret: "name",
  aws_sns_topic: "name",
  aws_sqs_queue: "name",
  aws_wafv2_web_acl: "name",
  aws_wafv2_ip_set: "name",
  aws_wafv2_regex_pattern_set: "name",
  aws_sfn_state_machine: "name",
  aws_cloudwatch_log_resource_policy: "policy_name",
  aws_xray_sampling_rule: "rule_name",
  archive_file: "output_path",
};

/** Attributes tried, in order, for types missing from {@link NAME_ATTRIBUTES}. */
const FALLBACK_NAME_ATTRIBUTES = ["name", "bucket", "function_name", "alarm_name", "stage_name", "title"];

type Derive = (entry: Entry, m: Model) => string | undefined;

const of = (attribute: string, prefix = ""): Derive => {
  return (entry, m) => {
    const name = m.resolver.nameIn(entry.attrs[attribute]);
    return name ? `${prefix}${name}` : undefined;
  };
};

/** What identifies resources that have no name attribute. */
const DERIVED_NAMES: Readonly<Record<string, Derive>> = {
  aws_api_gateway_resource: (entry, m) => m.apiPath(`\${${entry.address}.id}`),
  aws_api_gateway_method: (entry, m) =>
    `${str(entry.attrs.http_method) ?? "?"} ${m.apiPath(entry.attrs.resource_id) ?? "?"}`,
  aws_api_gateway_integration: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.http_method).split(" ")[0]} ${m.apiPath(entry.attrs.resource_id) ?? "?"}`,
  aws_api_gateway_method_response: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.http_method).split(" ")[0]} ${m.apiPath(entry.attrs.resource_id) ?? "?"} ${str(entry.attrs.status_code) ?? ""}`.trim(),
  aws_api_gateway_integration_response: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.http_method).split(" ")[0]} ${m.apiPath(entry.attrs.resource_id) ?? "?"} ${str(entry.attrs.status_code) ?? ""}`.trim(),
  aws_api_gateway_deployment: of("rest_api_id", "deployment of "),
  aws_api_gateway_gateway_response: (entry) =>
    [str(entry.attrs.response_type), str(entry.attrs.status_code)].filter(Boolean).join(" "),
  aws_api_gateway_method_settings: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.stage_name)} ${str(entry.attrs.method_path) ?? ""}`.trim(),
  aws_api_gateway_usage_plan_key: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.key_id)} → ${m.resolver.nameIn(entry.attrs.usage_plan_id)}`,
  aws_api_gateway_account: (_entry, m) =>
    `API Gateway account settings (${m.doc.region ?? "provider region"})`,
  aws_api_gateway_rest_api_policy: of("rest_api_id", "policy of "),
  aws_kms_key: (entry, m) => {
    const alias = m.referrers(entry.address).find((r) => r.entry.type === "aws_kms_alias");
    if (alias) return m.name(alias.entry.address);
    const description = str(entry.attrs.description);
    return description ? `key: ${description}` : undefined;
  },
  aws_kms_key_policy: of("key_id", "policy of "),
  aws_lambda_event_source_mapping: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.event_source_arn)} → ${m.resolver.nameIn(entry.attrs.function_name)}`,
  aws_lambda_function_url: of("function_name", "URL of "),
  aws_lambda_function_event_invoke_config: of("function_name", "async config of "),
  aws_lambda_layer_version_permission: (entry, m) =>
    `${str(entry.attrs.statement_id) ?? "permission"} on ${m.resolver.nameIn(entry.attrs.layer_name)}`,
  aws_s3_bucket_acl: of("bucket"),
  aws_s3_bucket_cors_configuration: of("bucket"),
  aws_s3_bucket_lifecycle_configuration: of("bucket"),
  aws_s3_bucket_logging: of("bucket"),
  aws_s3_bucket_notification: of("bucket"),
  aws_s3_bucket_ownership_controls: of("bucket"),
  aws_s3_bucket_policy: of("bucket"),
  aws_s3_bucket_public_access_block: of("bucket"),
  aws_s3_bucket_server_side_encryption_configuration: of("bucket"),
  aws_s3_bucket_versioning: of("bucket"),
  aws_s3_bucket_website_configuration: of("bucket"),
  aws_s3_account_public_access_block: () => "account-wide S3 public access block",
  aws_secretsmanager_secret_policy: of("secret_arn"),
  aws_secretsmanager_secret_version: of("secret_id"),
  aws_sns_topic_policy: of("arn"),
  aws_sns_topic_subscription: (entry, m) =>
    `${str(entry.attrs.protocol) ?? "?"}:${m.resolver.nameIn(entry.attrs.endpoint)} → ${m.resolver.nameIn(entry.attrs.topic_arn)}`,
  aws_sqs_queue_policy: of("queue_url"),
  aws_sqs_queue_redrive_policy: of("queue_url"),
  aws_sqs_queue_redrive_allow_policy: of("queue_url"),
  aws_wafv2_web_acl_association: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.web_acl_arn)} → ${m.resolver.nameIn(entry.attrs.resource_arn)}`,
  aws_wafv2_web_acl_logging_configuration: of("resource_arn"),
  aws_cloudwatch_event_bus_policy: of("event_bus_name"),
  aws_cloudwatch_event_permission: (entry) => str(entry.attrs.statement_id),
  aws_iam_role_policy_attachment: (entry, m) =>
    `${m.resolver.nameIn(entry.attrs.role)} ← ${m.resolver.nameIn(entry.attrs.policy_arn)}`,
  aws_iam_policy_attachment: (entry) => str(entry.attrs.name),
  aws_caller_identity: () => "current account",
  aws_partition: () => "current partition",
  aws_region: () => "current region",
  aws_iam_policy_document: (entry) => `policy document ${entry.id}`,
};

export function buildModel(doc: TfDocument): Model {
  const names = new Map<string, { name: string | undefined; source: string | undefined }>();
  const inProgress = new Set<string>();
  const reverse = new Map<string, Referrer[]>();
  for (const entry of doc.entries) {
    for (const [attribute, value] of Object.entries(entry.attrs)) {
      if (attribute === "depends_on" || attribute === "lifecycle") continue;
      for (const ref of refsIn(value)) {
        if (ref.address === entry.address) continue;
        const list = reverse.get(ref.address) ?? [];
        list.push({ entry, attribute, ref });
        reverse.set(ref.address, list);
      }
    }
  }

  const resolveName = (address: string): { name: string | undefined; source: string | undefined } => {
    const cached = names.get(address);
    if (cached) return cached;
    const entry = doc.get(address);
    if (!entry || inProgress.has(address)) return { name: undefined, source: undefined };
    inProgress.add(address);
    let result: { name: string | undefined; source: string | undefined } = {
      name: undefined,
      source: undefined,
    };
    const attribute = NAME_ATTRIBUTES[entry.type];
    const direct = attribute ? str(entry.attrs[attribute]) : undefined;
    if (attribute && direct) result = { name: model.resolver.text(direct), source: attribute };
    else {
      const derive = DERIVED_NAMES[entry.type];
      const derived = derive?.(entry, model);
      if (derived) result = { name: derived, source: "derived" };
      else {
        for (const candidate of FALLBACK_NAME_ATTRIBUTES) {
          const value = str(entry.attrs[candidate]);
          if (value) {
            result = { name: model.resolver.text(value), source: candidate };
            break;
          }
        }
      }
    }
    inProgress.delete(address);
    names.set(address, result);
    return result;
  };

  const apiPath = (value: unknown, depth = 0): string | undefined => {
    const ref = wholeRef(value);
    if (!ref || depth > 32) return undefined;
    if (ref.type === "aws_api_gateway_rest_api" && ref.attribute === "root_resource_id") return "/";
    const entry = doc.get(ref.address);
    if (entry?.type !== "aws_api_gateway_resource") return undefined;
    const parent = apiPath(entry.attrs.parent_id, depth + 1);
    const part = str(entry.attrs.path_part) ?? "?";
    return parent === undefined ? `…/${part}` : `${parent === "/" ? "" : parent}/${part}`;
  };

  const model: Model = {
    doc,
    resolver: new Resolver(doc, (address) => resolveName(address).name),
    name: (address) => resolveName(address).name,
    nameSource: (address) => resolveName(address).source,
    referrers: (address) => reverse.get(address) ?? [],
    apiPath,
  };
  return model;
}
