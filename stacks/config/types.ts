import type { CustomSchemeDefinition, HeaderFamily, SchemeRef } from "@webhooks/shared";

// The configuration's types. Their doc comments are also the JSON Schema's descriptions and
// `@default`s (`npm run schema` reads them), so each field's doc says what an adopter needs.

/** One webhook sender. Its endpoint is `POST /webhooks/<id>`; its signing secret is `<prefix>-<env>[-<suffix>]/<id>/signing`. */
export interface ProviderConfig {
  /** `^[a-z0-9][a-z0-9-]{0,31}$`, unique, not `webhook` (the generic route's): the path segment, the secret's middle part and the event source `webhooks.<id>`. */
  readonly id: string;
  /**
   * The sender's preset (`stripe`, `github`, `hubspot`, `twilio`, …; docs/signature-schemes.md lists
   * every one), or `custom:<name>` for a scheme declared in `customSchemes`.
   */
  readonly scheme: SchemeRef;
  /**
   * Allowed clock skew in seconds for schemes that sign a timestamp (1..3600).
   * @default - the preset's: 300 for most (Linear 60, WorkOS 180, Twitch, Box, SendGrid and PayPal 600, Contentful 30)
   */
  readonly toleranceSeconds?: number;
  /** `standard-webhooks` only: `webhook-*` or `svix-*` headers. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
  /**
   * The exact https URL the sender calls, as configured at the sender (query included): required
   * by senders that sign it (Square, HubSpot, Trello, Twilio, Contentful, custom schemes using
   * `{url}`), refused for others. A custom domain or a stage prefix changes the URL API Gateway
   * sees, so the signed one comes from here.
   */
  readonly publicUrl?: string;
  /** The preset's own settings: Okta `header` (the header carrying its secret), Plaid `environment` (`production` or `sandbox`). */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * How long this provider's delivery ids are remembered for dedupe, in hours (1..8760); never
   * below the sender's documented retry horizon (72 when it documents none).
   * @default - the larger of the preset's TTL and limits.dedupeTtlHours
   */
  readonly dedupeTtlHours?: number;
  /** Require an API key (`x-api-key`) on this provider's path; only for senders that can add a header. @default false */
  readonly apiKeyRequired?: boolean;
  /**
   * WAF requests per 5 minutes from one source IP on this provider's path before a 429 (senders
   * retry); at least 10. Raise it for a sender that bursts from few IPs. @default - limits.wafRateLimitPer5Min
   */
  readonly wafRateLimitPer5Min?: number;
}

/** An EventBridge rule from the bus to a consumer queue this stack creates. */
export interface RouteConfig {
  /** `^[a-z0-9][a-z0-9-]{0,31}$`, unique: names the rule and the consumer queue. */
  readonly id: string;
  /** The rule's description. @default - "Route <id>" */
  readonly description?: string;
  /**
   * A non-empty EventBridge event pattern. `source` defaults to every configured provider's source
   * (`webhooks.<provider>`); a plain string in `source` must be one of them, so a route never
   * matches events from outside the platform.
   */
  readonly eventPattern: Record<string, unknown>;
}

/** Sizes, rates and retention; a configuration file's `limits` merge with the defaults. */
export interface LimitsConfig {
  /** Largest accepted body in bytes (413 above); at most 4194304. @default 1048576 (1 MiB) */
  readonly maxBodyBytes: number;
  /**
   * How long a delivery id is remembered for dedupe, in hours, for providers that set none; at
   * least 72. A preset whose sender retries longer keeps its own (Adyen 744, Razorpay and DocuSign 192).
   * @default 168 (7 days: Stripe retries for 3)
   */
  readonly dedupeTtlHours: number;
  /**
   * Stage steady-state requests per second: the global cap, answered with 429 (senders retry).
   * Keep `validatorConcurrency` ≥ this × the validator's latency (≈ 50 ms). @default 1000
   */
  readonly throttleRateLimit: number;
  /** Stage burst (token bucket size); at most 10 × `throttleRateLimit`. @default 2000 */
  readonly throttleBurstLimit: number;
  /** Usage-plan requests per day for API-key callers. @default 100000 */
  readonly quotaPerDay: number;
  /**
   * WAF requests per 5 minutes from one source IP on one provider's path, for providers that set
   * none; at least 10. Senders deliver bursts from small IP pools (Stripe, Shopify, GitHub), so this
   * is a flood guard, not a pace: 30000 is 100 requests/s sustained over the window, bursts above
   * that pass. @default 30000
   */
  readonly wafRateLimitPer5Min: number;
  /**
   * Reserved concurrency of the validator: a flood cannot take more of the region's Lambda
   * concurrency than this (the router keeps its own share). Lambda keeps 100 of the account's
   * concurrency unreserved, so the account needs ≥ 100 + this + routerConcurrency. @default 100
   */
  readonly validatorConcurrency: number;
  /**
   * Router invocations at once (2..1000): the ingest event source's maximum concurrency and the
   * router's reserved concurrency (equal, so the event source is never throttled into the DLQ). @default 10
   */
  readonly routerConcurrency: number;
  /** Ingest queue receives before the DLQ; at most 1000. @default 3 */
  readonly maxReceiveCount: number;
  /** EventBridge archive retention in days (what `webhooks replay` can reach); at most 3650. @default 30 */
  readonly archiveRetentionDays: number;
  /** Log group retention in days: a value CloudWatch Logs accepts. @default 30 */
  readonly logRetentionDays: number;
  /** Payload archive prefix moves to Glacier after this many days. @default 30 */
  readonly glacierAfterDays: number;
  /**
   * The REST API's "Resources per API" quota: synth refuses more providers than it holds (the API
   * has `/`, `/webhooks`, `/webhook` and one resource per provider, so 297 providers by default).
   * Raise the quota for the API through Service Quotas first, then declare the raised value here.
   * @default 300
   */
  readonly restApiResourceQuota: number;
}

