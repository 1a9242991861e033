import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { FunctionEnv, type ProviderRuntimeConfig } from "@webhooks/shared";
import { Testing } from "cdktf";
import { ProviderSecrets } from "../../constructs/provider-secrets";
import { PROVIDERS_FILE } from "../../functions/validator/config";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { WebhookStack } from "../../stacks/webhook-stack";
import { resourcesOf, synthStack } from "../support/synth";
import { granted, rolePolicyStatements } from "./grants";

const { json, doc, stack } = synthStack();
const [[, validator]] = resourcesOf(doc, "aws_lambda_function").filter(([id]) =>
  id.startsWith("ingress_validator"),
);
const env: Record<string, string> = validator.environment.variables;
const statements = rolePolicyStatements(doc, "whk-dev-validator-us-east-1");
const ref = (type: string, prefix: string, attribute: string) =>
  `\${${type}.${resourcesOf(doc, type).find(([id]) => id.startsWith(prefix))![0]}.${attribute}}`;
const keyArn = ref("aws_kms_key", "key_", "arn");
const dataRef = (type: string, prefix: string, attribute: string) =>
  `\${data.${type}.${Object.keys(doc.data[type]).find((id) => id.startsWith(prefix))}.${attribute}}`;
const secretArnPattern = `arn:${dataRef("aws_partition", "context_partition", "partition")}:secretsmanager:us-east-1:${dataRef("aws_caller_identity", "context_account", "account_id")}:secret:whk-dev/*/signing-??????`;

describe("validator function", () => {
  test("bundles functions/validator with 256 MB and a 10 s timeout", () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "whk-dev-validator",
      handler: "index.handler",
      memory_size: 256,
      timeout: 10,
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      tracing_config: { mode: "Active" },
    });
  });

  test("its package's providers.json lists every configured provider with its secret name and tolerance", () => {
    const providers: ProviderRuntimeConfig[] = JSON.parse(
      readFileSync(join(stack.ingress.validator.packageDir, PROVIDERS_FILE), "utf8"),
    );
    expect(readdirSync(stack.ingress.validator.packageDir).sort()).toEqual(["index.js", PROVIDERS_FILE]);
    expect(providers).toEqual([
      { id: "acme", scheme: "generic", secretId: "whk-dev/acme/signing", toleranceSeconds: 300 },
      { id: "stripe", scheme: "stripe", secretId: "whk-dev/stripe/signing", toleranceSeconds: 300 },
      { id: "github", scheme: "github", secretId: "whk-dev/github/signing", toleranceSeconds: 300 },
      { id: "shopify", scheme: "shopify", secretId: "whk-dev/shopify/signing", toleranceSeconds: 300 },
      { id: "slack", scheme: "slack", secretId: "whk-dev/slack/signing", toleranceSeconds: 300 },
      {
        id: "svix",
        scheme: "standard-webhooks",
        secretId: "whk-dev/svix/signing",
        toleranceSeconds: 300,
        headerFamily: "svix",
      },
    ]);
  });

  test("the stack outputs the same providers for the CLI", () => {
    expect(doc.output[PROVIDERS_OUTPUT].value).toBe(
      readFileSync(join(stack.ingress.validator.packageDir, PROVIDERS_FILE), "utf8"),
    );
  });

  test("its environment holds no provider list", () => {
    expect(Object.keys(env).filter((name) => /PROVIDER/.test(name))).toEqual([]);
    expect(JSON.stringify(env)).not.toContain("secretId");
  });

  test("another provider list is another package: the zip's name and hash follow its content", () => {
    const other = new WebhookStack(Testing.app(), "other", {
      ...DEFAULT_CONFIG,
      providers: [...DEFAULT_CONFIG.providers, { id: "newcomer", scheme: "generic" }],
    });
    expect(other.ingress.validator.packageDir).not.toBe(stack.ingress.validator.packageDir);
    expect(readFileSync(join(other.ingress.validator.packageDir, "index.js"))).toEqual(
      readFileSync(join(stack.ingress.validator.packageDir, "index.js")),
    );
  });

  test("names its table, queue and bucket", () => {
    expect(env[FunctionEnv.tableName]).toBe("whk-dev-records");
    expect(env[FunctionEnv.queueUrl]).toBe(ref("aws_sqs_queue", "ingest_queue", "url"));
    expect(env[FunctionEnv.payloadBucket]).toMatch(
      /^whk-dev-payloads-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}-us-east-1$/,
    );
  });

  test("gets its limits from config.limits and the queue", () => {
    expect(env).toEqual(
      expect.objectContaining({
        [FunctionEnv.maxBodyBytes]: "1048576",
        [FunctionEnv.queueMaxMessageBytes]: "1048576",
        [FunctionEnv.dedupeTtlSeconds]: String(168 * 3600),
        [FunctionEnv.secretCacheSeconds]: "300",
      }),
    );
  });

  test("names its Powertools service and metrics namespace", () => {
    expect(env).toEqual(
      expect.objectContaining({
        POWERTOOLS_SERVICE_NAME: "whk-dev-validator",
        POWERTOOLS_METRICS_NAMESPACE: "Webhooks",
      }),
    );
  });

  test("holds no secret value in its environment", () => {
    expect(JSON.stringify(env)).not.toMatch(/whsec_|secret"\s*:/i);
  });

  test("encrypts its environment with the platform key", () => {
    expect(validator.kms_key_arn).toBe(keyArn);
  });
});

