import type { DedupePolicy, HandshakeKind } from "../types";

/**
 * The preset model: every sender is one of these records. HMAC, asymmetric and token senders are
 * pure data the engine compiles (lazily, per provider); code senders name a module and keep the
 * same identity, dedupe and handshake data.
 */
export type PresetDefinition = HmacPreset | AsymmetricPreset | TokenPreset | CodePreset;

export type HmacAlgorithm = "sha1" | "sha256" | "sha512";
export type SignatureEncoding = "hex" | "base64" | "base64url";
export type TimestampFormat = "unix-s" | "unix-ms" | "rfc3339";
export type ToleranceWindow = "two-sided" | "past-only";

/** What every preset carries, whatever its family. */
export interface PresetBase {
  /** The name people know the sender by, for docs. */
  readonly name: string;
  readonly identity: IdentityDefinition;
  readonly dedupe: DedupePolicy;
  readonly handshakes?: readonly HandshakeKind[];
  /** What the secret document's `secrets` list holds for this sender (docs and error hints). */
  readonly secretNote: string;
  /** Settings a provider sets for this sender (`providers[].settings`). */
  readonly settings?: Readonly<Record<string, SettingDefinition>>;
  /** Docs: anything an operator must know that the columns do not say. */
  readonly notes?: string;
  /**
   * Docs: how the sender is pointed at the endpoint (where its dashboard or API takes the URL)
   * and where the value `secretNote` names is found; one or two sentences.
   */
  readonly setup?: string;
  /**
   * Body fields the sender changes from one attempt of a delivery to the next (an attempt counter,
   * a send time), each a path of member names (`*` for every element): left out of the content
   * digest, so a retry is a duplicate and not a delivery id reused for another body (409).
   */
  readonly volatileFields?: readonly (readonly string[])[];
  /**
   * Header names start with `webhook-`; `headerFamily: "svix"` reads them as `svix-` instead
   * (Standard Webhooks as Svix sends it).
   */
  readonly headerFamilies?: boolean;
  /**
   * The header API Gateway may require; by default the signature header when there is exactly
   * one. `null`: none (a legitimate request may come without it).
   */
  readonly gatewayHeader?: string | null;
}

export interface SettingDefinition {
  readonly description: string;
  /** The value must match this regular expression (source). */
  readonly pattern: string;
  readonly required?: boolean;
  readonly default?: string;
}

/** An HMAC sender: K1–K7. */
export interface HmacDefinition {
  /** K1. */
  readonly algorithm: HmacAlgorithm;
  /** K2–K4. */
  readonly signature: SignatureDefinition;
  /**
   * K5: the signed bytes, a template over `{body}`, `{timestamp}` (the timestamp exactly as sent),
   * `{method}`, `{url}` (the configured public URL), `{header:Name}` and `{json:path}`; any other
   * text is literal.
   */
  readonly signedContent: string;
  /** K6; none: nothing bounds a replay but the dedupe record. */
  readonly timestamp?: TimestampDefinition;
  /** K7. @default utf8 */
  readonly secret?: SecretDefinition;
  /** The sender may omit this prefix from every header name (Shopify's `X-`). */
  readonly optionalHeaderPrefix?: string;
}

export interface HmacPreset extends PresetBase, HmacDefinition {
  readonly family: "hmac";
}

/** Where the signature is (exactly one of `header`, `headers`, `headerPattern`, `bodyField`), how it reads. */
export interface SignatureDefinition {
  readonly header?: string;
  /** Several headers, each carrying a signature (Box's primary and secondary). */
  readonly headers?: readonly string[];
  /** Numbered headers, `{n}` from 1 to `headerCount` (DocuSign's one per active key). */
  readonly headerPattern?: string;
  readonly headerCount?: number;
  /** A body field (dotted path) holding the signature (Mailgun). */
  readonly bodyField?: string;
  /** K3. @default { kind: "plain" } */
  readonly format?: SignatureFormat;
  /** K4. Hex is lowercase (what senders send and their libraries require). */
  readonly encoding: SignatureEncoding;
  /** Headers that must carry exactly these values, or no signature is computed (Box). */
  readonly requireHeaders?: Readonly<Record<string, string>>;
  /** How many candidate signatures are tried at most. @default 5 */
  readonly maxSignatures?: number;
}