/** Terraform state in local files, one per stack. */
export interface LocalBackendConfig {
  /** Keeps state in local files. */
  readonly type: "local";
  /**
   * Directory of the state files `terraform.<stack id>.tfstate`, relative to the project root
   * (never inside `cdktf.out`, which a clean build deletes). @default "."
   */
  readonly directory?: string;
}

/** Terraform state in S3, one object per stack, encrypted, with S3-native locking (Terraform ≥ 1.10). */
export interface S3BackendConfig {
  /** Keeps state in S3. */
  readonly type: "s3";
  /** The state bucket (it must exist). */
  readonly bucket: string;
  /** The state bucket's region. */
  readonly region: string;
  /** State objects are `<keyPrefix>/<stack id>.tfstate`. @default "webhooks" */
  readonly keyPrefix?: string;
}

/**
 * Where Terraform keeps each stack's state; every stack the app synthesizes (the environment's and
 * the regional one) gets its own state file, named after its stack id.
 */
export type BackendConfig = LocalBackendConfig | S3BackendConfig;

/** See {@link PlatformConfig.apiGatewayAccount}. */
export type ApiGatewayAccountMode = "regional-stack" | "existing";

/** The platform's configuration: what `main.ts` synthesizes. */
export interface PlatformConfig {
  /** Short name, e.g. `dev`, `prod`: `^[a-z][a-z0-9]{0,9}$`, not `regional`; part of every name and of the stack id `webhooks-<env>`. @default "dev" */
  readonly environment: string;
  /** Keeps parallel deployments of one environment apart, e.g. `pr-123`: `^[a-z0-9][a-z0-9-]{0,39}$` or empty. @default "" */
  readonly environmentSuffix: string;
  /** The AWS region to deploy to. @default "us-east-1" */
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
   * emptied (every object version), the key waits 7 days. @default - true when environment is "prod"
   */
  readonly production: boolean;
  /** Tags on every resource (the provider's `default_tags`): keys ≤ 128 characters, not `aws:…`; values ≤ 256. @default {} */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The webhook senders, at least one. The example providers (one per scheme) apply only when the
   * file sets neither `providers` nor `routes`.
   */
  readonly providers: readonly ProviderConfig[];
  /**
   * HMAC senders no preset covers, declared with the engine's knobs and checked like the rest of
   * the file: a provider names one as `scheme: "custom:<name>"` (`^[a-z0-9][a-z0-9-]{0,31}$`). @default {}
   */
  readonly customSchemes: Readonly<Record<string, CustomSchemeDefinition>>;
  /**
   * Routes from the bus to consumer queues. The example route applies only when the file sets
   * neither `providers` nor `routes`; a file that sets `providers` alone has no routes.
   */
  readonly routes: readonly RouteConfig[];
  /** Sizes, rates and retention; the file's `limits` merge with the defaults. */
  readonly limits: LimitsConfig;
  /**
   * FIFO ingest queue and DLQ: per-provider ordering at a throughput cost (no batching window,
   * a failure holds back the rest of its provider's group). @default false
   */
  readonly fifoIngestQueue: boolean;
  /**
   * Who sets the region's API Gateway CloudWatch role, which the stage's access and execution
   * logging need (one per account and region, last writer wins, reset when its owner is destroyed).
   * `regional-stack`: the app also synthesizes `webhooks-regional-<region>`, a long-lived stack that
   * owns it; environment stacks depend on it and never touch it. `existing`: the account already
   * has one (`aws apigateway get-account` shows a `cloudwatchRoleArn`); no regional stack.
   * @default "regional-stack"
   */
  readonly apiGatewayAccount: ApiGatewayAccountMode;
  /**
   * IAM role ARNs that may put events on the bus besides the router (the bus policy denies every
   * other principal): an operator role for `webhooks redrive --target-dlq bus`. @default []
   */
  readonly eventBusPublisherArns: readonly string[];
  /** Alarm notifications by e-mail (an SNS subscription to confirm). @default - none */
  readonly alarmEmail?: string;
  /** Where Terraform keeps each stack's state. @default {"type": "local"} */
  readonly backend: BackendConfig;
}

/**
 * A configuration file (the one `WEBHOOK_CONFIG` names): any subset of the platform's fields.
 * `limits` merge with the default limits; every other field replaces its default. The example
 * providers and route apply only when the file sets neither `providers` nor `routes`.
 */
export interface ConfigFile extends Partial<Omit<PlatformConfig, "limits">> {
  /** The JSON Schema editors check this file against, e.g. `./webhooks.config.schema.json`. */
  readonly $schema?: string;
  readonly limits?: Partial<LimitsConfig>;
}
