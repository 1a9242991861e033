import type { CodePreset } from "../engine/definition";

/** Senders whose check is code (`../modules`); identity, dedupe and handshakes stay data. */
export const CODE_PRESETS = {
  twilio: {
    family: "code",
    name: "Twilio",
    module: "twilio",
    signsPublicUrl: true,
    identity: {
      deliveryId: [
        { header: "I-Twilio-Idempotency-Token" },
        { bodyFields: ["MessageSid", "CallSid", "MessageStatus", "CallStatus", "SmsStatus"] },
      ],
      deliveryIdFallback: "body-hash",
      eventType: [{ body: "MessageStatus" }, { body: "CallStatus" }, { body: "SmsStatus" }],
      eventTypeFallback: "unknown",
    },
    // Usually no retry; connection overrides allow up to 5.
    dedupe: { horizonHours: 1, ttlHours: 25 },
    setup:
      "On the phone number (Phone Numbers > Active numbers) or Messaging Service, set the URL as the webhook for incoming messages or calls, or pass it as `statusCallback`; the secret is the Auth Token from the Console's Account Info. Set `publicUrl` to that URL.",
    secretNote: "the account's Auth Token (both while a secondary token is being promoted)",
    notes:
      "Signs the URL it calls and the sorted form parameters (JSON bodies: the URL with `bodySHA256`): set `publicUrl` to the URL as configured in Twilio.",
  },
  adyen: {
    family: "code",
    name: "Adyen (standard webhooks)",
    module: "adyen",
    signsInBody: true,
    identity: {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: {
        items: "notificationItems",
        itemId: [
          "NotificationRequestItem.pspReference",
          "NotificationRequestItem.eventCode",
          "NotificationRequestItem.success",
        ],
        itemType: ["NotificationRequestItem.eventCode"],
      },
    },
    // 3 immediate retries, then a retry queue for up to 30 days.
    dedupe: { horizonHours: 720, ttlHours: 744 },
    gatewayHeader: null,
    setup:
      "In the Customer Area, Developers > Webhooks > + Webhook > Standard webhook, enter the URL and choose JSON; under Security generate the HMAC key and copy it (test and live have separate keys).",
    secretNote: "the HMAC key as the Customer Area shows it (hex)",
    notes: "Each notification item carries its own `additionalData.hmacSignature`; every item must verify.",
  },
  braintree: {
    family: "code",
    name: "Braintree",
    module: "braintree",
    signsInBody: true,
    identity: {
      deliveryId: [{ bodyFields: ["bt_payload"] }],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
    },
    handshakes: [
      {
        kind: "module",
        description: "GET `?bt_challenge=<hex>` → `<public key>|<HMAC-SHA1 of the challenge>`",
        method: "GET",
        query: "bt_challenge",
      },
    ],
    dedupe: { ttlHours: 168 },
    gatewayHeader: null,
    setup:
      "In the Control Panel's Settings > Webhooks > Create New Webhook, enter the URL and notification kinds; the secret is the public and private key of an API key pair (Settings > API Keys).",
    secretNote: "`<public key>:<private key>` of the API key pair",
    notes: "Form posts of `bt_signature` and `bt_payload` (base64 XML); the event type is the XML's `kind`.",
  },
  paypal: {
    family: "code",
    name: "PayPal",
    module: "paypal",
    toleranceSeconds: 600,
    identity: { deliveryId: [{ body: "id" }], eventType: [{ body: "event_type" }] },
    // 25 attempts over 3 days.
    dedupe: { horizonHours: 72, ttlHours: 96 },
    setup:
      "In the developer dashboard, open the REST app's Sandbox or Live Webhooks > Add Webhook and enter the URL and event types; store the webhook's ID from the list.",
    secretNote:
      "the webhook's id from the PayPal developer dashboard: it is part of the signed string (PayPal signs with its certificate)",
    notes:
      "RSA-SHA256 over `<transmission id>|<time>|<webhook id>|<CRC32 of the body>` with the certificate at `PAYPAL-CERT-URL`, fetched (pinned to PayPal's API hosts) and cached.",
  },
  plaid: {
    family: "code",
    name: "Plaid",
    module: "plaid",
    toleranceSeconds: 300,
    settings: {
      environment: {
        description: "the Plaid environment whose keys sign: production or sandbox",
        pattern: "^(production|sandbox)$",
        default: "production",
      },
    },
    identity: {
      deliveryId: [],
      deliveryIdFallback: "none",
      eventType: [{ bodyFields: ["webhook_type", "webhook_code"], join: "." }],
      eventTypeFallback: "unknown",
    },
    dedupe: { ttlHours: 168 },
    setup:
      "Pass the URL as `webhook` when creating Link tokens (or update an Item with `/item/webhook/update`); the secret is the `client_id` and `secret` from the Dashboard's Keys.",
    secretNote: "`<client_id>:<secret>`: the API credentials that fetch Plaid's verification keys",
    notes:
      "An ES256 JWT in `Plaid-Verification` whose key is fetched by `kid` from Plaid (cached); its `request_body_sha256` must match the body. Notifications are not deduplicated.",
  },
  netlify: {
    family: "code",
    name: "Netlify (deploy notifications)",
    module: "netlify",
    identity: { deliveryId: [{ bodyFields: ["id", "state"] }], eventType: [{ body: "state" }] },
    dedupe: { ttlHours: 168 },
    setup:
      "In the site's Project configuration > Notifications > Deploy notifications, add an HTTP POST request for each event with the URL and a JWS secret token you choose.",
    secretNote: "the notification's JWS secret token",
  },
  contentful: {
    family: "code",
    name: "Contentful",
    module: "contentful",
    signsPublicUrl: true,
    toleranceSeconds: 30,
    identity: {
      deliveryId: [{ bodyFields: ["sys.id", "sys.type", "sys.version", "sys.deletedVersion"] }],
      deliveryIdFallback: "body-hash",
      eventType: [{ header: "X-Contentful-Topic" }],
    },
    dedupe: { ttlHours: 168 },
    setup:
      "In the space's Settings > Webhooks, add a webhook with the URL, then choose Enable request verification in the webhook settings for the space's signing secret (shown once). Set `publicUrl` to the webhook URL.",
    secretNote: "the webhook's signing secret",
    notes:
      "Signs the method, the path of the URL it calls, the headers `x-contentful-signed-headers` names and the body: set `publicUrl` to the webhook URL.",
  },
} satisfies Record<string, CodePreset>;
