import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { INGRESS_PRODUCTION_RULES, INGRESS_RULES } from "../policy/ingress-rules";
import { evaluate } from "../policy/rules";
import { synthStack } from "../support/synth";

const production = synthStack({ environment: "prod", production: true });

test("the production table has deletion protection", () => {
  expect(production.json).toHaveResourceWithProperties(DynamodbTable, {
    name: "whk-prod-records",
    deletion_protection_enabled: true,
  });
});

describe.each(INGRESS_PRODUCTION_RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
  test(`${rule.requirement} (production synth)`, () => {
    expect(evaluate(rule, production.doc)).toEqual([]);
  });
});

test("every ingress rule also holds in production", () => {
  expect(INGRESS_RULES.flatMap((rule) => evaluate(rule, production.doc))).toEqual([]);
});
