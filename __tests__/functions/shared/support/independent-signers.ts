import {
  createHash,
  createHmac,
  createPublicKey,
  sign as cryptoSign,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PresetId, SchemeOptions } from "@webhooks/shared";

/**
 * Each preset's documented algorithm, written out with node:crypto and nothing of the engine: what
 * a sender puts on the wire. The vector tests verify these with the engine, so a preset that reads
 * its data wrong fails against the sender's definition, not against itself.
 */

/** Unix seconds the vectors are checked at; they are signed 10 s before. */
export const NOW = 1_700_000_000;
export const SIGNED_AT = NOW - 10;
const MS = SIGNED_AT * 1000;
const ISO = new Date(MS).toISOString();

type Algorithm = "sha1" | "sha256" | "sha512";
const mac = (algorithm: Algorithm, key: string | Buffer, data: string) =>
  createHmac(algorithm, key).update(data).digest();
const hex = (algorithm: Algorithm, key: string | Buffer, data: string) =>
  mac(algorithm, key, data).toString("hex");
const b64 = (algorithm: Algorithm, key: string | Buffer, data: string) =>
  mac(algorithm, key, data).toString("base64");
const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
/** The engine's composite id rule: SHA-256 of the JSON array of the fields (absent as null). */
export const compositeId = (...values: unknown[]) =>
  sha256(JSON.stringify(values.map((value) => value ?? null)));

export interface Vector {
  readonly name: string;
  readonly preset: PresetId;
  /** What the provider's secret document holds. */
  readonly secret: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly method?: string;
  readonly options?: SchemeOptions;
  /** @default NOW */
  readonly now?: number;
  readonly identity?: { readonly deliveryId: string | undefined; readonly eventType: string };
  /**
   * A changed body that must fail; @default the body with a space appended (every raw-body preset
   * signs it). null: the sender authenticates nothing of the body (token senders).
   */
  readonly tamperedBody?: string | null;
  /** Where the signature is, for the changed-signature test (a header name). */
  readonly signatureHeader?: string;
  /** A header whose signed timestamp makes the request stale at NOW + `staleAfter` (the tolerance + 1). */
  readonly staleAfter?: number;
  /** Sign inputs reproducing the vector with the engine's own `sign`, for presets that sign in headers. */
  readonly signInput?: { readonly timestamp: number; readonly id?: string; readonly method?: string };
}

const PUBLIC_URL = "https://hooks.example.com/v1/webhooks/provider?tenant=a%20b&x=1";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

// Key pairs of the asymmetric and key-fetching senders, made for this run.
const ed25519 = generateKeyPairSync("ed25519");
const ecdsa = generateKeyPairSync("ec", { namedCurve: "P-256" });
const plaidKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
export const ED25519_PUBLIC_HEX = (ed25519.publicKey.export({ format: "der", type: "spki" }) as Buffer)
  .subarray(-32)
  .toString("hex");
export const ED25519_PRIVATE: KeyObject = ed25519.privateKey;
export const ECDSA_PUBLIC_B64 = (ecdsa.publicKey.export({ format: "der", type: "spki" }) as Buffer).toString(
  "base64",
);
export const PLAID_KID = "6c5516e1-92dc-479e-a8ff-5a51992e0001";
export const PLAID_JWK = JSON.stringify({
  ...plaidKeys.publicKey.export({ format: "jwk" }),
  alg: "ES256",
  kid: PLAID_KID,
  use: "sig",
  created_at: SIGNED_AT - 86_400,
  expired_at: null,
});
export const PLAID_PRIVATE_PEM = plaidKeys.privateKey.export({ format: "pem", type: "pkcs8" }) as string;

const FIXTURES = join(__dirname, "..", "fixtures");
export const PAYPAL_CHAIN = readFileSync(join(FIXTURES, "paypal-test-chain.pem"), "utf8");
export const PAYPAL_LEAF_KEY = readFileSync(join(FIXTURES, "paypal-test-leaf.key"), "utf8");
/** A moment the fixture certificate is valid. */
export const PAYPAL_NOW = Math.floor(Date.parse(new X509Certificate(PAYPAL_CHAIN).validFrom) / 1000) + 86_400;
export const PAYPAL_CERT_URL =
  "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";

