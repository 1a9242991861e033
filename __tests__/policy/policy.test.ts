import { synthStack } from "../support/synth";
import { DELIVERY_RULES } from "./delivery-rules";
import { FOUNDATION_RULES } from "./foundation-rules";
import { INGRESS_RULES } from "./ingress-rules";
import { evaluate, type PolicyRule } from "./rules";

/**
 * The MUST rules of the project's security checklist that apply to the stack, each test named
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
