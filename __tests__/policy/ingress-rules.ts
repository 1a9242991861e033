import { PRESET_IDS, presetById } from "@webhooks/shared";
import { asList, type PolicyRule, statementsOf } from "./rules";

/**
 * Checklist §A.1 (Lambda), §A.2 (API Gateway), §A.4 (DynamoDB), §A.9 (Secrets Manager), §A.10 (S3),
 * §A.11 (WAF), §A.12 (IAM) and log groups: the MUST rules the ingress, table and bucket bring,
 * checked over the whole document (whoever created the resources).
 */

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
type Json = any;

/**
 * Every header a preset's route requires at the gateway (its signature, or a token sender's
 * default header): a method requiring one is signature-authenticated.
 */
const SIGNATURE_HEADERS = new Set(
  PRESET_IDS.flatMap((id) => [
    presetById(id).requiredHeader({ headerFamily: "webhook" }),
    presetById(id).requiredHeader({ headerFamily: "svix" }),
  ])
    .filter((header): header is string => header !== undefined)
    .map((header) => header.toLowerCase()),
);

/** Runtimes Checkov's CKV_AWS_363 deny-list holds (or has staged) for the languages we could use. */
const DEPRECATED_RUNTIME =
  /^(nodejs(4\.3|6\.10|8\.10|10\.x|12\.x|14\.x|16\.x|18\.x)?|python(2\.7|3\.[6-8]))(-edge)?$/;

/** The logical id of a resource, found by identity in the document. */
function idOf(doc: Json, type: string, attributes: Json): string {
  const entry = Object.entries(doc.resource?.[type] ?? {}).find(([, value]) => value === attributes);
  return entry ? entry[0] : "";
}

/** Resources of `type` whose `attribute` references `<refType>.<refId>.<anything>`. */
function referencing(doc: Json, type: string, attribute: string, refType: string, refId: string): Json[] {
  const marker = `${refType}.${refId}.`;
  return Object.values(doc.resource?.[type] ?? {}).filter(
    (resource: Json) => typeof resource[attribute] === "string" && resource[attribute].includes(marker),
  );
}

function single<T>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function requiresSignatureHeader(method: Json): boolean {
  return Object.entries(method.request_parameters ?? {}).some(
    ([name, required]) =>
      required === true &&
      name.startsWith("method.request.header.") &&
      SIGNATURE_HEADERS.has(name.slice("method.request.header.".length).toLowerCase()),
  );
}

/**
 * CKV_AWS_59 / CKV2_AWS_70 with the checklist's documented exception: a third-party route whose
 * sender cannot add `x-api-key` may go without one when the gateway requires its HMAC signature
 * header (the validator verifies it; WAF and stage throttling limit rates). A GET or HEAD beside
 * such a POST is that sender's handshake (the validator answers nothing else on it) and shares its
 * verdict. The method also carries a Checkov suppression with its reason in the synthesized
 * `cdk.tf.json`.
 */
function anonymousMethod(method: Json, type: string, doc: Json): string | undefined {
  if (method.http_method === "OPTIONS") return undefined;
  if (method.authorization !== "NONE" || method.api_key_required === true) return undefined;
  if (method.http_method === "GET" || method.http_method === "HEAD") {
    const post = Object.values(doc.resource.aws_api_gateway_method ?? {}).find(
      (other: Json) => other.http_method === "POST" && other.resource_id === method.resource_id,
    );
    if (!post) return `${method.http_method} without an API key on a resource with no POST route`;
    const why = anonymousMethod(post, type, doc);
    return why && `${method.http_method} handshake beside a POST route that is itself: ${why}`;
  }
  return requiresSignatureHeader(method)
    ? undefined
    : "authorization NONE without an API key, and no signature header required";
}

const HEADER_IN_LOG = /header|userAgent|\$input|\$method\.request/i;

