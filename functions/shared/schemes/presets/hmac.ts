import type { HmacPreset, IdentityDefinition } from "../engine/definition";

/** A week: the TTL for senders that document no retry horizon. */
const WEEK = 168;

/** A Svix-operated sender: Standard Webhooks signatures under `svix-*` header names. */
function svixSender(
  name: string,
  setup: string,
  eventType: IdentityDefinition["eventType"],
  notes?: string,
): HmacPreset {
  return {
    family: "hmac",
    name,
    algorithm: "sha256",
    signature: { header: "svix-signature", format: { kind: "entries", version: "v1" }, encoding: "base64" },
    signedContent: "{header:svix-id}.{timestamp}.{body}",
    timestamp: { header: "svix-timestamp", format: "unix-s", toleranceSeconds: 300 },
    secret: { decode: "base64", prefix: "whsec_", minBytes: 24, maxBytes: 64 },
    identity: { deliveryId: [{ header: "svix-id" }], eventType, eventTypeFallback: "unknown" },
    // Svix's schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h).
    dedupe: { horizonHours: 28, ttlHours: 52 },
    secretNote: "the endpoint's `whsec_…` signing secret as shown (base64 of 24-64 bytes after `whsec_`)",
    setup,
    ...(notes === undefined ? {} : { notes }),
  };
}

/** A raw-body HMAC in one header: the most common shape. */
function rawBody(
  name: string,
  header: string,
  encoding: "hex" | "base64",
  identity: IdentityDefinition,
  extra: Partial<HmacPreset> = {},
): HmacPreset {
  return {
    family: "hmac",
    name,
    algorithm: "sha256",
    signature: { header, encoding },
    signedContent: "{body}",
    identity,
    dedupe: { ttlHours: WEEK },
    secretNote: "the webhook's signing secret string",
    ...extra,
  };
}

/**
 * The HMAC presets (K1–K9 as data). Retry horizons are the documented ones (automatic retries plus
 * any manual replay window, in hours); where a sender documents none, `horizonHours` is absent and
 * the TTL is a week.
 */
