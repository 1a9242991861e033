import { FunctionEnv } from "@webhooks/shared";

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
   * entries together. @default 262144 (256 KiB: not every Region has the 1 MiB raise)
   */
  readonly entryMaxBytes: number;
  /** Claim-check bucket: references must point into it, and oversize inline payloads go to it. */
  readonly payloadBucket: string;
  /** Time kept back from the invocation deadline to mark records and return the response. @default 3000 */
  readonly safetyMarginMs: number;
  readonly retry: RetryConfig;
}

/** EventBridge's own limit since the 2026 raise; a larger budget could only fail at PutEvents. */
const ENTRY_MAX_BYTES_LIMIT = 1_048_576;

export const ROUTER_DEFAULTS = {
  sourcePrefix: "webhooks",
  entryMaxBytes: 262_144,
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

function entryMaxBytesFrom(raw: string | undefined): number {
  if (!raw) return ROUTER_DEFAULTS.entryMaxBytes;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > ENTRY_MAX_BYTES_LIMIT) {
    throw new Error(
      `${FunctionEnv.busEntryMaxBytes} must be an integer from 1 to ${ENTRY_MAX_BYTES_LIMIT}, got "${raw}"`,
    );
  }
  return value;
}
