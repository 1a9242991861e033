import type { APIGatewayProxyResult } from "aws-lambda";

const HEADERS = { "Content-Type": "application/json" } as const;

/**
 * A JSON answer. `isBase64Encoded: false` always: with every media type binary, API Gateway
 * would otherwise treat the response as binary.
 */
export function respond(statusCode: number, body: Record<string, unknown>): APIGatewayProxyResult {
  return { statusCode, headers: { ...HEADERS }, body: JSON.stringify(body), isBase64Encoded: false };
}

/**
 * The one 401 body for an unknown provider, a missing, malformed or wrong signature and a stale or
 * future timestamp, so the answer tells a prober nothing. The exact reason goes to the log only.
 */
export const UNAUTHORIZED_BODY = { message: "Unauthorized" } as const;
export const UNAVAILABLE_BODY = { message: "Service unavailable, retry later" } as const;

export const unauthorized = (): APIGatewayProxyResult => respond(401, UNAUTHORIZED_BODY);
export const unavailable = (): APIGatewayProxyResult => respond(503, UNAVAILABLE_BODY);

const MESSAGES: Record<400 | 413 | 415, string> = {
  400: "Bad request",
  413: "Payload too large",
  415: "Unsupported media type",
};

/** Malformed input: the reason helps the sender and carries no secret (it names a header or a check). */
export function malformed(statusCode: 400 | 413 | 415, reason: string): APIGatewayProxyResult {
  return respond(statusCode, { message: MESSAGES[statusCode], reason });
}

/**
 * A method the route does not take for this provider (a GET where its sender has no GET
 * handshake). API Gateway itself answers a method the API lacks with 403; this is what a request
 * that reaches the validator anyway gets.
 */
export function methodNotAllowed(allowed: readonly string[], reason: string): APIGatewayProxyResult {
  const response = respond(405, { message: "Method not allowed", reason });
  return { ...response, headers: { ...response.headers, Allow: allowed.join(", ") } };
}

/** A stateful handshake the provider's secret document does not accept now: the reason says how to open it. */
export function forbidden(reason: string): APIGatewayProxyResult {
  return respond(403, { message: "Forbidden", reason });
}
