import { INGRESS_PRODUCTION_RULES, INGRESS_RULES } from "../policy/ingress-rules";
import { evaluate, type PolicyRule } from "../policy/rules";
import { synthStack } from "../support/synth";

/**
 * Every ingress rule can fail: each case breaks the synthesized document the way the rule guards
 * against, and the rule must name an offender. (policy.test.ts proves the stack passes them.)
 */
const { doc } = synthStack();

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
type Json = any;
const all = (d: Json, type: string): Json[] => Object.values(d.resource[type] ?? {});
const first = (d: Json, type: string): Json => all(d, type)[0];
const byName = (d: Json, type: string, part: string): Json =>
  Object.entries(d.resource[type]).find(([id]) => id.includes(part))![1];
const rule = (d: Json, name: string): Json =>
  first(d, "aws_wafv2_web_acl").rule.find((r: Json) => r.name === name);

const BREAKERS: Record<string, (d: Json) => void> = {
  CKV_AWS_59: (d) => {
    byName(d, "aws_api_gateway_method", "method-stripe").request_parameters = {};
  },
  CKV2_AWS_70: (d) => {
    byName(d, "aws_api_gateway_method", "method-github").request_parameters = {
      "method.request.header.X-Other": true,
    };
  },
  CKV2_AWS_53: (d) => {
    delete first(d, "aws_api_gateway_method").request_validator_id;
  },
  CKV_AWS_76: (d) => {
    first(d, "aws_api_gateway_stage").access_log_settings.format = '{"ua":"$context.identity.userAgent"}';
  },
  CKV2_AWS_4: (d) => {
    first(d, "aws_api_gateway_method_settings").settings.logging_level = "OFF";
  },
  CKV_AWS_276: (d) => {
    first(d, "aws_api_gateway_method_settings").settings.data_trace_enabled = true;
  },
  CKV_AWS_73: (d) => {
    first(d, "aws_api_gateway_stage").xray_tracing_enabled = false;
  },
  CKV2_AWS_29: (d) => {
    delete d.resource.aws_wafv2_web_acl_association;
  },
  CKV_AWS_217: (d) => {
    delete first(d, "aws_api_gateway_deployment").lifecycle;
  },
  "APIGW-REDEPLOY": (d) => {
    delete first(d, "aws_api_gateway_deployment").triggers;
  },
  CKV_AWS_175: (d) => {
    first(d, "aws_wafv2_web_acl").rule = [];
  },
  CKV_AWS_342: (d) => {
    delete rule(d, "rate-limit").action;
  },
  "WAF-MANAGED-COUNT": (d) => {
    rule(d, "known-bad-inputs").override_action = { none: {} };
  },
  "WAF.12": (d) => {
    rule(d, "common").visibility_config.cloudwatch_metrics_enabled = false;
  },
  "WAF-LOG-REDACTION": (d) => {
    first(d, "aws_wafv2_web_acl_logging_configuration").redacted_fields = [
      { single_header: { name: "x-api-key" } },
    ];
  },
  CKV_AWS_28: (d) => {
    first(d, "aws_dynamodb_table").point_in_time_recovery = { enabled: false };
  },
  CKV_AWS_119: (d) => {
    delete first(d, "aws_dynamodb_table").server_side_encryption.kms_key_arn;
  },
  CKV2_AWS_16: (d) => {
    first(d, "aws_dynamodb_table").billing_mode = "PROVISIONED";
  },
  "DDB-TTL": (d) => {
    delete first(d, "aws_dynamodb_table").ttl;
  },
  "DDB-GSI-PROJECTION": (d) => {
    // The table has no index; one added later must not project ALL.
    first(d, "aws_dynamodb_table").global_secondary_index = [
      { name: "byProvider", hash_key: "provider", projection_type: "ALL" },
    ];
  },
  CKV_AWS_149: (d) => {
    delete first(d, "aws_secretsmanager_secret").kms_key_id;
  },
  "SM-NO-VALUE": (d) => {
    d.resource.aws_secretsmanager_secret_version = { v: { secret_id: "x", secret_string: "whsec_x" } };
  },
  "SM-NAMING": (d) => {
    first(d, "aws_secretsmanager_secret").name = "whk-dev-stripe-abcdef";
  },
  CKV2_AWS_6: (d) => {
    delete d.resource.aws_s3_bucket_public_access_block;
  },
  CKV_AWS_53: (d) => {
    first(d, "aws_s3_bucket_public_access_block").block_public_acls = false;
  },
  CKV_AWS_54: (d) => {
    first(d, "aws_s3_bucket_public_access_block").block_public_policy = false;
  },
  CKV_AWS_55: (d) => {
    first(d, "aws_s3_bucket_public_access_block").ignore_public_acls = false;
  },
  CKV_AWS_56: (d) => {
    first(d, "aws_s3_bucket_public_access_block").restrict_public_buckets = false;
  },
  CKV2_AWS_65: (d) => {
    first(d, "aws_s3_bucket_ownership_controls").rule.object_ownership = "ObjectWriter";
  },
  CKV_AWS_145: (d) => {
    first(
      d,
      "aws_s3_bucket_server_side_encryption_configuration",
    ).rule[0].apply_server_side_encryption_by_default = {
      sse_algorithm: "AES256",
    };
  },
  "S3.5": (d) => {
    first(d, "aws_s3_bucket_policy").policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
  },
  CKV2_AWS_61: (d) => {
    first(d, "aws_s3_bucket_lifecycle_configuration").rule = [];
  },
  CKV_AWS_300: (d) => {
    delete first(d, "aws_s3_bucket_lifecycle_configuration").rule[0].abort_incomplete_multipart_upload;
  },
  CKV_AWS_50: (d) => {
    delete first(d, "aws_lambda_function").tracing_config;
  },
  CKV_AWS_173: (d) => {
    delete first(d, "aws_lambda_function").kms_key_arn;
  },
  CKV_AWS_363: (d) => {
    first(d, "aws_lambda_function").runtime = "nodejs16.x";
  },
  CKV_AWS_301: (d) => {
    first(d, "aws_lambda_permission").principal = "*";
  },
  CKV_AWS_364: (d) => {
    delete first(d, "aws_lambda_permission").source_arn;
  },
  "APIGW-PERMISSION-SCOPE": (d) => {
    const permission = first(d, "aws_lambda_permission");
    permission.source_arn = permission.source_arn.replace(/\/POST\/.*$/, "/*/*");
  },
  // The dev stack itself breaks the production-only rule.
  "DynamoDB.6": () => {},
};

