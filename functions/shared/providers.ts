import { type CustomSchemeDefinition, type SchemeRef, schemeFor, type WebhookScheme } from "./schemes";

/** The six schemes the platform started with; every preset id is a scheme too (`PRESET_IDS`). */
export const SCHEME_IDS = ["generic", "stripe", "github", "shopify", "slack", "standard-webhooks"] as const;
export type SchemeId = (typeof SCHEME_IDS)[number];

/** Standard Webhooks senders use `webhook-*` headers; Svix sends the same scheme as `svix-*`. */
export type HeaderFamily = "webhook" | "svix";

/** What the validator knows about one configured provider at run time (from its `providers.json`). */
export interface ProviderRuntimeConfig {
  /** Matches `^[a-z0-9][a-z0-9-]{0,31}$`; the path segment of `/webhooks/{provider}`. */
  readonly id: string;
  /** A preset id, or `custom:<name>` with its definition in `custom`. */
  readonly scheme: SchemeRef;
  /** Secrets Manager secret name holding `{"secrets": ["…", "…"]}` (one or more active secrets). */
  readonly secretId: string;
  /** Allowed clock skew for schemes with a timestamp. @default the preset's (300 for most) */
  readonly toleranceSeconds: number;
  /** Only for `standard-webhooks`. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
  /** The exact URL the sender calls, for senders that sign it. */
  readonly publicUrl?: string;
  /** The preset's settings (PayPal's, Okta's, Plaid's). */
  readonly settings?: Readonly<Record<string, string>>;
  /** The definition of a `custom:<name>` scheme. */
  readonly custom?: CustomSchemeDefinition;
  /** How long this provider's delivery ids are remembered. @default the validator's DEDUPE_TTL_SECONDS */
  readonly dedupeTtlSeconds?: number;
}

/**
 * The header API Gateway requires of a scheme's requests, so a request without it never reaches
 * (or bills) the Lambda; undefined for a scheme where a legitimate request may lack it (body
 * signatures, unsigned pings and handshakes).
 */
export function signatureHeaderFor(scheme: SchemeId, headerFamily?: HeaderFamily): string;
export function signatureHeaderFor(
  scheme: string,
  headerFamily?: HeaderFamily,
  custom?: CustomSchemeDefinition,
): string | undefined;
export function signatureHeaderFor(
  scheme: string,
  headerFamily: HeaderFamily = "webhook",
  custom?: CustomSchemeDefinition,
): string | undefined {
  return schemeFor(scheme, custom).requiredHeader({ headerFamily });
}

/** The least dedupe TTL a provider may set when its sender documents no retry horizon. */
export const UNDOCUMENTED_HORIZON_FLOOR_HOURS = 72;

/**
 * The least dedupe TTL a provider of `scheme` may set, in hours: the sender's documented retry
 * horizon (automatic retries and manual replays), or 72 when it documents none.
 */
export function dedupeFloorHours(scheme: WebhookScheme): number {
  return scheme.dedupe.horizonHours ?? UNDOCUMENTED_HORIZON_FLOOR_HOURS;
}

/**
 * The dedupe TTL of a provider in hours: what it sets, else the larger of its preset's TTL and
 * the platform's default (`limits.dedupeTtlHours`), so no provider's records outlive less than
 * its sender's retries and no existing deployment's shrink.
 */
export function effectiveDedupeTtlHours(
  scheme: WebhookScheme,
  providerTtlHours: number | undefined,
  defaultTtlHours: number,
): number {
  return providerTtlHours ?? Math.max(scheme.dedupe.ttlHours, defaultTtlHours);
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
