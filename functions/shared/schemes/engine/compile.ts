import { DEFAULT_TOLERANCE_SECONDS } from "../common";
import { MODULES } from "../modules";
import type { HandshakeKind, SchemeOptions, SignInput, WebhookScheme } from "../types";
import { compileAsymmetric } from "./asymmetric";
import type { SchemeCore } from "./core";
import type { PresetDefinition } from "./definition";
import { type CompiledHandshakes, compileHandshakes } from "./handshake";
import { type HeaderNaming, headerNaming } from "./headers";
import { compileHmac } from "./hmac";
import { compileIdentity } from "./identity";
import { compileToken } from "./token";

interface Variant {
  readonly core: SchemeCore;
  readonly naming: HeaderNaming;
  readonly handshakes: CompiledHandshakes;
  readonly identify: ReturnType<typeof compileIdentity>;
}

/**
 * A preset as a `WebhookScheme`. Nothing is compiled until a method is first called (the
 * validator's init pays only for the providers it serves, and only on their first request);
 * presets with `headerFamilies` compile once per family.
 *
 * @example compilePreset("stripe", PRESETS.stripe).verify(request, ["whsec_…"], nowSeconds)
 */
export function compilePreset(id: string, preset: PresetDefinition): WebhookScheme {
  const variants = new Map<string, Variant>();
  const variant = (options?: SchemeOptions): Variant => {
    const family = (preset.headerFamilies && options?.headerFamily) || "webhook";
    let compiled = variants.get(family);
    if (!compiled) {
      compiled = compileVariant(preset, family);
      variants.set(family, compiled);
    }
    return compiled;
  };
  const handshakes: readonly HandshakeKind[] = preset.handshakes ?? [];
  const firstIdHeader = preset.identity.deliveryId[0]?.header;
  /** `input.id` goes in the delivery id header when the sender has one and the signature did not set it. */
  const withId = (headers: Record<string, string>, input: SignInput, options?: SchemeOptions) => {
    if (input.id === undefined || firstIdHeader === undefined) return headers;
    const { display } = variant(options).naming.ref(firstIdHeader);
    return display in headers ? headers : { ...headers, [display]: input.id };
  };

  const scheme: WebhookScheme = {
    id,
    family: preset.family,
    handshakes,
    dedupe: preset.dedupe,
    ...(preset.volatileFields ? { volatileFields: preset.volatileFields } : {}),
    ...(defaultTolerance(preset) === undefined ? {} : { defaultToleranceSeconds: defaultTolerance(preset) }),
    headers(options) {
      const { core, identify, handshakes: compiled } = variant(options);
      return [...new Set([...core.headers(options), ...identify.headers, ...compiled.headers])];
    },
    requiredHeader(options) {
      if (preset.gatewayHeader === null) return undefined;
      return preset.gatewayHeader ?? variant(options).core.requiredHeader(options);
    },
    secretHeaders: (options) => variant(options).core.secretHeaders(options),
    parse: (request, nowSeconds, options) => variant(options).core.parse(request, nowSeconds, options),
    key: (secret) => variant().core.key(secret),
    check: (signed, secrets, options) => variant(options).core.check(signed, secrets, options),
    verify(request, secrets, nowSeconds, options) {
      const { core } = variant(options);
      const parsed = core.parse(request, nowSeconds, options);
      return parsed.ok ? core.check(parsed.signed, secrets, options) : parsed;
    },
    sign: (input, options) => withId(variant(options).core.sign(input, options), input, options),
    identify(request, data, options) {
      const { core, identify } = variant(options);
      return core.identify ? core.identify(request, data, options) : identify.identify(request, data);
    },
    answerHandshake(phase, input, options) {
      const { core, handshakes: compiled } = variant(options);
      return (
        core.answerHandshake?.(phase, input, options) ??
        compiled.answer(phase, input, core.secretHeaders(options))
      );
    },
  };
  if (signsInBody(preset)) {
    scheme.signBody = (input, options) => {
      const signed = variant(options).core.signBody?.(input, options);
      if (!signed) throw new TypeError(`${id} signs in headers: use sign`);
      return { body: signed.body, headers: withId(signed.headers, input, options) };
    };
  }
  if (
    handshakes.some((kind) => kind.kind === "echo-body-field" && kind.reply === "json" && "body" in kind.when)
  ) {
    scheme.handshake = (data) => variant().handshakes.legacy?.(data);
  }
  return scheme;
}

function compileVariant(preset: PresetDefinition, family: string): Variant {
  const naming = headerNaming(family, preset.family === "hmac" ? preset.optionalHeaderPrefix : undefined);
  const core =
    preset.family === "hmac"
      ? compileHmac(preset, naming)
      : preset.family === "asymmetric"
        ? compileAsymmetric(preset, naming)
        : preset.family === "token"
          ? compileToken(preset, naming)
          : MODULES[preset.module](preset, naming);
  const handshakes = compileHandshakes(preset.handshakes ?? [], naming);
  return {
    core,
    naming,
    handshakes,
    identify: compileIdentity(preset.identity, naming, handshakes.malformed),
  };
}

function defaultTolerance(preset: PresetDefinition): number | undefined {
  if (preset.family === "code") return preset.toleranceSeconds;
  if (preset.family === "token") return undefined;
  return preset.timestamp ? (preset.timestamp.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) : undefined;
}

/** Whether the sender puts its signature (or token) inside the body: `signBody`, not `sign`. */
function signsInBody(preset: PresetDefinition): boolean {
  if (preset.family === "hmac") return preset.signature.bodyField !== undefined;
  if (preset.family === "token") return preset.token.bodyField !== undefined;
  return preset.family === "code" && preset.signsInBody === true;
}
