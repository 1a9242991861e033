import { randomUUID } from "node:crypto";
import {
  contentDigest,
  type HandshakeAnswer,
  type HandshakeMethodRoute,
  handshakeMethods,
  identityProblem,
  JSON_MEDIA_TYPE,
  mediaTypeOf,
  type ProviderRuntimeConfig,
  parsePayload,
  type SchemeOptions,
  type SchemeRequest,
  type SignedContent,
  schemeFor,
  type VerifyResult,
  type WebhookScheme,
} from "@webhooks/shared";
import type { APIGatewayProxyResult, Context } from "aws-lambda";
import type { ValidatorConfig } from "./config";
import { type DeliveryDeps, deliver, errorFields } from "./delivery";
import type {
  BlobsPort,
  ClockPort,
  HandshakeStorePort,
  HandshakeStoreResult,
  KeyFetchPort,
  LoggerPort,
  MetricsPort,
  QueuePort,
  SecretsPort,
  StorePort,
} from "./ports";
import {
  CONTENT_TYPE_HEADER,
  indexHeaders,
  queryOf,
  rawBody,
  resolveProvider,
  singleHeaders,
  type ValidatorEvent,
} from "./request";
import { forbidden, malformed, methodNotAllowed, unauthorized, unavailable } from "./responses";
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
  /** Published keys of PayPal and Plaid; their requests get 503 without it. */
  readonly keys?: KeyFetchPort;
  /** Where stateful handshakes (Asana, Notion) store what they hand over; they get 503 without it. */
  readonly handshakes?: HandshakeStorePort;
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

/** A request whose signature verified: the provider's secrets and which of them matched. */
interface Authenticated {
  readonly secrets: readonly string[];
  readonly secretIndex: number;
}

const isAuthenticated = (result: Authenticated | APIGatewayProxyResult): result is Authenticated =>
  "secretIndex" in result;

