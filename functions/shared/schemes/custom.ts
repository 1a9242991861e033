import type { HmacPreset, ValueSource } from "./engine/definition";
import { parseTemplate, uses } from "./engine/template";

// The doc comments below are also the JSON Schema's descriptions of `customSchemes` entries
// (`npm run schema` reads them): each says what an adopter needs.

/**
 * An in-house or uncatalogued HMAC sender, declared with the engine's knobs: a provider uses it
 * as `scheme: "custom:<name>"`. Checked at synth like the rest of the configuration.
 */
export interface CustomSchemeDefinition {
  /** The HMAC hash. @default "sha256" */
  readonly algorithm?: "sha1" | "sha256" | "sha512";
  /** The header carrying the signature, e.g. `X-Acme-Signature`; exactly one of this and `signatureBodyField`. */
  readonly signatureHeader?: string;
  /** A JSON body field (dotted path) carrying the signature instead of a header, e.g. `signature.value`. */
  readonly signatureBodyField?: string;
  /** Fixed text before the signature, e.g. `sha256=`; not with `signatureField`. @default "" */
  readonly signaturePrefix?: string;
  /** For a list header such as `t=<ts>,v1=<sig>`: the field holding signatures (`v1`); up to 5 are tried. */
  readonly signatureField?: string;
  /** The separator between a list header's elements. @default "," */
  readonly listSeparator?: "," | ";";
  /** How the signature is encoded; hex is lowercase. @default "hex" */
  readonly encoding?: "hex" | "base64" | "base64url";
  /**
   * What is signed: a template over `{body}` (the raw bytes), `{timestamp}` (as sent), `{method}`,
   * `{url}` (the provider's `publicUrl`), `{header:Name}` and `{json:path}`; other text is literal,
   * e.g. `{timestamp}.{body}`. @default "{body}"
   */
  readonly signedContent?: string;
  /** The header carrying the timestamp, e.g. `X-Acme-Timestamp`. At most one timestamp source. */
  readonly timestampHeader?: string;
  /** In a list header, the field carrying the timestamp (`t`). */
  readonly timestampField?: string;
  /** A JSON body field (dotted path) carrying the timestamp. */
  readonly timestampBodyField?: string;
  /** How the timestamp is written. @default "unix-s" */
  readonly timestampFormat?: "unix-s" | "unix-ms" | "rfc3339";
  /** `two-sided` also refuses timestamps too far in the future; `past-only` bounds the age alone. @default "two-sided" */
  readonly toleranceWindow?: "two-sided" | "past-only";
  /** How a stored secret becomes the key: its UTF-8 bytes, or decoded. @default "utf8" */
  readonly secretEncoding?: "utf8" | "base64" | "hex";
  /** Stripped from a stored secret before it is decoded, e.g. `whsec_`. */
  readonly secretPrefix?: string;
  /** The header carrying the delivery id (the dedupe key). With no delivery id source, deliveries dedupe on the body's SHA-256. */
  readonly deliveryIdHeader?: string;
  /** A JSON body field (dotted path) carrying the delivery id. */
  readonly deliveryIdBodyField?: string;
  /** The header carrying the event type. */
  readonly eventTypeHeader?: string;
  /** A JSON body field (dotted path) carrying the event type; with no source present the event type is `unknown`. */
  readonly eventTypeBodyField?: string;
  /** How long the sender may resend a delivery, in hours (automatic retries and manual replays): the dedupe record lives a day longer. */
  readonly retryHorizonHours: number;
}

