import { REST_API_RESOURCES_DEFAULT } from "../../constructs/quotas";
import type { LimitsConfig, PlatformConfig } from "./types";

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
  restApiResourceQuota: REST_API_RESOURCES_DEFAULT,
};

/**
 * Synthesizes offline: one example provider per scheme and one example route. A configuration
 * file gets the examples only when it sets neither `providers` nor `routes`.
 */
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
  customSchemes: {},
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

/** The environment name of the regional stack's names (`whk-regional-…`); no environment may take it. */
export const REGIONAL_ENVIRONMENT = "regional";
