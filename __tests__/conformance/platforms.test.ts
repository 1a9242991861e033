import "@shopify/shopify-api/adapters/node";
import Mux from "@mux/mux-node";
import { ApiVersion, type Shopify, shopifyApi } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { presetById } from "@webhooks/shared";
import { WorkOS } from "@workos-inc/node";
import { runOctokit } from "../functions/shared/support/octokit";
import {
  changedAmount,
  conformance,
  type Delivery,
  EVENT,
  inHeader,
  noMatch,
  verdict,
} from "./support/harness";

// @octokit/webhooks-methods is ESM-only: it runs in a child process. No timestamp: one signature serves.
const GITHUB_SECRET = "It's a Secret to Everybody";
let octokitSignature: string | undefined;
conformance({
  preset: "github",
  library: "@octokit/webhooks-methods@6.0.0 sign / verify",
  secret: GITHUB_SECRET,
  otherSecret: "It's another secret",
  librarySigned: () => {
    octokitSignature ??= runOctokit({ sign: [{ secret: GITHUB_SECRET, payload: EVENT }] }).sign[0]!;
    return { body: EVENT, headers: { "X-Hub-Signature-256": octokitSignature } };
  },
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: presetById("github").sign({ body: EVENT, secrets: [GITHUB_SECRET], timestamp }),
  }),
  libraryAccepts: async (delivery, secret) =>
    runOctokit({
      verify: [{ secret, payload: delivery.body, signature: delivery.headers["X-Hub-Signature-256"]! }],
    }).verify[0]!,
  tamperBody: changedAmount,
  tamperSignature: inHeader("X-Hub-Signature-256"),
  reasons: {
    tamperedBody: noMatch("X-Hub-Signature-256"),
    tamperedSignature: noMatch("X-Hub-Signature-256"),
    otherSecret: noMatch("X-Hub-Signature-256"),
  },
});

// Shopify's library verifies with the app's secret in its config: one instance per secret.
const SHOPIFY_SECRET = "shopify-app-client-secret";
const shopifyApps = new Map<string, Shopify>();
const shopifyApp = (secret: string) => {
  let app = shopifyApps.get(secret);
  if (!app) {
    app = shopifyApi({
      apiKey: "shopify-app-key",
      apiSecretKey: secret,
      scopes: [],
      hostName: "hooks.example.com",
      apiVersion: ApiVersion.October24,
      isEmbeddedApp: false,
      logger: { level: 0 },
    });
    shopifyApps.set(secret, app);
  }
  return app;
};

/** Webhooks subscriptions send `X-Shopify-*`; events subscriptions send `shopify-*`. */
describe.each([
  ["X-Shopify-", "X-Shopify-Hmac-Sha256"],
  ["shopify-", "shopify-hmac-sha256"],
])("shopify with %s headers", (prefix, hmacHeader) => {
  const delivery = (hmac: string): Delivery => ({
    body: EVENT,
    headers: {
      [hmacHeader]: hmac,
      [`${prefix}Topic`]: "orders/create",
      [`${prefix}Shop-Domain`]: "conformance.myshopify.com",
      [`${prefix}API-Version`]: "2024-10",
      [`${prefix}Webhook-Id`]: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      [`${prefix}Event-Id`]: "98880550-7158-44d4-b7cd-2c97c8a091b5",
    },
  });
  conformance({
    preset: "shopify",
    library: "@shopify/shopify-api@13.1.0 test-helpers getHmac / webhooks.validate",
    secret: SHOPIFY_SECRET,
    otherSecret: "shopify-other-secret",
    librarySigned: () => delivery(getHmac(EVENT, SHOPIFY_SECRET)),
    engineSigned: (timestamp) => {
      const signed = presetById("shopify").sign({ body: EVENT, secrets: [SHOPIFY_SECRET], timestamp });
      return delivery(signed["X-Shopify-Hmac-Sha256"]!);
    },
    libraryAccepts: async (sent, secret) => {
      const result = await shopifyApp(secret).webhooks.validate({
        rawBody: sent.body,
        rawRequest: { headers: { ...sent.headers }, method: "POST", url: "/v1/webhooks/shopify" },
        rawResponse: {},
      });
      return result.valid;
    },
    tamperBody: changedAmount,
    tamperSignature: inHeader(hmacHeader),
    // The reason names the header as it arrived.
    reasons: {
      tamperedBody: noMatch(hmacHeader),
      tamperedSignature: noMatch(hmacHeader),
      otherSecret: noMatch(hmacHeader),
    },
  });
});

