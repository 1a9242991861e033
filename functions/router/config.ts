import {
  BUS_ENTRY_BUDGET_BYTES,
  BUS_ENTRY_QUOTA_BYTES,
  FunctionEnv,
  PROVIDER_ID_MAX_CHARS,
  REFERENCE_ENTRY_MAX_BYTES,
  SOURCE_MAX_CHARS,
} from "@webhooks/shared";

export interface RetryConfig {
  /** First backoff cap; each retry doubles it (full jitter). @default 100 */
  readonly baseDelayMs: number;
  /** @default 2000 */
  readonly maxDelayMs: number;
  /** PutEvents attempts per entry, the first included. @default 6 */
  readonly maxAttempts: number;
}

export interface RouterConfig {
  readonly eventBusName: string;
  /** Events get Source `<prefix>.<provider>`. @default "webhooks" */
  readonly sourcePrefix: string;
  /**
   * Largest PutEvents entry, by EventBridge's entry-size formula; also the budget of one request's
   * entries together. From 4096 (`REFERENCE_ENTRY_MAX_BYTES`) to 1,048,576.
   * @default 262144 (256 KiB: not every Region has the 1 MiB raise)
   */
  readonly entryMaxBytes: number;
  /** Claim-check bucket: references must point into it, and oversize inline payloads go to it. */
  readonly payloadBucket: string;
  /** Time kept back from the invocation deadline to mark records and return the response. @default 3000 */
  readonly safetyMarginMs: number;
  readonly retry: RetryConfig;
}

/** The longest prefix whose Source (`<prefix>.<provider>`) stays within EventBridge's 256 characters. */
const SOURCE_PREFIX_MAX_CHARS = SOURCE_MAX_CHARS - 1 - PROVIDER_ID_MAX_CHARS;

export const ROUTER_DEFAULTS = {
  sourcePrefix: "webhooks",
  entryMaxBytes: BUS_ENTRY_BUDGET_BYTES,
  safetyMarginMs: 3_000,
  retry: { baseDelayMs: 100, maxDelayMs: 2_000, maxAttempts: 6 },
} as const satisfies Partial<RouterConfig>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the router's configuration; throws at cold start, naming the variable, when it is unusable.
 *
 * @example routerConfigFromEnv({ EVENT_BUS_NAME: "wh-prod-bus", PAYLOAD_BUCKET: "wh-prod-payloads" })
 */
export function routerConfigFromEnv(env: Env): RouterConfig {
  const sourcePrefix = env[FunctionEnv.eventSourcePrefix] || ROUTER_DEFAULTS.sourcePrefix;
  if (sourcePrefix.startsWith("aws.")) {
    throw new Error(`${FunctionEnv.eventSourcePrefix} must not start with "aws." (reserved by EventBridge)`);
  }
  if (sourcePrefix.length > SOURCE_PREFIX_MAX_CHARS) {
    throw new Error(
      `${FunctionEnv.eventSourcePrefix} must be at most ${SOURCE_PREFIX_MAX_CHARS} characters (Source = <prefix>.<provider> is at most ${SOURCE_MAX_CHARS})`,
    );
  }
  return {
    eventBusName: requiredEnv(env, FunctionEnv.eventBusName),
    payloadBucket: requiredEnv(env, FunctionEnv.payloadBucket),
    sourcePrefix,
    entryMaxBytes: entryMaxBytesFrom(env[FunctionEnv.busEntryMaxBytes]),
    safetyMarginMs: ROUTER_DEFAULTS.safetyMarginMs,
    retry: ROUTER_DEFAULTS.retry,
  };
}

export function requiredEnv(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/**
 * At least the largest by-reference entry, so an entry never fails for its size (it would fail on
 * every receive and park an acknowledged webhook in the DLQ); at most EventBridge's quota.
 */
function entryMaxBytesFrom(raw: string | undefined): number {
  if (!raw) return ROUTER_DEFAULTS.entryMaxBytes;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < REFERENCE_ENTRY_MAX_BYTES || value > BUS_ENTRY_QUOTA_BYTES) {
    throw new Error(
      `${FunctionEnv.busEntryMaxBytes} must be an integer from ${REFERENCE_ENTRY_MAX_BYTES} to ${BUS_ENTRY_QUOTA_BYTES}, got "${raw}"`,
    );
  }
  return value;
}
