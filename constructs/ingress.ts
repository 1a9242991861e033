import {
  effectiveDedupeTtlHours,
  FunctionEnv,
  GENERIC_ENDPOINT_ID,
  handshakeMethods,
  type ProviderRuntimeConfig,
  schemeFor,
  storesHandshakeSecret,
  type WebhookScheme,
} from "@webhooks/shared";
import { Construct } from "constructs";
import { PROVIDERS_FILE } from "../functions/validator/config";
import type { PlatformConfig, ProviderConfig } from "../stacks/config";
import type { AwsContext } from "./aws-context";
import { BundledFunction } from "./bundled-function";
import { providerPath, webAclSettings } from "./ingress-layout";
import type { Naming } from "./naming";
import type { PayloadBucket } from "./payload-bucket";
import type { PlatformKey } from "./platform-key";
import type { IGrantable } from "./policy";
import { ProviderSecrets } from "./provider-secrets";
import type { SharedLayer } from "./shared-layer";
import { WebAcl } from "./web-acl";
import { WebhookApi, type WebhookEndpoint } from "./webhook-api";
import type { WebhookTable } from "./webhook-table";

/** What the ingress needs of the ingest queue (the IngestQueue construct provides it). */
export interface IngressQueue {
  readonly url: string;
  readonly arn: string;
  /** The queue's `max_message_size`; the validator claim-checks envelopes that would not fit. */
  readonly maxMessageBytes: number;
  /** `sqs:SendMessage` on the queue plus the key permissions SQS-KMS needs. */
  grantSend(grantee: IGrantable): void;
}

export const GENERIC_REQUIRED_HEADERS = ["X-Provider-ID", "X-Webhook-Signature"] as const;

const THIRD_PARTY_REASON =
  "Third-party sender that cannot add x-api-key; the HMAC signature (verified by the validator) authenticates, WAF and stage throttling limit rates";
const HANDSHAKE_REASON =
  "A third-party sender's endpoint check (GET/HEAD handshake) that cannot add x-api-key; the validator answers only the handshake (once the sender's token verified, where it sends one), stores and queues nothing; WAF and stage throttling limit rates";

export interface IngressProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly table: WebhookTable;
  readonly bucket: PayloadBucket;
  readonly queue: IngressQueue;
  readonly layer: SharedLayer;
  readonly config: PlatformConfig;
  /**
   * Require an API key on the generic `/webhook` route (in-house senders can add `x-api-key`).
   * @default true
   */
  readonly genericApiKeyRequired?: boolean;
  /** Log WAF blocks and counts (signature headers and x-api-key redacted). @default true */
  readonly wafLogging?: boolean;
  /** How long the validator reuses a fetched secret. @default 300 */
  readonly secretCacheSeconds?: number;
  /** CloudWatch namespace of the validator's metrics. @default "Webhooks" */
  readonly metricsNamespace?: string;
}

/**
 * Everything between a sender and the ingest queue: the provider secrets, the validator function
 * and its least-privilege grants, the REST API (one route per provider and the generic route) and
 * the WAF web ACL on its stage.
 */
export class Ingress extends Construct {
  /** Base URL of the stage. */
  readonly invokeUrl: string;
  /** Full URL per provider id, plus `webhook` for the generic route. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly validator: BundledFunction;
  /**
   * The validator's allow-list as the JSON text of its package's `providers.json`; the stack
   * outputs the same text for the CLI.
   */
  readonly providersJson: string;
  readonly api: WebhookApi;
  readonly webAcl: WebAcl;
  readonly secrets: ProviderSecrets;
  /** For alarms: API Gateway metrics use the API name and stage as dimensions. */
  readonly restApiName: string;
  readonly stageName: string;
  /** For alarms: WAF metrics use the web ACL's name and rule metric names. */
  readonly webAclName: string;
  readonly metricsNamespace: string;
  /**
   * The validator's Powertools `service` (a dimension of its metrics): per deployment, so alarms
   * read this deployment's series only, never another environment's in the same account.
   */
  readonly validatorService: string;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { naming, context, key, table, bucket, queue, layer, config } = props;
    const { limits } = config;
    if (config.providers.some((provider) => provider.id === GENERIC_ENDPOINT_ID)) {
      throw new Error(
        `Ingress: provider id "${GENERIC_ENDPOINT_ID}" is reserved for the generic route's endpoint; rename the provider`,
      );
    }
    this.metricsNamespace = props.metricsNamespace ?? "Webhooks";
    this.validatorService = `${naming.base}-validator`;

