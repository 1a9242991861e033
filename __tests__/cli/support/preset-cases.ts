import { createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PresetId } from "@webhooks/shared";
import { tempDir } from "./cli-io";

/**
 * One `webhooks sign` → `webhooks verify` case per preset: the payload as the sender's code takes
 * it, what the secret document holds, the options each side needs, and what verify must report.
 */
export interface PresetCase {
  readonly id: PresetId;
  readonly payload: string;
  /** `--secret` of verify, and of sign unless the sender signs with a private key. */
  readonly secret: string;
  /** Options of sign only (identity headers, a private key). */
  readonly signArgs?: readonly string[];
  /** Options of both sign and verify (public URL, settings). */
  readonly bothArgs?: readonly string[];
  /** Options of verify only (a published key). */
  readonly verifyArgs?: readonly string[];
  /** The sender signs with a private key: sign takes no --secret. */
  readonly privateKeyOnly?: boolean;
  /** Unix seconds it is signed at; verified 5 s later. @default TIMESTAMP */
  readonly signedAt?: number;
  readonly eventType: string;
  /** Checked when the delivery id is a value of the payload or of the options. */
  readonly deliveryId?: string;
  /**
   * A change to the sent body the signature must catch; "not-covered": a token sender's body is not
   * authenticated (the token is), so a changed body still verifies.
   */
  readonly tamper: ((body: string) => string) | "not-covered";
}

export const TIMESTAMP = 1_738_324_800; // 2025-01-31T12:00:00Z
const URL = "https://hooks.example.com/v1/webhooks/provider?tenant=a%20b&x=1";
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

/** A space after the first character: other bytes, the same JSON or form fields (one renamed). */
const respace = (body: string) => `${body.slice(0, 1)} ${body.slice(1)}`;

// Keys made for this run, and the PayPal-shaped test certificate of the scheme tests.
const ed25519 = generateKeyPairSync("ed25519");
const sendgrid = generateKeyPairSync("ec", { namedCurve: "P-256" });
const plaid = generateKeyPairSync("ec", { namedCurve: "P-256" });
const PLAID_KID = "6c5516e1-92dc-479e-a8ff-5a51992e0001";
const FIXTURES = join(__dirname, "..", "..", "functions", "shared", "fixtures");
const PAYPAL_CHAIN = readFileSync(join(FIXTURES, "paypal-test-chain.pem"), "utf8");
/** A moment the test certificate is valid. */
const PAYPAL_NOW = Math.floor(Date.parse(new X509Certificate(PAYPAL_CHAIN).validFrom) / 1000) + 86_400;
const PAYPAL_CERT_URL =
  "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
const pem = (key: { export(options: { format: "pem"; type: "pkcs8" }): string | Buffer }) =>
  String(key.export({ format: "pem", type: "pkcs8" }));

export const KEYS = tempDir({
  "discord.pem": pem(ed25519.privateKey),
  "sendgrid.pem": pem(sendgrid.privateKey),
  "plaid.pem": pem(plaid.privateKey),
  "plaid.jwk": JSON.stringify({ ...plaid.publicKey.export({ format: "jwk" }), alg: "ES256", kid: PLAID_KID }),
  "paypal-chain.pem": PAYPAL_CHAIN,
});
const key = (name: string) => join(KEYS, name);
const PAYPAL_LEAF_KEY = join(FIXTURES, "paypal-test-leaf.key");
export const DISCORD_PUBLIC = (
  createPublicKey(ed25519.privateKey).export({ format: "der", type: "spki" }) as Buffer
)
  .subarray(-32)
  .toString("hex");
export const SENDGRID_PUBLIC = (
  sendgrid.publicKey.export({ format: "der", type: "spki" }) as Buffer
).toString("base64");

const ADYEN_PAYLOAD = JSON.stringify({
  live: "false",
  notificationItems: [
    {
      NotificationRequestItem: {
        amount: { value: 1130, currency: "EUR" },
        pspReference: "7914073381342284",
        eventCode: "AUTHORISATION",
        merchantAccountCode: "TestMerchant",
        merchantReference: "TestPayment-1407325143704",
        success: "true",
      },
    },
  ],
});

