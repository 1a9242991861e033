import type { TokenPreset } from "../engine/definition";

/**
 * Senders that present a shared secret itself, compared in constant time. Nothing bounds a replay
 * but the dedupe record.
 */
export const TOKEN_PRESETS = {
  gitlab: {
    family: "token",
    name: "GitLab (secret token)",
    token: { header: "X-Gitlab-Token" },
    identity: {
      deliveryId: [{ header: "Idempotency-Key" }, { header: "X-Gitlab-Event-UUID" }],
      deliveryIdFallback: "body-hash",
      eventType: [{ header: "X-Gitlab-Event" }, { body: "object_kind" }],
    },
    dedupe: { ttlHours: 168 },
    setup:
      "In the project's (or group's) Settings > Webhooks, paste the URL and type a secret token; GitLab sends it back as `X-Gitlab-Token`.",
    secretNote: "the webhook's secret token",
  },
  postmark: {
    family: "token",
    name: "Postmark",
    token: { basic: true },
    identity: {
      deliveryId: [
        {
          bodyFields: [
            "RecordType",
            "MessageID",
            "ID",
            "ReceivedAt",
            "DeliveredAt",
            "BouncedAt",
            "ChangedAt",
          ],
        },
      ],
      deliveryIdFallback: "body-hash",
      eventType: [{ body: "RecordType" }],
      eventTypeFallback: "Inbound",
    },
    // Inbound: 10 retries over about 10.5 hours.
    dedupe: { horizonHours: 11, ttlHours: 48 },
    setup:
      "In the server's Webhooks > Add webhook, put credentials in the URL (`https://<user>:<password>@…`) and choose events; store `<user>:<password>`.",
    secretNote: "`<username>:<password>` as in the webhook URL's Basic credentials",
    notes:
      "Postmark sends the credentials of the webhook URL (`https://user:pass@…`) as `Authorization: Basic`. Inbound messages have no `RecordType`: their event type is `Inbound`.",
  },
  okta: {
    family: "token",
    name: "Okta event hooks",
    token: { headerSetting: "header" },
    settings: {
      header: {
        description: "the header Okta sends the secret in",
        pattern: "^[A-Za-z0-9-]{1,64}$",
        default: "Authorization",
      },
    },
    identity: {
      deliveryId: [{ body: "eventId" }],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: { items: "data.events", itemId: ["uuid"], itemType: ["eventType"] },
    },
    handshakes: [
      { kind: "get-echo-header-json", header: "X-Okta-Verification-Challenge", field: "verification" },
    ],
    // A 3 s timeout and one retry.
    dedupe: { horizonHours: 1, ttlHours: 25 },
    setup:
      "In the Admin Console's Workflow > Event Hooks > Create Event Hook, enter the URL, a header name (Authentication field; the `header` setting) and a secret value, then Verify the hook.",
    secretNote: "the header value configured on the event hook",
    notes:
      'The one-time verification `GET` (with `X-Okta-Verification-Challenge` and the secret header) is answered `{"verification": …}`.',
  },
  auth0: {
    family: "token",
    name: "Auth0 log streams (custom webhook)",
    token: { header: "Authorization" },
    identity: {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: { items: "", itemId: ["log_id"], itemType: ["data.type"] },
    },
    dedupe: { ttlHours: 168 },
    setup:
      "In Monitoring > Streams > Create Stream > Custom Webhook, enter the URL as Payload URL, choose the JSON Array format and an Authorization Token; store the token exactly as typed.",
    secretNote: "the Authorization token exactly as configured (e.g. `Bearer …`)",
    notes: "Use the JSON array format: each log entry keeps its `log_id`.",
  },
  figma: {
    family: "token",
    name: "Figma (webhooks v2)",
    token: { bodyField: "passcode" },
    identity: {
      deliveryId: [{ bodyFields: ["webhook_id", "event_type", "timestamp"] }],
      eventType: [{ body: "event_type" }],
    },
    dedupe: { ttlHours: 168 },
    gatewayHeader: null,
    setup:
      "Through the API only: `POST /v2/webhooks` with the event type, a context (team, project or file), the URL as `endpoint` and a passcode you choose (up to 100 characters).",
    secretNote: "the webhook's passcode",
    notes: "The passcode is a field of the JSON body. The `PING` on creation is an ordinary delivery.",
  },
} satisfies Record<string, TokenPreset>;
