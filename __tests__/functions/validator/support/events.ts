import type { ValidatorEvent } from "../../../../functions/validator/request";

/** Header lines as sent: a record, or [name, value] pairs when a name repeats. */
export type HeaderLines = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

export interface EventOptions {
  /** The provider of `/webhooks/<provider>`; omit for the generic `/webhook` route. */
  readonly provider?: string;
  /**
   * The API has one literal resource per provider (`/webhooks/stripe`, no path parameter); true
   * sends the `/webhooks/{provider}` form with a path parameter instead. @default false
   */
  readonly pathParameter?: boolean;
  readonly headers?: HeaderLines;
  readonly body?: string | Uint8Array | null;
  /**
   * API Gateway base64-encodes the body when its media type is binary; with
   * `binary_media_types = ["*" + "/*"]` that is every request. @default true
   */
  readonly base64?: boolean;
  readonly requestId?: string;
  /** @default "POST" */
  readonly method?: string;
  /** Query parameters, as API Gateway decodes them (a GET handshake's challenge). */
  readonly query?: Readonly<Record<string, string>>;
}

/**
 * An API Gateway REST proxy event as the validator receives it: `multiValueHeaders` keeps every
 * line in the sender's casing, `headers` the last value per name.
 *
 * @example apiGatewayEvent({ provider: "stripe", headers: { "Stripe-Signature": "t=…" }, body: "{}" })
 */
export function apiGatewayEvent(options: EventOptions = {}): ValidatorEvent {
  const lines = Array.isArray(options.headers)
    ? (options.headers as ReadonlyArray<readonly [string, string]>)
    : Object.entries(options.headers ?? {});
  const multiValueHeaders: Record<string, string[]> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of lines) {
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    headers[name] = value;
  }
  const base64 = options.base64 ?? true;
  const raw = options.body ?? null;
  const body =
    raw === null
      ? null
      : base64
        ? Buffer.from(raw).toString("base64")
        : typeof raw === "string"
          ? raw
          : Buffer.from(raw).toString("utf8");
  return {
    httpMethod: options.method ?? "POST",
    queryStringParameters: options.query ? { ...options.query } : null,
    resource:
      options.provider === undefined
        ? "/webhook"
        : options.pathParameter
          ? "/webhooks/{provider}"
          : `/webhooks/${options.provider}`,
    pathParameters:
      options.provider !== undefined && options.pathParameter ? { provider: options.provider } : null,
    headers,
    multiValueHeaders,
    body,
    isBase64Encoded: base64 && body !== null,
    requestContext: { requestId: options.requestId ?? "req-1" },
  };
}