const RULES: readonly PolicyRule[] = [...INGRESS_RULES, ...INGRESS_PRODUCTION_RULES];

test("every ingress rule has a case that breaks it", () => {
  expect(RULES.map((r) => r.id).filter((id) => !(id in BREAKERS))).toEqual([]);
});

test.each(RULES.map((r) => [r.id, r] as const))("%s fails when its resource breaks it", (id, policyRule) => {
  const broken = structuredClone(doc);
  BREAKERS[id]!(broken);
  expect(evaluate(policyRule, broken).length).toBeGreaterThan(0);
});

test.each(RULES.map((r) => [r.id, r] as const))(
  "%s inspects resources the stack contains",
  (_id, policyRule) => {
    expect(policyRule.types.some((type) => Object.keys(doc.resource[type] ?? {}).length > 0)).toBe(true);
  },
);

describe("APIGW-PERMISSION-SCOPE: one permission for all routes, no wider than one statement must be", () => {
  const scope = RULES.find((r) => r.id === "APIGW-PERMISSION-SCOPE")!;
  const withSourceArn = (tail: string) => {
    const broken = structuredClone(doc);
    const permission = first(broken, "aws_lambda_permission");
    permission.source_arn = permission.source_arn.replace(/\/POST\/.*$/, tail);
    return broken;
  };

  test.each([
    ["a literal path", "/POST/webhooks/stripe", true],
    ["the routes' common beginning and one trailing *", "/POST/webhook*", true],
    ["any method", "/*/webhook*", false],
    ["any path", "/POST/*", false],
    ["a wildcard inside the path", "/POST/webhooks/*/events", false],
    ["a method no route has", "/GET/webhook*", false],
  ])("%s (%s) holds: %s", (_case, tail, holds) => {
    expect(evaluate(scope, withSourceArn(tail))).toHaveLength(holds ? 0 : 1);
  });
});
