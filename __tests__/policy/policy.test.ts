import { synthStack } from "../support/synth";
import { DELIVERY_RULES } from "./delivery-rules";
import { FOUNDATION_RULES } from "./foundation-rules";
import { INGRESS_RULES } from "./ingress-rules";
import { evaluate, type PolicyRule } from "./rules";

/**
 * The MUST rules of shared/reference/security-checklist.md that apply to the stack, each test named
 * by its rule id, checked over the whole synthesized document (whoever created the resources).
 * Each construct group adds its rule set here.
 */
const RULES: readonly PolicyRule[] = [...FOUNDATION_RULES, ...INGRESS_RULES, ...DELIVERY_RULES];

const { doc } = synthStack();

describe.each(RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
  test(rule.requirement, () => {
    expect(evaluate(rule, doc)).toEqual([]);
  });
});

test("a rule fails when a resource breaks it", () => {
  const broken = structuredClone(doc);
  for (const key of Object.values(broken.resource.aws_kms_key) as Array<Record<string, unknown>>) {
    key.enable_key_rotation = false;
  }
  expect(evaluate(FOUNDATION_RULES.find((rule) => rule.id === "CKV_AWS_7")!, broken)).toHaveLength(1);
});