export const HMAC_PRESETS = {
  generic: {
    family: "hmac",
    name: "Generic (in-house senders)",
    algorithm: "sha256",
    signature: {
      header: "X-Webhook-Signature",
      format: { kind: "elements", separator: ",", signatureField: "v1", timestampField: "t", strict: true },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: {
      deliveryId: [{ header: "X-Webhook-Id" }],
      deliveryIdFallback: "none",
      eventType: [{ body: "type" }, { header: "X-Webhook-Event" }],
      eventTypeMissing: "X-Webhook-Event (the body has no type)",
    },
    dedupe: { ttlHours: WEEK },
    setup:
      "Your own service posts to the endpoint with `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of <t>.<body>>` and, to be deduplicated, `X-Webhook-Id`; the secret is the one you gave it. `webhooks sign --scheme generic` prints the exact headers.",
    secretNote: "the plain signing secret string",
    notes:
      "The platform's own scheme. Strict: any element other than one `t=` and up to five `v1=` is refused. Without `X-Webhook-Id` a delivery gets a random id and is never deduplicated.",
  },
  stripe: {
    family: "hmac",
    name: "Stripe",
    algorithm: "sha256",
    signature: {
      header: "Stripe-Signature",
      format: { kind: "elements", separator: ",", signatureField: "v1", timestampField: "t" },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: { requireObject: "json", deliveryId: [{ body: "id" }], eventType: [{ body: "type" }] },
    // The event object counts the endpoints still owed a delivery: a retry may carry another count.
    volatileFields: [["pending_webhooks"]],
    dedupe: { horizonHours: 72, ttlHours: 96 },
    setup:
      "In the Dashboard's Workbench (Webhooks tab), create an event destination of type webhook endpoint with the URL; the destination's page reveals its signing secret. Test and live mode have separate destinations and secrets.",
    secretNote: "the endpoint's `whsec_…` signing secret, verbatim (not decoded)",
    notes:
      "Elements other than `t` and `v1` (such as `v0` in test mode) are skipped. Future timestamps are refused too.",
  },
  github: rawBody(
    "GitHub",
    "X-Hub-Signature-256",
    "hex",
    { deliveryId: [{ header: "X-GitHub-Delivery" }], eventType: [{ header: "X-GitHub-Event" }] },
    {
      setup:
        "In the repository's (or organization's) Settings > Webhooks > Add webhook, paste the URL as Payload URL, choose `application/json` and type a random secret; store the same string.",
      signature: {
        header: "X-Hub-Signature-256",
        format: { kind: "plain", prefix: "sha256=" },
        encoding: "hex",
      },
      // No automatic retries; deliveries of the last 3 days can be redelivered by hand.
      dedupe: { horizonHours: 72, ttlHours: 96 },
      notes:
        "No timestamp: a captured request verifies for as long as its secret is active; the dedupe record stops replays for the TTL. Form bodies (`payload=…`) are verified over their raw bytes.",
    },
  ),
  bitbucket: rawBody(
    "Bitbucket Cloud",
    "X-Hub-Signature",
    "hex",
    { deliveryId: [], deliveryIdFallback: "body-hash", eventType: [{ header: "X-Event-Key" }] },
    {
      setup:
        "In Repository settings > Webhooks > Add webhook (or the workspace's Settings > Webhooks), paste the URL and type or generate a secret; Bitbucket does not show it again after saving.",
      signature: { header: "X-Hub-Signature", format: { kind: "plain", prefix: "sha256=" }, encoding: "hex" },
      notes:
        "The header has no `-256` but carries `sha256=`. Deduplicated on the body's SHA-256: whether `X-Request-UUID` survives a retry is not documented.",
    },
  ),
  jira: rawBody(
    "Jira Cloud (admin webhooks)",
    "X-Hub-Signature",
    "hex",
    { deliveryId: [{ header: "X-Atlassian-Webhook-Identifier" }], eventType: [{ body: "webhookEvent" }] },
    {
      setup:
        "As a Jira admin, open System > WebHooks > Create a WebHook, paste the URL and type a secret in its Secret field. Webhooks registered by Connect or OAuth apps are not signed this way.",
      signature: { header: "X-Hub-Signature", format: { kind: "plain", prefix: "sha256=" }, encoding: "hex" },
      notes:
        "Only webhooks an admin registers with a secret are signed this way; Connect apps send a JWT instead.",
    },
  ),
  sentry: rawBody(
    "Sentry (integration platform)",
    "Sentry-Hook-Signature",
    "hex",
    {
      deliveryId: [{ header: "Request-ID" }],
      eventType: [{ header: "Sentry-Hook-Resource" }],
    },
    {
      secretNote: "the integration's Client Secret",
      setup:
        "Create an internal integration under Settings > Developer Settings > Custom Integrations with the URL as its Webhook URL and the resources you need; the secret is the integration's Client Secret (Credentials).",
    },
  ),
  vercel: rawBody(
    "Vercel",
    "x-vercel-signature",
    "hex",
    { deliveryId: [{ body: "id" }], eventType: [{ body: "type" }] },
    {
      setup:
        "In the team's Settings > Webhooks (Pro and Enterprise plans), create a webhook with the URL and events; Vercel shows its secret once, right after creation. Integration webhooks are signed with the integration's client secret instead.",
      algorithm: "sha1",
      secretNote: "the webhook's secret (integrations: the client secret)",
    },
  ),
  pagerduty: rawBody(
    "PagerDuty (v3)",
    "X-PagerDuty-Signature",
    "hex",
    { deliveryId: [{ body: "event.id" }], eventType: [{ body: "event.event_type" }] },
    {
      setup:
        "Under Integrations > Generic Webhooks (v3), add a webhook with the URL (or `POST /webhook_subscriptions`); PagerDuty shows the signing secret once, when the subscription is created.",
      signature: {
        header: "X-PagerDuty-Signature",
        format: { kind: "elements", separator: ",", signatureField: "v1" },
        encoding: "hex",
      },
    },
  ),
  square: rawBody(
    "Square",
    "x-square-hmacsha256-signature",
    "base64",
    { deliveryId: [{ body: "event_id" }], eventType: [{ body: "type" }] },
    {
      signedContent: "{url}{body}",
      // One page says 24 hours of retries, another 72: the longer one counts.
      dedupe: { horizonHours: 72, ttlHours: 96 },
      setup:
        "In the Developer Console, open the application's Webhooks > Subscriptions > Add subscription and enter the URL; the subscription's Endpoint Details show its Signature Key. Set `publicUrl` to the same URL, character for character.",
      secretNote: "the subscription's Signature Key",
      notes:
        "Signs the notification URL as configured in the subscription: set `publicUrl` to it byte for byte.",
    },
  ),
  paddle: {
    family: "hmac",
    name: "Paddle Billing",
    algorithm: "sha256",
    signature: {
      header: "Paddle-Signature",
      format: { kind: "elements", separator: ";", signatureField: "h1", timestampField: "ts" },
      encoding: "hex",
    },
    signedContent: "{timestamp}:{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: { deliveryId: [{ body: "notification_id" }], eventType: [{ body: "event_type" }] },
    dedupe: { horizonHours: 72, ttlHours: 96 },
    setup:
      "In Developer tools > Notifications > New destination, choose the URL type and enter the URL and events; the destination's menu (Edit or View) reveals its secret key.",
    secretNote: "the notification destination's secret key (`pdl_ntfset_…`), verbatim",
    notes: "Every `h1` is tried (Paddle's SDK keeps only the last). Its SDK allows 5 s of skew; 300 s here.",
  },
  lemonsqueezy: rawBody(
    "Lemon Squeezy",
    "X-Signature",
    "hex",
    {
      deliveryId: [{ bodyFields: ["meta.event_name", "data.id", "data.attributes.updated_at"] }],
      deliveryIdFallback: "body-hash",
      eventType: [{ header: "X-Event-Name" }, { body: "meta.event_name" }],
    },
    {
      setup:
        "In the dashboard's Settings > Webhooks, add a webhook with the URL as callback URL, its events and a signing secret you choose (see Lemon Squeezy docs: Webhooks).",
    },
  ),
  razorpay: rawBody(
    "Razorpay",
    "X-Razorpay-Signature",
    "hex",
    { deliveryId: [{ header: "x-razorpay-event-id" }], eventType: [{ body: "event" }] },
    // 24 hours of retries, and dashboard replays of events up to 7 days old.
    {
      setup:
        "In Account & Settings > Webhooks > Add New Webhook, enter the URL, a secret you choose and the active events; test mode and live mode each have their own webhook.",
      dedupe: { horizonHours: 168, ttlHours: 192 },
    },
  ),
  checkout: rawBody(
    "Checkout.com",
    "Cko-Signature",
    "hex",
    {
      deliveryId: [{ body: "id" }],
      eventType: [{ body: "type" }],
    },
    {
      setup:
        "In the Dashboard's Developers > Webhooks > Create configuration, enter the URL and choose Generate key for the signature key (copy it then); sandbox and live are configured separately.",
    },
  ),
  "coinbase-commerce": rawBody(
    "Coinbase Commerce",
    "X-CC-Webhook-Signature",
    "hex",
    {
      deliveryId: [{ body: "event.id" }],
      eventType: [{ body: "event.type" }],
    },
    {
      setup:
        "In Settings > Notifications, add an endpoint under Webhook subscriptions; the shared secret is on the same page (Show shared secret).",
    },
  ),
  woocommerce: rawBody(
    "WooCommerce",
    "X-WC-Webhook-Signature",
    "base64",
    { deliveryId: [{ header: "X-WC-Webhook-Delivery-ID" }], eventType: [{ header: "X-WC-Webhook-Topic" }] },
    {
      setup:
        "In WooCommerce > Settings > Advanced > Webhooks > Add webhook, enter the URL as Delivery URL with status Active; keep the generated secret or type your own.",
      // No automatic retry: a webhook is disabled after 5 failures.
      dedupe: { horizonHours: 0, ttlHours: 24 },
      handshakes: [
        {
          kind: "status-only",
          when: { body: "webhook_id", matches: "^[0-9]{1,20}$" },
          status: 200,
          unsigned: true,
        },
      ],
      gatewayHeader: null,
      notes:
        "The ping WooCommerce posts when a webhook is saved (`webhook_id=<n>`) is unsigned; it is answered 200 and not forwarded.",
    },
  ),
  persona: {
    family: "hmac",
    name: "Persona",
    algorithm: "sha256",
    signature: {
      header: "Persona-Signature",
      format: {
        kind: "elements",
        separator: ",",
        signatureField: "v1",
        timestampField: "t",
        groupSeparator: " ",
      },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: { deliveryId: [{ body: "data.id" }], eventType: [{ body: "data.attributes.name" }] },
    dedupe: { ttlHours: WEEK },
    setup:
      "In the Dashboard's Integration > Webhooks (per environment), create a webhook with the URL and enable its events; copy the webhook's secret (`wbhsec_…`).",
    secretNote: "the webhook secret (`wbhsec_…`), verbatim",
    notes:
      "During a rotation the header holds space-separated `t=…,v1=…` groups, each with its own timestamp.",
  },
  mailgun: {
    family: "hmac",
    name: "Mailgun",
    algorithm: "sha256",
    signature: { bodyField: "signature.signature", encoding: "hex" },
    signedContent: "{json:signature.timestamp}{json:signature.token}",
    timestamp: { bodyField: "signature.timestamp", format: "unix-s", toleranceSeconds: 300 },
    identity: { deliveryId: [{ body: "event-data.id" }], eventType: [{ body: "event-data.event" }] },
    // Retries over 8 hours.
    dedupe: { horizonHours: 8, ttlHours: 32 },
    gatewayHeader: null,
    setup:
      "Under Sending > Webhooks (account-wide) or a domain's Webhooks tab, add the URL for each event type; the HTTP webhook signing key is listed with the API keys (API security), apart from the API key itself.",
    secretNote: "the HTTP webhook signing key",
    notes:
      "The signature, its timestamp and token are in the JSON body's `signature` object; the body itself is not signed (the token and the event id bound replays).",
  },
  intercom: rawBody(
    "Intercom",
    "X-Hub-Signature",
    "hex",
    { deliveryId: [{ body: "id" }], eventType: [{ body: "topic" }] },
    {
      algorithm: "sha1",
      signature: { header: "X-Hub-Signature", format: { kind: "plain", prefix: "sha1=" }, encoding: "hex" },
      setup:
        "In the Developer Hub, open the app's Webhooks, enter the URL as Endpoint URL and choose topics (Intercom pings it on save); the secret is the app's Client secret from Basic Information.",
      secretNote: "the app's client_secret",
      // Each retry counts its attempt and keeps the first send time.
      volatileFields: [["delivery_attempts"], ["first_sent_at"]],
    },
  ),
  hubspot: {
    family: "hmac",
    name: "HubSpot (signature v3)",
    algorithm: "sha256",
    signature: { header: "X-HubSpot-Signature-v3", encoding: "base64" },
    signedContent: "{method}{url}{body}{timestamp}",
    timestamp: { header: "X-HubSpot-Request-Timestamp", format: "unix-ms", toleranceSeconds: 300 },
    identity: {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: { items: "", itemId: ["eventId"], itemType: ["subscriptionType"] },
    },
    // Every event of a retried batch carries its attempt number.
    volatileFields: [["*", "attemptNumber"]],
    dedupe: { ttlHours: WEEK },
    setup:
      "In the developer account, open the app's Webhooks tab, enter the URL as Target URL and create subscriptions; the secret is the Client secret on the app's Auth tab. Set `publicUrl` to the Target URL.",
    secretNote: "the app's client secret",
    notes:
      "Signs the method and the full URL it calls: set `publicUrl` to the target URL as configured in HubSpot (with any query). Batches of up to 100 events; each keeps its `eventId`.",
  },
  zendesk: {
    family: "hmac",
    name: "Zendesk",
    algorithm: "sha256",
    signature: { header: "X-Zendesk-Webhook-Signature", encoding: "base64" },
    signedContent: "{timestamp}{body}",
    timestamp: { header: "X-Zendesk-Webhook-Signature-Timestamp", format: "rfc3339", toleranceSeconds: 300 },
    identity: {
      deliveryId: [{ header: "X-Zendesk-Webhook-Invocation-Id" }],
      eventType: [{ body: "type" }],
      eventTypeFallback: "unknown",
    },
    dedupe: { ttlHours: WEEK },
    setup:
      "In Admin Center > Apps and integrations > Webhooks, create a webhook with the URL and subscribe it to events or connect it to a trigger or automation; Reveal secret on its details shows the signing secret.",
    secretNote: "the webhook's signing secret",
    notes:
      "Trigger and automation webhooks carry a user-defined body: their event type is `unknown` unless it has `type`.",
  },
  linear: {
    family: "hmac",
    name: "Linear",
    algorithm: "sha256",
    signature: { header: "Linear-Signature", encoding: "hex" },
    signedContent: "{body}",
    timestamp: { bodyField: "webhookTimestamp", format: "unix-ms", toleranceSeconds: 60 },
    identity: {
      deliveryId: [{ header: "Linear-Delivery" }],
      eventType: [{ header: "Linear-Event" }, { body: "type" }],
    },
    dedupe: { ttlHours: WEEK },
    setup:
      "In Workspace settings > API > Webhooks > Create new webhook, enter the URL and resource types; Linear shows the signing secret once, right after creation.",
    secretNote: "the webhook's signing secret",
    notes:
      "The timestamp is the body's `webhookTimestamp` (ms); the `Linear-Timestamp` header is not signed and is not read.",
  },
  asana: rawBody(
    "Asana",
    "X-Hook-Signature",
    "hex",
    {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: {
        items: "events",
        itemId: ["resource.gid", "action", "created_at", "change.field"],
        itemType: ["resource.resource_type", "action"],
        itemTypeJoin: ".",
      },
    },
    {
      handshakes: [{ kind: "echo-header", header: "X-Hook-Secret" }],
      gatewayHeader: null,
      setup:
        "Through the API: `POST /api/1.0/webhooks` with `resource` and the URL as `target`; Asana hands the secret over in the handshake it sends while the call is in flight, and the validator stores it.",
      secretNote: "the `X-Hook-Secret` Asana sent in the webhook's handshake",
      notes:
        'Stateful handshake: the first, unsigned request carries `X-Hook-Secret`, which must be echoed and stored as the signing secret. Heartbeats (`{"events":[]}`) are ordinary deliveries.',
    },
  ),
  notion: rawBody(
    "Notion",
    "X-Notion-Signature",
    "hex",
    { deliveryId: [{ body: "id" }], eventType: [{ body: "type" }] },
    {
      signature: {
        header: "X-Notion-Signature",
        format: { kind: "plain", prefix: "sha256=" },
        encoding: "hex",
      },
      handshakes: [{ kind: "capture-token", field: "verification_token" }],
      gatewayHeader: null,
      setup:
        "In the integration's Webhooks tab, create a subscription with the URL; Notion posts a `verification_token` to the endpoint, which you paste back under Verify subscription. That token is also the signing secret.",
      secretNote: "the subscription's `verification_token` (`secret_…`) from its handshake",
      notes:
        "Stateful handshake: the first, unsigned request carries `verification_token`, which the operator confirms in Notion and stores as the signing secret.",
    },
  ),
  typeform: rawBody(
    "Typeform",
    "Typeform-Signature",
    "base64",
    { deliveryId: [{ body: "event_id" }], eventType: [{ body: "event_type" }] },
    {
      setup:
        "In the form's Connect > Webhooks, add the URL, then edit the webhook to set a secret you choose and switch it on (dashboard webhooks start off); the API's create-webhook call takes `secret` too.",
      signature: {
        header: "Typeform-Signature",
        format: { kind: "plain", prefix: "sha256=" },
        encoding: "base64",
      },
    },
  ),
  calendly: {
    family: "hmac",
    name: "Calendly",
    algorithm: "sha256",
    signature: {
      header: "Calendly-Webhook-Signature",
      format: { kind: "elements", separator: ",", signatureField: "v1", timestampField: "t" },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: {
      deliveryId: [{ bodyFields: ["payload.uri", "event", "created_at"] }],
      eventType: [{ body: "event" }],
    },
    dedupe: { ttlHours: WEEK },
    setup:
      "Through the API only (paid plans): `POST https://api.calendly.com/webhook_subscriptions` with the URL, events, scope and a `signing_key` you choose (OAuth apps get a generated key).",
    secretNote: "the subscription's signing key",
  },
  "cal-com": rawBody(
    "Cal.com",
    "X-Cal-Signature-256",
    "hex",
    {
      deliveryId: [{ bodyFields: ["payload.uid", "triggerEvent", "createdAt"] }],
      eventType: [{ body: "triggerEvent" }],
    },
    {
      setup:
        "In Settings > Developer > Webhooks, add a webhook with the URL as Subscriber URL and type a secret; without one Cal.com sends unsigned requests, and it hides the secret after saving.",
    },
  ),
  zoom: {
    family: "hmac",
    name: "Zoom",
    algorithm: "sha256",
    signature: { header: "x-zm-signature", format: { kind: "plain", prefix: "v0=" }, encoding: "hex" },
    signedContent: "v0:{timestamp}:{body}",
    timestamp: { header: "x-zm-request-timestamp", format: "unix-s", toleranceSeconds: 300 },
    identity: {
      deliveryId: [{ bodyFields: ["event", "event_ts", "payload.object.id"] }],
      eventType: [{ body: "event" }],
    },
    handshakes: [
      {
        kind: "hmac-echo",
        when: { body: "event", equals: "endpoint.url_validation" },
        field: "payload.plainToken",
      },
    ],
    // 3 retries: after 5, 20 and 60 minutes.
    dedupe: { horizonHours: 2, ttlHours: 26 },
    setup:
      "In the Marketplace app's Feature tab, enable Event Subscriptions, add the URL as Event notification endpoint URL and pick events; the Secret Token is on the same tab (Zoom validates the URL when it is saved).",
    secretNote: "the app's Secret Token",
    notes:
      "`endpoint.url_validation` (on save and every 72 hours) is answered with `plainToken` and its HMAC under the secret that verified the request.",
  },
  twitch: {
    family: "hmac",
    name: "Twitch EventSub",
    algorithm: "sha256",
    signature: {
      header: "Twitch-Eventsub-Message-Signature",
      format: { kind: "plain", prefix: "sha256=" },
      encoding: "hex",
    },
    signedContent: "{header:Twitch-Eventsub-Message-Id}{timestamp}{body}",
    timestamp: { header: "Twitch-Eventsub-Message-Timestamp", format: "rfc3339", toleranceSeconds: 600 },
    identity: {
      deliveryId: [{ header: "Twitch-Eventsub-Message-Id" }],
      eventType: [{ header: "Twitch-Eventsub-Subscription-Type" }],
    },
    handshakes: [
      {
        kind: "echo-body-field",
        when: { header: "Twitch-Eventsub-Message-Type", equals: "webhook_callback_verification" },
        field: "challenge",
        reply: "text",
      },
    ],
    dedupe: { ttlHours: WEEK },
    setup:
      "Create an EventSub subscription (`POST /helix/eventsub/subscriptions`) with transport method `webhook`, the URL as `callback` and a `secret` of 10-100 characters you choose.",
    secretNote: "the subscription's secret (10-100 ASCII characters you chose)",
    notes: "`webhook_callback_verification` is answered with the raw `challenge` as text/plain.",
  },
  dropbox: rawBody(
    "Dropbox",
    "X-Dropbox-Signature",
    "hex",
    { deliveryId: [], deliveryIdFallback: "none", eventType: [{ constant: "notification" }] },
    {
      handshakes: [{ kind: "get-echo-query", param: "challenge" }],
      dedupe: { ttlHours: WEEK },
      setup:
        "In the App Console, open the app's Webhooks section and add the URL (Dropbox checks it with a `GET ?challenge=`); the secret is the app secret from the app's settings.",
      secretNote: "the app secret",
      notes:
        "Notifications only say that an account changed: they are not deduplicated (two changes may send identical bodies). `GET ?challenge=` echoes the challenge.",
    },
  ),
  box: {
    family: "hmac",
    name: "Box",
    algorithm: "sha256",
    signature: {
      headers: ["BOX-SIGNATURE-PRIMARY", "BOX-SIGNATURE-SECONDARY"],
      encoding: "base64",
      requireHeaders: { "BOX-SIGNATURE-VERSION": "1", "BOX-SIGNATURE-ALGORITHM": "HmacSHA256" },
    },
    signedContent: "{body}{timestamp}",
    timestamp: { header: "BOX-DELIVERY-TIMESTAMP", format: "rfc3339", toleranceSeconds: 600 },
    identity: { deliveryId: [{ body: "id" }], eventType: [{ body: "trigger" }] },
    dedupe: { ttlHours: WEEK },
    gatewayHeader: "BOX-SIGNATURE-PRIMARY",
    setup:
      "In the Developer Console, open the app's Webhooks tab, generate the primary and secondary keys under Manage signature keys, and create a V2 webhook on the file or folder with the URL as its address.",
    secretNote: "the primary and the secondary signature key (either may sign)",
    notes:
      "Dedupes on the body's `id`, which Box keeps across retries (`BOX-DELIVERY-ID` changes on every attempt).",
  },
  docusign: {
    family: "hmac",
    name: "DocuSign Connect",
    algorithm: "sha256",
    signature: {
      headerPattern: "X-DocuSign-Signature-{n}",
      headerCount: 10,
      maxSignatures: 10,
      encoding: "base64",
    },
    signedContent: "{body}",
    identity: {
      deliveryId: [{ bodyFields: ["data.envelopeId", "event", "generatedDateTime"] }],
      eventType: [{ body: "event" }],
    },
    // Up to 45 attempts or 7 days when "Require Acknowledgement" is on.
    dedupe: { horizonHours: 168, ttlHours: 192 },
    gatewayHeader: "X-DocuSign-Signature-1",
    setup:
      "In eSignature Admin > Connect, add a key under Connect Keys (shown in full once), then add a Connect configuration with the URL, the events and Include HMAC Signature ticked.",
    secretNote: "the Connect HMAC key(s)",
    notes: "One `X-DocuSign-Signature-<n>` header per active Connect key; the first 10 are read.",
  },
  segment: rawBody(
    "Segment (Webhooks destination)",
    "X-Signature",
    "hex",
    { deliveryId: [{ body: "messageId" }], eventType: [{ body: "type" }] },
    {
      setup:
        "Add the Webhooks (Actions) destination to a source (Connections > Catalog), enter the URL in its mapping and a shared secret under Settings > Advanced Settings; without a secret Segment does not sign.",
      algorithm: "sha1",
      secretNote: "the destination's shared secret",
    },
  ),
  airtable: rawBody(
    "Airtable",
    "X-Airtable-Content-MAC",
    "hex",
    { deliveryId: [{ bodyFields: ["webhook.id", "timestamp"] }], eventType: [{ constant: "ping" }] },
    {
      signature: {
        header: "X-Airtable-Content-MAC",
        format: { kind: "plain", prefix: "hmac-sha256=" },
        encoding: "hex",
      },
      secret: { decode: "base64", minBytes: 16, maxBytes: 64 },
      dedupe: { ttlHours: WEEK },
      setup:
        "Through the API only: create the webhook on the base (`POST /v0/bases/{baseId}/webhooks` with the URL as `notificationUrl`); the response's `macSecretBase64` is returned once. Refresh the webhook before it expires (7 days).",
      secretNote: "the webhook's `macSecretBase64`, as returned when it was created",
      notes: "Deliveries are pings; the payloads are fetched from Airtable's list-payloads API.",
    },
  ),
  trello: rawBody(
    "Trello",
    "X-Trello-Webhook",
    "base64",
    { deliveryId: [{ body: "action.id" }], eventType: [{ body: "action.type" }] },
    {
      algorithm: "sha1",
      signedContent: "{body}{url}",
      handshakes: [{ kind: "head-ok" }],
      setup:
        "Through the API only: `POST /1/webhooks` with the URL as `callbackURL` and the board or card as `idModel` (Trello sends a `HEAD` to the URL first); the secret is the application's secret from its API key page. Set `publicUrl` to the callback URL.",
      secretNote: "the Trello application's OAuth secret",
      notes:
        "Signs the callback URL given when the webhook was created: set `publicUrl` to it. A `HEAD` to the callback is answered 200.",
    },
  ),
  xero: rawBody(
    "Xero",
    "x-xero-signature",
    "base64",
    {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [],
      eventTypeFallback: "unknown",
      batch: {
        items: "events",
        itemId: ["resourceId", "eventCategory", "eventType", "eventDateUtc"],
        itemType: ["eventCategory", "eventType"],
        itemTypeJoin: ".",
      },
    },
    {
      handshakes: [{ kind: "status-only", when: { body: "events", empty: true }, status: 200 }],
      setup:
        "In the developer portal, open the app's Webhooks tab, choose topics, enter the URL as Delivery URL and save; copy the Webhooks key, then choose Send 'Intent to receive'.",
      secretNote: "the app's webhooks key",
      notes:
        "Intent to Receive: correctly signed requests without events get 200 and an empty body, badly signed ones the usual 401.",
    },
  ),
  quickbooks: rawBody(
    "QuickBooks Online",
    "intuit-signature",
    "base64",
    {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [
        {
          bodyFields: [
            "eventNotifications.0.dataChangeEvent.entities.0.name",
            "eventNotifications.0.dataChangeEvent.entities.0.operation",
          ],
          join: ".",
        },
      ],
      eventTypeFallback: "unknown",
      batch: { items: "", itemId: ["id"], itemType: ["type"] },
    },
    {
      setup:
        "In the developer dashboard, open the app's Webhooks settings, enter the URL and pick entities; Show token reveals the verifier token. Only companies connected to the app through OAuth send notifications.",
      secretNote: "the app's webhook verifier token",
      notes:
        "Reads both formats: the `eventNotifications` object (event type `<Entity>.<Operation>` of its first entity) and the CloudEvents array (per event `id` and `type`).",
    },
  ),
  webflow: {
    family: "hmac",
    name: "Webflow",
    algorithm: "sha256",
    signature: { header: "x-webflow-signature", encoding: "hex" },
    signedContent: "{timestamp}:{body}",
    timestamp: { header: "x-webflow-timestamp", format: "unix-ms", toleranceSeconds: 300 },
    identity: { deliveryId: [], deliveryIdFallback: "body-hash", eventType: [{ body: "triggerType" }] },
    dedupe: { ttlHours: WEEK },
    setup:
      "Create the webhook through the API with the URL and a trigger type: from an OAuth app it is signed with the app's client secret; with a site token the response carries the webhook's own secret. Webhooks added in the site settings are not signed.",
    secretNote: "the OAuth app's client secret, or the site webhook's own secret",
  },
  frameio: {
    family: "hmac",
    name: "Frame.io",
    algorithm: "sha256",
    signature: { header: "X-Frameio-Signature", format: { kind: "plain", prefix: "v0=" }, encoding: "hex" },
    signedContent: "v0:{timestamp}:{body}",
    timestamp: { header: "X-Frameio-Request-Timestamp", format: "unix-s", toleranceSeconds: 300 },
    identity: { deliveryId: [], deliveryIdFallback: "none", eventType: [{ body: "type" }] },
    dedupe: { ttlHours: WEEK },
    setup:
      "Through the API (V4): `POST /v4/accounts/{account_id}/workspaces/{workspace_id}/webhooks` with a name, the URL and events; the signing secret comes back only in that response.",
    secretNote: "the webhook's secret",
    notes:
      "Bodies carry no delivery id or time, so two updates of one resource look alike: deliveries are not deduplicated.",
  },
  workos: {
    family: "hmac",
    name: "WorkOS",
    algorithm: "sha256",
    signature: {
      header: "WorkOS-Signature",
      format: { kind: "elements", separator: ",", signatureField: "v1", timestampField: "t", trim: true },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-ms", toleranceSeconds: 180 },
    identity: { deliveryId: [{ body: "id" }], eventType: [{ body: "event" }] },
    dedupe: { ttlHours: WEEK },
    setup:
      "In the Dashboard's Webhooks > Create Endpoint, enter the URL and events; copy the endpoint's signing secret. Staging and production are configured separately.",
    secretNote: "the webhook's secret",
  },
  mux: {
    family: "hmac",
    name: "Mux",
    algorithm: "sha256",
    signature: {
      header: "Mux-Signature",
      format: { kind: "elements", separator: ",", signatureField: "v1", timestampField: "t" },
      encoding: "hex",
    },
    signedContent: "{timestamp}.{body}",
    timestamp: { format: "unix-s", toleranceSeconds: 300 },
    identity: { deliveryId: [{ body: "id" }], eventType: [{ body: "type" }] },
    dedupe: { ttlHours: WEEK },
    setup:
      "In the Dashboard's Settings > Webhooks, pick the environment and add the URL; each webhook shows its own signing secret there (the API's create call returns it once).",
    secretNote: "the webhook's signing secret",
  },
  shopify: rawBody(
    "Shopify",
    "X-Shopify-Hmac-Sha256",
    "base64",
    {
      deliveryId: [{ header: "X-Shopify-Event-Id" }, { header: "X-Shopify-Webhook-Id" }],
      eventType: [{ header: "X-Shopify-Topic" }],
    },
    {
      optionalHeaderPrefix: "X-",
      // X-Shopify-Event-Id names the event, and each subscription to its topic gets a copy, formatted
      // for that subscription's API version: Shopify's guidance is to skip every copy after the
      // first. So no part of the body tells a duplicate from a conflict.
      volatileFields: [["*"]],
      // 8 retries over 4 hours.
      dedupe: { horizonHours: 4, ttlHours: 28 },
      setup:
        "Apps subscribe topics with the URL (app configuration or the Admin API) and sign with the app's client secret. A store's own webhooks are created in Settings > Notifications > Webhooks, which shows the key that signs them.",
      secretNote: "the app's client secret (or the shop's webhook signing secret)",
      notes:
        "Headers are read with or without the `X-` prefix (events webhooks send `shopify-*`). `X-Shopify-Event-Id` is preferred over the per-delivery `X-Shopify-Webhook-Id`.",
    },
  ),
  slack: {
    family: "hmac",
    name: "Slack",
    algorithm: "sha256",
    signature: { header: "X-Slack-Signature", format: { kind: "plain", prefix: "v0=" }, encoding: "hex" },
    signedContent: "v0:{timestamp}:{body}",
    timestamp: { header: "X-Slack-Request-Timestamp", format: "unix-s", toleranceSeconds: 300 },
    identity: {
      requireObject: "json-or-form",
      deliveryId: [{ body: "event_id" }],
      deliveryIdFallback: "body-hash",
      eventType: [{ body: "event.type" }, { body: "type" }, { constant: "slash_command", when: "command" }],
      eventTypeMissing: "body type (or event.type, or a slash command)",
    },
    handshakes: [
      {
        kind: "echo-body-field",
        when: { body: "type", equals: "url_verification" },
        field: "challenge",
        reply: "json",
      },
    ],
    // 3 retries within minutes.
    dedupe: { horizonHours: 1, ttlHours: 25 },
    setup:
      "In the app's settings (api.slack.com/apps), paste the URL as Request URL under Event Subscriptions (Slack sends a signed challenge), Interactivity or a slash command; the Signing Secret is under Basic Information > App Credentials.",
    secretNote: "the app's signing secret",
    notes:
      "Interactivity (`payload=` forms) and slash commands are deduplicated on the body's SHA-256 (retries resend the same bytes).",
  },
  "standard-webhooks": {
    family: "hmac",
    name: "Standard Webhooks",
    algorithm: "sha256",
    signature: {
      header: "webhook-signature",
      format: { kind: "entries", version: "v1" },
      encoding: "base64",
    },
    signedContent: "{header:webhook-id}.{timestamp}.{body}",
    timestamp: { header: "webhook-timestamp", format: "unix-s", toleranceSeconds: 300 },
    secret: { decode: "base64", prefix: "whsec_", minBytes: 24, maxBytes: 64 },
    identity: {
      deliveryId: [{ header: "webhook-id" }],
      eventType: [{ body: "type" }],
      eventTypeFallback: "unknown",
    },
    headerFamilies: true,
    // The specification's example schedule spans about 75.5 hours.
    dedupe: { horizonHours: 76, ttlHours: 100 },
    setup:
      "Wherever the sender takes a webhook URL, add the endpoint and copy the `whsec_…` signing secret it shows for it; set `headerFamily: svix` when it sends `svix-*` headers.",
    secretNote: "`whsec_<base64>` (24 to 64 bytes once decoded)",
    notes:
      "`headerFamily: svix` reads `svix-*` names. Entries of other versions (asymmetric `v1a`) are skipped. A payload without `type` is accepted as `unknown`: the specification only recommends it.",
  },
  svix: svixSender(
    "Svix (any Svix-operated sender)",
    "In the sender's Svix-powered webhook portal, add an endpoint with the URL and copy its signing secret (`whsec_…`) from the endpoint's page.",
    [{ body: "type" }],
  ),
  clerk: svixSender(
    "Clerk",
    "In the Clerk Dashboard's Webhooks > Add Endpoint, enter the URL and events; the endpoint's page shows its Signing Secret (`whsec_…`).",
    [{ body: "type" }],
  ),
  resend: svixSender(
    "Resend",
    "In the dashboard's Webhooks > Add Webhook, enter the URL and events; the webhook's page shows its signing secret (`whsec_…`).",
    [{ body: "type" }],
  ),
  stytch: svixSender(
    "Stytch",
    "In the Stytch Dashboard's Webhooks, add an endpoint with the URL and event types (Stytch delivers through Svix); copy the endpoint's signing secret (`whsec_…`).",
    [{ body: "type" }, { body: "action" }],
  ),
  "gitlab-signing": {
    family: "hmac",
    name: "GitLab (signing token)",
    algorithm: "sha256",
    signature: {
      header: "webhook-signature",
      format: { kind: "entries", version: "v1" },
      encoding: "base64",
    },
    signedContent: "{header:webhook-id}.{timestamp}.{body}",
    timestamp: { header: "webhook-timestamp", format: "unix-s", toleranceSeconds: 300 },
    secret: { decode: "base64", prefix: "whsec_", minBytes: 24, maxBytes: 64 },
    identity: {
      deliveryId: [{ header: "webhook-id" }],
      eventType: [{ header: "X-Gitlab-Event" }, { body: "object_kind" }],
      eventTypeFallback: "unknown",
    },
    dedupe: { ttlHours: WEEK },
    setup:
      "In the project's Settings > Webhooks, a webhook gets a signing token (`whsec_…`) where GitLab's signing-token feature is enabled; copy it. Elsewhere use the `gitlab` preset with a secret token.",
    secretNote: "the webhook's signing token (`whsec_…`)",
    notes:
      "GitLab's optional Standard Webhooks signature (behind a feature flag); without it, use the `gitlab` token preset.",
  },
  "adyen-platform": rawBody(
    "Adyen (platform and banking webhooks)",
    "HmacSignature",
    "base64",
    {
      deliveryId: [],
      deliveryIdFallback: "body-hash",
      eventType: [{ body: "type" }],
      eventTypeFallback: "unknown",
    },
    {
      secret: { decode: "hex", minBytes: 16, maxBytes: 64 },
      // A retry queue for up to 30 days.
      dedupe: { horizonHours: 720, ttlHours: 744 },
      setup:
        "In the (Balance Platform) Customer Area, Developers > Webhooks, create a platform webhook with the URL; under its Security settings generate the HMAC key and copy it.",
      secretNote: "the HMAC key as the Customer Area shows it (hex)",
    },
  ),
} satisfies Record<string, HmacPreset>;
