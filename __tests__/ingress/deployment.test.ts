import { DEFAULT_CONFIG, DEFAULT_LIMITS } from "../../stacks/config";
import { resourcesOf, type Synthesized, synthStack } from "../support/synth";

/**
 * The deployment's triggers decide when Terraform replaces it (a redeploy). These synths differ in
 * one thing each; the default one is the baseline.
 */
const baseline = synthStack();
const unrelatedChange = synthStack({
  tags: { CostCenter: "payments" },
  limits: { ...DEFAULT_LIMITS, wafRateLimitPer5Min: 1200 },
});
const extraProvider = synthStack({
  providers: [...DEFAULT_CONFIG.providers, { id: "stripe-eu", scheme: "stripe" }],
});
const stripeNeedsKey = synthStack({
  providers: DEFAULT_CONFIG.providers.map((p) => (p.id === "stripe" ? { ...p, apiKeyRequired: true } : p)),
});

function triggers({ doc }: Synthesized): { configuration: string; resources: string } {
  const [[, deployment]] = resourcesOf(doc, "aws_api_gateway_deployment");
  return deployment.triggers;
}

test("an unchanged API synthesizes the same triggers (no redeploy)", () => {
  expect(triggers(unrelatedChange)).toEqual(triggers(baseline));
});

test("deployment redeploys when a provider route is added", () => {
  expect(triggers(extraProvider).configuration).not.toBe(triggers(baseline).configuration);
  expect(triggers(extraProvider).resources).toContain("method-stripe-eu");
});

test("deployment redeploys when a method changes", () => {
  expect(triggers(stripeNeedsKey).configuration).not.toBe(triggers(baseline).configuration);
});

test("the description it hashes covers routes, header validation and gateway responses", () => {
  expect(Object.keys(baseline.stack.ingress.api.deploymentDescription).sort()).toEqual([
    "binaryMediaTypes",
    "endpoints",
    "gatewayResponseTemplate",
    "gatewayResponses",
  ]);
});

test("an added provider gets its own literal route requiring its signature header", () => {
  const [, method] = resourcesOf(extraProvider.doc, "aws_api_gateway_method").find(([id]) =>
    id.includes("method-stripe-eu_"),
  )!;
  expect(method.request_parameters).toEqual({ "method.request.header.Stripe-Signature": true });
  expect(Object.keys(extraProvider.doc.output)).toContain("endpoint_stripe_eu");
});
