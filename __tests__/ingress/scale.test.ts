import { readFileSync } from "node:fs";
import { join } from "node:path";
import { endpointPaths, restApiResourceCount } from "../../constructs/ingress-layout";
import {
  EVENT_PATTERN_CHARACTERS,
  IAM_ROLE_INLINE_POLICY_CHARACTERS,
  LAMBDA_ENVIRONMENT_BYTES,
  REST_API_RESOURCES_DEFAULT,
  WAF_RATE_BASED_RULES,
  WAF_WEB_ACL_CAPACITY_UNITS,
} from "../../constructs/quotas";
import { webAclCapacity } from "../../constructs/web-acl-rules";
import { PROVIDERS_FILE } from "../../functions/validator/config";
import { loadConfig } from "../../stacks/config";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { resourcesOf, synthStack } from "../support/synth";
import { rolePolicyStatements } from "./grants";

/**
 * The plan:offline scale configuration (scripts/plan-offline/scale.json: 150 providers of every
 * scheme, some behind an API key, some with WAF limits of their own) synthesizes with every
 * validation, and nothing that grows with the providers comes near its quota.
 */
const config = loadConfig({ WEBHOOK_CONFIG: join(__dirname, "../../scripts/plan-offline/scale.json") });
const { doc, stack } = synthStack(config);
const count = (type: string) => resourcesOf(doc, type).length;
const [[, validator]] = resourcesOf(doc, "aws_lambda_function").filter(([id]) =>
  id.startsWith("ingress_validator"),
);

test("the configuration has 150 providers of every scheme, some behind an API key, some with their own WAF limit", () => {
  expect(config.providers).toHaveLength(150);
  expect(new Set(config.providers.map((provider) => provider.scheme)).size).toBe(6);
  expect(new Set(config.providers.map((provider) => provider.headerFamily))).toEqual(
    new Set([undefined, "webhook", "svix"]),
  );
  expect(config.providers.some((provider) => provider.apiKeyRequired)).toBe(true);
  expect(
    config.providers.filter((provider) => provider.wafRateLimitPer5Min !== undefined).length,
  ).toBeGreaterThan(1);
});

test("every provider gets its route and its secret", () => {
  expect(count("aws_api_gateway_method")).toBe(151);
  expect(count("aws_api_gateway_integration")).toBe(151);
  expect(count("aws_secretsmanager_secret")).toBe(150);
  expect(count("aws_secretsmanager_secret_policy")).toBe(150);
});

test("the validator's providers are in its package and the stack's output, not in its environment", () => {
  const listed = readFileSync(join(stack.ingress.validator.packageDir, PROVIDERS_FILE), "utf8");
  expect(JSON.parse(listed)).toHaveLength(150);
  expect(doc.output[PROVIDERS_OUTPUT].value).toBe(listed);
  const environment = JSON.stringify(validator.environment.variables);
  expect(environment).not.toContain("secretId");
  expect(Buffer.byteLength(environment)).toBeLessThan(LAMBDA_ENVIRONMENT_BYTES / 2);
});

test("one Lambda permission lets the API invoke the validator, whatever the number of routes", () => {
  expect(count("aws_lambda_permission")).toBe(1);
});

test("the validator's policy reads every secret through one pattern and stays far under IAM's limit", () => {
  const statements = rolePolicyStatements(doc, "whk-scale-validator-us-east-1");
  const read = statements.find((statement) => statement.Action === "secretsmanager:GetSecretValue");
  expect(read?.Resource).toMatch(/:secret:whk-scale\/\*\/signing-\?{6}$/);
  expect(stack.ingress.validator.role.policySize()).toBeLessThan(IAM_ROLE_INLINE_POLICY_CHARACTERS / 4);
});

test("the API has the resources the configuration rules count, within the default quota", () => {
  const resources = count("aws_api_gateway_resource") + 1; // and the root, which the API creates
  expect(resources).toBe(restApiResourceCount(endpointPaths(config.providers)));
  expect(resources).toBe(153);
  expect(resources).toBeLessThanOrEqual(REST_API_RESOURCES_DEFAULT);
});

test("every event pattern is within EventBridge's size; the archive and the catch-all route match by prefix", () => {
  const patterns = [
    ...resourcesOf(doc, "aws_cloudwatch_event_rule").map(([, rule]) => rule.event_pattern as string),
    ...resourcesOf(doc, "aws_cloudwatch_event_archive").map(([, archive]) => archive.event_pattern as string),
  ];
  for (const pattern of patterns) expect(pattern.length).toBeLessThanOrEqual(EVENT_PATTERN_CHARACTERS);
  const [[, archive]] = resourcesOf(doc, "aws_cloudwatch_event_archive");
  expect(JSON.parse(archive.event_pattern)).toEqual({ source: [{ prefix: "webhooks." }] });
});

test("the web ACL stays within WAF's rate-based rules and capacity, and redacts each signature header once", () => {
  const [[, acl]] = resourcesOf(doc, "aws_wafv2_web_acl");
  const rateRules = acl.rule.filter(
    (rule: { statement: object }) => "rate_based_statement" in rule.statement,
  );
  expect(rateRules.length).toBeLessThanOrEqual(WAF_RATE_BASED_RULES);
  expect(webAclCapacity(acl.rule)).toBe(stack.ingress.webAcl.capacity);
  expect(stack.ingress.webAcl.capacity).toBeLessThan(WAF_WEB_ACL_CAPACITY_UNITS);
  const [[, logging]] = resourcesOf(doc, "aws_wafv2_web_acl_logging_configuration");
  // eight signature headers (Shopify with and without X-) and x-api-key, once each
  expect(logging.redacted_fields).toHaveLength(9);
});

test("the deployment's triggers are two hashes, however many routes they cover", () => {
  const [[, deployment]] = resourcesOf(doc, "aws_api_gateway_deployment");
  expect(deployment.triggers.configuration).toMatch(/^[0-9a-f]{64}$/);
  expect(deployment.triggers.resources).toMatch(/^\$\{sha1\(jsonencode\(\[/);
});
