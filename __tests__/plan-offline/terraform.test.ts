import { countWarnings, firstError, planSummary, terraformEnv } from "../../scripts/plan-offline/terraform";

test("the plan summary is the counts of plan's closing line", () => {
  const stdout =
    "aws_sqs_queue.q will be created\n\nPlan: 154 to add, 0 to change, 0 to destroy.\n\nChanges to Outputs:\n";
  expect(planSummary(stdout)).toBe("154 to add, 0 to change, 0 to destroy");
});

test("a plan without changes reads as no changes", () => {
  expect(planSummary("\nNo changes. Your infrastructure matches the configuration.\n")).toBe("no changes");
});

test("warnings are counted with or without Terraform's box drawing", () => {
  expect(countWarnings("Warning: Deprecated attribute\n\n  on x\n│ Warning: Argument is deprecated\n")).toBe(
    2,
  );
  expect(countWarnings("Success! The configuration is valid.\n")).toBe(0);
});

test("Terraform runs without the caller's AWS_ and TF_ settings, with the given ones and no update check", () => {
  const env = terraformEnv(
    { TF_CLI_CONFIG_FILE: "/tmp/work/terraform.rc" },
    { PATH: "/usr/bin", AWS_PROFILE: "prod", TF_CLI_CONFIG_FILE: "/missing", TF_WORKSPACE: "x" },
  );
  expect(env).toEqual({
    PATH: "/usr/bin",
    TF_CLI_CONFIG_FILE: "/tmp/work/terraform.rc",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  });
});

test("the first error reads as its summary and explanation, without the source location", () => {
  const stderr = [
    "",
    "Error: Reference to undeclared resource",
    "",
    "  on cdk.tf.json line 2195, in resource.aws_lambda_function.fn:",
    `2195:         "role": "\${aws_iam_role.missing.arn}",`,
    "",
    'A managed resource "aws_iam_role" "missing" has not been',
    "declared in the root module.",
    "",
    "Error: Unsupported argument",
    "",
    "The second error is not shown.",
  ].join("\n");
  expect(firstError(stderr)).toBe(
    'Error: Reference to undeclared resource — A managed resource "aws_iam_role" "missing" has not been declared in the root module.',
  );
});

test("an error without an explanation reads as its summary", () => {
  const stderr = [
    "",
    'Error: expected billing_mode to be one of ["PROVISIONED" "PAY_PER_REQUEST"], got PAY_PER_LUNCH',
    "",
    "  with aws_dynamodb_table.table,",
    "  on cdk.tf.json line 1885, in resource.aws_dynamodb_table.table:",
    '1885:         "billing_mode": "PAY_PER_LUNCH",',
    "",
  ].join("\n");
  expect(firstError(stderr)).toBe(
    'Error: expected billing_mode to be one of ["PROVISIONED" "PAY_PER_REQUEST"], got PAY_PER_LUNCH',
  );
});