describe("validator grants (least privilege)", () => {
  const find = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));

  test("reads the provider secrets through one ARN pattern: this deployment's <base>/*/signing names", () => {
    const [read] = find("secretsmanager:GetSecretValue");
    expect(read).toEqual({
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: secretArnPattern,
    });
  });

  test.each([
    ["every provider's secret", "whk-dev/stripe/signing-AbC123", true],
    ["a provider id with dashes", "whk-dev/acme-github/signing-AbC123", true],
    ["another deployment of the environment", "whk-dev-pr1/stripe/signing-AbC123", false],
    ["another environment", "whk-prod/stripe/signing-AbC123", false],
    ["another kind of secret in the hierarchy", "whk-dev/stripe/api-key-AbC123", false],
  ])("the pattern's reach: %s (%s) → %s", (_case, name, matches) => {
    const resource = secretArnPattern.replace(/^.*:secret:/, "");
    const iamWildcards = new RegExp(`^${resource.replace(/[?]/g, ".").replace(/\*/g, ".*")}$`);
    expect(iamWildcards.test(name)).toBe(matches);
  });

  test("claims records: PutItem, UpdateItem, DeleteItem, GetItem on the table only (no index, no Scan)", () => {
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith("dynamodb:")));
    expect(dynamo).toEqual([
      {
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem"],
        Resource: ref("aws_dynamodb_table", "table_", "arn"),
      },
    ]);
  });

  test("sends to the ingest queue only", () => {
    expect(find("sqs:SendMessage")).toEqual([
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: ref("aws_sqs_queue", "ingest_queue", "arn") },
    ]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith("sqs:"))).toEqual([
      "sqs:SendMessage",
    ]);
  });

  test("puts claim-checked payloads under payloads/ only", () => {
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith("s3:")));
    expect(s3).toEqual([
      {
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${ref("aws_s3_bucket", "payloads_bucket", "arn")}/payloads/*`,
      },
    ]);
  });

  test("uses the platform key only, for Decrypt and GenerateDataKey", () => {
    const kms = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith("kms:")));
    for (const statement of kms) {
      expect(statement.Resource).toBe(keyArn);
      expect(
        [statement.Action].flat().every((a) => ["kms:Decrypt", "kms:GenerateDataKey"].includes(String(a))),
      ).toBe(true);
    }
  });

  test("has no wildcard resource except for X-Ray", () => {
    const wild = statements.filter((s) => [s.Resource].flat().includes("*"));
    expect(wild).toEqual([
      { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ]);
  });
});

describe("provider secrets", () => {
  test.each(["acme", "stripe", "github", "shopify", "slack", "svix"])(
    "%s has a CMK-encrypted secret named <base>/<provider>/signing",
    (provider) => {
      expect(json).toHaveResourceWithProperties(SecretsmanagerSecret, {
        name: `whk-dev/${provider}/signing`,
        kms_key_id: keyArn,
      });
    },
  );

  test("there is one secret per provider and no secret value in Terraform", () => {
    expect(resourcesOf(doc, "aws_secretsmanager_secret")).toHaveLength(6);
    expect(resourcesOf(doc, "aws_secretsmanager_secret_version")).toEqual([]);
  });

  test("a provider id ending in '-' and six characters still makes a valid name", () => {
    expect(ProviderSecrets.nameFor(stack.naming, "acme-github")).toBe("whk-dev/acme-github/signing");
  });

  test("each secret's policy denies reading the value to everyone but the validator role, and the validator writing it", () => {
    const roleArn = ref("aws_iam_role", "ingress_validator_role", "arn");
    const policies = resourcesOf(doc, "aws_secretsmanager_secret_policy");
    expect(policies).toHaveLength(6);
    for (const [, policy] of policies) {
      expect(policy.block_public_policy).toBe(true);
      expect(JSON.parse(policy.policy).Statement).toEqual([
        {
          Sid: "OnlyTheValidatorReadsTheValue",
          Effect: "Deny",
          Principal: "*",
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
          Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArn } },
        },
        {
          Sid: "TheValidatorNeverWritesThisSecret",
          Effect: "Deny",
          Principal: { AWS: roleArn },
          Action: "secretsmanager:PutSecretValue",
          Resource: "*",
        },
      ]);
    }
  });

  test("no provider has a stateful handshake: the validator writes no secret", () => {
    expect(statements.filter((s) => [s.Action].flat().includes("secretsmanager:PutSecretValue"))).toEqual([]);
  });

  test("the read grant names GetSecretValue on the secrets' pattern and decrypting with the key", () => {
    expect(granted((grantee) => stack.ingress.secrets.grantRead(grantee))).toEqual([
      { actions: ["secretsmanager:GetSecretValue"], resources: [stack.ingress.secrets.arnPattern] },
      { actions: ["kms:Decrypt"], resources: [stack.key.arn] },
    ]);
  });
});