    const runtime = runtimeProviders(config, (providerId) => ProviderSecrets.nameFor(naming, providerId));
    this.providersJson = JSON.stringify(runtime);
    this.validator = new BundledFunction(this, "validator", {
      naming,
      context,
      key,
      layer,
      purpose: "validator",
      entry: "functions/validator/index.ts",
      description: "Verifies webhook signatures, dedupes and enqueues verified webhooks",
      memorySize: 256,
      timeoutSeconds: 10,
      reservedConcurrency: limits.validatorConcurrency,
      logRetentionDays: limits.logRetentionDays,
      files: [{ path: PROVIDERS_FILE, contents: Buffer.from(this.providersJson) }],
      environment: {
        ...validatorEnvironment(config, {
          tableName: table.name,
          queueUrl: queue.url,
          queueMaxMessageBytes: queue.maxMessageBytes,
          payloadBucket: bucket.name,
          secretCacheSeconds: props.secretCacheSeconds,
        }),
        POWERTOOLS_SERVICE_NAME: this.validatorService,
        POWERTOOLS_METRICS_NAMESPACE: this.metricsNamespace,
      },
    });
    const role = this.validator.role;
    // Providers whose handshake hands over the signing secret: the validator writes theirs only.
    const handshakeWritten = config.providers
      .filter((provider) => storesHandshakeSecret(schemeOf(provider, config)))
      .map((provider) => provider.id);
    this.secrets = new ProviderSecrets(this, "secrets", {
      naming,
      context,
      key,
      providerIds: config.providers.map((provider) => provider.id),
      readerRoleArns: [role.arn],
      handshakeWriter: { roleArn: role.arn, providerIds: handshakeWritten },
      recoveryWindowInDays: config.production ? 30 : 0,
    });
    this.secrets.grantRead(role);
    for (const providerId of handshakeWritten) this.secrets.grantHandshakeWrite(role, providerId);
    table.grantClaim(role);
    queue.grantSend(role);
    bucket.grantPutPayloads(role);

    const endpoints = webhookEndpoints(config, props.genericApiKeyRequired);
    this.api = new WebhookApi(this, "api", {
      naming,
      context,
      key,
      handler: this.validator,
      endpoints,
      throttleRateLimit: limits.throttleRateLimit,
      throttleBurstLimit: limits.throttleBurstLimit,
      quotaPerDay: limits.quotaPerDay,
      logRetentionDays: limits.logRetentionDays,
    });

    // Every header carrying a signature, or a token senders present as it is.
    const signatureHeaders = [
      ...GENERIC_REQUIRED_HEADERS.filter((header) => header !== "X-Provider-ID"),
      ...config.providers.flatMap((provider) =>
        schemeOf(provider, config).secretHeaders(schemeOptions(provider)),
      ),
    ];
    this.webAcl = new WebAcl(this, "waf", {
      naming,
      context,
      key,
      ...webAclSettings(config),
      logging: props.wafLogging ?? true,
      redactedHeaders: [...signatureHeaders, "x-api-key"],
      logRetentionDays: limits.logRetentionDays,
    });
    this.webAcl.associate("stage", this.api.stageArn);

    this.invokeUrl = this.api.invokeUrl;
    this.endpoints = this.api.endpoints;
    this.restApiName = this.api.restApiName;
    this.stageName = this.api.stageName;
    this.webAclName = this.webAcl.name;
  }
}

/** What the validator's environment points at: the physical names of what it uses. */
export interface ValidatorResources {
  readonly tableName: string;
  readonly queueUrl: string;
  /** The ingest queue's `max_message_size`. */
  readonly queueMaxMessageBytes: number;
  readonly payloadBucket: string;
  /** @default 300 */
  readonly secretCacheSeconds?: number;
}

/**
 * The validator function's environment (what its `loadConfig` reads besides `providers.json`) for
 * a configuration and the resources it uses; `webhooks dev` builds its local validator from the same.
 */
export function validatorEnvironment(
  config: PlatformConfig,
  resources: ValidatorResources,
): Record<string, string> {
  const { limits } = config;
  return {
    [FunctionEnv.tableName]: resources.tableName,
    [FunctionEnv.queueUrl]: resources.queueUrl,
    [FunctionEnv.payloadBucket]: resources.payloadBucket,
    [FunctionEnv.maxBodyBytes]: String(limits.maxBodyBytes),
    [FunctionEnv.queueMaxMessageBytes]: String(resources.queueMaxMessageBytes),
    [FunctionEnv.dedupeTtlSeconds]: String(defaultDedupeTtlSeconds(config)),
    [FunctionEnv.secretCacheSeconds]: String(resources.secretCacheSeconds ?? 300),
  };
}

