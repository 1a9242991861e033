import type { ProviderConfig } from "../../stacks/config";
import { resourcesOf, synthStack } from "../support/synth";
import { granted, rolePolicyStatements } from "./grants";

/**
 * Stateful handshakes (Asana's X-Hook-Secret, Notion's verification_token) make the validator
 * write the provider's secret: the narrowest grant that allows it, on those secrets only, and
 * resource policies that agree.
 */

const PROVIDERS: ProviderConfig[] = [
  { id: "stripe", scheme: "stripe" },
  { id: "asana", scheme: "asana" },
  { id: "asana-eu", scheme: "asana" },
  { id: "notion", scheme: "notion" },
  { id: "braintree", scheme: "braintree" },
];
const STATEFUL = ["asana", "asana-eu", "notion"];
const { doc, stack } = synthStack({ providers: PROVIDERS, routes: [] });

const statements = rolePolicyStatements(doc, "whk-dev-validator-us-east-1");
const secretRef = (provider: string, attribute: string) => {
  const [id] = resourcesOf(doc, "aws_secretsmanager_secret").find(
    ([, secret]) => secret.name === `whk-dev/${provider}/signing`,
  )!;
  return `\${aws_secretsmanager_secret.${id}.${attribute}}`;
};
const policyOf = (provider: string) =>
  JSON.parse(
    resourcesOf(doc, "aws_secretsmanager_secret_policy").find(
      ([, policy]) => policy.secret_arn === secretRef(provider, "arn"),
    )![1].policy,
  ).Statement;
const roleArn = `\${aws_iam_role.${resourcesOf(doc, "aws_iam_role").find(([id]) => id.startsWith("ingress_validator_role"))![0]}.arn}`;
const keyArn = `\${aws_kms_key.${resourcesOf(doc, "aws_kms_key").find(([id]) => id.startsWith("key_"))![0]}.arn}`;

describe("the validator's grant", () => {
  test("PutSecretValue on exactly the secrets of providers with a stateful handshake, each by its ARN", () => {
    const puts = statements.filter((s) => [s.Action].flat().includes("secretsmanager:PutSecretValue"));
    expect(puts).toEqual(
      STATEFUL.map((provider) => ({
        Effect: "Allow",
        Action: "secretsmanager:PutSecretValue",
        Resource: secretRef(provider, "arn"),
      })),
    );
  });

  test("reading stays the one pattern grant (the store reads the document before it writes)", () => {
    const reads = statements.filter((s) => [s.Action].flat().includes("secretsmanager:GetSecretValue"));
    expect(reads).toEqual([
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: expect.stringMatching(/:secret:whk-dev\/\*\/signing-\?{6}$/),
      },
    ]);
  });

  test("the platform key encrypts the new version: GenerateDataKey and Decrypt, on that key only", () => {
    const kms = statements.filter((s) =>
      [s.Action].flat().some((action) => String(action).startsWith("kms:")),
    );
    expect(kms).toEqual([
      { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
    ]);
  });

  test("no other secretsmanager action", () => {
    const actions = statements
      .flatMap((s) => [s.Action].flat())
      .filter((a) => String(a).startsWith("secretsmanager:"));
    expect(new Set(actions)).toEqual(
      new Set(["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]),
    );
  });

  test("the write grant is refused for a provider whose handshake hands nothing over", () => {
    expect(() => granted((grantee) => stack.ingress.secrets.grantHandshakeWrite(grantee, "stripe"))).toThrow(
      "ProviderSecrets: stripe is not a provider whose handshake writes its secret",
    );
  });

  test("the role's inline policy stays inside IAM's limit", () => {
    expect(stack.ingress.validator.role.policySize()).toBeLessThanOrEqual(10_240);
  });
});

describe("the secrets' resource policies", () => {
  const denyReads = {
    Sid: "OnlyTheValidatorReadsTheValue",
    Effect: "Deny",
    Principal: "*",
    Action: "secretsmanager:GetSecretValue",
    Resource: "*",
    Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArn } },
  };

  test.each(STATEFUL)(
    "%s: reads still denied to all but the validator, which may put the value",
    (provider) => {
      expect(policyOf(provider)).toEqual([
        denyReads,
        {
          Sid: "TheValidatorStoresHandshakeSecrets",
          Effect: "Allow",
          Principal: { AWS: roleArn },
          Action: "secretsmanager:PutSecretValue",
          Resource: "*",
        },
      ]);
    },
  );

  test.each(["stripe", "braintree"])(
    "%s: the validator may never put the value, whatever IAM grants",
    (provider) => {
      expect(policyOf(provider)).toEqual([
        denyReads,
        {
          Sid: "TheValidatorNeverWritesThisSecret",
          Effect: "Deny",
          Principal: { AWS: roleArn },
          Action: "secretsmanager:PutSecretValue",
          Resource: "*",
        },
      ]);
    },
  );
});

test("Braintree's challenge gets its GET, requiring bt_challenge, next to the secrets it is answered from", () => {
  const [, method] = resourcesOf(doc, "aws_api_gateway_method").find(([id]) =>
    id.startsWith("ingress_api_method-GET-braintree_"),
  )!;
  expect(method.request_parameters).toEqual({ "method.request.querystring.bt_challenge": true });
});
