import { randomUUID } from "node:crypto";
import {
  checkSignatures,
  identityProblem,
  JSON_MEDIA_TYPE,
  mediaTypeOf,
  type ProviderRuntimeConfig,
  parsePayload,
  SCHEMES,
  type SchemeOptions,
  type SignedContent,
  type VerifyResult,
  type WebhookScheme,
} from "@webhooks/shared";
import type { APIGatewayProxyResult, Context } from "aws-lambda";
import type { ValidatorConfig } from "./config";
import { contentDigest } from "./content-digest";
import { deliver, errorFields } from "./delivery";
import type {
  BlobsPort,
  ClockPort,
  LoggerPort,
  MetricsPort,
  QueuePort,
  SecretsPort,
  StorePort,
} from "./ports";
import {
  CONTENT_TYPE_HEADER,
  indexHeaders,
  rawBody,
  resolveProvider,
  singleHeaders,
  type ValidatorEvent,
} from "./request";
import { malformed, respond, unauthorized, unavailable } from "./responses";
import { createSecretCache, SecretDocumentError } from "./secret-cache";

export type HandlerConfig = Pick<
  ValidatorConfig,
  "providers" | "maxBodyBytes" | "queueMaxMessageBytes" | "dedupeTtlSeconds" | "secretCacheSeconds"
> & {
  /** Minimum age of cached secrets before a signature mismatch refetches them. @default 30 */
  readonly secretRefreshAfterSeconds?: number;
};

export interface ValidatorDeps {
  readonly config: HandlerConfig;
  readonly secrets: SecretsPort;
  readonly store: StorePort;
  readonly queue: QueuePort;
  readonly blobs: BlobsPort;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  readonly metrics: MetricsPort;
  /** Delivery id for a delivery without one (generic scheme without `X-Webhook-Id`). @default crypto.randomUUID */
  readonly randomId?: () => string;
}

