import type { SchemeId } from "../providers";
import { type CustomSchemeDefinition, customPreset } from "./custom";
import { compilePreset } from "./engine/compile";
import type { PresetDefinition } from "./engine/definition";
import { parseTemplate, uses } from "./engine/template";
import { PRESET_IDS, PRESETS, type PresetId } from "./presets";
import type { SchemeOptions, SchemeRequest, SignInput, VerifyResult, WebhookScheme } from "./types";

export { DEFAULT_TOLERANCE_SECONDS, isRecord, MAX_SIGNATURES, sha256Hex } from "./common";
export { type CustomSchemeDefinition, customSchemeProblems, customSignsUrl } from "./custom";
export type * from "./engine/definition";
export {
  type ExtraHandshakeMethod,
  type HandshakeMethodRoute,
  handshakeMethods,
  storesHandshakeSecret,
} from "./handshake-needs";
export { PAYPAL_CERT_URL } from "./modules/paypal";
export { PLAID_HOSTS } from "./modules/plaid";
export type * from "./types";
export { PRESET_IDS, PRESETS, type PresetId };

/** A provider's scheme: a preset id, or `custom:<name>` for a scheme the configuration declares. */
export type SchemeRef = PresetId | `custom:${string}`;
export const CUSTOM_PREFIX = "custom:";

const compiled = new Map<string, WebhookScheme>();

export function isPresetId(value: string): value is PresetId {
  return Object.hasOwn(PRESETS, value);
}

/**
 * A preset as a scheme, memoized (compiled lazily, on first use).
 *
 * @example presetById("hubspot").verify(request, [clientSecret], nowSeconds, { publicUrl })
 */
export function presetById(id: PresetId): WebhookScheme {
  let scheme = compiled.get(id);
  if (!scheme) {
    scheme = compilePreset(id, PRESETS[id]);
    compiled.set(id, scheme);
  }
  return scheme;
}

/**
 * The scheme a provider names: a preset, or a custom definition (`custom:<name>`, whose
 * definition travels with the provider's configuration).
 *
 * @example schemeFor("custom:billing", { signatureHeader: "X-Billing-Signature", retryHorizonHours: 24 })
 */
export function schemeFor(ref: string, custom?: CustomSchemeDefinition): WebhookScheme {
  if (ref.startsWith(CUSTOM_PREFIX)) {
    if (custom === undefined) throw new TypeError(`${ref} has no definition`);
    return compilePreset(ref, customPreset(ref.slice(CUSTOM_PREFIX.length), custom));
  }
  if (!isPresetId(ref)) throw new TypeError(`${ref} is not a preset id`);
  return presetById(ref);
}

/** The definition behind a preset id (docs, config checks). */
export function presetDefinition(id: PresetId): PresetDefinition {
  return PRESETS[id];
}

/** Whether a preset signs the URL it calls, so its providers need `publicUrl`. */
export function presetSignsUrl(id: PresetId): boolean {
  const preset: PresetDefinition = PRESETS[id];
  if (preset.family === "code") return preset.signsPublicUrl === true;
  if (preset.family === "token") return false;
  const parts = parseTemplate(preset.signedContent);
  return typeof parts !== "string" && uses(parts, "url");
}

/**
 * The six schemes the platform started with, by id (the properties compile on first use): the
 * same objects as `presetById`.
 */
export const SCHEMES: Readonly<Record<SchemeId, WebhookScheme>> = {
  generic: presetById("generic"),
  stripe: presetById("stripe"),
  github: presetById("github"),
  shopify: presetById("shopify"),
  slack: presetById("slack"),
  "standard-webhooks": presetById("standard-webhooks"),
};

export const genericScheme = SCHEMES.generic;
export const stripeScheme = SCHEMES.stripe;
export const githubScheme = SCHEMES.github;
export const shopifyScheme = SCHEMES.shopify;
export const slackScheme = SCHEMES.slack;
export const standardWebhooksScheme = SCHEMES["standard-webhooks"];

/**
 * Verifies a request's signature (and timestamp) with a preset. Never throws; a failure carries a
 * code and an exact reason.
 *
 * @example verifyRequest("github", { headers: headersFrom(req.headers), body }, ["s3cr3t"], Math.floor(Date.now() / 1000))
 */
export function verifyRequest(
  scheme: PresetId,
  request: SchemeRequest,
  secrets: readonly string[],
  nowSeconds: number,
  options?: SchemeOptions,
): VerifyResult {
  return schemeFor(scheme).verify(request, secrets, nowSeconds, options);
}

/**
 * The headers a sender of a preset would add to this body.
 *
 * @example signRequest("stripe", { body: "{}", secrets: ["whsec_…"], timestamp: 1700000000 })
 */
export function signRequest(
  scheme: PresetId,
  input: SignInput,
  options?: SchemeOptions,
): Record<string, string> {
  return schemeFor(scheme).sign(input, options);
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
