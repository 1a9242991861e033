import { NAME_RULES, type NameKind, Naming, nameProblems } from "../../constructs/naming";

const dev = new Naming({ prefix: "whk", environment: "dev" });
const longSuffix = new Naming({
  prefix: "whk",
  environment: "dev",
  suffix: "feature-".repeat(5).slice(0, 40),
});

test("short names are <prefix>-<env>-<purpose>, unchanged", () => {
  expect(dev.name("aws_sqs_queue.name", "ingest-dlq")).toBe("whk-dev-ingest-dlq");
});

test("the environment suffix follows the environment", () => {
  expect(
    new Naming({ prefix: "whk", environment: "dev", suffix: "pr-7" }).name("aws_iam_role.name", "router"),
  ).toBe("whk-dev-pr-7-router");
});

test("an over-long name keeps its prefix and ends with 8 hex of a hash of the full logical name", () => {
  const name = longSuffix.name("aws_cloudwatch_event_archive.name", "webhook-archive");
  expect(name.length).toBeLessThanOrEqual(48);
  expect(name).toMatch(/^whk-dev-feature-.*-[0-9a-f]{8}$/);
});

test("cutting is deterministic", () => {
  expect(longSuffix.name("aws_iam_role.name", "validator-with-a-long-purpose")).toBe(
    new Naming({ prefix: "whk", environment: "dev", suffix: "feature-".repeat(5).slice(0, 40) }).name(
      "aws_iam_role.name",
      "validator-with-a-long-purpose",
    ),
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
    new Naming({ prefix: "whk", environment: "dev", suffix: "PR" }).name("aws_s3_bucket.bucket", "Payloads"),
  ).toBe("whk-dev-pr-payloads");
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