export type ValidatorHandler = (
  event: ValidatorEvent,
  context?: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<APIGatewayProxyResult>;

/** Lease on a claim when the invocation's remaining time is unknown (the function timeout is ≤ 10 s). */
const DEFAULT_LEASE_MS = 10_000;
/** Metric label for requests whose provider is not (yet) known: never the raw input (cardinality). */
const UNKNOWN_PROVIDER = "unknown";

/**
 * The validator: provider → header shapes → size → signature and timestamp → payload → delivery
 * id → claim → enqueue. Answers 2xx only for a delivery durably in SQS, 401 (one body) for anything
 * unauthenticated, 400/413/415 for malformed input and 503 for our own failures. Never throws.
 *
 * @example export const handler = createValidatorHandler({ config, secrets, store, queue, blobs, clock, logger, metrics });
 */
export function createValidatorHandler(deps: ValidatorDeps): ValidatorHandler {
  const { config, clock, logger, metrics } = deps;
  const randomId = deps.randomId ?? randomUUID;
  const providers = new Map(config.providers.map((provider) => [provider.id, provider]));
  // Per provider, once: its scheme, scheme options and the headers that must appear at most once.
  const routes = new Map(
    config.providers.map((provider) => {
      const scheme = SCHEMES[provider.scheme];
      const options: SchemeOptions = {
        toleranceSeconds: provider.toleranceSeconds,
        headerFamily: provider.headerFamily,
      };
      return [
        provider.id,
        { scheme, options, headers: [...scheme.headers(options), CONTENT_TYPE_HEADER] },
      ] as const;
    }),
  );
  const cache = createSecretCache({
    source: deps.secrets,
    clock,
    ttlMs: config.secretCacheSeconds * 1000,
    refreshAfterMs: (config.secretRefreshAfterSeconds ?? 30) * 1000,
  });

  const reject = (
    provider: string,
    response: APIGatewayProxyResult,
    code: string,
    reason: string,
    requestId: string | undefined,
  ) => {
    logger.warn("request rejected", { provider, status: response.statusCode, code, reason, requestId });
    metrics.count(provider, "rejected", code);
    return response;
  };

  /** Secrets, then the MAC; on a mismatch with secrets old enough, one refetch and a second try. */
  async function verify(
    provider: ProviderRuntimeConfig,
    scheme: WebhookScheme,
    signed: SignedContent,
  ): Promise<VerifyResult> {
    const cached = await cache.get(provider.secretId);
    const result = checkSignatures(signed, cached.secrets, scheme.key);
    if (result.ok || result.code !== "signature_mismatch") return result;
    const fresh = await cache.refresh(provider.secretId, cached);
    return fresh ? checkSignatures(signed, fresh.secrets, scheme.key) : result;
  }

  async function handle(
    event: ValidatorEvent,
    context: Pick<Context, "getRemainingTimeInMillis"> | undefined,
  ): Promise<APIGatewayProxyResult> {
    const nowMs = clock.now();
    const requestId = event.requestContext?.requestId;
    const index = indexHeaders(event);
    const resolved = resolveProvider(event, index, providers);
    if (!resolved.ok) {
      const response = resolved.status === 401 ? unauthorized() : malformed(400, resolved.reason);
      const code = resolved.status === 401 ? "unknown_provider" : "invalid_header";
      return reject(UNKNOWN_PROVIDER, response, code, resolved.reason, requestId);
    }
    const provider = resolved.provider;
    const { scheme, options, headers } = routes.get(provider.id)!;

    const checked = singleHeaders(index, headers);
    if (!checked.ok)
      return reject(provider.id, malformed(400, checked.reason), "invalid_header", checked.reason, requestId);
    const body = rawBody(event);
    if (body.byteLength > config.maxBodyBytes) {
      const reason = `body is ${body.byteLength} bytes, the limit is ${config.maxBodyBytes}`;
      return reject(provider.id, malformed(413, reason), "payload_too_large", reason, requestId);
    }

    const request = { headers: checked.headers, body };
    const parsed = scheme.parse(request, Math.floor(nowMs / 1000), options);
    if (!parsed.ok) return reject(provider.id, unauthorized(), parsed.code, parsed.reason, requestId);
    let verified: VerifyResult;
    try {
      verified = await verify(provider, scheme, parsed.signed);
    } catch (error) {
      const documentError = error instanceof SecretDocumentError;
      const reason = documentError ? "secret_document" : "secrets_unavailable";
      logger.error("loading the provider's secrets failed", {
        provider: provider.id,
        reason,
        error: errorFields(error),
        requestId,
      });
      metrics.count(provider.id, "failed", reason);
      return unavailable();
    }
    if (!verified.ok) {
      if (verified.code === "unusable_secret") {
        logger.error("the provider's secret is unusable", {
          provider: provider.id,
          reason: verified.reason,
          requestId,
        });
        metrics.count(provider.id, "failed", "secret_unusable");
        return unavailable();
      }
      return reject(provider.id, unauthorized(), verified.code, verified.reason, requestId);
    }

    const contentType = checked.headers.get(CONTENT_TYPE_HEADER);
    const payload = parsePayload(body, contentType);
    if (!payload.ok) {
      const code = payload.status === 415 ? "unsupported_media_type" : "malformed_payload";
      return reject(provider.id, malformed(payload.status, payload.reason), code, payload.reason, requestId);
    }
    const handshake = scheme.handshake?.(payload.data);
    if (handshake) {
      logger.info("handshake answered", { provider: provider.id, requestId });
      metrics.count(provider.id, "challenge");
      return respond(200, handshake);
    }
    const identified = scheme.identify(request, payload.data, options);
    if (!identified.ok) {
      return reject(
        provider.id,
        malformed(400, identified.reason),
        "invalid_event",
        identified.reason,
        requestId,
      );
    }

    // Checked here whatever the scheme allows: the record and the bus entry depend on these bounds.
    const deliveryId = identified.deliveryId ?? randomId();
    const outOfBounds = identityProblem(deliveryId, identified.eventType);
    if (outOfBounds)
      return reject(provider.id, malformed(400, outOfBounds), "invalid_event", outOfBounds, requestId);

    return deliver(deps, {
      provider: provider.id,
      deliveryId,
      eventType: identified.eventType,
      contentType: mediaTypeOf(contentType) || JSON_MEDIA_TYPE,
      data: payload.data,
      body,
      contentDigest: contentDigest(body),
      nowMs,
      leaseMs: context?.getRemainingTimeInMillis() ?? DEFAULT_LEASE_MS,
      requestId,
    });
  }

  return async (event, context) => {
    try {
      return await handle(event, context);
    } catch (error) {
      // A bug, not the sender's mistake: 503 so the delivery is retried rather than lost.
      logger.error("unexpected failure", {
        error: errorFields(error),
        requestId: event?.requestContext?.requestId,
      });
      metrics.count(UNKNOWN_PROVIDER, "failed", "unexpected");
      return unavailable();
    }
  };
}
