import { type ProviderRuntimeConfig, type SchemeOptions, schemeFor } from "@webhooks/shared";
import {
  createValidatorHandler,
  type HandlerConfig,
  type ValidatorDeps,
} from "../../../../functions/validator/handler";
import type {
  BlobsPort,
  HandshakeStorePort,
  KeyFetchPort,
  LoggerPort,
  MetricsPort,
  QueuePort,
  SecretsPort,
  StorePort,
} from "../../../../functions/validator/ports";
import { apiGatewayEvent, type EventOptions } from "./events";
import {
  FakeClock,
  InMemoryBlobs,
  InMemoryQueue,
  InMemorySecrets,
  InMemoryStore,
  RecordingLogger,
  RecordingMetrics,
} from "./fakes";

/** 2026-11-23T12:00:00.000Z */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const T0_SECONDS = T0 / 1000;

export const PROVIDERS: readonly ProviderRuntimeConfig[] = [
  { id: "acme", scheme: "generic", secretId: "webhooks/acme", toleranceSeconds: 300 },
  { id: "stripe", scheme: "stripe", secretId: "webhooks/stripe", toleranceSeconds: 300 },
  { id: "github", scheme: "github", secretId: "webhooks/github", toleranceSeconds: 300 },
  { id: "shopify", scheme: "shopify", secretId: "webhooks/shopify", toleranceSeconds: 300 },
  { id: "slack", scheme: "slack", secretId: "webhooks/slack", toleranceSeconds: 300 },
  { id: "std", scheme: "standard-webhooks", secretId: "webhooks/std", toleranceSeconds: 300 },
  {
    id: "svix-app",
    scheme: "standard-webhooks",
    secretId: "webhooks/svix-app",
    toleranceSeconds: 300,
    headerFamily: "svix",
  },
];

const whsec = (fill: number) => `whsec_${Buffer.alloc(32, fill).toString("base64")}`;

/** Two active secrets per provider (the first signs by default). */
export const SECRETS: Readonly<Record<string, readonly [string, string]>> = {
  acme: ["acme-secret-1", "acme-secret-0"],
  stripe: ["whsec_stripe_1", "whsec_stripe_0"],
  github: ["github-secret-1", "github-secret-0"],
  shopify: ["shopify-secret-1", "shopify-secret-0"],
  slack: ["slack-secret-1", "slack-secret-0"],
  std: [whsec(1), whsec(2)],
  "svix-app": [whsec(3), whsec(4)],
};

/** A body and identity headers each provider would send, with the delivery id it yields. */
export const SAMPLES: Readonly<
  Record<string, { body: string; headers: Record<string, string>; deliveryId: string; eventType: string }>
> = {
  acme: {
    body: '{"type":"order.created","order":{"id":42}}',
    headers: { "X-Webhook-Id": "acme-delivery-1" },
    deliveryId: "acme-delivery-1",
    eventType: "order.created",
  },
  stripe: {
    body: '{"id":"evt_1","type":"invoice.paid"}',
    headers: {},
    deliveryId: "evt_1",
    eventType: "invoice.paid",
  },
  github: {
    body: '{"zen":"Design for failure.","hook_id":7}',
    headers: { "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Event": "ping" },
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    eventType: "ping",
  },
  shopify: {
    body: '{"id":820982911946154,"email":"jon@example.com"}',
    headers: {
      "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37",
      "X-Shopify-Event-Id": "98880550-7158-44d4",
      "X-Shopify-Topic": "orders/create",
    },
    deliveryId: "98880550-7158-44d4",
    eventType: "orders/create",
  },
  slack: {
    body: '{"type":"event_callback","event_id":"Ev08MFMKH6","event":{"type":"app_mention"}}',
    headers: {},
    deliveryId: "Ev08MFMKH6",
    eventType: "app_mention",
  },
  std: {
    body: '{"type":"invoice.paid","data":{}}',
    headers: {},
    deliveryId: "msg_std_1",
    eventType: "invoice.paid",
  },
  "svix-app": {
    body: '{"type":"user.created","data":{}}',
    headers: {},
    deliveryId: "msg_svix_1",
    eventType: "user.created",
  },
};

export interface SignedEventOptions extends Omit<EventOptions, "provider" | "body"> {
  readonly body?: string | Uint8Array;
  /** Unix seconds. @default T0_SECONDS - 5 */
  readonly timestamp?: number;
  readonly secrets?: readonly string[];
  /** Sent instead of the sample's identity headers. */
  readonly identity?: Record<string, string>;
  readonly contentType?: string | null;
  /** Send on `/webhook` with `X-Provider-ID` instead of `/webhooks/{provider}`. */
  readonly genericRoute?: boolean;
}