export const INGRESS_RULES: readonly PolicyRule[] = [
  // ── API Gateway (§A.2) ─────────────────────────────────────────────────────────────────────────
  {
    id: "CKV_AWS_59",
    requirement:
      "methods need authorization or an API key (except signature-authenticated third-party routes)",
    types: ["aws_api_gateway_method"],
    offenders: anonymousMethod,
  },
  {
    id: "CKV2_AWS_70",
    requirement: "no anonymous methods (except signature-authenticated third-party routes)",
    types: ["aws_api_gateway_method"],
    offenders: anonymousMethod,
  },
  {
    id: "CKV2_AWS_53",
    requirement: "every method has a request validator",
    types: ["aws_api_gateway_method"],
    offenders: (method) => (method.request_validator_id ? undefined : "no request_validator_id"),
  },
  {
    id: "CKV_AWS_76",
    requirement: "stages write access logs, and the format holds no header values",
    types: ["aws_api_gateway_stage"],
    offenders: (stage) => {
      const settings = single(stage.access_log_settings);
      if (!settings?.destination_arn || !settings?.format) return "no access_log_settings";
      return HEADER_IN_LOG.test(settings.format) ? "access log format includes header values" : undefined;
    },
  },
  {
    id: "CKV2_AWS_4",
    requirement: "every stage has */* method settings with logging ERROR or INFO and metrics on",
    types: ["aws_api_gateway_stage"],
    offenders: (stage, type, doc) => {
      const id = idOf(doc, type, stage);
      const settings = Object.values(doc.resource.aws_api_gateway_method_settings ?? {}).filter(
        (s: Json) =>
          s.method_path === "*/*" &&
          (s.stage_name === stage.stage_name ||
            String(s.stage_name).includes(`aws_api_gateway_stage.${id}.`)),
      ) as Json[];
      if (settings.length === 0) return "no */* method settings for the stage";
      const ok = settings.every((s) => {
        const values = single(s.settings);
        return ["ERROR", "INFO"].includes(values?.logging_level) && values?.metrics_enabled === true;
      });
      return ok ? undefined : "logging_level not ERROR/INFO or metrics_enabled not true";
    },
  },
  {
    id: "CKV_AWS_276",
    requirement: "method settings never enable data trace (it logs bodies and signature headers)",
    types: ["aws_api_gateway_method_settings"],
    offenders: (settings) =>
      single(settings.settings)?.data_trace_enabled === false ? undefined : "data_trace_enabled is not false",
  },
  {
    id: "CKV_AWS_73",
    requirement: "stages trace with X-Ray",
    types: ["aws_api_gateway_stage"],
    offenders: (stage) =>
      stage.xray_tracing_enabled === true ? undefined : "xray_tracing_enabled is not true",
  },
  {
    id: "CKV2_AWS_29",
    requirement: "every stage is associated with a WAFv2 web ACL",
    types: ["aws_api_gateway_stage"],
    offenders: (stage, type, doc) =>
      referencing(doc, "aws_wafv2_web_acl_association", "resource_arn", type, idOf(doc, type, stage)).length >
      0
        ? undefined
        : "no aws_wafv2_web_acl_association for the stage",
  },
  {
    id: "CKV_AWS_217",
    requirement: "deployments are created before the old one is destroyed",
    types: ["aws_api_gateway_deployment"],
    offenders: (deployment) =>
      single(deployment.lifecycle)?.create_before_destroy === true ? undefined : "no create_before_destroy",
  },
  {
    id: "APIGW-REDEPLOY",
    requirement: "deployments carry triggers, so a changed route redeploys",
    types: ["aws_api_gateway_deployment"],
    offenders: (deployment) =>
      deployment.triggers && Object.keys(deployment.triggers).length > 0 ? undefined : "no triggers",
  },
  // ── WAF (§A.11) ───────────────────────────────────────────────────────────────────────────────
  {
    id: "CKV_AWS_175",
    requirement: "web ACLs have at least one rule",
    types: ["aws_wafv2_web_acl"],
    offenders: (acl) => (asList(acl.rule).length > 0 ? undefined : "no rules"),
  },
  {
    id: "CKV_AWS_342",
    requirement: "every WAF rule has an action or an override action",
    types: ["aws_wafv2_web_acl"],
    offenders: (acl) => {
      const bare = asList(acl.rule).filter((rule: Json) => !rule.action && !rule.override_action) as Json[];
      return bare.length > 0 ? `rules ${bare.map((rule) => rule.name).join(", ")} have no action` : undefined;
    },
  },
  {
    // Replaces Checkov's CKV_AWS_192 (enforce Log4JRCE), which the ACL skips with its reason: a
    // signed webhook whose body quotes `${jndi:` (a code diff) must reach the signature check.
    id: "WAF-MANAGED-COUNT",
    requirement:
      "web ACLs evaluate AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesCommonRuleSet in COUNT: matches visible, no request refused for its content",
    types: ["aws_wafv2_web_acl"],
    offenders: (acl) => {
      const groups = asList(acl.rule).filter(
        (rule: Json) => single(rule.statement)?.managed_rule_group_statement,
      ) as Json[];
      const name = (rule: Json) => single(single(rule.statement).managed_rule_group_statement).name;
      const missing = ["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"].filter(
        (group) => !groups.some((rule) => name(rule) === group),
      );
      const blocking = groups.filter((rule) => !single(rule.override_action)?.count).map(name);
      const problems = [
        ...missing.map((group) => `no ${group}`),
        ...blocking.map((group) => `${group} can block (override_action is not count)`),
      ];
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "WAF.12",
    requirement: "the web ACL and every rule publish CloudWatch metrics",
    types: ["aws_wafv2_web_acl"],
    offenders: (acl) => {
      const configs = [
        acl.visibility_config,
        ...asList(acl.rule).map((rule: Json) => rule.visibility_config),
      ];
      return configs.every((config) => single(config)?.cloudwatch_metrics_enabled === true)
        ? undefined
        : "a visibility_config has cloudwatch_metrics_enabled off";
    },
  },
  {
    id: "WAF-LOG-REDACTION",
    requirement: "WAF logs go to an aws-waf-logs-* destination and redact signature headers and x-api-key",
    types: ["aws_wafv2_web_acl_logging_configuration"],
    offenders: (logging, _type, doc) => {
      const redacted = new Set(
        asList(logging.redacted_fields).map((field: Json) => single(field.single_header)?.name),
      );
      const required = Object.values(doc.resource.aws_api_gateway_method ?? {}).flatMap((method: Json) =>
        Object.keys(method.request_parameters ?? {})
          .filter((name) => name.startsWith("method.request.header."))
          .map((name) => name.slice("method.request.header.".length).toLowerCase())
          .filter((header) => SIGNATURE_HEADERS.has(header)),
      );
      const missing = [...new Set([...required, "x-api-key"])].filter((header) => !redacted.has(header));
      const groups = Object.entries(doc.resource.aws_cloudwatch_log_group ?? {});
      const destinations = asList(logging.log_destination_configs) as string[];
      const misnamed = destinations.filter((arn) => {
        const group = groups.find(([id]) => arn.includes(`aws_cloudwatch_log_group.${id}.`));
        return !group || !String((group[1] as Json).name).startsWith("aws-waf-logs-");
      });
      if (misnamed.length > 0) return "a destination is not an aws-waf-logs-* log group";
      return missing.length > 0 ? `not redacted: ${missing.join(", ")}` : undefined;
    },
  },
  // ── DynamoDB (§A.4) ───────────────────────────────────────────────────────────────────────────
  {
    id: "CKV_AWS_28",
    requirement: "tables have point-in-time recovery",
    types: ["aws_dynamodb_table"],
    offenders: (table) =>
      single(table.point_in_time_recovery)?.enabled === true
        ? undefined
        : "point_in_time_recovery not enabled",
  },
  {
    id: "CKV_AWS_119",
    requirement: "tables are encrypted with a customer-managed key",
    types: ["aws_dynamodb_table"],
    offenders: (table) => {
      const sse = single(table.server_side_encryption);
      if (sse?.enabled !== true || !sse.kms_key_arn) return "no SSE with a kms_key_arn";
      return String(sse.kms_key_arn).includes("alias/aws/") ? "uses an AWS-managed key" : undefined;
    },
  },
  {
    id: "CKV2_AWS_16",
    requirement: "tables bill on demand (capacity follows webhook bursts)",
    types: ["aws_dynamodb_table"],
    offenders: (table) =>
      table.billing_mode === "PAY_PER_REQUEST" ? undefined : "billing_mode not PAY_PER_REQUEST",
  },
  {
    id: "DDB-TTL",
    requirement: "tables expire records with TTL",
    types: ["aws_dynamodb_table"],
    offenders: (table) => {
      const ttl = single(table.ttl);
      return ttl?.enabled === true && ttl.attribute_name ? undefined : "no ttl";
    },
  },
  {
    id: "DDB-GSI-PROJECTION",
    requirement: "indexes project keys only or named attributes, never ALL (data minimisation, write cost)",
    types: ["aws_dynamodb_table"],
    offenders: (table) => {
      const all = asList(table.global_secondary_index).filter(
        (index: Json) => index.projection_type === "ALL",
      );
      return all.length > 0 ? "an index projects ALL attributes" : undefined;
    },
  },
  // ── Secrets Manager (§A.9) ────────────────────────────────────────────────────────────────────
  {
    id: "CKV_AWS_149",
    requirement: "secrets are encrypted with a customer-managed key",
    types: ["aws_secretsmanager_secret"],
    offenders: (secret) =>
      secret.kms_key_id && !String(secret.kms_key_id).includes("alias/aws/")
        ? undefined
        : "no CMK kms_key_id",
  },
  {
    id: "SM-NO-VALUE",
    requirement: "no secret value is managed by Terraform (none reaches the state)",
    types: ["aws_secretsmanager_secret"],
    offenders: (_secret, _type, doc) =>
      Object.keys(doc.resource.aws_secretsmanager_secret_version ?? {}).length > 0
        ? "an aws_secretsmanager_secret_version puts a value in the state"
        : undefined,
  },
  {
    id: "SM-NAMING",
    requirement: "secret names are literal, hierarchical and never end in '-' + 6 characters",
    types: ["aws_secretsmanager_secret"],
    offenders: (secret) => {
      const name = String(secret.name ?? "");
      if (!name || name.includes("${")) return "name is not a literal";
      if (/-[A-Za-z0-9]{6}$/.test(name)) return "name ends in '-' and 6 characters";
      return name.includes("/") ? undefined : "name is not hierarchical (<base>/<provider>/…)";
    },
  },
  // ── S3 (§A.10) ────────────────────────────────────────────────────────────────────────────────
  ...(
    [
      ["CKV2_AWS_6", undefined, "buckets have a public access block"],
      ["CKV_AWS_53", "block_public_acls", "public ACLs are blocked"],
      ["CKV_AWS_54", "block_public_policy", "public bucket policies are blocked"],
      ["CKV_AWS_55", "ignore_public_acls", "public ACLs are ignored"],
      ["CKV_AWS_56", "restrict_public_buckets", "public buckets are restricted"],
    ] as const
  ).map(
    ([id, flag, requirement]): PolicyRule => ({
      id,
      requirement,
      types: ["aws_s3_bucket"],
      offenders: (bucket, type, doc) => {
        const [block] = referencing(
          doc,
          "aws_s3_bucket_public_access_block",
          "bucket",
          type,
          idOf(doc, type, bucket),
        );
        if (!block) return "no aws_s3_bucket_public_access_block";
        return flag === undefined || block[flag] === true ? undefined : `${flag} is not true`;
      },
    }),
  ),
  {
    id: "CKV2_AWS_65",
    requirement: "buckets disable ACLs (BucketOwnerEnforced)",
    types: ["aws_s3_bucket"],
    offenders: (bucket, type, doc) => {
      const [controls] = referencing(
        doc,
        "aws_s3_bucket_ownership_controls",
        "bucket",
        type,
        idOf(doc, type, bucket),
      );
      return single(controls?.rule)?.object_ownership === "BucketOwnerEnforced"
        ? undefined
        : "object ownership is not BucketOwnerEnforced";
    },
  },
  {
    id: "CKV_AWS_145",
    requirement: "buckets encrypt with SSE-KMS and a customer-managed key",
    types: ["aws_s3_bucket"],
    offenders: (bucket, type, doc) => {
      const [config] = referencing(
        doc,
        "aws_s3_bucket_server_side_encryption_configuration",
        "bucket",
        type,
        idOf(doc, type, bucket),
      );
      const byDefault = single(single(config?.rule)?.apply_server_side_encryption_by_default);
      return byDefault?.sse_algorithm === "aws:kms" && byDefault.kms_master_key_id
        ? undefined
        : "no SSE-KMS default encryption with a kms_master_key_id";
    },
  },
  {
    id: "S3.5",
    requirement: "bucket policies deny requests without TLS",
    types: ["aws_s3_bucket"],
    offenders: (bucket, type, doc) => {
      const policies = referencing(doc, "aws_s3_bucket_policy", "bucket", type, idOf(doc, type, bucket));
      const denies = policies
        .flatMap((policy) => statementsOf(policy.policy))
        .some((s) => s.Effect === "Deny" && (s.Condition as Json)?.Bool?.["aws:SecureTransport"] === "false");
      return denies ? undefined : "no Deny on aws:SecureTransport false";
    },
  },
  {
    id: "CKV2_AWS_61",
    requirement: "buckets have a lifecycle configuration that expires or transitions objects",
    types: ["aws_s3_bucket"],
    offenders: (bucket, type, doc) => {
      const [config] = referencing(
        doc,
        "aws_s3_bucket_lifecycle_configuration",
        "bucket",
        type,
        idOf(doc, type, bucket),
      );
      const rules = asList(config?.rule).filter((rule: Json) => rule.status === "Enabled") as Json[];
      return rules.some((rule) => rule.expiration || rule.transition)
        ? undefined
        : "no enabled expiring rule";
    },
  },
  {
    id: "CKV_AWS_300",
    requirement: "lifecycle rules abort incomplete multipart uploads",
    types: ["aws_s3_bucket_lifecycle_configuration"],
    offenders: (config) => {
      const missing = asList(config.rule).filter(
        (rule: Json) => rule.status === "Enabled" && !single(rule.abort_incomplete_multipart_upload),
      );
      return missing.length > 0 ? "an enabled rule does not abort incomplete uploads" : undefined;
    },
  },
  // ── Lambda (§A.1) ─────────────────────────────────────────────────────────────────────────────
  {
    id: "CKV_AWS_50",
    // checkov's own check accepts both modes: PassThrough traces what an upstream sampled.
    requirement: "functions trace with X-Ray (Active or PassThrough)",
    types: ["aws_lambda_function"],
    offenders: (fn) =>
      ["Active", "PassThrough"].includes(single(fn.tracing_config)?.mode)
        ? undefined
        : "no tracing_config.mode Active or PassThrough",
  },
  {
    id: "CKV_AWS_173",
    requirement: "functions with environment variables encrypt them with a CMK",
    types: ["aws_lambda_function"],
    offenders: (fn) =>
      !single(fn.environment)?.variables || fn.kms_key_arn ? undefined : "environment without kms_key_arn",
  },
  {
    id: "CKV_AWS_363",
    requirement: "functions run a supported runtime",
    types: ["aws_lambda_function"],
    offenders: (fn) =>
      DEPRECATED_RUNTIME.test(String(fn.runtime)) ? `runtime ${fn.runtime} is deprecated` : undefined,
  },
  {
    id: "CKV_AWS_301",
    requirement: "function permissions never name principal *",
    types: ["aws_lambda_permission"],
    offenders: (permission) => (permission.principal === "*" ? "principal is *" : undefined),
  },
  {
    id: "CKV_AWS_364",
    requirement: "service-principal permissions are scoped by source_arn or source_account",
    types: ["aws_lambda_permission"],
    offenders: (permission) =>
      String(permission.principal).endsWith(".amazonaws.com") &&
      !permission.source_arn &&
      !permission.source_account
        ? "service principal without source_arn/source_account"
        : undefined,
  },
  {
    // One permission per method serves every route that has it (a statement per route would fill
    // the function's 20 KB policy at some 60 providers), so its path may end in one `*` after the
    // routes' common beginning; stage and method stay literal, and the method is one a route has
    // (a GET permission exists only beside a sender's GET handshake).
    id: "APIGW-PERMISSION-SCOPE",
    requirement:
      "API Gateway permissions name stage, a method some route has, and a path: literal, or a literal beginning and one trailing *",
    types: ["aws_lambda_permission"],
    offenders: (permission, _type, doc) => {
      if (permission.principal !== "apigateway.amazonaws.com") return undefined;
      const arn = String(permission.source_arn ?? "");
      const method = /\.execution_arn\}\/(GET|HEAD|POST|PUT|PATCH|DELETE)\/[A-Za-z0-9._/-]+\*?$/.exec(
        arn,
      )?.[1];
      if (!method) return `source_arn ${arn} does not name stage, method and a path`;
      const routed = Object.values(doc.resource.aws_api_gateway_method ?? {}).some(
        (route: Json) => route.http_method === method,
      );
      return routed ? undefined : `source_arn ${arn} names ${method}, which no route has`;
    },
  },
];

/** Rules that hold in production only (test them over a production synth). */
export const INGRESS_PRODUCTION_RULES: readonly PolicyRule[] = [
  {
    id: "DynamoDB.6",
    requirement: "production tables have deletion protection",
    types: ["aws_dynamodb_table"],
    offenders: (table) =>
      table.deletion_protection_enabled === true ? undefined : "deletion_protection_enabled is not true",
  },
];