/** A published key (PayPal's certificate, Plaid's JWK) could not be had. */
class KeyUnavailableError extends Error {
  override readonly name = "KeyUnavailableError";
}

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
  // Per provider, once: its scheme (compiled on its first request), scheme options, the headers
  // that must appear at most once, and its dedupe TTL.
  const routes = new Map(
    config.providers.map((provider) => {
      const scheme = schemeFor(provider.scheme, provider.custom);
      const options: SchemeOptions = {
        toleranceSeconds: provider.toleranceSeconds,
        ...(provider.headerFamily === undefined ? {} : { headerFamily: provider.headerFamily }),
        ...(provider.publicUrl === undefined ? {} : { publicUrl: provider.publicUrl }),
        ...(provider.settings === undefined ? {} : { settings: provider.settings }),
      };
      const delivery: DeliveryDeps = {
        ...deps,
        config: { ...config, dedupeTtlSeconds: provider.dedupeTtlSeconds ?? config.dedupeTtlSeconds },
      };
      const handshakes = new Map(handshakeMethods(scheme, options).map((route) => [route.method, route]));
      return [
        provider.id,
        {
          scheme,
          options,
          delivery,
          headers: [...scheme.headers(options), CONTENT_TYPE_HEADER],
          handshakes: handshakes as ReadonlyMap<string, HandshakeMethodRoute>,
          methods: ["POST", ...handshakes.keys()],
        },
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
  const failed = (provider: string, reason: string, message: string, fields: Record<string, unknown>) => {
    logger.error(message, { provider, reason, ...fields });
    metrics.count(provider, "failed", reason);
    return unavailable();
  };

  /**
   * Secrets (and a published key the scheme asked for), then the comparison; on a mismatch with
   * secrets old enough, one refetch and a second try.
   */
  async function verify(
    provider: ProviderRuntimeConfig,
    scheme: WebhookScheme,
    options: SchemeOptions,
    signed: SignedContent,
  ): Promise<{ verified: VerifyResult; secrets: readonly string[] }> {
    const cached = await cache.get(provider.secretId);
    const withKey = signed.keyRequest ? await externalKey(signed, cached.secrets, options) : options;
    const result = scheme.check(signed, cached.secrets, withKey);
    if (result.ok || result.code !== "signature_mismatch")
      return { verified: result, secrets: cached.secrets };
    const fresh = await cache.refresh(provider.secretId, cached);
    return fresh
      ? { verified: scheme.check(signed, fresh.secrets, withKey), secrets: fresh.secrets }
      : { verified: result, secrets: cached.secrets };
  }

  /**
   * Everything between the request and a verified signature: its shape and timestamp, the secrets
   * (and a published key), the comparison. The verified secrets, or the answer to give instead.
   */
  async function authenticate(
    provider: ProviderRuntimeConfig,
    scheme: WebhookScheme,
    options: SchemeOptions,
    request: SchemeRequest,
    nowMs: number,
    requestId: string | undefined,
  ): Promise<Authenticated | APIGatewayProxyResult> {
    const parsed = scheme.parse(request, Math.floor(nowMs / 1000), options);
    if (!parsed.ok) {
      return parsed.code === "unusable_secret"
        ? failed(provider.id, "misconfigured", "the provider's configuration is unusable", {
            detail: parsed.reason,
            requestId,
          })
        : reject(provider.id, unauthorized(), parsed.code, parsed.reason, requestId);
    }
    let verified: VerifyResult;
    let secrets: readonly string[];
    try {
      ({ verified, secrets } = await verify(provider, scheme, options, parsed.signed));
    } catch (error) {
      return secretsFailure(provider, error, parsed.signed.keyRequest !== undefined, requestId);
    }
    if (!verified.ok) {
      return verified.code === "unusable_secret"
        ? failed(provider.id, "secret_unusable", "the provider's secret is unusable", {
            detail: verified.reason,
            requestId,
          })
        : reject(provider.id, unauthorized(), verified.code, verified.reason, requestId);
    }
    return { secrets, secretIndex: verified.secretIndex };
  }

  function secretsFailure(
    provider: ProviderRuntimeConfig,
    error: unknown,
    keyRequested: boolean,
    requestId: string | undefined,
  ): APIGatewayProxyResult {
    const reason =
      error instanceof SecretDocumentError
        ? "secret_document"
        : error instanceof KeyUnavailableError || keyRequested
          ? "key_unavailable"
          : "secrets_unavailable";
    const message =
      reason === "key_unavailable"
        ? "fetching the sender's key failed"
        : "loading the provider's secrets failed";
    return failed(provider.id, reason, message, { error: errorFields(error), requestId });
  }

  async function externalKey(signed: SignedContent, secrets: readonly string[], options: SchemeOptions) {
    if (!deps.keys) throw new KeyUnavailableError("no key fetcher is configured");
    return { ...options, externalKey: await deps.keys.fetch(signed.keyRequest!, secrets) };
  }

  /**
   * A stateful handshake's value is stored first; without a store, or when the provider's secret
   * document accepts no handshake now, it is not answered 2xx.
   */
  async function answerHandshake(
    provider: ProviderRuntimeConfig,
    answer: HandshakeAnswer,
    requestId: string | undefined,
  ): Promise<APIGatewayProxyResult> {
    if (answer.store) {
      if (!deps.handshakes) {
        return failed(provider.id, "handshake_store", "a stateful handshake needs a handshake store", {
          kind: answer.kind,
          requestId,
        });
      }
      let result: HandshakeStoreResult;
      try {
        result = await deps.handshakes.store(provider, answer.store.secret);
      } catch (error) {
        return failed(provider.id, "handshake_store", "storing a handshake's secret failed", {
          kind: answer.kind,
          error: errorFields(error),
          requestId,
        });
      }
      if (!result.stored)
        return reject(provider.id, forbidden(result.reason), "handshake_refused", result.reason, requestId);
      // The next request of this environment reads the document with the new secret in it.
      cache.forget(provider.secretId);
    }
    logger.info("handshake answered", { provider: provider.id, kind: answer.kind, requestId });
    metrics.count(provider.id, "challenge");
    return {
      statusCode: answer.status,
      headers: { ...answer.headers },
      body: answer.body,
      isBase64Encoded: false,
    };
  }

  /**
   * A GET or HEAD, which the provider's scheme uses for a handshake only: answered before
   * verification (Dropbox, Trello; Braintree from the stored key pair), or once the request's
   * token verified (Okta). Anything else on the method is a 400, never queued.
   */
  async function handshakeOnly(
    provider: ProviderRuntimeConfig,
    route: HandshakeMethodRoute,
    request: SchemeRequest,
    nowMs: number,
    requestId: string | undefined,
  ): Promise<APIGatewayProxyResult> {
    const { scheme, options } = routes.get(provider.id)!;
    let secrets: readonly string[] | undefined;
    if (route.secretsBeforeVerification) {
      try {
        ({ secrets } = await cache.get(provider.secretId));
      } catch (error) {
        return secretsFailure(provider, error, false, requestId);
      }
    }
    const before = scheme.answerHandshake("before-verification", { request, secrets }, options);
    if (before) return answerHandshake(provider, before, requestId);
    if (route.verified) {
      const authenticated = await authenticate(provider, scheme, options, request, nowMs, requestId);
      if (!isAuthenticated(authenticated)) return authenticated;
      const { secrets, secretIndex } = authenticated;
      const after = scheme.answerHandshake("after-verification", { request, secrets, secretIndex }, options);
      if (after) return answerHandshake(provider, after, requestId);
    }
    const carries = [...route.query.map((name) => `query ${name}`), ...route.headers].join(", ");
    const reason = `${route.method} here is only ${provider.id}'s handshake${carries ? ` (${carries})` : ""}, and this request is not a valid one`;
    return reject(provider.id, malformed(400, reason), "invalid_handshake", reason, requestId);
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
    const { scheme, options, delivery, headers, handshakes, methods } = routes.get(provider.id)!;
    const method = event.httpMethod ?? "POST";
    const handshakeRoute = handshakes.get(method);
    if (method !== "POST" && !handshakeRoute) {
      const reason = `${method} is not answered here: ${provider.id} takes ${methods.join(", ")}`;
      return reject(provider.id, methodNotAllowed(methods, reason), "method_not_allowed", reason, requestId);
    }

    const checked = singleHeaders(index, headers);
    if (!checked.ok)
      return reject(provider.id, malformed(400, checked.reason), "invalid_header", checked.reason, requestId);
    const body = rawBody(event);
    if (body.byteLength > config.maxBodyBytes) {
      const reason = `body is ${body.byteLength} bytes, the limit is ${config.maxBodyBytes}`;
      return reject(provider.id, malformed(413, reason), "payload_too_large", reason, requestId);
    }

    const request: SchemeRequest = {
      headers: checked.headers,
      body,
      method,
      query: queryOf(event),
      allHeaders: index,
    };
    if (handshakeRoute) return handshakeOnly(provider, handshakeRoute, request, nowMs, requestId);
    const unsigned = scheme.answerHandshake("before-verification", { request }, options);
    if (unsigned) return answerHandshake(provider, unsigned, requestId);
    const authenticated = await authenticate(provider, scheme, options, request, nowMs, requestId);
    if (!isAuthenticated(authenticated)) return authenticated;
    const { secrets, secretIndex } = authenticated;

    const contentType = checked.headers.get(CONTENT_TYPE_HEADER);
    const payload = parsePayload(body, contentType);
    if (!payload.ok) {
      const code = payload.status === 415 ? "unsupported_media_type" : "malformed_payload";
      return reject(provider.id, malformed(payload.status, payload.reason), code, payload.reason, requestId);
    }
    const handshake = scheme.answerHandshake(
      "after-verification",
      { request, data: payload.data, secrets, secretIndex },
      options,
    );
    if (handshake) return answerHandshake(provider, handshake, requestId);
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

    return deliver(delivery, {
      provider: provider.id,
      deliveryId,
      eventType: identified.eventType,
      contentType: mediaTypeOf(contentType) || JSON_MEDIA_TYPE,
      data: payload.data,
      body,
      contentDigest: contentDigest(
        body,
        scheme.volatileFields && { data: payload.data, ignore: scheme.volatileFields },
      ),
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
