import { asList, type PolicyRule, principalOf, ref, statementsOf } from "./rules";

/**
 * Actions AWS offers no resource-level permission for, so `Resource: "*"` is the only option
 * (Service Authorization Reference).
 */
const UNRESTRICTABLE_ACTIONS = new Set([
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "cloudwatch:PutMetricData",
  "dynamodb:ListStreams",
]);

const IDENTITY_POLICIES = ["aws_iam_role_policy", "aws_iam_policy"];

/**
 * Checklist §A.8 (KMS), §A.12 (IAM), §A.6 (log groups) and §A.1 (layers): the foundation's
 * resources and the stack-wide mechanisms it owns (every role, log group and key grant).
 */
/**
 * Services that assume a role without a confused-deputy condition: Lambda assumes a function's role
 * only for that function; API Gateway's account-wide logging role documents none.
 */
const UNCONDITIONAL_SERVICES = ["lambda.amazonaws.com", "apigateway.amazonaws.com"];

export const FOUNDATION_RULES: readonly PolicyRule[] = [
  {
    id: "CKV_AWS_7",
    requirement: "KMS keys rotate",
    types: ["aws_kms_key"],
    offenders: (key) => (key.enable_key_rotation === true ? undefined : "enable_key_rotation is not true"),
  },
  {
    id: "CKV_AWS_227",
    requirement: "KMS keys are enabled",
    types: ["aws_kms_key"],
    offenders: (key) => (key.is_enabled === false ? "is_enabled is false" : undefined),
  },
  {
    id: "KMS.3",
    requirement: "KMS keys keep a deletion window (≥ 7 days)",
    types: ["aws_kms_key"],
    offenders: (key) => (key.deletion_window_in_days >= 7 ? undefined : "deletion_window_in_days below 7"),
  },
  {
    id: "CKV2_AWS_64",
    requirement: "every KMS key has an explicit key policy",
    types: ["aws_kms_key"],
    offenders: (key, _type, doc) => {
      const policies = Object.values(doc.resource.aws_kms_key_policy ?? {});
      return key.policy || policies.length > 0 ? undefined : "no key policy";
    },
  },
  {
    id: "CKV_AWS_33",
    requirement: "key policies grant no wildcard principal without a condition",
    types: ["aws_kms_key_policy"],
    offenders: (policy) => {
      const open = statementsOf(policy.policy).filter(
        (s) =>
          s.Effect === "Allow" &&
          (s.Principal === "*" || asList((s.Principal as { AWS?: unknown })?.AWS).includes("*")) &&
          !s.Condition,
      );
      return open.length > 0
        ? `statements ${open.map((s) => s.Sid).join(", ")} allow any principal`
        : undefined;
    },
  },
  {
    id: "LAYER-HYGIENE",
    requirement: "layers declare compatible runtimes and are never shared with everyone",
    types: ["aws_lambda_layer_version"],
    offenders: (layer, _type, doc) => {
      if (!layer.compatible_runtimes?.length) return "compatible_runtimes not set";
      const permissions = Object.values(doc.resource.aws_lambda_layer_version_permission ?? {}) as Array<{
        principal: string;
      }>;
      return permissions.some((p) => p.principal === "*")
        ? "a layer permission grants principal *"
        : undefined;
    },
  },
  {
    id: "CKV_AWS_60/61",
    requirement: "roles trust exactly one service principal, and non-Lambda services only under a condition",
    types: ["aws_iam_role"],
    offenders: (role) => {
      const problems = statementsOf(role.assume_role_policy).flatMap((statement) => {
        const principal = principalOf(statement);
        if (principal.star || principal.aws.length > 0)
          return [`${statement.Sid ?? "trust"}: non-service principal`];
        if (principal.service.length !== 1) return ["trusts several services"];
        if (!UNCONDITIONAL_SERVICES.includes(principal.service[0]!) && !statement.Condition) {
          return [`${principal.service[0]} without a confused-deputy condition`];
        }
        return [];
      });
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  ...(["CKV_AWS_63", "IAM.21"] as const).map(
    (id): PolicyRule => ({
      id,
      requirement: "identity policies allow no wildcard action (* or service:*) and no iam:PassRole",
      types: IDENTITY_POLICIES,
      offenders: (policy) => {
        const bad = statementsOf(policy.policy)
          .filter((statement) => statement.Effect === "Allow")
          .flatMap((statement) => asList(statement.Action).map(String))
          .filter((action) => /(^|:)\*$/.test(action) || action === "iam:PassRole");
        return bad.length > 0 ? `actions ${bad.join(", ")}` : undefined;
      },
    }),
  ),
  {
    id: "CKV_AWS_355",
    requirement: "identity policies use Resource * only for actions that have no resource type",
    types: IDENTITY_POLICIES,
    offenders: (policy) => {
      const bad = statementsOf(policy.policy)
        .filter((statement) => statement.Effect === "Allow" && asList(statement.Resource).includes("*"))
        .flatMap((statement) => asList(statement.Action).map(String))
        .filter((action) => !UNRESTRICTABLE_ACTIONS.has(action));
      return bad.length > 0 ? `Resource * for ${bad.join(", ")}` : undefined;
    },
  },
  {
    id: "KMS.1/KMS.2",
    requirement: "role policies grant KMS use on the platform key only",
    types: IDENTITY_POLICIES,
    offenders: (policy) => {
      const bad = statementsOf(policy.policy).filter(
        (statement) =>
          statement.Effect === "Allow" &&
          asList(statement.Action).some((action) => String(action).startsWith("kms:")) &&
          asList(statement.Resource).some((resource) => ref(resource)?.type !== "aws_kms_key"),
      );
      return bad.length > 0 ? "kms actions on a resource other than the platform key" : undefined;
    },
  },
  {
    id: "CKV_AWS_66",
    requirement: "log groups set a retention",
    types: ["aws_cloudwatch_log_group"],
    offenders: (group) => (Number(group.retention_in_days) > 0 ? undefined : "no retention_in_days"),
  },
  {
    id: "CKV_AWS_158",
    requirement: "log groups are encrypted with the platform key",
    types: ["aws_cloudwatch_log_group"],
    offenders: (group) => (ref(group.kms_key_id)?.type === "aws_kms_key" ? undefined : "no CMK"),
  },
];
