import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { TerraformStack, Testing } from "cdktf";
import { AwsContext } from "../../constructs/aws-context";
import { Naming } from "../../constructs/naming";
import { TOKEN_BUDGET } from "../../constructs/quotas";
import { LAMBDA_SERVICE, ServiceRole } from "../../constructs/service-role";

/** A Lambda role in a stack of its own; its checks run on `node.validate()`, without a synth. */
function lambdaRole(): { role: ServiceRole; stack: TerraformStack } {
  const stack = new TerraformStack(Testing.app(), "roles");
  const naming = new Naming({
    prefix: "whk",
    environment: "dev",
    region: "us-east-1",
    accountId: "123456789012",
  });
  const context = new AwsContext(stack, "context", { region: "us-east-1" });
  return {
    role: new ServiceRole(stack, "role", { naming, context, purpose: "probe", service: LAMBDA_SERVICE }),
    stack,
  };
}

/** A role whose inline policy is exactly `size` characters: one statement padded to fit. */
function roleOfPolicySize(size: number): ServiceRole {
  const { role } = lambdaRole();
  const probe = lambdaRole().role;
  probe.addToPolicy({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/"] });
  role.addToPolicy({
    actions: ["s3:GetObject"],
    resources: [`arn:aws:s3:::b/${"x".repeat(size - probe.policySize())}`],
  });
  return role;
}

test("an inline policy of 10,240 characters passes synth validation", () => {
  const role = roleOfPolicySize(10_240);
  expect(role.policySize()).toBe(10_240);
  expect(role.node.validate()).toEqual([]);
});

test("one character more fails, naming the role, the size and IAM's limit", () => {
  expect(roleOfPolicySize(10_241).node.validate()).toEqual([
    "the inline policy of role whk-dev-probe-us-east-1 is 10241 characters (references counted at 160 each), over IAM's 10240-character limit for a role's inline policies; grant fewer, wider resources (one ARN pattern rather than one ARN per resource)",
  ]);
});

test("a reference known only at apply counts as its budget, not as its placeholder", () => {
  const { role, stack } = lambdaRole();
  role.addToPolicy({ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:::q"] });
  const literal = role.policySize();
  const other = lambdaRole().role;
  other.addToPolicy({ actions: ["sqs:SendMessage"], resources: [new SqsQueue(stack, "queue").arn] });
  expect(other.policySize()).toBe(literal - "arn:aws:sqs:::q".length + TOKEN_BUDGET);
});
