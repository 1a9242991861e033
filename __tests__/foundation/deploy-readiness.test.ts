// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
/**
 * One test per finding of the deploy-readiness review: what made `apply` fail for an adopter, what
 * broke another stack, and what lost or forged webhooks. Each is named after its finding.
 */
import { resolve } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { NAME_RULES, type NameKind } from "../../constructs/naming";
import { addPlatformStacks } from "../../stacks/app";
import { configureBackend } from "../../stacks/backend";
import { DEFAULT_CONFIG, type PlatformConfig, validateConfig } from "../../stacks/config";
import { nameOffenders } from "../support/names";
import { resourcesOf, synthStack } from "../support/synth";

const synthAll = (config: PlatformConfig) => {
  const stacks = addPlatformStacks(Testing.app(), validateConfig(config));
  return {
    stacks,
    environment: JSON.parse(Testing.synth(stacks.environment, true)),
    regional: stacks.regional && JSON.parse(Testing.synth(stacks.regional, true)),
  };
};
const dev = synthAll(DEFAULT_CONFIG);
const doc = dev.environment;
const production = synthStack({ environment: "prod", production: true });

/** Every value of the name attributes of the kinds AWS keeps unique beyond one region of one account. */
function namesUniqueIn(document: any, scope: "account" | "global"): string[] {
  const kinds = (Object.keys(NAME_RULES) as NameKind[]).filter(
    (kind) => (NAME_RULES[kind] as { uniqueIn?: string }).uniqueIn === scope,
  );
  return kinds.flatMap((kind) => {
    const [type, attribute] = kind.split(".") as [string, string];
    return resourcesOf(document, type).map(([, resource]) => resource[attribute] as string);
  });
}

/** A name as Terraform resolves it in the given account. */
const inAccount = (name: string, accountId: string) =>
  name.replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, accountId);

const one = (document: any, type: string, where: (r: any) => boolean = () => true) => {
  const found = resourcesOf(document, type).filter(([, r]) => where(r));
  expect(found).toHaveLength(1);
  return found[0]![1];
};

