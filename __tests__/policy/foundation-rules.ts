import { asList, type PolicyRule, statementsOf } from "./rules";

/** Checklist §A.8 (KMS) and §A.1 (layers): the rules the foundation's resources bring. */
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
];
