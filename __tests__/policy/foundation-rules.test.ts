import { synthStack } from "../support/synth";
import { FOUNDATION_RULES } from "./foundation-rules";
import { evaluate } from "./rules";

/**
 * Every stack-wide rule can fail: each case breaks a clean synth the way a regression would, and
 * the rule must name an offender. (policy.test.ts proves the stack passes them.)
 */
const { doc } = synthStack();

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
type Json = any;
const first = (d: Json, type: string): Json => Object.values(d.resource[type] ?? {})[0];
const byName = (d: Json, type: string, name: string): Json =>
  Object.values(d.resource[type] as Record<string, Json>).find((r) => r.name === name);
const setTrust = (role: Json, statement: Json) => {
  role.assume_role_policy = JSON.stringify({ Statement: [statement] });
};
const addStatement = (d: Json, statement: Json) => {
  const policy = first(d, "aws_iam_role_policy");
  const parsed = JSON.parse(policy.policy);
  parsed.Statement.push(statement);
  policy.policy = JSON.stringify(parsed);
};
const withoutCondition = (role: Json) => {
  const parsed = JSON.parse(role.assume_role_policy);
  parsed.Statement = [parsed.Statement].flat().map(({ Condition: _condition, ...rest }: Json) => rest);
  role.assume_role_policy = JSON.stringify(parsed);
};

/** Cases per rule id; a rule with several ways to break it has several. */
const BREAKS: Record<string, Record<string, (d: Json) => void>> = {
  CKV_AWS_7: { "rotation off": (d) => (first(d, "aws_kms_key").enable_key_rotation = false) },
  CKV_AWS_227: { "key disabled": (d) => (first(d, "aws_kms_key").is_enabled = false) },
  "KMS.3": { "deletion window of 6 days": (d) => (first(d, "aws_kms_key").deletion_window_in_days = 6) },
  CKV2_AWS_64: {
    "no key policy": (d) => {
      delete d.resource.aws_kms_key_policy;
      delete first(d, "aws_kms_key").policy;
    },
  },
  CKV_AWS_33: {
    "a wildcard principal without a condition": (d) => {
      const policy = first(d, "aws_kms_key_policy");
      const parsed = JSON.parse(policy.policy);
      parsed.Statement.push({
        Sid: "Open",
        Effect: "Allow",
        Principal: "*",
        Action: "kms:Decrypt",
        Resource: "*",
      });
      policy.policy = JSON.stringify(parsed);
    },
  },
  "LAYER-HYGIENE": {
    "no compatible runtimes": (d) => delete first(d, "aws_lambda_layer_version").compatible_runtimes,
  },
  "CKV_AWS_60/61": {
    "an account principal": (d) =>
      setTrust(first(d, "aws_iam_role"), {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "sts:AssumeRole",
      }),
    "every principal": (d) =>
      setTrust(first(d, "aws_iam_role"), { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
    "a service role without its confused-deputy condition": (d) =>
      withoutCondition(byName(d, "aws_iam_role", "whk-dev-archive-firehose-us-east-1")),
  },
  CKV_AWS_63: {
    "a service:* action": (d) =>
      addStatement(d, { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }),
  },
  "IAM.21": {
    "a * action": (d) => addStatement(d, { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" }),
    "iam:PassRole": (d) =>
      addStatement(d, { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" }),
  },
  CKV_AWS_355: {
    "Resource * for a restrictable action": (d) =>
      addStatement(d, { Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
  },
  "KMS.1/KMS.2": {
    "kms on every key": (d) => addStatement(d, { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }),
  },
  CKV_AWS_66: { "no retention": (d) => delete first(d, "aws_cloudwatch_log_group").retention_in_days },
  CKV_AWS_158: { "no key": (d) => delete first(d, "aws_cloudwatch_log_group").kms_key_id },
};

test("every stack-wide rule has a breaking case", () => {
  expect(Object.keys(BREAKS).sort()).toEqual(FOUNDATION_RULES.map((rule) => rule.id).sort());
});

const CASES = FOUNDATION_RULES.flatMap((rule) =>
  Object.entries(BREAKS[rule.id] ?? {}).map(([name, breakIt]) => [rule.id, name, rule, breakIt] as const),
);

test.each(CASES)("%s fails on %s", (_id, _name, rule, breakIt) => {
  const broken = structuredClone(doc);
  breakIt(broken);
  expect(evaluate(rule, broken).length).toBeGreaterThan(0);
});