export function providerConfig(id: string): ProviderRuntimeConfig {
  return PROVIDERS.find((provider) => provider.id === id)!;
}

/**
 * A correctly signed event for `provider`, signed with our `sign` (each scheme's `sign` is checked
 * against the provider's own library in __tests__/functions/shared).
 */
export function signedEvent(providerId: string, options: SignedEventOptions = {}) {
  const provider = providerConfig(providerId);
  const sample = SAMPLES[providerId]!;
  const body = options.body ?? sample.body;
  const schemeOptions: SchemeOptions = { headerFamily: provider.headerFamily };
  const signature = schemeFor(provider.scheme).sign(
    {
      body,
      secrets: options.secrets ?? [SECRETS[providerId]![0]],
      timestamp: options.timestamp ?? T0_SECONDS - 5,
      id: provider.scheme === "standard-webhooks" ? sample.deliveryId : undefined,
    },
    schemeOptions,
  );
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  const headers: Record<string, string> = {
    ...(contentType === null ? {} : { "Content-Type": contentType }),
    ...(options.genericRoute ? { "X-Provider-ID": providerId } : {}),
    ...(options.identity ?? sample.headers),
    ...signature,
    ...(Array.isArray(options.headers) ? {} : (options.headers as Record<string, string> | undefined)),
  };
  return apiGatewayEvent({
    ...options,
    provider: options.genericRoute ? undefined : providerId,
    headers: Array.isArray(options.headers)
      ? [...Object.entries(headers), ...(options.headers as [string, string][])]
      : headers,
    body,
  });
}

export interface HarnessOptions {
  /** @default {@link PROVIDERS} */
  readonly providers?: readonly ProviderRuntimeConfig[];
  /** Active secrets by secret id. @default every {@link PROVIDERS} entry's {@link SECRETS} */
  readonly secretsById?: Readonly<Record<string, readonly string[]>>;
  readonly config?: Partial<HandlerConfig>;
  readonly store?: StorePort;
  readonly queue?: QueuePort;
  readonly blobs?: BlobsPort;
  readonly secrets?: SecretsPort;
  /** @default a RecordingLogger */
  readonly logger?: LoggerPort;
  /** @default a RecordingMetrics */
  readonly metrics?: MetricsPort;
  readonly keys?: KeyFetchPort;
  /** Made over the harness's secrets. @default none (stateful handshakes answer 503) */
  readonly handshakes?: (secrets: InMemorySecrets) => HandshakeStorePort;
  /** Epoch milliseconds. @default {@link T0} */
  readonly now?: number;
}

/** The handler over in-memory ports, every provider's secrets loaded, the clock at {@link T0}. */
export function createHarness(options: HarnessOptions = {}) {
  const clock = new FakeClock(options.now ?? T0);
  const secrets = new InMemorySecrets();
  const secretsById =
    options.secretsById ??
    Object.fromEntries(PROVIDERS.map((provider) => [provider.secretId, SECRETS[provider.id]!]));
  for (const [id, active] of Object.entries(secretsById)) secrets.set(id, active);
  const store = new InMemoryStore();
  const queue = new InMemoryQueue();
  const blobs = new InMemoryBlobs();
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  let counter = 0;
  const deps: ValidatorDeps = {
    config: {
      providers: options.providers ?? PROVIDERS,
      maxBodyBytes: 1_048_576,
      queueMaxMessageBytes: 1_048_576,
      dedupeTtlSeconds: 604_800,
      secretCacheSeconds: 300,
      ...options.config,
    },
    secrets: options.secrets ?? secrets,
    store: options.store ?? store,
    queue: options.queue ?? queue,
    blobs: options.blobs ?? blobs,
    clock,
    logger: options.logger ?? logger,
    metrics: options.metrics ?? metrics,
    randomId: () => `random-${++counter}`,
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.handshakes ? { handshakes: options.handshakes(secrets) } : {}),
  };
  const handler = createValidatorHandler(deps);
  return { handler, clock, secrets, store, queue, blobs, logger, metrics };
}

export type Harness = ReturnType<typeof createHarness>;

/** Status and parsed JSON body of a response. */
export async function invoke(
  harness: Harness,
  event: ReturnType<typeof apiGatewayEvent>,
  remainingMs?: number,
) {
  const response = await harness.handler(
    event,
    remainingMs === undefined ? undefined : { getRemainingTimeInMillis: () => remainingMs },
  );
  return {
    status: response.statusCode,
    body: JSON.parse(response.body) as Record<string, unknown>,
    response,
  };
}
