import { Testing } from "cdktf";
import { addPlatformStacks } from "../../stacks/app";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { DELIVERY_RULES } from "./delivery-rules";
import { FOUNDATION_RULES } from "./foundation-rules";
import { INGRESS_RULES } from "./ingress-rules";
import { evaluate, offendersIn, type PolicyRule } from "./rules";

/**
 * The MUST rules of the project's security checklist that apply to the stacks, each test named
 * by its rule id, checked over the whole synthesized documents of both stacks the default
 * configuration makes (whoever created the resources). Each construct group adds its rule set here.
 */
const RULES: readonly PolicyRule[] = [...FOUNDATION_RULES, ...INGRESS_RULES, ...DELIVERY_RULES];

const stacks = addPlatformStacks(Testing.app(), DEFAULT_CONFIG);
const [environment, regional] = [stacks.environment, stacks.regional!].map((stack) =>
  JSON.parse(Testing.synth(stack, true)),
);

describe.each(RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
  test(rule.requirement, () => {
    // The environment stack has something every rule inspects; the regional stack only a role.
    expect([...evaluate(rule, environment), ...offendersIn(rule, regional)]).toEqual([]);
  });
});

test("the regional stack is inspected too: its role falls under the IAM rules", () => {
  const inspecting = RULES.filter((rule) => rule.types.some((type) => regional.resource[type]));
  expect(inspecting.map((rule) => rule.id)).toEqual(expect.arrayContaining(["CKV_AWS_60/61"]));
});
