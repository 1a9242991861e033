import { readFileSync } from "node:fs";
import { type HeaderFamily, SCHEME_IDS, type SchemeId } from "@webhooks/shared";

/** One webhook sender. Its endpoint is `POST /webhooks/<id>`; its signing secret is `<prefix>-<env>/<id>/signing`. */
export interface ProviderConfig {
  /** `^[a-z0-9][a-z0-9-]{0,31}$`; the path segment and the secret's last part. */
  readonly id: string;
  readonly scheme: SchemeId;
  /** Allowed clock skew, both ways, for schemes that sign a timestamp. @default 300 */
  readonly toleranceSeconds?: number;
  /** `standard-webhooks` only: `webhook-*` or `svix-*` headers. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
  /** Require an API key on this provider's path (only senders that can add `x-api-key`). @default false */
  readonly apiKeyRequired?: boolean;
  /**
   * WAF requests per 5 minutes from one source IP on this provider's path before a 429 (senders
   * retry). Raise it for a sender that bursts from few IPs. @default limits.wafRateLimitPer5Min
   */
  readonly wafRateLimitPer5Min?: number;
}

/** An EventBridge rule from the bus to a consumer queue this stack creates. */
export interface RouteConfig {
  /** `^[a-z0-9][a-z0-9-]{0,31}$`; names the rule and the consumer queue. */
  readonly id: string;
  readonly description?: string;
  /**
   * EventBridge event pattern. `source` defaults to every configured provider's source
   * (`webhooks.<provider>`), so a route never matches events from outside the platform.
   */
  readonly eventPattern: Record<string, unknown>;
}

export interface LimitsConfig {
  /** Largest accepted body in bytes (413 above). @default 1048576 (1 MiB) */
  readonly maxBodyBytes: number;
  /** How long a delivery id is remembered for dedupe. @default 168 (7 days: Stripe retries for 3) */
  readonly dedupeTtlHours: number;
  /**
   * Stage steady-state requests per second: the global cap, answered with 429 (senders retry).
   * Keep `validatorConcurrency` ≥ this × the validator's latency (≈ 50 ms). @default 1000
   */
  readonly throttleRateLimit: number;
  /** Stage burst (token bucket size). @default 2000 */
  readonly throttleBurstLimit: number;
  /** Usage-plan requests per day for API-key callers. @default 100000 */
  readonly quotaPerDay: number;
  /**
   * WAF requests per 5 minutes from one source IP on one provider's path, for providers that set
   * none. Senders deliver bursts from small IP pools (Stripe, Shopify, GitHub), so this is a flood
   * guard, not a pace: 30000 is 100 requests/s sustained over the window, bursts above that pass.
   * @default 30000
   */
  readonly wafRateLimitPer5Min: number;
  /**
   * Reserved concurrency of the validator: a flood cannot take more of the region's Lambda
   * concurrency than this (the router keeps its own share). Lambda keeps 100 of the account's
   * concurrency unreserved, so the account needs ≥ 100 + this + routerConcurrency. @default 100
   */
  readonly validatorConcurrency: number;
  /**
   * Router invocations at once: the ingest event source's maximum concurrency and the router's
   * reserved concurrency (equal, so the event source is never throttled into the DLQ). @default 10
   */
  readonly routerConcurrency: number;
  /** Ingest queue receives before the DLQ. @default 3 */
  readonly maxReceiveCount: number;
  /** EventBridge archive retention. @default 30 */
  readonly archiveRetentionDays: number;
  /** Log group retention. @default 30 */
  readonly logRetentionDays: number;
  /** Payload archive prefix moves to Glacier after this many days. @default 30 */
  readonly glacierAfterDays: number;
}

/**
 * Where Terraform keeps each stack's state; every stack the app synthesizes (the environment's and
 * the regional one) gets its own state file, named after its stack id.
 */
export type BackendConfig =
  | {
      readonly type: "local";
      /**
       * Directory of the state files `terraform.<stack id>.tfstate`, relative to the project root
       * (never inside `cdktf.out`, which a clean build deletes). @default "." (the project root)
       */
      readonly directory?: string;
    }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly region: string;
      /** State objects are `<keyPrefix>/<stack id>.tfstate`. @default "webhooks" */
      readonly keyPrefix?: string;
    };

