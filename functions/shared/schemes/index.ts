import type { SchemeId } from "../providers";
import { genericScheme } from "./generic";
import { githubScheme } from "./github";
import { shopifyScheme } from "./shopify";
import { slackScheme } from "./slack";
import { standardWebhooksScheme } from "./standard-webhooks";
import { stripeScheme } from "./stripe";
import type { SchemeOptions, SchemeRequest, SignInput, VerifyResult, WebhookScheme } from "./types";

export { checkSignatures, DEFAULT_TOLERANCE_SECONDS, MAX_SIGNATURES, sha256Hex } from "./common";
export type * from "./types";
export { genericScheme, githubScheme, shopifyScheme, slackScheme, standardWebhooksScheme, stripeScheme };

/** Every supported scheme by id. */
export const SCHEMES: Readonly<Record<SchemeId, WebhookScheme>> = {
  generic: genericScheme,
  stripe: stripeScheme,
  github: githubScheme,
  shopify: shopifyScheme,
  slack: slackScheme,
  "standard-webhooks": standardWebhooksScheme,
};

/**
 * Verifies a request's signature (and timestamp) with a scheme. Never throws; a failure carries a
 * code and an exact reason.
 *
 * @example verifyRequest("github", { headers: headersFrom(req.headers), body }, ["s3cr3t"], Math.floor(Date.now() / 1000))
 */
export function verifyRequest(
  scheme: SchemeId,
  request: SchemeRequest,
  secrets: readonly string[],
  nowSeconds: number,
  options?: SchemeOptions,
): VerifyResult {
  return SCHEMES[scheme].verify(request, secrets, nowSeconds, options);
}

/**
 * The headers a sender of `scheme` would add to this body.
 *
 * @example signRequest("stripe", { body: "{}", secrets: ["whsec_…"], timestamp: 1700000000 })
 */
export function signRequest(
  scheme: SchemeId,
  input: SignInput,
  options?: SchemeOptions,
): Record<string, string> {
  return SCHEMES[scheme].sign(input, options);
}

/**
 * A scheme request's header map from a plain object (names lowercased; a later spelling of the same
 * name wins). The validator builds its own map and refuses repeated headers first.
 *
 * @example headersFrom({ "X-Hub-Signature-256": "sha256=…" }).get("x-hub-signature-256")
 */
export function headersFrom(headers: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