/** The HMAC preset a custom definition stands for. */
export function customPreset(name: string, definition: CustomSchemeDefinition): HmacPreset {
  const d = definition;
  const timestampSource = d.timestampHeader ?? d.timestampField ?? d.timestampBodyField;
  const ids: ValueSource[] = [
    ...(d.deliveryIdHeader === undefined ? [] : [{ header: d.deliveryIdHeader }]),
    ...(d.deliveryIdBodyField === undefined ? [] : [{ body: d.deliveryIdBodyField }]),
  ];
  const types: ValueSource[] = [
    ...(d.eventTypeHeader === undefined ? [] : [{ header: d.eventTypeHeader }]),
    ...(d.eventTypeBodyField === undefined ? [] : [{ body: d.eventTypeBodyField }]),
  ];
  return {
    family: "hmac",
    name: `custom:${name}`,
    algorithm: d.algorithm ?? "sha256",
    signature: {
      ...(d.signatureHeader === undefined
        ? { bodyField: d.signatureBodyField! }
        : { header: d.signatureHeader }),
      format:
        d.signatureField === undefined
          ? { kind: "plain", prefix: d.signaturePrefix ?? "" }
          : {
              kind: "elements",
              separator: d.listSeparator ?? ",",
              signatureField: d.signatureField,
              ...(d.timestampField === undefined ? {} : { timestampField: d.timestampField }),
            },
      encoding: d.encoding ?? "hex",
    },
    signedContent: d.signedContent ?? "{body}",
    ...(timestampSource === undefined
      ? {}
      : {
          timestamp: {
            ...(d.timestampHeader === undefined ? {} : { header: d.timestampHeader }),
            ...(d.timestampBodyField === undefined ? {} : { bodyField: d.timestampBodyField }),
            format: d.timestampFormat ?? "unix-s",
            window: d.toleranceWindow ?? "two-sided",
          },
        }),
    ...(d.secretEncoding === undefined || d.secretEncoding === "utf8"
      ? {}
      : {
          secret: {
            decode: d.secretEncoding,
            ...(d.secretPrefix === undefined ? {} : { prefix: d.secretPrefix }),
          },
        }),
    identity: {
      deliveryId: ids,
      deliveryIdFallback: "body-hash",
      eventType: types,
      eventTypeFallback: "unknown",
    },
    dedupe: { horizonHours: d.retryHorizonHours, ttlHours: d.retryHorizonHours + 24 },
    secretNote: "the signing secret, as the sender's configuration shows it",
  };
}

/**
 * What is wrong with a custom definition whose fields already have the right types, one
 * `[field, message]` per problem: the checks between fields the shape cannot express.
 */
export function customSchemeProblems(definition: CustomSchemeDefinition): Array<[string, string]> {
  const d = definition;
  const problems: Array<[string, string]> = [];
  const problem = (field: string, message: string) => problems.push([field, message]);
  if ((d.signatureHeader === undefined) === (d.signatureBodyField === undefined))
    problem("signatureHeader", "set exactly one of signatureHeader and signatureBodyField");
  if (d.signaturePrefix !== undefined && d.signatureField !== undefined)
    problem("signaturePrefix", "a list header (signatureField) has no prefix; set one of them");
  if (d.listSeparator !== undefined && d.signatureField === undefined)
    problem("listSeparator", "applies to a list header: set signatureField too");
  if (d.timestampField !== undefined && d.signatureField === undefined)
    problem("timestampField", "is a field of a list header: set signatureField too");
  const timestampSources = [d.timestampHeader, d.timestampField, d.timestampBodyField].filter(
    (s) => s !== undefined,
  );
  if (timestampSources.length > 1)
    problem("timestampHeader", "set at most one of timestampHeader, timestampField and timestampBodyField");
  if (timestampSources.length === 0 && (d.timestampFormat !== undefined || d.toleranceWindow !== undefined))
    problem(
      "timestampFormat",
      "there is no timestamp: set timestampHeader, timestampField or timestampBodyField",
    );
  if (d.secretPrefix !== undefined && (d.secretEncoding ?? "utf8") === "utf8")
    problem("secretPrefix", "is stripped before decoding: set secretEncoding to base64 or hex");
  const parts = parseTemplate(d.signedContent ?? "{body}");
  if (typeof parts === "string") {
    problem("signedContent", parts);
  } else {
    if (uses(parts, "timestamp") && timestampSources.length === 0)
      problem("signedContent", "uses {timestamp}: set timestampHeader, timestampField or timestampBodyField");
    if (uses(parts, "body") && d.signatureBodyField !== undefined)
      problem("signedContent", "cannot sign {body} when the signature is inside the body");
  }
  return problems;
}

/** Whether a custom definition signs the provider's public URL (it then needs `publicUrl`). */
export function customSignsUrl(definition: CustomSchemeDefinition): boolean {
  const parts = parseTemplate(definition.signedContent ?? "{body}");
  return typeof parts !== "string" && uses(parts, "url");
}