export const PRESET_CASES: readonly PresetCase[] = [
  {
    id: "generic",
    payload: '{"type":"order.created"}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "d-1"],
    eventType: "order.created",
    deliveryId: "d-1",
    tamper: respace,
  },
  {
    id: "stripe",
    payload: '{"id":"evt_1","type":"invoice.paid"}',
    secret: "whsec_test_secret",
    eventType: "invoice.paid",
    deliveryId: "evt_1",
    tamper: respace,
  },
  {
    id: "github",
    payload: '{"zen":"Keep it logically awesome."}',
    secret: "It's a Secret to Everybody",
    signArgs: ["--id", "d-gh", "--event", "ping"],
    eventType: "ping",
    deliveryId: "d-gh",
    tamper: respace,
  },
  {
    id: "bitbucket",
    payload: '{"push":{"changes":[]}}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--event", "repo:push"],
    eventType: "repo:push",
    tamper: respace,
  },
  {
    id: "jira",
    payload: '{"webhookEvent":"jira:issue_created"}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "wh-1"],
    eventType: "jira:issue_created",
    deliveryId: "wh-1",
    tamper: respace,
  },
  {
    id: "sentry",
    payload: '{"action":"created"}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "req-1", "--event", "issue"],
    eventType: "issue",
    deliveryId: "req-1",
    tamper: respace,
  },
  {
    id: "vercel",
    payload: '{"id":"evt_v","type":"deployment.created"}',
    secret: "s3cr3t-signing-key",
    eventType: "deployment.created",
    deliveryId: "evt_v",
    tamper: respace,
  },
  {
    id: "pagerduty",
    payload: '{"event":{"id":"01DEN","event_type":"incident.triggered"}}',
    secret: "s3cr3t-signing-key",
    eventType: "incident.triggered",
    deliveryId: "01DEN",
    tamper: respace,
  },
  {
    id: "square",
    payload: '{"event_id":"e-sq","type":"payment.updated"}',
    secret: "s3cr3t-signing-key",
    bothArgs: ["--public-url", URL],
    eventType: "payment.updated",
    deliveryId: "e-sq",
    tamper: respace,
  },
  {
    id: "paddle",
    payload: '{"notification_id":"ntf_1","event_type":"transaction.completed"}',
    secret: "pdl_ntfset_01",
    eventType: "transaction.completed",
    deliveryId: "ntf_1",
    tamper: respace,
  },
  {
    id: "lemonsqueezy",
    payload:
      '{"meta":{"event_name":"order_created"},"data":{"id":"1","attributes":{"updated_at":"2025-01-31T11:00:00Z"}}}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--event", "order_created"],
    eventType: "order_created",
    tamper: respace,
  },
  {
    id: "razorpay",
    payload: '{"event":"payment.captured"}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "evt_rzp"],
    eventType: "payment.captured",
    deliveryId: "evt_rzp",
    tamper: respace,
  },
  {
    id: "checkout",
    payload: '{"id":"evt_cko","type":"payment_approved"}',
    secret: "s3cr3t-signing-key",
    eventType: "payment_approved",
    deliveryId: "evt_cko",
    tamper: respace,
  },
  {
    id: "coinbase-commerce",
    payload: '{"event":{"id":"e-cb","type":"charge:confirmed"}}',
    secret: "s3cr3t-signing-key",
    eventType: "charge:confirmed",
    deliveryId: "e-cb",
    tamper: respace,
  },
  {
    id: "woocommerce",
    payload: '{"id":7,"status":"processing"}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "77", "--event", "order.updated"],
    eventType: "order.updated",
    deliveryId: "77",
    tamper: respace,
  },
  {
    id: "persona",
    payload: '{"data":{"id":"evt_p","attributes":{"name":"inquiry.completed"}}}',
    secret: "wbhsec_new",
    eventType: "inquiry.completed",
    deliveryId: "evt_p",
    tamper: respace,
  },
  {
    id: "mailgun",
    payload: '{"event-data":{"id":"CPgfbmQMTCKtHW6uIWtuVe","event":"delivered"}}',
    secret: "key-mailgun",
    eventType: "delivered",
    deliveryId: "CPgfbmQMTCKtHW6uIWtuVe",
    // Mailgun signs its timestamp and token, both in the body; the event itself is not signed.
    tamper: (body) => body.replace('"token":"', '"token":"x'),
  },
  {
    id: "intercom",
    payload: '{"id":"notif_1","topic":"conversation.user.created"}',
    secret: "s3cr3t-signing-key",
    eventType: "conversation.user.created",
    deliveryId: "notif_1",
    tamper: respace,
  },
  {
    id: "hubspot",
    payload: '[{"eventId":1,"subscriptionType":"contact.creation"}]',
    secret: "hubspot-client-secret",
    bothArgs: ["--public-url", URL],
    eventType: "contact.creation",
    tamper: respace,
  },
  {
    id: "zendesk",
    payload: '{"type":"zen:event-type:ticket.created"}',
    secret: "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
    signArgs: ["--id", "inv-1"],
    eventType: "zen:event-type:ticket.created",
    deliveryId: "inv-1",
    tamper: respace,
  },
  {
    id: "linear",
    payload: `{"type":"Issue","action":"create","webhookTimestamp":${TIMESTAMP * 1000}}`,
    secret: "lin_wh_secret",
    signArgs: ["--id", "234d1a4e-b617-4388-90fe-adc3633d6b72"],
    eventType: "Issue",
    deliveryId: "234d1a4e-b617-4388-90fe-adc3633d6b72",
    tamper: respace,
  },
  {
    id: "asana",
    payload:
      '{"events":[{"action":"changed","resource":{"gid":"12","resource_type":"task"},"created_at":"2025-01-31T11:59:00.000Z"}]}',
    secret: "s3cr3t-signing-key",
    eventType: "task.changed",
    tamper: respace,
  },
  {
    id: "notion",
    payload: '{"id":"n-1","type":"page.created"}',
    secret: "secret_notion",
    eventType: "page.created",
    deliveryId: "n-1",
    tamper: respace,
  },
  {
    id: "typeform",
    payload: '{"event_id":"01HB","event_type":"form_response"}',
    secret: "s3cr3t-signing-key",
    eventType: "form_response",
    deliveryId: "01HB",
    tamper: respace,
  },
  {
    id: "calendly",
    payload:
      '{"event":"invitee.created","created_at":"2025-01-31T12:00:00Z","payload":{"uri":"https://api.calendly.com/x"}}',
    secret: "s3cr3t-signing-key",
    eventType: "invitee.created",
    tamper: respace,
  },
  {
    id: "cal-com",
    payload: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-01-31T12:00:00Z","payload":{"uid":"u1"}}',
    secret: "s3cr3t-signing-key",
    eventType: "BOOKING_CREATED",
    tamper: respace,
  },
  {
    id: "zoom",
    payload: '{"event":"meeting.started","event_ts":1738324800000,"payload":{"object":{"id":"m1"}}}',
    secret: "zoom-secret-token",
    eventType: "meeting.started",
    tamper: respace,
  },
  {
    id: "twitch",
    payload: '{"subscription":{"type":"channel.follow"},"event":{}}',
    secret: "twitch-subscription-secret",
    signArgs: ["--id", "e76c6bd4-55c9-4987-8304-da1588d8988b", "--event", "channel.follow"],
    eventType: "channel.follow",
    deliveryId: "e76c6bd4-55c9-4987-8304-da1588d8988b",
    tamper: respace,
  },
  {
    id: "dropbox",
    payload: '{"list_folder":{"accounts":["dbid:AAH4f99"]}}',
    secret: "dropbox-app-secret",
    eventType: "notification",
    tamper: respace,
  },
  {
    id: "box",
    payload: '{"type":"webhook_event","id":"ev-1","trigger":"FILE.UPLOADED"}',
    secret: "SamplePrimaryKey",
    eventType: "FILE.UPLOADED",
    deliveryId: "ev-1",
    tamper: respace,
  },
  {
    id: "docusign",
    payload:
      '{"event":"envelope-completed","generatedDateTime":"2025-01-31T12:00:00Z","data":{"envelopeId":"env-1"}}',
    secret: "docusign-connect-key",
    eventType: "envelope-completed",
    tamper: respace,
  },
  {
    id: "segment",
    payload: '{"messageId":"m-1","type":"track","event":"Signed Up"}',
    secret: "s3cr3t-signing-key",
    eventType: "track",
    deliveryId: "m-1",
    tamper: respace,
  },
  {
    id: "airtable",
    payload: '{"base":{"id":"appA"},"webhook":{"id":"achW"},"timestamp":"2025-01-31T12:00:00.000Z"}',
    secret: "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=",
    eventType: "ping",
    tamper: respace,
  },
  {
    id: "trello",
    payload: '{"action":{"id":"a-1","type":"updateCard","data":{"text":"naïve café ✓"}}}',
    secret: "trello-app-secret",
    bothArgs: ["--public-url", URL],
    eventType: "updateCard",
    deliveryId: "a-1",
    tamper: respace,
  },
  {
    id: "xero",
    payload:
      '{"events":[{"resourceId":"r-1","eventCategory":"INVOICE","eventType":"UPDATE","eventDateUtc":"2025-01-31T12:00:00.000"}],"firstEventSequence":1,"lastEventSequence":1,"entropy":"S0M3"}',
    secret: "xero-webhooks-key",
    eventType: "INVOICE.UPDATE",
    tamper: respace,
  },
  {
    id: "quickbooks",
    payload:
      '{"eventNotifications":[{"realmId":"1185","dataChangeEvent":{"entities":[{"name":"Invoice","id":"1","operation":"Update","lastUpdated":"2025-01-31T12:00:00.000Z"}]}}]}',
    secret: "intuit-verifier-token",
    eventType: "Invoice.Update",
    tamper: respace,
  },
  {
    id: "webflow",
    payload: '{"triggerType":"form_submission","payload":{"id":"f-1"}}',
    secret: "s3cr3t-signing-key",
    eventType: "form_submission",
    tamper: respace,
  },
  {
    id: "frameio",
    payload: '{"type":"asset.created","resource":{"id":"r-1","type":"asset"}}',
    secret: "s3cr3t-signing-key",
    eventType: "asset.created",
    tamper: respace,
  },
  {
    id: "workos",
    payload: '{"id":"event_01","event":"user.created"}',
    secret: "s3cr3t-signing-key",
    eventType: "user.created",
    deliveryId: "event_01",
    tamper: respace,
  },
  {
    id: "mux",
    payload: '{"id":"mux-1","type":"video.asset.ready"}',
    secret: "s3cr3t-signing-key",
    eventType: "video.asset.ready",
    deliveryId: "mux-1",
    tamper: respace,
  },
  {
    id: "shopify",
    payload: '{"id":820982911946154508}',
    secret: "s3cr3t-signing-key",
    signArgs: ["--id", "b54557e4", "--event", "orders/create"],
    eventType: "orders/create",
    deliveryId: "b54557e4",
    tamper: respace,
  },
  {
    id: "slack",
    payload: '{"type":"event_callback","event_id":"Ev08MFMKH6","event":{"type":"app_mention"}}',
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    eventType: "app_mention",
    deliveryId: "Ev08MFMKH6",
    tamper: respace,
  },
  {
    id: "standard-webhooks",
    payload: '{"type":"invoice.paid"}',
    secret: WHSEC,
    signArgs: ["--id", "msg_p5jXN8AQM9LWM0D4loKWxJek"],
    eventType: "invoice.paid",
    deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    tamper: respace,
  },
  ...(["svix", "clerk", "resend"] as const).map(
    (id): PresetCase => ({
      id,
      payload: '{"type":"user.created","data":{}}',
      secret: WHSEC,
      signArgs: ["--id", "msg_2ZqYl1yN6Tg0cE"],
      eventType: "user.created",
      deliveryId: "msg_2ZqYl1yN6Tg0cE",
      tamper: respace,
    }),
  ),
  {
    id: "stytch",
    payload: '{"action":"CREATE","object_type":"user"}',
    secret: WHSEC,
    eventType: "CREATE",
    tamper: respace,
  },
  {
    id: "gitlab-signing",
    payload: '{"object_kind":"push"}',
    secret: WHSEC,
    eventType: "push",
    tamper: respace,
  },
  {
    id: "adyen-platform",
    payload: '{"type":"balancePlatform.accountHolder.created","data":{"id":"AH1"}}',
    secret: ADYEN_KEY,
    eventType: "balancePlatform.accountHolder.created",
    tamper: respace,
  },
  {
    id: "discord",
    payload: '{"id":"1069","type":2}',
    secret: DISCORD_PUBLIC,
    signArgs: ["--private-key", key("discord.pem")],
    privateKeyOnly: true,
    eventType: "2",
    deliveryId: "1069",
    tamper: respace,
  },
  {
    id: "sendgrid",
    payload: '[{"sg_event_id":"sg-1","event":"delivered"}]',
    secret: SENDGRID_PUBLIC,
    signArgs: ["--private-key", key("sendgrid.pem")],
    privateKeyOnly: true,
    eventType: "delivered",
    tamper: respace,
  },
  {
    id: "gitlab",
    payload: '{"object_kind":"push"}',
    secret: "gitlab-secret-token",
    signArgs: ["--id", "idem-1"],
    eventType: "push",
    deliveryId: "idem-1",
    tamper: "not-covered",
  },
  {
    id: "postmark",
    payload: '{"RecordType":"Delivery","MessageID":"m-1","DeliveredAt":"2025-01-31T12:00:00Z"}',
    secret: "hook-user:hook-pass",
    eventType: "Delivery",
    tamper: "not-covered",
  },
  {
    id: "okta",
    payload: '{"eventId":"e-okta","data":{"events":[{"uuid":"u-1","eventType":"user.session.start"}]}}',
    secret: "okta-hook-secret",
    bothArgs: ["--setting", "header=X-Okta-Secret"],
    eventType: "user.session.start",
    deliveryId: "e-okta",
    tamper: "not-covered",
  },
  {
    id: "auth0",
    payload: '[{"log_id":"l-1","data":{"type":"s"}}]',
    secret: "Bearer auth0-token",
    eventType: "s",
    tamper: "not-covered",
  },
  {
    id: "figma",
    payload: '{"webhook_id":"22","event_type":"FILE_UPDATE","timestamp":"2025-01-31T12:00:00Z"}',
    secret: "figma-passcode",
    eventType: "FILE_UPDATE",
    // The passcode is in the body; the rest of it is not authenticated.
    tamper: (body) => body.replace('"passcode":"', '"passcode":"x'),
  },
  {
    id: "twilio",
    payload: "To=%2B18005551212&CallStatus=completed&CallSid=CA1&From=%2B12349013030",
    secret: "twilio-auth-token",
    bothArgs: ["--public-url", URL],
    eventType: "completed",
    tamper: (body) => body.replace("CA1", "CA2"),
  },
  {
    id: "adyen",
    payload: ADYEN_PAYLOAD,
    secret: ADYEN_KEY,
    eventType: "AUTHORISATION",
    // Adyen signs each item's fields, not the body's bytes.
    tamper: (body) => body.replace('"value":1130', '"value":11300'),
  },
  {
    id: "braintree",
    payload: "<notification><kind>subscription_charged_successfully</kind></notification>",
    secret: "pubkey1:privkey-braintree",
    eventType: "subscription_charged_successfully",
    tamper: (body) => body.replace("bt_payload=PG5v", "bt_payload=PG5w"),
  },
  {
    id: "paypal",
    payload: '{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED"}',
    secret: "8PT597110X687430LKGECATA",
    signArgs: ["--private-key", PAYPAL_LEAF_KEY, "--key-id", PAYPAL_CERT_URL],
    verifyArgs: ["--key-file", key("paypal-chain.pem")],
    signedAt: PAYPAL_NOW - 10,
    eventType: "PAYMENT.CAPTURE.COMPLETED",
    deliveryId: "WH-58D329510W468432D-8HN650336L201105X",
    tamper: respace,
  },
  {
    id: "plaid",
    payload: '{"webhook_type":"TRANSACTIONS","webhook_code":"DEFAULT_UPDATE","item_id":"it-1"}',
    secret: "client123:secret456",
    signArgs: ["--private-key", key("plaid.pem"), "--key-id", PLAID_KID],
    verifyArgs: ["--key-file", key("plaid.jwk")],
    privateKeyOnly: true,
    eventType: "TRANSACTIONS.DEFAULT_UPDATE",
    tamper: respace,
  },
  {
    id: "netlify",
    payload: '{"id":"dep-1","state":"ready"}',
    secret: "netlify-jws-secret",
    eventType: "ready",
    tamper: respace,
  },
  {
    id: "contentful",
    payload: '{"sys":{"id":"entry-1","type":"Entry","version":3}}',
    secret: "contentful-signing-secret-0123456789abcdef0123456789abcdef012345",
    signArgs: ["--event", "ContentManagement.Entry.publish"],
    bothArgs: ["--public-url", URL],
    eventType: "ContentManagement.Entry.publish",
    tamper: respace,
  },
];
