import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Lazy, TerraformStack, Testing } from "cdktf";
import {
  NAME_RULES,
  type NameKind,
  Naming,
  nameProblems,
  withStandInReferences,
} from "../../constructs/naming";

const place = { region: "us-east-1", accountId: "123456789012" };
const dev = new Naming({ ...place, prefix: "whk", environment: "dev" });
const longSuffix = new Naming({
  ...place,
  prefix: "whk",
  environment: "dev",
  suffix: "feature-".repeat(5).slice(0, 40),
});

test("short names are <prefix>-<env>-<purpose>, unchanged", () => {
  expect(dev.name("aws_sqs_queue.name", "ingest-dlq")).toBe("whk-dev-ingest-dlq");
});

test("the environment suffix follows the environment", () => {
  expect(
    new Naming({ ...place, prefix: "whk", environment: "dev", suffix: "pr-7" }).name(
      "aws_iam_role.name",
      "router",
    ),
  ).toBe("whk-dev-pr-7-router-us-east-1");
});

test("an over-long name keeps its prefix and ends with 8 hex of a hash of the full logical name", () => {
  const name = longSuffix.name("aws_cloudwatch_event_archive.name", "webhook-archive");
  expect(name.length).toBeLessThanOrEqual(48);
  expect(name).toMatch(/^whk-dev-feature-.*-[0-9a-f]{8}$/);
});

test("cutting is deterministic", () => {
  expect(longSuffix.name("aws_iam_role.name", "validator-with-a-long-purpose")).toBe(
    new Naming({
      ...place,
      prefix: "whk",
      environment: "dev",
      suffix: "feature-".repeat(5).slice(0, 40),
    }).name("aws_iam_role.name", "validator-with-a-long-purpose"),
  );
});

test("two long names that share their kept head still differ", () => {
  const a = longSuffix.name("aws_cloudwatch_event_archive.name", "archive-for-provider-a");
  const b = longSuffix.name("aws_cloudwatch_event_archive.name", "archive-for-provider-b");
  expect(a).not.toBe(b);
});

test("a FIFO queue name keeps .fifo inside the 80-character limit", () => {
  const name = longSuffix.name("aws_sqs_queue.name", "ingest-queue-with-a-purpose-that-is-long", {
    fifo: true,
  });
  expect(name.endsWith(".fifo")).toBe(true);
  expect(name.length).toBeLessThanOrEqual(80);
});

test("the KMS alias prefix counts toward its limit", () => {
  expect(dev.name("aws_kms_alias.name", "data", { before: "alias/" })).toBe("alias/whk-dev-data");
});

test("S3 bucket names are lowercase", () => {
  expect(
    new Naming({ ...place, prefix: "whk", environment: "dev", suffix: "PR" }).name(
      "aws_s3_bucket.bucket",
      "Payloads",
    ),
  ).toBe("whk-dev-pr-payloads-123456789012-us-east-1");
});

describe("names AWS keeps unique beyond one account's region", () => {
  test("IAM role and dashboard names end with the region (unique in the whole account)", () => {
    expect(dev.name("aws_iam_role.name", "router")).toBe("whk-dev-router-us-east-1");
    expect(dev.name("aws_cloudwatch_dashboard.dashboard_name", "webhooks")).toBe(
      "whk-dev-webhooks-us-east-1",
    );
  });

  test("S3 bucket names end with the account and the region (unique across all accounts)", () => {
    expect(dev.name("aws_s3_bucket.bucket", "payloads")).toBe("whk-dev-payloads-123456789012-us-east-1");
  });

  test("regional names get no qualifier", () => {
    expect(dev.name("aws_sqs_queue.name", "ingest")).toBe("whk-dev-ingest");
  });

  test("a cut name keeps its account and region whole at the end", () => {
    const name = longSuffix.name("aws_s3_bucket.bucket", "payloads");
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^whk-dev-feature-.*-[0-9a-f]{8}-123456789012-us-east-1$/);
  });
});

describe("tokens of a known shape", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, "shapes");
  const account = new DataAwsCallerIdentity(stack, "account").accountId;
  const naming = new Naming({
    prefix: "whk",
    environment: "dev",
    suffix: "x".repeat(40),
    region: "ap-southeast-3",
    accountId: account,
  });

  test("an account id token is budgeted as its 12 digits, not as the token's text", () => {
    const name = naming.name("aws_s3_bucket.bucket", "payloads");
    expect(name.endsWith(`-${account}-ap-southeast-3`)).toBe(true);
    expect(naming.withStandIns(name)).toHaveLength(63);
    expect(nameProblems("aws_s3_bucket.bucket", naming.withStandIns(name))).toEqual([]);
  });

  test("a registered token reads as its stand-in; an unregistered one stays a token", () => {
    const restApiId = naming.knownShape(Lazy.stringValue({ produce: () => "id" }), "restApiId");
    expect(naming.withStandIns(`API-Gateway-Execution-Logs_${restApiId}/live`)).toBe(
      "API-Gateway-Execution-Logs_a1b2c3d4e5/live",
    );
    const unknown = Lazy.stringValue({ produce: () => "arn" });
    expect(naming.withStandIns(unknown)).toBe(unknown);
  });

  test("a synthesized reference to a known shape reads as its stand-in", () => {
    expect(
      withStandInReferences(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform reference, as synthesized
        "whk-dev-payloads-${data.aws_caller_identity.context_account_1.account_id}-us-east-1",
      ),
    ).toBe("whk-dev-payloads-123456789012-us-east-1");
  });
});

test("API Gateway model names are alphanumeric only", () => {
  expect(dev.name("aws_api_gateway_model.name", "stripe-event")).toBe("whkdevstripeevent");
});

test("characters outside a type's charset become the separator", () => {
  expect(dev.name("aws_lambda_function.function_name", "route.v2")).toBe("whk-dev-route-v2");
});

describe.each(Object.keys(NAME_RULES) as NameKind[])("%s", (kind) => {
  test("a 40-character suffix still gives a valid name", () => {
    const name = longSuffix.name(kind, "a-purpose-long-enough-to-need-cutting-somewhere", {
      before: kind === "aws_kms_alias.name" ? "alias/" : "",
    });
    expect(nameProblems(kind, name)).toEqual([]);
  });
});

test("nameProblems reports length and charset", () => {
  expect(nameProblems("aws_lambda_function.function_name", "x".repeat(65))).toEqual([
    "length 65 outside 1..64",
  ]);
  expect(nameProblems("aws_s3_bucket.bucket", "Bad_Bucket")[0]).toContain("does not match");
  expect(nameProblems("aws_secretsmanager_secret.name", "whk-dev-abcdef")).toEqual([
    "must not end with '-' and 6 characters",
  ]);
});