describe("apply must succeed for every adopter", () => {
  test("globally unique names: the default stack in two accounts shares no bucket name", () => {
    const names = namesUniqueIn(doc, "global");
    expect(names.length).toBeGreaterThan(0);
    const first = names.map((name) => inAccount(name, "111111111111"));
    const second = names.map((name) => inAccount(name, "222222222222"));
    expect(first.filter((name) => second.includes(name))).toEqual([]);
  });

  test("globally unique names: the same environment in two regions shares no IAM role or dashboard name", () => {
    const other = synthStack({ region: "eu-west-1" }).doc;
    const here = namesUniqueIn(doc, "account");
    const there = namesUniqueIn(other, "account");
    expect(here).toEqual(
      expect.arrayContaining(["whk-dev-validator-us-east-1", "whk-dev-webhooks-us-east-1"]),
    );
    expect(here.filter((name) => there.includes(name))).toEqual([]);
  });

  test("a fresh account: the region's API Gateway CloudWatch role comes from a regional stack the environment depends on", () => {
    expect(resourcesOf(doc, "aws_api_gateway_account")).toEqual([]);
    const setting = one(dev.regional, "aws_api_gateway_account");
    expect(setting.cloudwatch_role_arn).toMatch(/^\$\{aws_iam_role\./);
    expect(dev.stacks.environment.dependencies).toEqual([dev.stacks.regional]);
  });

  test("a fresh account: destroying the regional stack is refused, so it never resets logging under other stacks", () => {
    expect(one(dev.regional, "aws_api_gateway_account").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("a fresh account: an account that already has its role synthesizes no regional stack", () => {
    const existing = addPlatformStacks(Testing.app(), { ...DEFAULT_CONFIG, apiGatewayAccount: "existing" });
    expect(existing.regional).toBeUndefined();
    expect(existing.environment.dependencies).toEqual([]);
  });

  test("a fresh account: the stage logs into groups the stack owns, created before it", () => {
    const stage = one(doc, "aws_api_gateway_stage");
    const [executionLogsId, executionLogs] = resourcesOf(doc, "aws_cloudwatch_log_group").find(([, g]) =>
      g.name.startsWith("API-Gateway-Execution-Logs_"),
    )!;
    expect(executionLogs.name).toMatch(
      /^API-Gateway-Execution-Logs_\$\{aws_api_gateway_rest_api\.[\w-]+\.id\}\/whk-dev-live$/,
    );
    expect(executionLogs.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(executionLogs.retention_in_days).toBe(30);
    expect(stage.depends_on).toEqual([`aws_cloudwatch_log_group.${executionLogsId}`]);
  });

  test("teardown and re-create: a non-production environment deletes its secrets at once and empties its bucket", () => {
    const secrets = resourcesOf(doc, "aws_secretsmanager_secret").map(([, s]) => s.recovery_window_in_days);
    expect(new Set(secrets)).toEqual(new Set([0]));
    const bucket = one(doc, "aws_s3_bucket");
    expect(bucket.force_destroy).toBe(true);
    expect(bucket.lifecycle).toBeUndefined();
  });

  test("teardown and re-create: production refuses to destroy its table and bucket and keeps secrets 30 days", () => {
    const table = one(production.doc, "aws_dynamodb_table");
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
    expect(table.deletion_protection_enabled).toBe(true);
    const bucket = one(production.doc, "aws_s3_bucket");
    expect(bucket).toEqual(
      expect.objectContaining({ force_destroy: false, lifecycle: { prevent_destroy: true } }),
    );
    const windows = resourcesOf(production.doc, "aws_secretsmanager_secret").map(
      ([, s]) => s.recovery_window_in_days,
    );
    expect(new Set(windows)).toEqual(new Set([30]));
  });

  test("state never shared by accident: a suffixed stack's S3 state key differs from the unsuffixed one's", () => {
    const keyOf = (suffix: string) => {
      const config = { ...DEFAULT_CONFIG, environmentSuffix: suffix };
      const backend = { type: "s3", bucket: "tf-state", region: "eu-west-1" } as const;
      const stacks = addPlatformStacks(Testing.app(), { ...config, backend });
      return [stacks.environment, stacks.regional!].map(
        (stack) => JSON.parse(Testing.synth(stack)).terraform.backend.s3.key,
      );
    };
    expect(keyOf("")).toEqual([
      "webhooks/webhooks-dev.tfstate",
      "webhooks/webhooks-regional-us-east-1.tfstate",
    ]);
    expect(keyOf("pr-7")).toEqual([
      "webhooks/webhooks-dev-pr-7.tfstate",
      "webhooks/webhooks-regional-us-east-1.tfstate",
    ]);
  });

  test("state never shared by accident: local state lives in the project root, not in the build folder", () => {
    const app = new App({ outdir: resolve("cdktf.out") });
    const stack = new TerraformStack(app, "webhooks-dev");
    configureBackend(stack, { type: "local" }, resolve("."));
    const path = JSON.parse(Testing.synth(stack)).terraform.backend.local.path;
    expect(path).toBe("../../../terraform.webhooks-dev.tfstate");
    expect(resolve("cdktf.out/stacks/webhooks-dev", path)).toBe(resolve("terraform.webhooks-dev.tfstate"));
  });
});

describe("no correctly signed webhook is refused by the edge", () => {
  const acl = one(doc, "aws_wafv2_web_acl");

  test("WAF: no managed rule blocks a request for its body or headers' content; they count, with metrics", () => {
    const managed = acl.rule.filter((rule: any) => rule.statement.managed_rule_group_statement);
    expect(managed.map((rule: any) => rule.statement.managed_rule_group_statement.name)).toEqual([
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesCommonRuleSet",
    ]);
    for (const rule of managed) {
      expect(rule.override_action).toEqual({ count: {} });
      expect(rule.visibility_config.cloudwatch_metrics_enabled).toBe(true);
    }
  });

  test("rate limit: the default lets a sender's burst through (well above 10 requests/s per IP) and is per provider", () => {
    const limits = (document: any) =>
      Object.fromEntries(
        one(document, "aws_wafv2_web_acl")
          .rule.filter((rule: any) => rule.statement.rate_based_statement)
          .map((rule: any) => [rule.name, rule.statement.rate_based_statement.limit]),
      );
    expect(limits(doc)).toEqual({ "rate-limit": 30_000 });
    const providers = DEFAULT_CONFIG.providers.map((p) =>
      p.id === "shopify" ? { ...p, wafRateLimitPer5Min: 90_000 } : p,
    );
    expect(limits(synthStack({ providers }).doc)).toEqual({
      "rate-limit-90000": 90_000,
      "rate-limit": 30_000,
    });
  });

  test("rate limit: stage throttling stays the global cap", () => {
    const settings = one(doc, "aws_api_gateway_method_settings").settings;
    expect(settings).toEqual(
      expect.objectContaining({ throttling_rate_limit: 1000, throttling_burst_limit: 2000 }),
    );
  });

  test("request models: the gateway promises no body check it cannot run (no model, no body validator)", () => {
    expect(resourcesOf(doc, "aws_api_gateway_model")).toEqual([]);
    for (const [, validator] of resourcesOf(doc, "aws_api_gateway_request_validator")) {
      expect(validator.validate_request_body).toBe(false);
    }
  });

  test("concurrency: the validator is bounded and the router keeps its share", () => {
    const fn = (name: string) => one(doc, "aws_lambda_function", (f) => f.function_name === name);
    expect(fn("whk-dev-validator").reserved_concurrent_executions).toBe(100);
    expect(fn("whk-dev-router").reserved_concurrent_executions).toBe(10);
  });
});

describe("what the review found wrong in the running system", () => {
  test("bus policy: only the router may put events; every other principal is denied", () => {
    const statements = JSON.parse(one(doc, "aws_cloudwatch_event_bus_policy").policy).Statement;
    expect(statements.map((s: any) => s.Effect)).toEqual(["Allow", "Deny"]);
    expect(statements[1].Principal).toBe("*");
    expect(statements[1].Condition.ArnNotEquals["aws:PrincipalArn"]).toMatch(
      /^\$\{aws_iam_role\.delivery_router_role/,
    );
  });

  test("metrics and alarms belong to their deployment: the validator's service is this stack's", () => {
    const validator = one(doc, "aws_lambda_function", (f) => f.function_name === "whk-dev-validator");
    expect(validator.environment.variables.POWERTOOLS_SERVICE_NAME).toBe("whk-dev-validator");
    const alarm = one(
      doc,
      "aws_cloudwatch_metric_alarm",
      (a) => a.alarm_name === "whk-dev-signature-rejections",
    );
    expect(alarm.metric_query[0].expression).toContain("service = 'whk-dev-validator'");
  });

  test("a disabled data key cannot silence the bus DLQ, the target DLQs or the alarm topic", () => {
    const keyOf = (ref: string) => ref.match(/^\$\{aws_kms_key\.([\w-]+)\.arn\}$/)![1];
    const dataKey = keyOf(one(doc, "aws_cloudwatch_event_bus").kms_key_identifier);
    const queueKey = (name: string) =>
      keyOf(one(doc, "aws_sqs_queue", (q) => q.name === name).kms_master_key_id);
    for (const name of [
      "whk-dev-bus-dlq",
      "whk-dev-route-payments-target-dlq",
      "whk-dev-archive-target-dlq",
    ]) {
      expect([name, queueKey(name)]).not.toEqual([name, dataKey]);
    }
    expect(keyOf(one(doc, "aws_sns_topic").kms_master_key_id)).not.toBe(dataKey);
  });

  test("an alarm on InvocationsFailedToBeSentToDlq for every rule: the one metric that shows events dropped", () => {
    const rules = resourcesOf(doc, "aws_cloudwatch_event_rule").map(([, rule]) => rule.name);
    const watched = resourcesOf(doc, "aws_cloudwatch_metric_alarm")
      .filter(([, alarm]) => alarm.metric_name === "InvocationsFailedToBeSentToDlq")
      .map(([, alarm]) => alarm.dimensions.RuleName);
    expect(watched.sort()).toEqual(rules.sort());
  });

  test("every log group is the stack's own, CMK-encrypted with retention (API Gateway's execution log group included)", () => {
    const groups = resourcesOf(doc, "aws_cloudwatch_log_group").map(([, group]) => group);
    expect(groups.map((g) => g.name)).toContainEqual(expect.stringMatching(/^API-Gateway-Execution-Logs_/));
    for (const group of groups) {
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(group.retention_in_days).toBeGreaterThan(0);
    }
  });

  test("the audit stream mapping starts at TRIM_HORIZON, so records written around a replacement are audited", () => {
    const mapping = one(doc, "aws_lambda_event_source_mapping", (m) =>
      m.event_source_arn.includes("stream_arn"),
    );
    expect(mapping.starting_position).toBe("TRIM_HORIZON");
  });

  test("the router role has no dynamodb:GetItem it never uses", () => {
    const role = resourcesOf(doc, "aws_iam_role").find(([, r]) => r.name === "whk-dev-router-us-east-1")![0];
    const policy = one(doc, "aws_iam_role_policy", (p) => p.role === `\${aws_iam_role.${role}.id}`);
    expect(policy.policy).not.toContain("dynamodb:GetItem");
  });

  test("every physical name of both stacks is inside its limit", () => {
    expect(nameOffenders(doc)).toEqual([]);
    expect(nameOffenders(dev.regional)).toEqual([]);
    expect(namesUniqueIn(dev.regional, "account")).toEqual(["whk-regional-apigateway-logs-us-east-1"]);
  });
});
