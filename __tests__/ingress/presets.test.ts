import { FunctionEnv, type ProviderRuntimeConfig } from "@webhooks/shared";
import type { ProviderConfig } from "../../stacks/config";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { resourcesOf, synthStack } from "../support/synth";

const HUBSPOT_URL = "https://hooks.example.com/webhooks/hubspot";
const BILLING = { signatureHeader: "X-Billing-Signature", signaturePrefix: "sha256=", retryHorizonHours: 48 };
const PROVIDERS: ProviderConfig[] = [
  { id: "stripe", scheme: "stripe" },
  { id: "hubspot", scheme: "hubspot", publicUrl: HUBSPOT_URL },
  { id: "adyen", scheme: "adyen" },
  { id: "okta", scheme: "okta", settings: { header: "X-Okta-Secret" } },
  { id: "shop", scheme: "shopify", dedupeTtlHours: 24 },
  { id: "billing", scheme: "custom:billing" },
];

const { doc } = synthStack({ providers: PROVIDERS, routes: [], customSchemes: { billing: BILLING } });
const [[, validator]] = resourcesOf(doc, "aws_lambda_function").filter(([id]) =>
  id.startsWith("ingress_validator"),
);
const env: Record<string, string> = validator.environment.variables;
const runtime = (id: string) =>
  (JSON.parse(doc.output[PROVIDERS_OUTPUT].value) as ProviderRuntimeConfig[]).find(
    (provider) => provider.id === id,
  )!;
const method = (provider: string) =>
  resourcesOf(doc, "aws_api_gateway_method").find(([id]) =>
    id.startsWith(`ingress_api_method-${provider}_`),
  )![1];

describe("providers.json carries what each provider's scheme needs", () => {
  test("the public URL of a sender that signs it", () => {
    expect(runtime("hubspot")).toMatchObject({
      scheme: "hubspot",
      publicUrl: HUBSPOT_URL,
      toleranceSeconds: 300,
    });
  });

  test("the settings and the definition of a custom scheme", () => {
    expect(runtime("okta").settings).toEqual({ header: "X-Okta-Secret" });
    expect(runtime("billing").custom).toEqual(BILLING);
  });

  test("the validator's default TTL is the longest (Adyen retries for 30 days), so status reaches every record", () => {
    expect(env[FunctionEnv.dedupeTtlSeconds]).toBe(String(744 * 3600));
    expect(runtime("adyen").dedupeTtlSeconds).toBeUndefined();
  });

  test("a provider whose TTL differs carries its own: the platform default, or what it sets", () => {
    expect(runtime("stripe").dedupeTtlSeconds).toBe(168 * 3600);
    expect(runtime("shop").dedupeTtlSeconds).toBe(24 * 3600);
  });
});

describe("the gateway requires a signature header only where every legitimate request has one", () => {
  test.each([
    ["hubspot", { "method.request.header.X-HubSpot-Signature-v3": true }],
    ["okta", { "method.request.header.X-Okta-Secret": true }],
    ["billing", { "method.request.header.X-Billing-Signature": true }],
    ["adyen", {}],
  ])("%s", (provider, parameters) => {
    expect(method(provider).request_parameters ?? {}).toEqual(parameters);
  });
});

test("WAF logs redact token headers too: a token sender's header is its secret", () => {
  const [[, logging]] = resourcesOf(doc, "aws_wafv2_web_acl_logging_configuration");
  const redacted = logging.redacted_fields.map(
    (field: { single_header: { name: string } }) => field.single_header.name,
  );
  expect(redacted).toEqual(
    expect.arrayContaining(["x-okta-secret", "x-hubspot-signature-v3", "x-billing-signature"]),
  );
});
