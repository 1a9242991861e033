import type { AsymmetricPreset } from "../engine/definition";

/** Senders that sign with a private key; the secret document holds their public key(s). */
export const ASYMMETRIC_PRESETS = {
  discord: {
    family: "asymmetric",
    name: "Discord (interactions, webhook events)",
    algorithm: "ed25519",
    signature: { header: "X-Signature-Ed25519", encoding: "hex" },
    signedContent: "{timestamp}{body}",
    timestamp: { header: "X-Signature-Timestamp", format: "unix-s", toleranceSeconds: 300 },
    publicKey: "ed25519-hex",
    identity: {
      deliveryId: [{ body: "id" }],
      deliveryIdFallback: "body-hash",
      eventType: [{ body: "type", text: true }],
    },
    handshakes: [
      // An interactions PING carries a token; a webhook event (also `type` 1) does not, and is delivered.
      {
        kind: "constant-reply",
        when: [
          { body: "type", equals: 1 },
          { body: "token", matches: "." },
        ],
        status: 200,
        json: { type: 1 },
      },
      { kind: "constant-reply", when: { body: "type", equals: 0 }, status: 204 },
    ],
    // Interactions are not retried (answer within 3 s).
    dedupe: { horizonHours: 0, ttlHours: 24 },
    setup:
      "In the Developer Portal, paste the URL as Interactions Endpoint URL (General Information) or as the Endpoint URL of webhook events (Webhooks); the secret is the Public Key on General Information. Discord checks the URL when it is saved.",
    secretNote: "the application's public key (64 hex characters)",
    notes:
      'PING (`type` 1) is answered `{"type":1}`, a webhook-events PING (`type` 0) with 204. Discord also sends badly signed requests when the URL is saved and expects 401: it gets it. Event types are the numeric interaction `type` as text.',
  },
  sendgrid: {
    family: "asymmetric",
    name: "SendGrid Event Webhook",
    algorithm: "ecdsa-p256-sha256",
    signature: { header: "X-Twilio-Email-Event-Webhook-Signature", encoding: "base64" },
    signedContent: "{timestamp}{body}",
    timestamp: { header: "X-Twilio-Email-Event-Webhook-Timestamp", format: "unix-s", toleranceSeconds: 600 },
    publicKey: "spki-base64",
    identity: {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: { items: "", itemId: ["sg_event_id"], itemType: ["event"] },
    },
    dedupe: { ttlHours: 168 },
    setup:
      "In Settings > Mail Settings > Event Webhook, enter the URL as HTTP Post URL, switch Signed Event Webhook on and save; copy the Verification Key it then shows.",
    secretNote: "the Signed Event Webhook's verification key (base64 of its DER public key, or PEM)",
    notes: "A JSON array of events, each with its own `sg_event_id`.",
  },
} satisfies Record<string, AsymmetricPreset>;