/**
 * Who sets the region's API Gateway CloudWatch role, which the stage's access and execution
 * logging need (one per account and region, last writer wins, reset when its owner is destroyed):
 * - `regional-stack`: the app also synthesizes `webhooks-regional-<region>`, a long-lived stack that
 *   owns it; environment stacks depend on it and never touch it.
 * - `existing`: the account already has one (`aws apigateway get-account` shows a
 *   `cloudwatchRoleArn`); no regional stack.
 */
export type ApiGatewayAccountMode = "regional-stack" | "existing";

export interface PlatformConfig {
  /** Short name, e.g. `dev`, `prod`: `^[a-z][a-z0-9]{0,9}$`. */
  readonly environment: string;
  /** Keeps parallel deployments of one environment apart, e.g. `pr-123`. @default "" */
  readonly environmentSuffix: string;
  /** @default "us-east-1" */
  readonly region: string;
  /** First part of every physical name: `^[a-z][a-z0-9]{1,7}$`. @default "whk" */
  readonly prefix: string;
  /** The Service tag and log service name. @default "webhooks" */
  readonly serviceName: string;
  /**
   * Production keeps its data when torn down by mistake: `terraform destroy` is refused for the
   * table and the payload bucket (`prevent_destroy`), the table has deletion protection, signing
   * secrets a 30-day recovery window, the key a 30-day deletion window. Other environments destroy
   * cleanly and can be re-created at once: secrets are deleted without recovery, the bucket is
   * emptied (every object version), the key waits 7 days. @default environment === "prod"
   */
  readonly production: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly providers: readonly ProviderConfig[];
  readonly routes: readonly RouteConfig[];
  readonly limits: LimitsConfig;
  /**
   * FIFO ingest queue and DLQ: per-provider ordering at a throughput cost (no batching window,
   * a failure holds back the rest of its provider's group). @default false
   */
  readonly fifoIngestQueue: boolean;
  /** See {@link ApiGatewayAccountMode}. @default "regional-stack" */
  readonly apiGatewayAccount: ApiGatewayAccountMode;
  /**
   * IAM role ARNs that may put events on the bus besides the router (the bus policy denies every
   * other principal): an operator role for `webhooks redrive --target-dlq bus`. @default []
   */
  readonly eventBusPublisherArns: readonly string[];
  /** Alarm notifications by e-mail (SNS subscription to confirm). @default - none */
  readonly alarmEmail?: string;
  /** @default { type: "local" } */
  readonly backend: BackendConfig;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  maxBodyBytes: 1_048_576,
  dedupeTtlHours: 168,
  throttleRateLimit: 1_000,
  throttleBurstLimit: 2_000,
  quotaPerDay: 100_000,
  wafRateLimitPer5Min: 30_000,
  validatorConcurrency: 100,
  routerConcurrency: 10,
  maxReceiveCount: 3,
  archiveRetentionDays: 30,
  logRetentionDays: 30,
  glacierAfterDays: 30,
};

/** Synthesizes offline: one example provider per scheme and one example route. */
export const DEFAULT_CONFIG: PlatformConfig = {
  environment: "dev",
  environmentSuffix: "",
  region: "us-east-1",
  prefix: "whk",
  serviceName: "webhooks",
  production: false,
  tags: {},
  providers: [
    { id: "acme", scheme: "generic", apiKeyRequired: true },
    { id: "stripe", scheme: "stripe" },
    { id: "github", scheme: "github" },
    { id: "shopify", scheme: "shopify" },
    { id: "slack", scheme: "slack" },
    { id: "svix", scheme: "standard-webhooks", headerFamily: "svix" },
  ],
  routes: [
    {
      id: "payments",
      description: "Stripe payment events to the payments consumer",
      eventPattern: { source: ["webhooks.stripe"], "detail-type": [{ prefix: "payment_intent." }] },
    },
  ],
  limits: DEFAULT_LIMITS,
  fifoIngestQueue: false,
  apiGatewayAccount: "regional-stack",
  eventBusPublisherArns: [],
  backend: { type: "local" },
};

const ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The environment name of the regional stack's names (`whk-regional-…`); no environment may take it. */
export const REGIONAL_ENVIRONMENT = "regional";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid platform configuration:\n  ${problems.join("\n  ")}`);
  }
}

/** Throws {@link ConfigError} listing every problem, each naming its field. */
export function validateConfig(config: PlatformConfig): PlatformConfig {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  check(
    config.environment !== REGIONAL_ENVIRONMENT,
    `environment "${REGIONAL_ENVIRONMENT}" is reserved for the regional stack; choose another name`,
  );
  check(
    /^[a-z][a-z0-9]{0,9}$/.test(config.environment),
    `environment "${config.environment}" must match ^[a-z][a-z0-9]{0,9}$`,
  );
  check(
    config.environmentSuffix === "" || /^[a-z0-9][a-z0-9-]{0,39}$/.test(config.environmentSuffix),
    `environmentSuffix "${config.environmentSuffix}" must match ^[a-z0-9][a-z0-9-]{0,39}$`,
  );
  check(/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region), `region "${config.region}" is not an AWS region name`);
  check(
    /^[a-z][a-z0-9]{1,7}$/.test(config.prefix),
    `prefix "${config.prefix}" must match ^[a-z][a-z0-9]{1,7}$`,
  );
  check(config.serviceName.length > 0, "serviceName must not be empty");
  check(config.providers.length > 0, "providers must list at least one provider");
  const seen = new Set<string>();
  config.providers.forEach((provider, index) => {
    const field = `providers[${index}]`;
    check(ID.test(provider.id), `${field}.id "${provider.id}" must match ${ID}`);
    check(!seen.has(provider.id), `${field}.id "${provider.id}" is a duplicate provider id`);
    seen.add(provider.id);
    check(
      (SCHEME_IDS as readonly string[]).includes(provider.scheme),
      `${field}.scheme "${provider.scheme}" is unknown; use one of ${SCHEME_IDS.join(", ")}`,
    );
    if (provider.toleranceSeconds !== undefined) {
      check(
        Number.isInteger(provider.toleranceSeconds) &&
          provider.toleranceSeconds > 0 &&
          provider.toleranceSeconds <= 3600,
        `${field}.toleranceSeconds must be an integer in 1..3600`,
      );
    }
    if (provider.wafRateLimitPer5Min !== undefined) {
      check(
        Number.isInteger(provider.wafRateLimitPer5Min) && provider.wafRateLimitPer5Min >= 10,
        `${field}.wafRateLimitPer5Min must be an integer ≥ 10 (the WAF minimum)`,
      );
    }
    if (provider.headerFamily !== undefined) {
      check(
        provider.scheme === "standard-webhooks",
        `${field}.headerFamily applies to the standard-webhooks scheme only`,
      );
      check(
        ["webhook", "svix"].includes(provider.headerFamily),
        `${field}.headerFamily must be webhook or svix`,
      );
    }
  });
  const routeIds = new Set<string>();
  config.routes.forEach((route, index) => {
    const field = `routes[${index}]`;
    check(ID.test(route.id), `${field}.id "${route.id}" must match ${ID}`);
    check(!routeIds.has(route.id), `${field}.id "${route.id}" is a duplicate route id`);
    routeIds.add(route.id);
    check(
      typeof route.eventPattern === "object" &&
        route.eventPattern !== null &&
        Object.keys(route.eventPattern).length > 0,
      `${field}.eventPattern must be a non-empty EventBridge pattern object`,
    );
  });
  for (const [name, value] of Object.entries(config.limits)) {
    check(Number.isInteger(value) && value > 0, `limits.${name} must be a positive integer, got ${value}`);
  }
  const { limits } = config;
  check(
    limits.maxBodyBytes <= 4_194_304,
    "limits.maxBodyBytes must be ≤ 4194304: base64 of a larger body exceeds Lambda's 6 MB invoke limit",
  );
  check(limits.dedupeTtlHours >= 72, "limits.dedupeTtlHours must be ≥ 72 (Stripe retries for 3 days)");
  check(
    limits.throttleBurstLimit <= limits.throttleRateLimit * 10,
    "limits.throttleBurstLimit is implausibly large",
  );
  check(limits.wafRateLimitPer5Min >= 10, "limits.wafRateLimitPer5Min must be ≥ 10 (the WAF minimum)");
  check(limits.maxReceiveCount <= 1000, "limits.maxReceiveCount must be ≤ 1000");
  check(
    limits.validatorConcurrency * 20 >= limits.throttleRateLimit,
    `limits.validatorConcurrency (${limits.validatorConcurrency}) is below limits.throttleRateLimit / 20 (${Math.ceil(limits.throttleRateLimit / 20)}): the stage would admit more requests than the validator can run at 50 ms each, and the excess would get 5xx instead of the stage's 429`,
  );
  check(
    limits.routerConcurrency >= 2 && limits.routerConcurrency <= 1000,
    "limits.routerConcurrency must be 2..1000 (the SQS event source's maximum concurrency range)",
  );
  check(limits.archiveRetentionDays <= 3650, "limits.archiveRetentionDays must be ≤ 3650");
  check(
    LOG_RETENTION_DAYS.includes(limits.logRetentionDays),
    `limits.logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
  );
  check(
    ["regional-stack", "existing"].includes(config.apiGatewayAccount),
    `apiGatewayAccount must be regional-stack or existing, got ${JSON.stringify(config.apiGatewayAccount)}`,
  );
  config.eventBusPublisherArns.forEach((arn, index) => {
    check(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn),
      `eventBusPublisherArns[${index}] "${arn}" is not an IAM role ARN`,
    );
  });
  for (const flag of ["production", "fifoIngestQueue"] as const) {
    check(
      typeof config[flag] === "boolean",
      `${flag} must be true or false, got ${JSON.stringify(config[flag])}`,
    );
  }
  if (config.alarmEmail !== undefined) {
    check(
      /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail),
      `alarmEmail "${config.alarmEmail}" is not an e-mail address`,
    );
  }
  if (config.backend.type === "s3") {
    check(config.backend.bucket.length > 0, "backend.bucket must not be empty");
    check(/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.backend.region), "backend.region is not an AWS region name");
    check(
      config.backend.keyPrefix === undefined || /^[\w.-]+(\/[\w.-]+)*$/.test(config.backend.keyPrefix),
      "backend.keyPrefix must be path segments of letters, digits, . _ - joined by /",
    );
  }
  for (const [key, value] of Object.entries(config.tags)) {
    check(
      key.length <= 128 && value.length <= 256 && !key.startsWith("aws:"),
      `tags.${key} breaks the AWS tag limits`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Values CloudWatch Logs accepts for retention_in_days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The configuration `main.ts` synthesizes: defaults, then a JSON file named by `WEBHOOK_CONFIG`
 * (any subset of {@link PlatformConfig}), then `WEBHOOK_ENVIRONMENT`, `WEBHOOK_ENVIRONMENT_SUFFIX`
 * and `WEBHOOK_REGION` from the environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const file = env.WEBHOOK_CONFIG
    ? (JSON.parse(readFileSync(env.WEBHOOK_CONFIG, "utf8")) as Partial<PlatformConfig>)
    : {};
  const environment = env.WEBHOOK_ENVIRONMENT ?? file.environment ?? DEFAULT_CONFIG.environment;
  return validateConfig({
    ...DEFAULT_CONFIG,
    production: environment === "prod",
    ...file,
    environment,
    environmentSuffix:
      env.WEBHOOK_ENVIRONMENT_SUFFIX ?? file.environmentSuffix ?? DEFAULT_CONFIG.environmentSuffix,
    region: env.WEBHOOK_REGION ?? file.region ?? DEFAULT_CONFIG.region,
    limits: { ...DEFAULT_LIMITS, ...file.limits },
  });
}
