import { FAULTS, inject } from "../../scripts/plan-offline/self-check";

const doc = {
  resource: {
    aws_dynamodb_table: { table: { name: "whk-dev-records", billing_mode: "PAY_PER_REQUEST" } },
    aws_lambda_function: { fn: { function_name: "whk-dev-router", role: `\${aws_iam_role.router.arn}` } },
  },
};

test.each(FAULTS.map((fault) => [fault.name, fault] as const))(
  "%s is injected into a copy and names what Terraform's error must mention",
  (_name, fault) => {
    const before = structuredClone(doc);
    const { doc: broken, where } = inject(fault, doc)!;
    expect(doc).toEqual(before);
    expect(JSON.stringify(broken)).toContain(fault.evidence);
    expect(where).toContain(fault.evidence);
  },
);

test.each(FAULTS.map((fault) => [fault.name, fault] as const))(
  "%s has no place in a stack without the resource it needs",
  (_name, fault) => {
    expect(inject(fault, { resource: { aws_sns_topic: { alarms: { name: "alarms" } } } })).toBeUndefined();
  },
);