/**
 * How long the validator remembers a delivery id when its provider carries no TTL of its own: the
 * longest of every provider's, so tools reading it (`webhooks status`) reach every record.
 */
function defaultDedupeTtlSeconds(config: PlatformConfig): number {
  return Math.max(
    config.limits.dedupeTtlHours * 3600,
    ...config.providers.map((provider) => dedupeTtlSeconds(provider, config)),
  );
}

/** A provider's dedupe TTL: its preset's retry horizon, the platform's default, or what it sets. */
function dedupeTtlSeconds(provider: ProviderConfig, config: PlatformConfig): number {
  const scheme = schemeOf(provider, config);
  return effectiveDedupeTtlHours(scheme, provider.dedupeTtlHours, config.limits.dedupeTtlHours) * 3600;
}

/**
 * The providers as the validator knows them at run time (its package's `providers.json`): what each
 * provider's scheme needs (public URL, settings, a custom definition) and its own dedupe TTL when it
 * differs from the validator's default.
 */
export function runtimeProviders(
  config: PlatformConfig,
  secretIdOf: (providerId: string) => string,
): ProviderRuntimeConfig[] {
  const defaultTtl = defaultDedupeTtlSeconds(config);
  return config.providers.map((provider) => {
    const custom = customDefinition(provider, config);
    const ttl = dedupeTtlSeconds(provider, config);
    return {
      id: provider.id,
      scheme: provider.scheme,
      secretId: secretIdOf(provider.id),
      toleranceSeconds:
        provider.toleranceSeconds ?? schemeOf(provider, config).defaultToleranceSeconds ?? 300,
      ...(provider.headerFamily ? { headerFamily: provider.headerFamily } : {}),
      ...(provider.publicUrl ? { publicUrl: provider.publicUrl } : {}),
      ...(provider.settings ? { settings: provider.settings } : {}),
      ...(custom ? { custom } : {}),
      ...(ttl === defaultTtl ? {} : { dedupeTtlSeconds: ttl }),
    };
  });
}

/**
 * The API's routes: `/webhooks/<id>` per provider and the generic `/webhook`, each with the headers
 * its request validator requires and whether it takes an API key. `webhooks dev` serves the same.
 */
export function webhookEndpoints(config: PlatformConfig, genericApiKeyRequired = true): WebhookEndpoint[] {
  return [
    ...config.providers.map((provider) => providerEndpoint(provider, schemeOf(provider, config))),
    {
      id: GENERIC_ENDPOINT_ID,
      path: [GENERIC_ENDPOINT_ID],
      requiredHeaders: [...GENERIC_REQUIRED_HEADERS],
      apiKeyRequired: genericApiKeyRequired,
      unauthenticatedReason:
        "Generic route opened to senders without an API key by configuration; the HMAC signature authenticates",
    },
  ];
}

/** The provider's scheme: its preset, or the custom definition it names. */
function schemeOf(provider: ProviderConfig, config: PlatformConfig): WebhookScheme {
  return schemeFor(provider.scheme, customDefinition(provider, config));
}

function customDefinition(provider: ProviderConfig, config: PlatformConfig) {
  return provider.scheme.startsWith("custom:")
    ? config.customSchemes[provider.scheme.slice("custom:".length)]
    : undefined;
}

function schemeOptions(provider: ProviderConfig) {
  return {
    ...(provider.headerFamily ? { headerFamily: provider.headerFamily } : {}),
    ...(provider.settings ? { settings: provider.settings } : {}),
  };
}

/**
 * The provider's route. API Gateway requires the scheme's signature header where every
 * legitimate request carries one; senders that sign inside the body or send unsigned handshakes
 * are checked by the validator alone. A sender whose handshake is a GET or HEAD gets that method
 * too, requiring what every such request carries.
 */
function providerEndpoint(provider: ProviderConfig, scheme: WebhookScheme): WebhookEndpoint {
  const required = scheme.requiredHeader(schemeOptions(provider));
  return {
    id: provider.id,
    path: providerPath(provider.id),
    requiredHeaders: required === undefined ? [] : [required],
    apiKeyRequired: provider.apiKeyRequired ?? false,
    unauthenticatedReason: THIRD_PARTY_REASON,
    handshakes: handshakeMethods(scheme, schemeOptions(provider)).map((route) => ({
      method: route.method,
      requiredHeaders: route.headers,
      requiredQueryStrings: route.query,
      unauthenticatedReason: HANDSHAKE_REASON,
    })),
  };
}
