import { signRequest, verifyRequest } from "@contentful/node-apps-toolkit/requests";
import { Signature } from "@hubspot/api-client";
import { signWebhookPayload, verifyWebhookSignature } from "@notionhq/client";
import { presetById } from "@webhooks/shared";
import { computeWebhookSignature } from "box-node-sdk/lib/internal/utils";
import { WebhooksManager } from "box-node-sdk/lib/managers/webhooks";
import { WebflowClient } from "webflow-api";
import { runEsm } from "../support/esm-child";
import {
  changedAmount,
  conformance,
  type Delivery,
  EVENT,
  inBody,
  inHeader,
  noMatch,
  verdict,
} from "./support/harness";

// HubSpot signs the method, the URL it calls, the body and the timestamp (ms).
const HUBSPOT_URL = "https://hooks.example.com/v1/webhooks/hubspot?tenant=acme";
const HUBSPOT_BATCH =
  '[{"eventId":1,"subscriptionType":"contact.creation","objectId":1000,"note":"héllo ✓"}]';
conformance({
  preset: "hubspot",
  library: "@hubspot/api-client@13.5.0 Signature.getSignature / Signature.isValid (v3)",
  options: { publicUrl: HUBSPOT_URL },
  secret: "hubspot-client-secret",
  otherSecret: "hubspot-other-secret",
  librarySigned: (timestamp) => ({
    body: HUBSPOT_BATCH,
    headers: {
      "X-HubSpot-Signature-v3": Signature.getSignature("POST", "v3", {
        clientSecret: "hubspot-client-secret",
        requestBody: HUBSPOT_BATCH,
        url: HUBSPOT_URL,
        timestamp: timestamp * 1000,
        // Read by isValid only; the options type requires it.
        signature: "",
      }),
      "X-HubSpot-Request-Timestamp": String(timestamp * 1000),
    },
  }),
  engineSigned: (timestamp) => ({
    body: HUBSPOT_BATCH,
    headers: presetById("hubspot").sign(
      { body: HUBSPOT_BATCH, secrets: ["hubspot-client-secret"], timestamp },
      { publicUrl: HUBSPOT_URL },
    ),
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      Signature.isValid({
        signatureVersion: "v3",
        signature: delivery.headers["X-HubSpot-Signature-v3"]!,
        clientSecret: secret,
        requestBody: delivery.body,
        url: HUBSPOT_URL,
        timestamp: Number(delivery.headers["X-HubSpot-Request-Timestamp"]),
      }),
    ),
  tamperBody: inBody('"objectId":1000', '"objectId":9000'),
  tamperSignature: inHeader("X-HubSpot-Signature-v3"),
  reasons: {
    tamperedBody: noMatch("X-HubSpot-Signature-v3"),
    tamperedSignature: noMatch("X-HubSpot-Signature-v3"),
    otherSecret: noMatch("X-HubSpot-Signature-v3"),
    stale: (signedAt) => `X-HubSpot-Request-Timestamp ${signedAt * 1000} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

// @linear/sdk is ESM-only: its check runs in a child process. It only verifies; the engine signs.
const linearBody = (timestamp: number) =>
  `{"type":"Issue","action":"create","data":{"id":"iss_1","title":"héllo ✓"},"webhookTimestamp":${timestamp * 1000}}`;
conformance({
  preset: "linear",
  library: "@linear/sdk@98.0.0 LinearWebhookClient#verify",
  secret: "lin_wh_conformance",
  otherSecret: "lin_wh_other",
  engineSigned: (timestamp) => ({
    body: linearBody(timestamp),
    headers: presetById("linear").sign({
      body: linearBody(timestamp),
      secrets: ["lin_wh_conformance"],
      timestamp,
    }),
  }),
  libraryAccepts: async (delivery, secret) =>
    runEsm<boolean>(
      'import { LinearWebhookClient } from "@linear/sdk/webhooks";',
      `try {
  return new LinearWebhookClient(input.secret).verify(Buffer.from(input.body), input.signature);
} catch {
  return false;
}`,
      { secret, body: delivery.body, signature: delivery.headers["Linear-Signature"] },
    ),
  tamperBody: inBody('"action":"create"', '"action":"remove"'),
  tamperSignature: inHeader("Linear-Signature"),
  reasons: {
    tamperedBody: noMatch("Linear-Signature"),
    tamperedSignature: noMatch("Linear-Signature"),
    otherSecret: noMatch("Linear-Signature"),
    stale: (signedAt) => `body webhookTimestamp ${signedAt * 1000} is 61 s old (tolerance 60 s)`,
  },
  toleranceSeconds: 60,
});

conformance({
  preset: "notion",
  library: "@notionhq/client@5.26.0 signWebhookPayload / verifyWebhookSignature",
  secret: "secret_notion_verification_token",
  otherSecret: "secret_notion_other_token",
  librarySigned: async () => ({
    body: EVENT,
    headers: {
      "X-Notion-Signature": await signWebhookPayload({
        body: EVENT,
        verificationToken: "secret_notion_verification_token",
      }),
    },
  }),
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: presetById("notion").sign({
      body: EVENT,
      secrets: ["secret_notion_verification_token"],
      timestamp,
    }),
  }),
  libraryAccepts: (delivery, secret) =>
    verifyWebhookSignature({
      body: delivery.body,
      signature: delivery.headers["X-Notion-Signature"]!,
      verificationToken: secret,
    }),
  tamperBody: changedAmount,
  tamperSignature: inHeader("X-Notion-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Notion-Signature"),
    tamperedSignature: noMatch("X-Notion-Signature"),
    otherSecret: noMatch("X-Notion-Signature"),
  },
});

// Contentful signs the method, the path it calls (query escaped twice), the headers it names, the body.
const CONTENTFUL_URL = "https://hooks.example.com/v1/webhooks/contentful?tenant=acme&x=a%20b";
const CONTENTFUL_PATH = "/v1/webhooks/contentful?tenant=acme&x=a%20b";
// The toolkit takes secrets of exactly 64 characters, as Contentful issues them.
const CONTENTFUL_SECRET = "contentful-signing-secret-0123456789abcdef0123456789abcdef012345";
const CONTENTFUL_BODY = '{"sys":{"id":"entry-1","type":"Entry","version":3},"fields":{"title":"héllo ✓"}}';
const TOPIC = { "X-Contentful-Topic": "ContentManagement.Entry.publish" };
conformance({
  preset: "contentful",
  library: "@contentful/node-apps-toolkit@3.16.1 signRequest / verifyRequest",
  options: { publicUrl: CONTENTFUL_URL },
  secret: CONTENTFUL_SECRET,
  otherSecret: "contentful-other-secret-0123456789abcdef0123456789abcdef01234567",
  librarySigned: (timestamp) => ({
    body: CONTENTFUL_BODY,
    headers: {
      ...TOPIC,
      ...signRequest(
        CONTENTFUL_SECRET,
        { method: "POST", path: CONTENTFUL_PATH, headers: TOPIC, body: CONTENTFUL_BODY },
        timestamp * 1000,
      ),
    },
  }),
  engineSigned: (timestamp) => ({
    body: CONTENTFUL_BODY,
    headers: {
      ...TOPIC,
      ...presetById("contentful").sign(
        { body: CONTENTFUL_BODY, secrets: [CONTENTFUL_SECRET], timestamp },
        { publicUrl: CONTENTFUL_URL },
      ),
    },
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      verifyRequest(secret, {
        method: "POST",
        path: CONTENTFUL_PATH,
        headers: { ...delivery.headers },
        body: delivery.body,
      }),
    ),
  tamperBody: inBody('"version":3', '"version":4'),
  tamperSignature: inHeader("x-contentful-signature"),
  reasons: {
    tamperedBody: noMatch("X-Contentful-Signature"),
    tamperedSignature: noMatch("X-Contentful-Signature"),
    otherSecret: noMatch("X-Contentful-Signature"),
    stale: (signedAt) => `X-Contentful-Timestamp ${signedAt * 1000} is 31 s old (tolerance 30 s)`,
  },
  toleranceSeconds: 30,
});

// Webflow's SDK only verifies; the engine signs.
const webflow = new WebflowClient({ accessToken: "webflow-conformance-token" });
const lowercased = (headers: Delivery["headers"]) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
conformance({
  preset: "webflow",
  library: "webflow-api@3.3.4 webhooks.verifySignature",
  secret: "webflow-webhook-secret",
  otherSecret: "webflow-other-secret",
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: presetById("webflow").sign({ body: EVENT, secrets: ["webflow-webhook-secret"], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    webflow.webhooks.verifySignature({ headers: lowercased(delivery.headers), body: delivery.body, secret }),
  tamperBody: changedAmount,
  tamperSignature: inHeader("x-webflow-signature"),
  reasons: {
    tamperedBody: noMatch("x-webflow-signature"),
    tamperedSignature: noMatch("x-webflow-signature"),
    otherSecret: noMatch("x-webflow-signature"),
    stale: (signedAt) => `x-webflow-timestamp ${signedAt * 1000} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

// Box signs the body then BOX-DELIVERY-TIMESTAMP (RFC 3339, here with an offset as Box sends it).
const BOX_PRIMARY = "box-primary-signature-key";
const BOX_SECONDARY = "box-secondary-signature-key";
const BOX_BODY =
  '{"type":"webhook_event","id":"evt-box-1","trigger":"FILE.UPLOADED","source":{"name":"héllo ✓"}}';
function pacificTime(unixSeconds: number): string {
  return `${new Date((unixSeconds - 7 * 3600) * 1000).toISOString().slice(0, 19)}-07:00`;
}
async function boxSigned(timestamp: number): Promise<Delivery> {
  const headers = {
    "box-delivery-id": "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f",
    "box-delivery-timestamp": pacificTime(timestamp),
    "box-signature-algorithm": "HmacSHA256",
    "box-signature-version": "1",
  };
  return {
    body: BOX_BODY,
    headers: {
      ...headers,
      "box-signature-primary": (await computeWebhookSignature(BOX_BODY, headers, BOX_PRIMARY))!,
      "box-signature-secondary": (await computeWebhookSignature(BOX_BODY, headers, BOX_SECONDARY))!,
    },
  };
}
const BOX_MISMATCH = "BOX-SIGNATURE-PRIMARY: none of the 2 signatures matches the active secret";
conformance({
  preset: "box",
  library: "box-node-sdk@10.12.0 computeWebhookSignature / WebhooksManager.validateMessage",
  secret: BOX_PRIMARY,
  otherSecret: "box-other-signature-key",
  librarySigned: boxSigned,
  engineSigned: (timestamp) => ({
    body: BOX_BODY,
    headers: presetById("box").sign({ body: BOX_BODY, secrets: [BOX_PRIMARY], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    WebhooksManager.validateMessage(delivery.body, lowercased(delivery.headers), secret),
  tamperBody: inBody('"FILE.UPLOADED"', '"FILE.DELETED"'),
  tamperSignature: inHeader("box-signature-primary"),
  reasons: {
    // Box sends one signature per key (primary, secondary): neither matches.
    tamperedBody: BOX_MISMATCH,
    tamperedSignature: BOX_MISMATCH,
    otherSecret: BOX_MISMATCH,
    stale: (signedAt) => `BOX-DELIVERY-TIMESTAMP ${pacificTime(signedAt)} is 601 s old (tolerance 600 s)`,
  },
  toleranceSeconds: 600,
});
