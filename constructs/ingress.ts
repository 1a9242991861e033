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

    const schemes = new Map(config.providers.map((provider) => [provider.id, schemeOf(provider, config)]));
    const ttlSeconds = (provider: ProviderConfig) =>
      effectiveDedupeTtlHours(schemes.get(provider.id)!, provider.dedupeTtlHours, limits.dedupeTtlHours) *
      3600;
    // The validator's default TTL is the longest, so tools reading it (`webhooks status`) reach
    // every record; a provider whose TTL differs carries its own.
    const dedupeTtlSeconds = Math.max(limits.dedupeTtlHours * 3600, ...config.providers.map(ttlSeconds));
    const runtimeProviders: ProviderRuntimeConfig[] = config.providers.map((provider) => {
      const custom = customDefinition(provider, config);
      return {
        id: provider.id,
        scheme: provider.scheme,
        secretId: ProviderSecrets.nameFor(naming, provider.id),
        toleranceSeconds:
          provider.toleranceSeconds ?? schemes.get(provider.id)!.defaultToleranceSeconds ?? 300,
        ...(provider.headerFamily ? { headerFamily: provider.headerFamily } : {}),
        ...(provider.publicUrl ? { publicUrl: provider.publicUrl } : {}),
        ...(provider.settings ? { settings: provider.settings } : {}),
        ...(custom ? { custom } : {}),
        ...(ttlSeconds(provider) === dedupeTtlSeconds ? {} : { dedupeTtlSeconds: ttlSeconds(provider) }),
      };
    });
    this.providersJson = JSON.stringify(runtimeProviders);
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
        [FunctionEnv.tableName]: table.name,
        [FunctionEnv.queueUrl]: queue.url,
        [FunctionEnv.payloadBucket]: bucket.name,
        [FunctionEnv.maxBodyBytes]: String(limits.maxBodyBytes),
        [FunctionEnv.queueMaxMessageBytes]: String(queue.maxMessageBytes),
        [FunctionEnv.dedupeTtlSeconds]: String(dedupeTtlSeconds),
        [FunctionEnv.secretCacheSeconds]: String(props.secretCacheSeconds ?? 300),
        POWERTOOLS_SERVICE_NAME: this.validatorService,
        POWERTOOLS_METRICS_NAMESPACE: this.metricsNamespace,
      },
    });
    const role = this.validator.role;
    // Providers whose handshake hands over the signing secret: the validator writes theirs only.
    const handshakeWritten = config.providers
      .filter((provider) => storesHandshakeSecret(schemes.get(provider.id)!))
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

    const endpoints: WebhookEndpoint[] = [
      ...config.providers.map((provider) => providerEndpoint(provider, schemes.get(provider.id)!)),
      {
        id: GENERIC_ENDPOINT_ID,
        path: [GENERIC_ENDPOINT_ID],
        requiredHeaders: [...GENERIC_REQUIRED_HEADERS],
        apiKeyRequired: props.genericApiKeyRequired ?? true,
        unauthenticatedReason:
          "Generic route opened to senders without an API key by configuration; the HMAC signature authenticates",
      },
    ];
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
        schemes.get(provider.id)!.secretHeaders(schemeOptions(provider)),
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
