import type { ProviderRuntimeConfig } from "@webhooks/shared";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { PROVIDER_ID } from "./config";

/** The parts of an API Gateway REST proxy event the validator reads. */
export type ValidatorEvent = Pick<
  APIGatewayProxyEvent,
  "body" | "isBase64Encoded" | "headers" | "multiValueHeaders" | "pathParameters" | "resource"
> &
  Partial<Pick<APIGatewayProxyEvent, "httpMethod" | "queryStringParameters">> & {
    readonly requestContext?: { readonly requestId?: string };
  };

/** Every value of every header, by lowercased name (REST keeps the sender's casing). */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>;

export const PROVIDER_HEADER = "x-provider-id";
export const CONTENT_TYPE_HEADER = "content-type";
const GENERIC_ROUTE = "/webhook";
const PROVIDER_ROUTE = /^\/webhooks\/([^/{}]+)$/;

/**
 * Built from `multiValueHeaders`, which keeps repeated header lines apart (`headers` holds one of
 * them, and which one is not documented); `headers` only when an event has no multi-value map.
 * Two spellings of one name count as two lines.
 */
export function indexHeaders(event: ValidatorEvent): HeaderIndex {
  const index = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const values = index.get(key);
    if (values) values.push(value);
    else index.set(key, [value]);
  };
  const multi = event.multiValueHeaders;
  if (multi && Object.keys(multi).length > 0) {
    for (const [name, values] of Object.entries(multi)) for (const value of values ?? []) add(name, value);
  } else {
    for (const [name, value] of Object.entries(event.headers ?? {}))
      if (value !== undefined) add(name, value);
  }
  return index;
}

export type HeaderCheck =
  | { readonly ok: true; readonly headers: Map<string, string> }
  | { readonly ok: false; readonly reason: string };

/** The named headers as single values; a repeated or empty one is malformed. Others are not passed on. */
export function singleHeaders(index: HeaderIndex, names: readonly string[]): HeaderCheck {
  const headers = new Map<string, string>();
  for (const name of names) {
    const values = index.get(name);
    if (values === undefined) continue;
    if (values.length > 1) return { ok: false, reason: `${name} appears ${values.length} times` };
    if (values[0]!.trim() === "") return { ok: false, reason: `${name} is empty` };
    headers.set(name, values[0]!);
  }
  return { ok: true, headers };
}

export type ProviderResolution =
  | { readonly ok: true; readonly provider: ProviderRuntimeConfig }
  | { readonly ok: false; readonly status: 400 | 401; readonly reason: string };

/**
 * `/webhooks/{provider}` (path parameter, or the literal segment of a per-provider resource) names
 * any configured provider; `/webhook` takes a generic-scheme provider from `X-Provider-ID`. The
 * allow-list is checked here, before anything costs a Secrets Manager call. An unknown provider is
 * a 401 like a bad signature; a malformed `X-Provider-ID` is a 400.
 */
export function resolveProvider(
  event: ValidatorEvent,
  index: HeaderIndex,
  providers: ReadonlyMap<string, ProviderRuntimeConfig>,
): ProviderResolution {
  const fromPath = event.pathParameters?.provider ?? PROVIDER_ROUTE.exec(event.resource ?? "")?.[1];
  if (fromPath !== undefined) {
    const provider = PROVIDER_ID.test(fromPath) ? providers.get(fromPath) : undefined;
    return provider
      ? { ok: true, provider }
      : { ok: false, status: 401, reason: "path names no configured provider" };
  }
  if (event.resource !== GENERIC_ROUTE)
    return { ok: false, status: 401, reason: "request is on no webhook route" };
  const checked = singleHeaders(index, [PROVIDER_HEADER]);
  if (!checked.ok) return { ok: false, status: 400, reason: checked.reason };
  const id = checked.headers.get(PROVIDER_HEADER);
  if (id === undefined) return { ok: false, status: 400, reason: `${PROVIDER_HEADER} is missing` };
  if (!PROVIDER_ID.test(id))
    return { ok: false, status: 400, reason: `${PROVIDER_HEADER} does not match ${PROVIDER_ID.source}` };
  const provider = providers.get(id);
  if (provider?.scheme !== "generic") {
    return {
      ok: false,
      status: 401,
      reason: `${PROVIDER_HEADER} ${id} is not a configured generic-scheme provider`,
    };
  }
  return { ok: true, provider };
}

/** Decoded query parameters (API Gateway's map keeps one value per name). */
export function queryOf(event: ValidatorEvent): ReadonlyMap<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
    if (value !== undefined) query.set(name, value);
  return query;
}

/** The exact bytes the sender signed: base64-decoded only when API Gateway encoded them. */
export function rawBody(event: ValidatorEvent): Buffer {
  const body = event.body ?? "";
  return event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}