// Mux signs `<t>.<body>` with the routine its verifier uses (private in the SDK's types); the header
// is `t=<t>,v1=<hex>`.
const mux = new Mux({ tokenId: "mux-token-id", tokenSecret: "mux-token-secret" });
const muxHmac = (payload: string, secret: string) =>
  (
    mux.webhooks as unknown as { computeSignature(payload: string, secret: string): Promise<string> }
  ).computeSignature(payload, secret);
const MUX_SECRET = "mux-webhook-signing-secret";
conformance({
  preset: "mux",
  library: "@mux/mux-node@15.3.0 webhooks.computeSignature / verifySignature",
  secret: MUX_SECRET,
  otherSecret: "mux-other-signing-secret",
  librarySigned: async (timestamp) => ({
    body: EVENT,
    headers: {
      "Mux-Signature": `t=${timestamp},v1=${await muxHmac(`${timestamp}.${EVENT}`, MUX_SECRET)}`,
    },
  }),
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: presetById("mux").sign({ body: EVENT, secrets: [MUX_SECRET], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() => mux.webhooks.verifySignature(delivery.body, { ...delivery.headers }, secret)),
  tamperBody: changedAmount,
  tamperSignature: inHeader("Mux-Signature"),
  reasons: {
    tamperedBody: noMatch("Mux-Signature"),
    tamperedSignature: noMatch("Mux-Signature"),
    otherSecret: noMatch("Mux-Signature"),
    stale: (signedAt) => `Mux-Signature: t= ${signedAt} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

// WorkOS signs `<t ms>.<body>`; the header is `t=<t ms>, v1=<hex>`. @workos-inc/node 8.13 is the
// newest release that runs on Node 20 (9+ requires 22): it signs and checks `JSON.stringify` of
// the parsed payload, so the event is written in that form, and its bytes are what the engine
// checks.
const workos = new WorkOS("sk_test_conformance");
const WORKOS_SECRET = "workos-webhook-secret";
const WORKOS_EVENT = '{"id":"event_01HV","event":"user.created","data":{"amount":1000,"name":"héllo ✓"}}';
conformance({
  preset: "workos",
  library: "@workos-inc/node@8.13.0 webhooks.computeSignature / verifyHeader",
  secret: WORKOS_SECRET,
  otherSecret: "workos-other-secret",
  librarySigned: async (timestamp) => ({
    body: WORKOS_EVENT,
    headers: {
      "WorkOS-Signature": `t=${timestamp * 1000}, v1=${await workos.webhooks.computeSignature(timestamp * 1000, JSON.parse(WORKOS_EVENT), WORKOS_SECRET)}`,
    },
  }),
  engineSigned: (timestamp) => ({
    body: WORKOS_EVENT,
    headers: presetById("workos").sign({ body: WORKOS_EVENT, secrets: [WORKOS_SECRET], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      workos.webhooks.verifyHeader({
        payload: JSON.parse(delivery.body),
        sigHeader: delivery.headers["WorkOS-Signature"]!,
        secret,
      }),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("WorkOS-Signature"),
  reasons: {
    tamperedBody: noMatch("WorkOS-Signature"),
    tamperedSignature: noMatch("WorkOS-Signature"),
    otherSecret: noMatch("WorkOS-Signature"),
    stale: (signedAt) => `WorkOS-Signature: t= ${signedAt * 1000} is 181 s old (tolerance 180 s)`,
  },
  toleranceSeconds: 180,
});

test("the WorkOS event is in the form @workos-inc/node 8.13 signs (JSON.stringify of itself)", () => {
  expect(JSON.stringify(JSON.parse(WORKOS_EVENT))).toBe(WORKOS_EVENT);
});
