/** Signature schemes the validator verifies (see docs/signature-schemes.md). */
export const SCHEME_IDS = ["generic", "stripe", "github", "shopify", "slack", "standard-webhooks"] as const;
export type SchemeId = (typeof SCHEME_IDS)[number];

/** Standard Webhooks senders use `webhook-*` headers; Svix sends the same scheme as `svix-*`. */
export type HeaderFamily = "webhook" | "svix";

/** What the validator knows about one configured provider at run time (from its `providers.json`). */
export interface ProviderRuntimeConfig {
  /** Matches `^[a-z0-9][a-z0-9-]{0,31}$`; the path segment of `/webhooks/{provider}`. */
  readonly id: string;
  readonly scheme: SchemeId;
  /** Secrets Manager secret name holding `{"secrets": ["…", "…"]}` (one or more active secrets). */
  readonly secretId: string;
  /** Allowed clock skew both ways for schemes with a timestamp. @default 300 */
  readonly toleranceSeconds: number;
  /** Only for `standard-webhooks`. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
}

/**
 * The header a scheme's signature arrives in. API Gateway's request validator requires it, so a
 * request without it never reaches (or bills) the Lambda.
 */
export function signatureHeaderFor(scheme: SchemeId, headerFamily: HeaderFamily = "webhook"): string {
  switch (scheme) {
    case "generic":
      return "X-Webhook-Signature";
    case "stripe":
      return "Stripe-Signature";
    case "github":
      return "X-Hub-Signature-256";
    case "shopify":
      return "X-Shopify-Hmac-Sha256";
    case "slack":
      return "X-Slack-Signature";
    case "standard-webhooks":
      return headerFamily === "svix" ? "svix-signature" : "webhook-signature";
  }
}

/** Events on the bus get source `<prefix>.<provider>`: `webhooks.stripe`. */
export const EVENT_SOURCE_PREFIX = "webhooks";

/** The generic route `/webhook` (in-house senders name their provider in `X-Provider-ID`): no provider may take its id. */
export const GENERIC_ENDPOINT_ID = "webhook";

/** Environment variables the stack sets on the functions and the functions read. */
export const FunctionEnv = {
  tableName: "TABLE_NAME",
  queueUrl: "QUEUE_URL",
  payloadBucket: "PAYLOAD_BUCKET",
  maxBodyBytes: "MAX_BODY_BYTES",
  queueMaxMessageBytes: "QUEUE_MAX_MESSAGE_BYTES",
  dedupeTtlSeconds: "DEDUPE_TTL_SECONDS",
  secretCacheSeconds: "SECRET_CACHE_SECONDS",
  eventBusName: "EVENT_BUS_NAME",
  eventSourcePrefix: "EVENT_SOURCE_PREFIX",
  busEntryMaxBytes: "BUS_ENTRY_MAX_BYTES",
} as const;