/** CRC-32 (IEEE) of UTF-8 text, written out independently of the engine's table. */
function crc32(text: string): number {
  let crc = ~0;
  for (const byte of Buffer.from(text)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const whsec = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const whsecKey = Buffer.alloc(32, 7);

function svixHeaders(prefix: "webhook" | "svix", id: string, body: string): Record<string, string> {
  return {
    [`${prefix}-id`]: id,
    [`${prefix}-timestamp`]: String(SIGNED_AT),
    [`${prefix}-signature`]: `v1,${b64("sha256", whsecKey, `${id}.${SIGNED_AT}.${body}`)}`,
  };
}

function svixVector(preset: PresetId, body: string, eventType: string): Vector {
  return {
    name: preset,
    preset,
    secret: whsec,
    body,
    headers: svixHeaders("svix", "msg_2ZqYl1yN6Tg0cE", body),
    identity: { deliveryId: "msg_2ZqYl1yN6Tg0cE", eventType },
    signatureHeader: "svix-signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT, id: "msg_2ZqYl1yN6Tg0cE" },
  };
}

/** A raw-body HMAC in one header. */
function rawBodyVector(
  preset: PresetId,
  header: string,
  value: (body: string) => string,
  body: string,
  identityHeaders: Record<string, string>,
  identity: Vector["identity"],
  secret = "s3cr3t-signing-key",
): Vector {
  return {
    name: preset,
    preset,
    secret,
    body,
    headers: { [header]: value(body), ...identityHeaders },
    identity,
    signatureHeader: header,
    signInput: { timestamp: SIGNED_AT },
  };
}

const K = "s3cr3t-signing-key";

export const VECTORS: readonly Vector[] = [
  {
    name: "generic",
    preset: "generic",
    secret: K,
    body: '{"type":"order.created"}',
    headers: {
      "X-Webhook-Signature": `t=${SIGNED_AT},v1=${hex("sha256", K, `${SIGNED_AT}.{"type":"order.created"}`)}`,
      "X-Webhook-Id": "d-1",
    },
    identity: { deliveryId: "d-1", eventType: "order.created" },
    signatureHeader: "X-Webhook-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT, id: "d-1" },
  },
  {
    name: "stripe",
    preset: "stripe",
    secret: "whsec_test_secret",
    body: '{"id":"evt_1","type":"invoice.paid"}',
    headers: {
      "Stripe-Signature": `t=${SIGNED_AT},v1=${hex("sha256", "whsec_test_secret", `${SIGNED_AT}.{"id":"evt_1","type":"invoice.paid"}`)}`,
    },
    identity: { deliveryId: "evt_1", eventType: "invoice.paid" },
    signatureHeader: "Stripe-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "github (GitHub's documented example)",
    preset: "github",
    secret: "It's a Secret to Everybody",
    body: "Hello, World!",
    headers: {
      "X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "X-GitHub-Event": "ping",
    },
    signatureHeader: "X-Hub-Signature-256",
    signInput: { timestamp: SIGNED_AT },
  },
  rawBodyVector(
    "github",
    "X-Hub-Signature-256",
    (body) => `sha256=${hex("sha256", K, body)}`,
    '{"zen":"Keep it logically awesome."}',
    { "X-GitHub-Delivery": "d-gh", "X-GitHub-Event": "ping" },
    { deliveryId: "d-gh", eventType: "ping" },
  ),
  rawBodyVector(
    "bitbucket",
    "X-Hub-Signature",
    (body) => `sha256=${hex("sha256", K, body)}`,
    '{"push":{"changes":[]}}',
    { "X-Event-Key": "repo:push" },
    { deliveryId: sha256('{"push":{"changes":[]}}'), eventType: "repo:push" },
  ),
  rawBodyVector(
    "jira",
    "X-Hub-Signature",
    (body) => `sha256=${hex("sha256", K, body)}`,
    '{"webhookEvent":"jira:issue_created"}',
    { "X-Atlassian-Webhook-Identifier": "wh-1" },
    { deliveryId: "wh-1", eventType: "jira:issue_created" },
  ),
  rawBodyVector(
    "sentry",
    "Sentry-Hook-Signature",
    (body) => hex("sha256", K, body),
    '{"action":"created"}',
    { "Request-ID": "req-1", "Sentry-Hook-Resource": "issue" },
    { deliveryId: "req-1", eventType: "issue" },
  ),
  rawBodyVector(
    "vercel",
    "x-vercel-signature",
    (body) => hex("sha1", K, body),
    '{"id":"evt_v","type":"deployment.created"}',
    {},
    { deliveryId: "evt_v", eventType: "deployment.created" },
  ),
  withoutSignInput(
    rawBodyVector(
      "pagerduty",
      "X-PagerDuty-Signature",
      (body) => `v1=${hex("sha256", "old-key", body)},v1=${hex("sha256", K, body)}`,
      '{"event":{"id":"01DEN","event_type":"incident.triggered"}}',
      {},
      { deliveryId: "01DEN", eventType: "incident.triggered" },
    ),
  ),
  {
    ...rawBodyVector(
      "square",
      "x-square-hmacsha256-signature",
      (body) => b64("sha256", K, PUBLIC_URL + body),
      '{"event_id":"e-sq","type":"payment.updated"}',
      {},
      { deliveryId: "e-sq", eventType: "payment.updated" },
    ),
    options: { publicUrl: PUBLIC_URL },
  },
  {
    name: "paddle",
    preset: "paddle",
    secret: "pdl_ntfset_01",
    body: '{"notification_id":"ntf_1","event_type":"transaction.completed"}',
    headers: {
      "Paddle-Signature": `ts=${SIGNED_AT};h1=${hex("sha256", "pdl_ntfset_01", `${SIGNED_AT}:{"notification_id":"ntf_1","event_type":"transaction.completed"}`)}`,
    },
    identity: { deliveryId: "ntf_1", eventType: "transaction.completed" },
    signatureHeader: "Paddle-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  rawBodyVector(
    "lemonsqueezy",
    "X-Signature",
    (body) => hex("sha256", K, body),
    '{"meta":{"event_name":"order_created"},"data":{"id":"1","attributes":{"updated_at":"2023-11-14T22:00:00Z"}}}',
    { "X-Event-Name": "order_created" },
    { deliveryId: compositeId("order_created", "1", "2023-11-14T22:00:00Z"), eventType: "order_created" },
  ),
  rawBodyVector(
    "razorpay",
    "X-Razorpay-Signature",
    (body) => hex("sha256", K, body),
    '{"event":"payment.captured"}',
    { "x-razorpay-event-id": "evt_rzp" },
    { deliveryId: "evt_rzp", eventType: "payment.captured" },
  ),
  rawBodyVector(
    "checkout",
    "Cko-Signature",
    (body) => hex("sha256", K, body),
    '{"id":"evt_cko","type":"payment_approved"}',
    {},
    { deliveryId: "evt_cko", eventType: "payment_approved" },
  ),
  rawBodyVector(
    "coinbase-commerce",
    "X-CC-Webhook-Signature",
    (body) => hex("sha256", K, body),
    '{"event":{"id":"e-cb","type":"charge:confirmed"}}',
    {},
    { deliveryId: "e-cb", eventType: "charge:confirmed" },
  ),
  rawBodyVector(
    "woocommerce",
    "X-WC-Webhook-Signature",
    (body) => b64("sha256", K, body),
    '{"id":7,"status":"processing"}',
    { "X-WC-Webhook-Delivery-ID": "77", "X-WC-Webhook-Topic": "order.updated" },
    { deliveryId: "77", eventType: "order.updated" },
  ),
  {
    name: "persona (two rotation groups)",
    preset: "persona",
    secret: "wbhsec_new",
    body: '{"data":{"id":"evt_p","attributes":{"name":"inquiry.completed"}}}',
    headers: {
      "Persona-Signature": [
        `t=${SIGNED_AT},v1=${hex("sha256", "wbhsec_old", `${SIGNED_AT}.{"data":{"id":"evt_p","attributes":{"name":"inquiry.completed"}}}`)}`,
        `t=${SIGNED_AT},v1=${hex("sha256", "wbhsec_new", `${SIGNED_AT}.{"data":{"id":"evt_p","attributes":{"name":"inquiry.completed"}}}`)}`,
      ].join(" "),
    },
    identity: { deliveryId: "evt_p", eventType: "inquiry.completed" },
    signatureHeader: "Persona-Signature",
    staleAfter: 301,
  },
  {
    name: "mailgun",
    preset: "mailgun",
    secret: "key-mailgun",
    body: JSON.stringify({
      signature: {
        timestamp: String(SIGNED_AT),
        token: "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
        signature: hex(
          "sha256",
          "key-mailgun",
          `${SIGNED_AT}a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0`,
        ),
      },
      "event-data": { id: "CPgfbmQMTCKtHW6uIWtuVe", event: "delivered" },
    }),
    headers: {},
    identity: { deliveryId: "CPgfbmQMTCKtHW6uIWtuVe", eventType: "delivered" },
    tamperedBody: JSON.stringify({
      signature: {
        timestamp: String(SIGNED_AT),
        token: "b8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
        signature: hex(
          "sha256",
          "key-mailgun",
          `${SIGNED_AT}a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0`,
        ),
      },
      "event-data": { id: "CPgfbmQMTCKtHW6uIWtuVe", event: "delivered" },
    }),
    staleAfter: 301,
  },
  rawBodyVector(
    "intercom",
    "X-Hub-Signature",
    (body) => `sha1=${hex("sha1", K, body)}`,
    '{"id":"notif_1","topic":"conversation.user.created"}',
    {},
    { deliveryId: "notif_1", eventType: "conversation.user.created" },
  ),
  {
    name: "hubspot (batch of two)",
    preset: "hubspot",
    secret: "hubspot-client-secret",
    body: '[{"eventId":1,"subscriptionType":"contact.creation"},{"eventId":2,"subscriptionType":"contact.deletion"}]',
    headers: {
      "X-HubSpot-Signature-v3": b64(
        "sha256",
        "hubspot-client-secret",
        `POST${PUBLIC_URL}[{"eventId":1,"subscriptionType":"contact.creation"},{"eventId":2,"subscriptionType":"contact.deletion"}]${MS}`,
      ),
      "X-HubSpot-Request-Timestamp": String(MS),
    },
    options: { publicUrl: PUBLIC_URL },
    identity: { deliveryId: sha256("1\n2"), eventType: "contact.creation" },
    signatureHeader: "X-HubSpot-Signature-v3",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT, method: "POST" },
  },
  {
    name: "zendesk",
    preset: "zendesk",
    secret: "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
    body: '{"type":"zen:event-type:ticket.created"}',
    headers: {
      "X-Zendesk-Webhook-Signature": b64(
        "sha256",
        "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
        `${ISO}{"type":"zen:event-type:ticket.created"}`,
      ),
      "X-Zendesk-Webhook-Signature-Timestamp": ISO,
      "X-Zendesk-Webhook-Invocation-Id": "inv-1",
    },
    identity: { deliveryId: "inv-1", eventType: "zen:event-type:ticket.created" },
    signatureHeader: "X-Zendesk-Webhook-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "linear",
    preset: "linear",
    secret: "lin_wh_secret",
    body: `{"type":"Issue","action":"create","webhookTimestamp":${MS}}`,
    headers: {
      "Linear-Signature": hex(
        "sha256",
        "lin_wh_secret",
        `{"type":"Issue","action":"create","webhookTimestamp":${MS}}`,
      ),
      "Linear-Delivery": "234d1a4e-b617-4388-90fe-adc3633d6b72",
      "Linear-Event": "Issue",
    },
    identity: { deliveryId: "234d1a4e-b617-4388-90fe-adc3633d6b72", eventType: "Issue" },
    signatureHeader: "Linear-Signature",
    staleAfter: 61,
  },
  rawBodyVector(
    "asana",
    "X-Hook-Signature",
    (body) => hex("sha256", K, body),
    '{"events":[{"action":"changed","resource":{"gid":"12","resource_type":"task"},"created_at":"2023-11-14T22:13:00.000Z"}]}',
    {},
    {
      deliveryId: sha256(compositeId("12", "changed", "2023-11-14T22:13:00.000Z", null)),
      eventType: "task.changed",
    },
  ),
  rawBodyVector(
    "notion",
    "X-Notion-Signature",
    (body) => `sha256=${hex("sha256", "secret_notion", body)}`,
    '{"id":"n-1","type":"page.created"}',
    {},
    { deliveryId: "n-1", eventType: "page.created" },
    "secret_notion",
  ),
  rawBodyVector(
    "typeform",
    "Typeform-Signature",
    (body) => `sha256=${b64("sha256", K, body)}`,
    '{"event_id":"01HB","event_type":"form_response"}',
    {},
    { deliveryId: "01HB", eventType: "form_response" },
  ),
  {
    name: "calendly",
    preset: "calendly",
    secret: K,
    body: '{"event":"invitee.created","created_at":"2023-11-14T22:13:10Z","payload":{"uri":"https://api.calendly.com/x"}}',
    headers: {
      "Calendly-Webhook-Signature": `t=${SIGNED_AT},v1=${hex("sha256", K, `${SIGNED_AT}.{"event":"invitee.created","created_at":"2023-11-14T22:13:10Z","payload":{"uri":"https://api.calendly.com/x"}}`)}`,
    },
    identity: {
      deliveryId: compositeId("https://api.calendly.com/x", "invitee.created", "2023-11-14T22:13:10Z"),
      eventType: "invitee.created",
    },
    signatureHeader: "Calendly-Webhook-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  rawBodyVector(
    "cal-com",
    "X-Cal-Signature-256",
    (body) => hex("sha256", K, body),
    '{"triggerEvent":"BOOKING_CREATED","createdAt":"2023-11-14T22:13:10Z","payload":{"uid":"u1"}}',
    {},
    {
      deliveryId: compositeId("u1", "BOOKING_CREATED", "2023-11-14T22:13:10Z"),
      eventType: "BOOKING_CREATED",
    },
  ),
  {
    name: "zoom",
    preset: "zoom",
    secret: "zoom-secret-token",
    body: '{"event":"meeting.started","event_ts":1699999990000,"payload":{"object":{"id":"m1"}}}',
    headers: {
      "x-zm-signature": `v0=${hex("sha256", "zoom-secret-token", `v0:${SIGNED_AT}:{"event":"meeting.started","event_ts":1699999990000,"payload":{"object":{"id":"m1"}}}`)}`,
      "x-zm-request-timestamp": String(SIGNED_AT),
    },
    identity: {
      deliveryId: compositeId("meeting.started", 1699999990000, "m1"),
      eventType: "meeting.started",
    },
    signatureHeader: "x-zm-signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "twitch (nanosecond timestamp)",
    preset: "twitch",
    secret: "twitch-subscription-secret",
    body: '{"subscription":{"type":"channel.follow"},"event":{}}',
    headers: {
      "Twitch-Eventsub-Message-Signature": `sha256=${hex("sha256", "twitch-subscription-secret", `e76c6bd4-55c9-4987-8304-da1588d8988b${ISO.replace(".000Z", ".000123456Z")}{"subscription":{"type":"channel.follow"},"event":{}}`)}`,
      "Twitch-Eventsub-Message-Id": "e76c6bd4-55c9-4987-8304-da1588d8988b",
      "Twitch-Eventsub-Message-Timestamp": ISO.replace(".000Z", ".000123456Z"),
      "Twitch-Eventsub-Message-Type": "notification",
      "Twitch-Eventsub-Subscription-Type": "channel.follow",
    },
    identity: { deliveryId: "e76c6bd4-55c9-4987-8304-da1588d8988b", eventType: "channel.follow" },
    signatureHeader: "Twitch-Eventsub-Message-Signature",
    staleAfter: 601,
  },
  rawBodyVector(
    "dropbox",
    "X-Dropbox-Signature",
    (body) => hex("sha256", "dropbox-app-secret", body),
    '{"list_folder":{"accounts":["dbid:AAH4f99"]}}',
    {},
    { deliveryId: undefined, eventType: "notification" },
    "dropbox-app-secret",
  ),
  {
    name: "box (Box SDK's published example)",
    preset: "box",
    secret: "SamplePrimaryKey",
    body: '{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}',
    headers: {
      "BOX-DELIVERY-ID": "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f",
      "BOX-DELIVERY-TIMESTAMP": "2020-01-01T00:00:00-07:00",
      "BOX-SIGNATURE-ALGORITHM": "HmacSHA256",
      "BOX-SIGNATURE-PRIMARY": "6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI=",
      "BOX-SIGNATURE-SECONDARY": "v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo=",
      "BOX-SIGNATURE-VERSION": "1",
    },
    now: Date.parse("2020-01-01T07:00:05Z") / 1000,
    signatureHeader: "BOX-SIGNATURE-PRIMARY",
  },
  {
    name: "box (secondary key)",
    preset: "box",
    secret: "SampleSecondaryKey",
    body: '{"type":"webhook_event","id":"ev-1","trigger":"FILE.UPLOADED"}',
    headers: {
      "BOX-DELIVERY-TIMESTAMP": ISO,
      "BOX-SIGNATURE-ALGORITHM": "HmacSHA256",
      "BOX-SIGNATURE-PRIMARY": b64(
        "sha256",
        "SamplePrimaryKey",
        `{"type":"webhook_event","id":"ev-1","trigger":"FILE.UPLOADED"}${ISO}`,
      ),
      "BOX-SIGNATURE-SECONDARY": b64(
        "sha256",
        "SampleSecondaryKey",
        `{"type":"webhook_event","id":"ev-1","trigger":"FILE.UPLOADED"}${ISO}`,
      ),
      "BOX-SIGNATURE-VERSION": "1",
    },
    identity: { deliveryId: "ev-1", eventType: "FILE.UPLOADED" },
    signatureHeader: "BOX-SIGNATURE-SECONDARY",
    staleAfter: 601,
  },
  {
    name: "docusign (second key's header)",
    preset: "docusign",
    secret: "docusign-connect-key-2",
    body: '{"event":"envelope-completed","generatedDateTime":"2023-11-14T22:13:10Z","data":{"envelopeId":"env-1"}}',
    headers: {
      "X-DocuSign-Signature-1": b64(
        "sha256",
        "docusign-connect-key-1",
        '{"event":"envelope-completed","generatedDateTime":"2023-11-14T22:13:10Z","data":{"envelopeId":"env-1"}}',
      ),
      "X-DocuSign-Signature-2": b64(
        "sha256",
        "docusign-connect-key-2",
        '{"event":"envelope-completed","generatedDateTime":"2023-11-14T22:13:10Z","data":{"envelopeId":"env-1"}}',
      ),
    },
    identity: {
      deliveryId: compositeId("env-1", "envelope-completed", "2023-11-14T22:13:10Z"),
      eventType: "envelope-completed",
    },
    signatureHeader: "X-DocuSign-Signature-2",
  },
  rawBodyVector(
    "segment",
    "X-Signature",
    (body) => hex("sha1", K, body),
    '{"messageId":"m-1","type":"track","event":"Signed Up"}',
    {},
    { deliveryId: "m-1", eventType: "track" },
  ),
  rawBodyVector(
    "airtable",
    "X-Airtable-Content-MAC",
    (body) => `hmac-sha256=${hex("sha256", Buffer.alloc(32, 9), body)}`,
    '{"base":{"id":"appA"},"webhook":{"id":"achW"},"timestamp":"2023-11-14T22:13:10.000Z"}',
    {},
    { deliveryId: compositeId("achW", "2023-11-14T22:13:10.000Z"), eventType: "ping" },
    Buffer.alloc(32, 9).toString("base64"),
  ),
  {
    ...rawBodyVector(
      "trello",
      "X-Trello-Webhook",
      (body) => b64("sha1", "trello-app-secret", body + PUBLIC_URL),
      '{"action":{"id":"a-1","type":"updateCard","data":{"text":"naïve café ✓"}}}',
      {},
      { deliveryId: "a-1", eventType: "updateCard" },
      "trello-app-secret",
    ),
    options: { publicUrl: PUBLIC_URL },
  },
  rawBodyVector(
    "xero",
    "x-xero-signature",
    (body) => b64("sha256", "xero-webhooks-key", body),
    '{"events":[{"resourceId":"r-1","eventCategory":"INVOICE","eventType":"UPDATE","eventDateUtc":"2023-11-14T22:13:10.000"}],"firstEventSequence":1,"lastEventSequence":1,"entropy":"S0M3"}',
    {},
    {
      deliveryId: sha256(compositeId("r-1", "INVOICE", "UPDATE", "2023-11-14T22:13:10.000")),
      eventType: "INVOICE.UPDATE",
    },
    "xero-webhooks-key",
  ),
  rawBodyVector(
    "quickbooks",
    "intuit-signature",
    (body) => b64("sha256", "intuit-verifier-token", body),
    '{"eventNotifications":[{"realmId":"1185","dataChangeEvent":{"entities":[{"name":"Invoice","id":"1","operation":"Update","lastUpdated":"2023-11-14T22:13:10.000Z"}]}}]}',
    {},
    {
      deliveryId: sha256(
        '{"eventNotifications":[{"realmId":"1185","dataChangeEvent":{"entities":[{"name":"Invoice","id":"1","operation":"Update","lastUpdated":"2023-11-14T22:13:10.000Z"}]}}]}',
      ),
      eventType: "Invoice.Update",
    },
    "intuit-verifier-token",
  ),
  {
    name: "webflow",
    preset: "webflow",
    secret: K,
    body: '{"triggerType":"form_submission","payload":{"id":"f-1"}}',
    headers: {
      "x-webflow-signature": hex(
        "sha256",
        K,
        `${MS}:{"triggerType":"form_submission","payload":{"id":"f-1"}}`,
      ),
      "x-webflow-timestamp": String(MS),
    },
    identity: {
      deliveryId: sha256('{"triggerType":"form_submission","payload":{"id":"f-1"}}'),
      eventType: "form_submission",
    },
    signatureHeader: "x-webflow-signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "frameio",
    preset: "frameio",
    secret: K,
    body: '{"type":"asset.created","resource":{"id":"r-1","type":"asset"}}',
    headers: {
      "X-Frameio-Signature": `v0=${hex("sha256", K, `v0:${SIGNED_AT}:{"type":"asset.created","resource":{"id":"r-1","type":"asset"}}`)}`,
      "X-Frameio-Request-Timestamp": String(SIGNED_AT),
    },
    identity: { deliveryId: undefined, eventType: "asset.created" },
    signatureHeader: "X-Frameio-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "workos",
    preset: "workos",
    secret: K,
    body: '{"id":"event_01","event":"user.created"}',
    headers: {
      "WorkOS-Signature": `t=${MS}, v1=${hex("sha256", K, `${MS}.{"id":"event_01","event":"user.created"}`)}`,
    },
    identity: { deliveryId: "event_01", eventType: "user.created" },
    signatureHeader: "WorkOS-Signature",
    staleAfter: 181,
    signInput: { timestamp: SIGNED_AT },
  },
  {
    name: "mux",
    preset: "mux",
    secret: K,
    body: '{"id":"mux-1","type":"video.asset.ready"}',
    headers: {
      "Mux-Signature": `t=${SIGNED_AT},v1=${hex("sha256", K, `${SIGNED_AT}.{"id":"mux-1","type":"video.asset.ready"}`)}`,
    },
    identity: { deliveryId: "mux-1", eventType: "video.asset.ready" },
    signatureHeader: "Mux-Signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT },
  },
  rawBodyVector(
    "shopify",
    "X-Shopify-Hmac-Sha256",
    (body) => b64("sha256", K, body),
    '{"id":820982911946154508}',
    { "X-Shopify-Webhook-Id": "b54557e4", "X-Shopify-Topic": "orders/create" },
    { deliveryId: "b54557e4", eventType: "orders/create" },
  ),
  {
    ...rawBodyVector(
      "shopify",
      "shopify-hmac-sha256",
      (body) => b64("sha256", K, body),
      '{"id":1}',
      { "shopify-event-id": "ev-9", "shopify-topic": "orders/paid" },
      { deliveryId: "ev-9", eventType: "orders/paid" },
    ),
    name: "shopify (events webhook: shopify-* names without X-)",
    signInput: undefined,
  },
  {
    name: "slack (Slack's documented example)",
    preset: "slack",
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    body: "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    headers: {
      "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "X-Slack-Request-Timestamp": "1531420618",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    now: 1531420618 + 5,
    signatureHeader: "X-Slack-Signature",
  },
  {
    name: "standard-webhooks (the specification's example)",
    preset: "standard-webhooks",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    body: '{"test": 2432232314}',
    headers: {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    },
    now: 1614265330 + 5,
    identity: { deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek", eventType: "unknown" },
    signatureHeader: "webhook-signature",
  },
  {
    name: "standard-webhooks",
    preset: "standard-webhooks",
    secret: whsec,
    body: '{"type":"invoice.paid"}',
    headers: svixHeaders("webhook", "msg_1", '{"type":"invoice.paid"}'),
    identity: { deliveryId: "msg_1", eventType: "invoice.paid" },
    signatureHeader: "webhook-signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT, id: "msg_1" },
  },
  svixVector("svix", '{"type":"message.attempt.exhausted"}', "message.attempt.exhausted"),
  svixVector("clerk", '{"type":"user.created","data":{}}', "user.created"),
  svixVector("resend", '{"type":"email.delivered","data":{}}', "email.delivered"),
  svixVector("stytch", '{"action":"CREATE","object_type":"user"}', "CREATE"),
  {
    name: "gitlab-signing",
    preset: "gitlab-signing",
    secret: whsec,
    body: '{"object_kind":"push"}',
    headers: {
      ...svixHeaders("webhook", "4b0b8c7e", '{"object_kind":"push"}'),
      "X-Gitlab-Event": "Push Hook",
    },
    identity: { deliveryId: "4b0b8c7e", eventType: "Push Hook" },
    signatureHeader: "webhook-signature",
    staleAfter: 301,
    signInput: { timestamp: SIGNED_AT, id: "4b0b8c7e" },
  },
  rawBodyVector(
    "adyen-platform",
    "HmacSignature",
    (body) =>
      b64(
        "sha256",
        Buffer.from("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056", "hex"),
        body,
      ),
    '{"type":"balancePlatform.accountHolder.created","data":{"id":"AH1"}}',
    {},
    {
      deliveryId: sha256('{"type":"balancePlatform.accountHolder.created","data":{"id":"AH1"}}'),
      eventType: "balancePlatform.accountHolder.created",
    },
    "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
  ),
  {
    name: "discord (Ed25519)",
    preset: "discord",
    secret: ED25519_PUBLIC_HEX,
    body: '{"id":"1069","type":2}',
    headers: {
      "X-Signature-Ed25519": cryptoSign(
        null,
        Buffer.from(`${SIGNED_AT}{"id":"1069","type":2}`),
        ED25519_PRIVATE,
      ).toString("hex"),
      "X-Signature-Timestamp": String(SIGNED_AT),
    },
    identity: { deliveryId: "1069", eventType: "2" },
    signatureHeader: "X-Signature-Ed25519",
    staleAfter: 301,
  },
  {
    name: "sendgrid (ECDSA P-256)",
    preset: "sendgrid",
    secret: ECDSA_PUBLIC_B64,
    body: '[{"sg_event_id":"sg-1","event":"delivered"},{"sg_event_id":"sg-2","event":"open"}]',
    headers: {
      "X-Twilio-Email-Event-Webhook-Signature": cryptoSign(
        "sha256",
        Buffer.from(
          `${SIGNED_AT}[{"sg_event_id":"sg-1","event":"delivered"},{"sg_event_id":"sg-2","event":"open"}]`,
        ),
        ecdsa.privateKey,
      ).toString("base64"),
      "X-Twilio-Email-Event-Webhook-Timestamp": String(SIGNED_AT),
    },
    identity: { deliveryId: sha256("sg-1\nsg-2"), eventType: "delivered" },
    signatureHeader: "X-Twilio-Email-Event-Webhook-Signature",
    staleAfter: 601,
  },
  {
    name: "gitlab (token)",
    preset: "gitlab",
    secret: "gitlab-secret-token",
    body: '{"object_kind":"push"}',
    headers: {
      "X-Gitlab-Token": "gitlab-secret-token",
      "X-Gitlab-Event": "Push Hook",
      "Idempotency-Key": "idem-1",
    },
    identity: { deliveryId: "idem-1", eventType: "Push Hook" },
    tamperedBody: null,
    signatureHeader: "X-Gitlab-Token",
  },
  {
    name: "postmark (Basic)",
    preset: "postmark",
    secret: "hook-user:hook-pass",
    body: '{"RecordType":"Delivery","MessageID":"m-1","DeliveredAt":"2023-11-14T22:13:10Z"}',
    headers: { Authorization: `Basic ${Buffer.from("hook-user:hook-pass").toString("base64")}` },
    identity: {
      deliveryId: compositeId("Delivery", "m-1", null, null, "2023-11-14T22:13:10Z", null, null),
      eventType: "Delivery",
    },
    tamperedBody: null,
    signatureHeader: "Authorization",
  },
  {
    name: "okta (header secret)",
    preset: "okta",
    secret: "okta-hook-secret",
    body: '{"eventId":"e-okta","data":{"events":[{"uuid":"u-1","eventType":"user.session.start"}]}}',
    headers: { Authorization: "okta-hook-secret" },
    identity: { deliveryId: "e-okta", eventType: "user.session.start" },
    tamperedBody: null,
    signatureHeader: "Authorization",
  },
  {
    name: "auth0 (Authorization token)",
    preset: "auth0",
    secret: "Bearer auth0-token",
    body: '[{"log_id":"l-1","data":{"type":"s"}}]',
    headers: { Authorization: "Bearer auth0-token" },
    identity: { deliveryId: sha256("l-1"), eventType: "s" },
    tamperedBody: null,
    signatureHeader: "Authorization",
  },
  {
    name: "figma (body passcode)",
    preset: "figma",
    secret: "figma-passcode",
    body: '{"passcode":"figma-passcode","webhook_id":"22","event_type":"FILE_UPDATE","timestamp":"2023-11-14T22:13:10Z"}',
    headers: {},
    identity: {
      deliveryId: compositeId("22", "FILE_UPDATE", "2023-11-14T22:13:10Z"),
      eventType: "FILE_UPDATE",
    },
    tamperedBody:
      '{"passcode":"figma-passcodf","webhook_id":"22","event_type":"FILE_UPDATE","timestamp":"2023-11-14T22:13:10Z"}',
  },
  {
    name: "twilio (form parameters)",
    preset: "twilio",
    secret: "twilio-auth-token",
    body: form({
      To: "+18005551212",
      CallStatus: "completed",
      CallSid: "CA1",
      From: "+12349013030",
      Digits: "1234",
    }),
    headers: {
      "X-Twilio-Signature": b64(
        "sha1",
        "twilio-auth-token",
        `${new URL(PUBLIC_URL).toString()}CallSidCA1CallStatuscompletedDigits1234From+12349013030To+18005551212`,
      ),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    options: { publicUrl: PUBLIC_URL },
    identity: { deliveryId: compositeId(null, "CA1", null, "completed", null), eventType: "completed" },
    signatureHeader: "X-Twilio-Signature",
  },
  {
    name: "twilio (JSON body with bodySHA256)",
    preset: "twilio",
    secret: "twilio-auth-token",
    body: '{"CallSid":"CA2","CallStatus":"ringing"}',
    headers: {
      "X-Twilio-Signature": b64(
        "sha1",
        "twilio-auth-token",
        `${PUBLIC_URL}&bodySHA256=${sha256('{"CallSid":"CA2","CallStatus":"ringing"}')}`,
      ),
      "Content-Type": "application/json",
      "I-Twilio-Idempotency-Token": "idem-tw",
    },
    options: { publicUrl: PUBLIC_URL },
    identity: { deliveryId: "idem-tw", eventType: "ringing" },
    signatureHeader: "X-Twilio-Signature",
  },
  {
    name: "adyen (Adyen's documented example)",
    preset: "adyen",
    secret: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
    body: JSON.stringify({
      live: "false",
      notificationItems: [
        {
          NotificationRequestItem: {
            additionalData: { hmacSignature: "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=" },
            amount: { value: 1130, currency: "EUR" },
            pspReference: "7914073381342284",
            eventCode: "AUTHORISATION",
            merchantAccountCode: "TestMerchant",
            merchantReference: "TestPayment-1407325143704",
            paymentMethod: "visa",
            success: "true",
          },
        },
      ],
    }),
    headers: {},
    identity: {
      deliveryId: sha256(compositeId("7914073381342284", "AUTHORISATION", "true")),
      eventType: "AUTHORISATION",
    },
    tamperedBody: JSON.stringify({
      live: "false",
      notificationItems: [
        {
          NotificationRequestItem: {
            additionalData: { hmacSignature: "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=" },
            amount: { value: 11300, currency: "EUR" },
            pspReference: "7914073381342284",
            eventCode: "AUTHORISATION",
            merchantAccountCode: "TestMerchant",
            merchantReference: "TestPayment-1407325143704",
            success: "true",
          },
        },
      ],
    }),
  },
  {
    name: "braintree (form of bt_signature and bt_payload)",
    preset: "braintree",
    secret: "pubkey1:privkey-braintree",
    body: form({
      bt_signature: `otherpub|${"0".repeat(40)}&pubkey1|${hex(
        "sha1",
        createHash("sha1").update("privkey-braintree").digest(),
        Buffer.from("<notification><kind>subscription_charged_successfully</kind></notification>").toString(
          "base64",
        ),
      )}`,
      bt_payload: Buffer.from(
        "<notification><kind>subscription_charged_successfully</kind></notification>",
      ).toString("base64"),
    }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    identity: {
      deliveryId: sha256(
        Buffer.from("<notification><kind>subscription_charged_successfully</kind></notification>").toString(
          "base64",
        ),
      ),
      eventType: "subscription_charged_successfully",
    },
    tamperedBody: form({
      bt_signature: `pubkey1|${hex("sha1", createHash("sha1").update("privkey-braintree").digest(), "PGE+PC9hPg==")}`,
      bt_payload: "PGI+PC9iPg==",
    }),
  },
  {
    name: "paypal (certificate chain)",
    preset: "paypal",
    secret: "8PT597110X687430LKGECATA",
    body: '{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED"}',
    headers: {
      "PAYPAL-TRANSMISSION-ID": "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
      "PAYPAL-TRANSMISSION-TIME": new Date((PAYPAL_NOW - 10) * 1000).toISOString(),
      "PAYPAL-CERT-URL": PAYPAL_CERT_URL,
      "PAYPAL-AUTH-ALGO": "SHA256withRSA",
      "PAYPAL-TRANSMISSION-SIG": cryptoSign(
        "sha256",
        Buffer.from(
          `69cd13f0-d67a-11e5-baa3-778b53f4ae55|${new Date((PAYPAL_NOW - 10) * 1000).toISOString()}|8PT597110X687430LKGECATA|${crc32('{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED"}')}`,
        ),
        PAYPAL_LEAF_KEY,
      ).toString("base64"),
    },
    now: PAYPAL_NOW,
    options: { externalKey: PAYPAL_CHAIN },
    identity: {
      deliveryId: "WH-58D329510W468432D-8HN650336L201105X",
      eventType: "PAYMENT.CAPTURE.COMPLETED",
    },
    signatureHeader: "PAYPAL-TRANSMISSION-SIG",
    staleAfter: 601,
  },
  {
    name: "plaid (ES256 JWT)",
    preset: "plaid",
    secret: "client123:secret456",
    body: '{"webhook_type":"TRANSACTIONS","webhook_code":"DEFAULT_UPDATE","item_id":"it-1"}',
    headers: {
      "Plaid-Verification": jwt(
        { alg: "ES256", kid: PLAID_KID, typ: "JWT" },
        {
          iat: SIGNED_AT,
          request_body_sha256: sha256(
            '{"webhook_type":"TRANSACTIONS","webhook_code":"DEFAULT_UPDATE","item_id":"it-1"}',
          ),
        },
        (input) =>
          cryptoSign("sha256", Buffer.from(input), { key: plaidKeys.privateKey, dsaEncoding: "ieee-p1363" }),
      ),
    },
    options: { externalKey: PLAID_JWK },
    identity: { deliveryId: undefined, eventType: "TRANSACTIONS.DEFAULT_UPDATE" },
    signatureHeader: "Plaid-Verification",
    staleAfter: 301,
  },
  {
    name: "netlify (HS256 JWS)",
    preset: "netlify",
    secret: "netlify-jws-secret",
    body: '{"id":"dep-1","state":"ready"}',
    headers: {
      "X-Webhook-Signature": jwt(
        { alg: "HS256", typ: "JWT" },
        { iss: "netlify", sha256: sha256('{"id":"dep-1","state":"ready"}') },
        (input) => mac("sha256", "netlify-jws-secret", input),
      ),
    },
    identity: { deliveryId: compositeId("dep-1", "ready"), eventType: "ready" },
    signatureHeader: "X-Webhook-Signature",
  },
  {
    name: "contentful (canonical request)",
    preset: "contentful",
    secret: "contentful-signing-secret-0123456789abcdef0123456789abcdef012345",
    body: '{"sys":{"id":"entry-1","type":"Entry","version":3}}',
    headers: {
      "X-Contentful-Signature": hex(
        "sha256",
        "contentful-signing-secret-0123456789abcdef0123456789abcdef012345",
        [
          "POST",
          // The path, and its query escaped twice, as Contentful's toolkit does.
          "/v1/webhooks/provider?tenant%253Da%252520b%2526x%253D1",
          `x-contentful-crn:crn:contentful:::content:spaces/s1;x-contentful-signed-headers:x-contentful-crn,x-contentful-signed-headers,x-contentful-timestamp;x-contentful-timestamp:${MS}`,
          '{"sys":{"id":"entry-1","type":"Entry","version":3}}',
        ].join("\n"),
      ),
      "X-Contentful-Signed-Headers": "x-contentful-crn,x-contentful-signed-headers,x-contentful-timestamp",
      "X-Contentful-Timestamp": String(MS),
      "X-Contentful-CRN": " crn:contentful:::content:spaces/s1 ",
      "X-Contentful-Topic": "ContentManagement.Entry.publish",
    },
    options: { publicUrl: PUBLIC_URL },
    identity: {
      deliveryId: compositeId("entry-1", "Entry", 3, null),
      eventType: "ContentManagement.Entry.publish",
    },
    signatureHeader: "X-Contentful-Signature",
    staleAfter: 30,
  },
];

function withoutSignInput(vector: Vector): Vector {
  const { signInput: _unused, ...rest } = vector;
  return rest;
}

function jwt(header: object, payload: object, signer: (input: string) => Buffer): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${signer(input).toString("base64url")}`;
}

/** The public key of a PEM private key (tests that need it as a secret). */
export function publicPem(privatePem: string): string {
  return createPublicKey(privatePem).export({ format: "pem", type: "spki" }) as string;
}