export type SignatureFormat =
  /** The whole value, after an optional fixed prefix: `sha256=<sig>`, `v0=<sig>`, `<sig>`. */
  | { readonly kind: "plain"; readonly prefix?: string }
  /**
   * `name=value` elements: `t=<ts>,v1=<sig>[,v1=<sig>…]` (Stripe), `ts=…;h1=…` (Paddle). Elements
   * other than the timestamp and signature fields are skipped unless `strict`. `groupSeparator`:
   * several such lists, each with its own timestamp (Persona's rotation).
   */
  | {
      readonly kind: "elements";
      readonly separator: "," | ";";
      readonly signatureField: string;
      readonly timestampField?: string;
      readonly strict?: boolean;
      /** Whitespace around elements is ignored (WorkOS's `t=…, v1=…`). */
      readonly trim?: boolean;
      readonly groupSeparator?: " ";
    }
  /** Space-separated `<version>,<sig>` entries; other versions are skipped (Standard Webhooks). */
  | { readonly kind: "entries"; readonly version: string };

export interface TimestampDefinition {
  /**
   * Where it is: a header, a body field, or (neither) the signature's `timestampField`.
   */
  readonly header?: string;
  readonly bodyField?: string;
  readonly format: TimestampFormat;
  /** @default 300 */
  readonly toleranceSeconds?: number;
  /** @default "two-sided" */
  readonly window?: ToleranceWindow;
}

export interface SecretDefinition {
  readonly decode: "utf8" | "base64" | "hex";
  /** Stripped when present (Standard Webhooks' `whsec_`). */
  readonly prefix?: string;
  readonly minBytes?: number;
  readonly maxBytes?: number;
}

/** Ed25519 (Discord) or ECDSA P-256 (SendGrid) over the same parse and template knobs. */
export interface AsymmetricPreset extends PresetBase {
  readonly family: "asymmetric";
  readonly algorithm: "ed25519" | "ecdsa-p256-sha256";
  readonly signature: SignatureDefinition;
  readonly signedContent: string;
  readonly timestamp?: TimestampDefinition;
  /** How the stored public key reads: Ed25519's 32 bytes in hex, or base64 of a DER SubjectPublicKeyInfo. */
  readonly publicKey: "ed25519-hex" | "spki-base64";
}

/** A secret the sender presents as it is, compared in constant time. */
export interface TokenPreset extends PresetBase {
  readonly family: "token";
  /** Exactly one: a header, the header a setting names, Basic credentials, or a body field. */
  readonly token: {
    readonly header?: string;
    readonly headerSetting?: string;
    readonly basic?: boolean;
    readonly bodyField?: string;
  };
}

export type ModuleName = "twilio" | "adyen" | "braintree" | "paypal" | "plaid" | "netlify" | "contentful";

/** A sender whose check is code (`schemes/modules/<module>.ts`) on the same interface. */
export interface CodePreset extends PresetBase {
  readonly family: "code";
  readonly module: ModuleName;
  /** The tolerance when the provider sets none, for modules that check a timestamp. */
  readonly toleranceSeconds?: number;
  /** The module signs the configured public URL. */
  readonly signsPublicUrl?: boolean;
  /** The signature travels inside the body (`signBody`, no signature header). */
  readonly signsInBody?: boolean;
}

/**
 * A value read from the request: exactly one of a header, a body field (dotted path, digits index
 * arrays), several body fields (their SHA-256, a composite key; or joined, with `join`) or a
 * constant.
 */
export interface ValueSource {
  readonly header?: string;
  readonly body?: string;
  readonly bodyFields?: readonly string[];
  /** `bodyFields` joined with this separator (every field present) instead of hashed: `INVOICE.UPDATE`. */
  readonly join?: string;
  /** A number in `body` is taken as its decimal text (Discord's interaction `type`). */
  readonly text?: boolean;
  readonly constant?: string;
  /** A constant only when this body field is a string (Slack's slash commands). */
  readonly when?: string;
}

/** K8: where the delivery id and event type are. Sources are tried in order; the first present wins. */
export interface IdentityDefinition {
  /** The parsed body must be an object (a JSON object, or a form's fields). */
  readonly requireObject?: "json" | "json-or-form";
  readonly deliveryId: readonly ValueSource[];
  /** No source present: a 400 (`error`), the SHA-256 of the raw body (retries resend the same bytes), or no dedupe. @default "error" */
  readonly deliveryIdFallback?: "error" | "body-hash" | "none";
  readonly eventType: readonly ValueSource[];
  /** No source present: this event type; without it, a 400. */
  readonly eventTypeFallback?: string;
  /** What a missing event type is called in the reason, and the last source in any reason. @default the first source */
  readonly eventTypeMissing?: string;
  /** Several events per request. */
  readonly batch?: BatchDefinition;
}

export interface BatchDefinition {
  /** Dotted path of the array of events; empty: the body is the array. */
  readonly items: string;
  /** Within an item: the field holding its id, or several fields (a composite, hashed). */
  readonly itemId: readonly string[];
  /** Within an item: the fields tried for its event type. */
  readonly itemType: readonly string[];
  /** Join every `itemType` field with this separator instead of taking the first present. */
  readonly itemTypeJoin?: string;
}
