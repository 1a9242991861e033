import type { KeyObject } from "node:crypto";
import type { HeaderFamily } from "../providers";

/**
 * What a scheme sees of a request: header values by lowercased name (each security header
 * already checked to appear once) and the exact raw body bytes the sender signed.
 */
export interface SchemeRequest {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  /** The HTTP method, upper case. @default "POST" */
  readonly method?: string;
  /** Decoded query parameters (GET handshakes: Dropbox's `challenge`, Braintree's `bt_challenge`). */
  readonly query?: ReadonlyMap<string, string>;
  /**
   * Every header line by lowercased name, for a scheme whose signed headers the request itself
   * names (Contentful's `x-contentful-signed-headers`); it refuses a repeated one itself.
   */
  readonly allHeaders?: ReadonlyMap<string, readonly string[]>;
}

export interface SchemeOptions {
  /** Allowed clock skew for schemes that carry a timestamp. @default the preset's (300 for most) */
  readonly toleranceSeconds?: number;
  /** Header names for `standard-webhooks`. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
  /**
   * The exact URL the sender was configured to call, query included: what URL-signing senders
   * (Square, HubSpot, Trello, Twilio, Contentful) sign. API Gateway's view of the URL differs
   * behind a custom domain or a stage prefix, so it comes from configuration.
   */
  readonly publicUrl?: string;
  /** A preset's own settings (PayPal `webhookId`, Okta `header`, Plaid `environment`). */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * The sender's published key that `parse` asked for (`SignedContent.keyRequest`), as fetched:
   * a PEM certificate chain (PayPal) or a JWK as JSON (Plaid).
   */
  readonly externalKey?: string;
}

/**
 * Why a request failed verification. The handler answers every code with the same 401, except
 * `unusable_secret` (our configuration is broken: 503); only `signature_mismatch` can be cured by
 * refreshing the secrets.
 */
export type VerifyFailureCode =
  | "missing_header"
  | "malformed_header"
  | "timestamp_out_of_tolerance"
  | "signature_mismatch"
  | "unusable_secret";

export interface VerifyFailure {
  readonly ok: false;
  readonly code: VerifyFailureCode;
  /** Exact and human-readable (which header, which check); never a secret or a signature value. */
  readonly reason: string;
}

export type VerifyResult =
  | {
      readonly ok: true;
      /** Index of the secret that matched (rotation: which one the sender still uses). */
      readonly secretIndex: number;
      /** Unix seconds the sender signed, for schemes that carry one. */
      readonly timestamp?: number;
    }
  | VerifyFailure;

/**
 * A sender's published verification key that `parse` found named in the request; the validator
 * fetches it (see `KeyFetchPort`) and passes it back as `SchemeOptions.externalKey`.
 */
export type KeyRequest =
  /** PayPal: the certificate chain at `PAYPAL-CERT-URL` (a pinned PayPal host). */
  | { readonly kind: "x509-url"; readonly url: string }
  /** Plaid: the JWK `keyId` from `POST <host>/webhook_verification_key/get` with the API credentials. */
  | { readonly kind: "plaid-jwk"; readonly host: string; readonly keyId: string };

/**
 * A request whose signature passed every check that needs no secret: what `check` compares.
 * Each family extends it with what it needs; only the scheme that parsed it reads it.
 */
export interface SignedContent {
  /** Display name of where the signature was, for reasons. */
  readonly header: string;
  /** Unix seconds the sender signed, for schemes that carry one. */
  readonly timestamp?: number;
  /** A published key to fetch before `check` can run. */
  readonly keyRequest?: KeyRequest;
}

export type ParseResult = { readonly ok: true; readonly signed: SignedContent } | VerifyFailure;

/**
 * What a secret stands for, or why the secret is unusable: an HMAC key, a public key, a token.
 * Binary HMAC keys are KeyObjects: Node's HMAC takes a Buffer key several times slower than a
 * string or a KeyObject.
 */
export type KeyResult =
  | { readonly ok: true; readonly key: string | KeyObject }
  | { readonly ok: false; readonly reason: string };

/** One event of a batch delivery (HubSpot, SendGrid, Adyen…): what per-item dedupe keys on. */
export interface BatchItem {
  readonly deliveryId: string;
  readonly eventType: string;
}

export type IdentifyResult =
  | {
      readonly ok: true;
      /** The sender's id for this delivery (the dedupe key); undefined: the scheme has none, do not dedupe. */
      readonly deliveryId: string | undefined;
      readonly eventType: string;
      /** Batch senders: every event the request carries, in order. */
      readonly items?: readonly BatchItem[];
    }
  | { readonly ok: false; readonly reason: string };

export interface SignInput {
  readonly body: Uint8Array | string;
  /**
   * One secret, or several to sign for a rotation (schemes with a single signature take exactly
   * one). Asymmetric and certificate senders take a private key here (PEM, or Ed25519's 32-byte
   * seed in hex), the one whose public half the verifier holds.
   */
  readonly secrets: readonly string[];
  /** Unix seconds; ignored by schemes without a timestamp (sent as ms or RFC 3339 where the sender does). */
  readonly timestamp: number;
  /** Delivery id: required by `standard-webhooks`, optional `X-Webhook-Id` for `generic`. */
  readonly id?: string;
  /** The HTTP method the sender signs (HubSpot, Contentful). @default "POST" */
  readonly method?: string;
  /** Where the verifier finds the public key: Plaid's `kid`, PayPal's certificate URL. */
  readonly keyId?: string;
  /**
   * Senders whose verifier holds something other than the key's public half (PayPal: the
   * webhook id; Plaid: API credentials) sign with this private key (PEM).
   */
  readonly privateKey?: string;
}

/** A body a sender signs inside itself, and the headers it sends with it. */
export interface SignedBody {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** How a scheme authenticates a request. */
export type SchemeFamily = "hmac" | "asymmetric" | "token" | "code";

/**
 * When a handshake is answered: before the signature check (unsigned requests: GET/HEAD
 * challenges, WooCommerce's ping, Asana's and Notion's secret hand-over) or after it (signed
 * challenges: Slack, Zoom, Twitch, Discord, Xero, Okta).
 */
export type HandshakePhase = "before-verification" | "after-verification";

export interface HandshakeInput {
  readonly request: SchemeRequest;
  /** The parsed body (after verification only). */
  readonly data?: unknown;
  /** The provider's active secrets (Zoom's echo and Braintree's challenge answer with one). */
  readonly secrets?: readonly string[];
  /** Which of `secrets` verified the request (after verification). */
  readonly secretIndex?: number;
}

/** What to answer a handshake with, instead of storing and queueing the request. */
export interface HandshakeAnswer {
  /** The kind that matched (for logs and metrics). */
  readonly kind: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * Stateful kinds (Asana's `X-Hook-Secret`, Notion's `verification_token`): a value the sender
   * handed over that must be stored (as the provider's signing secret, or shown to the operator)
   * before the answer is sent. The caller owns the storing; without it, it must not answer 2xx.
   */
  readonly store?: { readonly secret: string };
}

/** One signature scheme: pure functions, no I/O. */
export interface WebhookScheme {
  /** The preset id (`stripe`, `hubspot`), or `custom:<name>`. */
  readonly id: string;
  readonly family: SchemeFamily;
  /**
   * Lowercased names of every header the scheme reads. The handler rejects (400) a request where
   * one of them is repeated or empty, so no gateway choice between two values matters.
   */
  headers(options?: SchemeOptions): readonly string[];
  /**
   * The header every legitimate POST carries, which API Gateway can require before invoking the
   * Lambda; undefined when some legitimate request lacks it (a body-field signature, an unsigned
   * ping or handshake).
   */
  requiredHeader(options?: SchemeOptions): string | undefined;
  /** Headers carrying a signature or a secret itself (token senders): redacted from WAF logs. */
  secretHeaders(options?: SchemeOptions): readonly string[];
  /** Syntactic checks and the timestamp window: everything that needs no secret. */
  parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult;
  key(secret: string): KeyResult;
  /** The comparison `parse` prepared, against every active secret (and `options.externalKey`). */
  check(signed: SignedContent, secrets: readonly string[], options?: SchemeOptions): VerifyResult;
  /** `parse` and then `check`. */
  verify(
    request: SchemeRequest,
    secrets: readonly string[],
    nowSeconds: number,
    options?: SchemeOptions,
  ): VerifyResult;
  /**
   * The headers a sender adds; used by tests, the CLI and property tests. Throws (TypeError) for
   * a sender that signs inside the body: use `signBody`.
   */
  sign(input: SignInput, options?: SchemeOptions): Record<string, string>;
  /**
   * For senders that sign inside the body (Mailgun, Adyen, Braintree, Figma): `input.body` is the
   * payload before signing; returns the body to send and the headers.
   */
  signBody?(input: SignInput, options?: SchemeOptions): SignedBody;
  /** Delivery id and event type of a verified request, from its headers and parsed body. */
  identify(request: SchemeRequest, data: unknown, options?: SchemeOptions): IdentifyResult;
  /** The handshake kinds the sender uses, as data (docs, the API's GET/HEAD plumbing). */
  readonly handshakes: readonly HandshakeKind[];
  /** The answer to a handshake request in `phase`, or undefined for an ordinary request. */
  answerHandshake(
    phase: HandshakePhase,
    input: HandshakeInput,
    options?: SchemeOptions,
  ): HandshakeAnswer | undefined;
  /**
   * The JSON body of an immediate 200 for a signed handshake answered from the body alone
   * (Slack's `url_verification`); undefined for an ordinary event. `answerHandshake` covers every kind.
   */
  handshake?(data: unknown): Record<string, unknown> | undefined;
  /** How long a delivery id must be remembered: the sender's retry horizon and the TTL to use. */
  readonly dedupe: DedupePolicy;
  /** Body fields that differ between attempts of one delivery (see `PresetBase.volatileFields`). */
  readonly volatileFields?: readonly (readonly string[])[];
  /** The tolerance when the provider sets none, for schemes with a timestamp. */
  readonly defaultToleranceSeconds?: number;
}

/** Retry horizon and dedupe TTL of a sender (hours). */
export interface DedupePolicy {
  /** The TTL to use unless the provider sets one: the horizon (and any manual replay window) plus a margin. */
  readonly ttlHours: number;
  /** The documented automatic retry horizon plus manual replay window; undefined when the sender documents none. */
  readonly horizonHours?: number;
}

/**
 * Handshake kinds, as data. Matchers name a body field (dotted path) or a header and the value
 * that marks the handshake.
 */
export type HandshakeKind =
  /** Signed POST whose body field `field` is echoed: Slack (`{"challenge"}` JSON), Twitch (text/plain). */
  | {
      readonly kind: "echo-body-field";
      readonly when: HandshakeMatch;
      readonly field: string;
      readonly reply: "json" | "text";
    }
  /** Signed POST: reply `{plainToken, encryptedToken: hex HMAC-SHA256(secret, plainToken)}` (Zoom). */
  | { readonly kind: "hmac-echo"; readonly when: HandshakeMatch; readonly field: string }
  /**
   * Signed POST answered with a fixed status and JSON body (Discord's PING → `{"type":1}`); a
   * list of matches must all hold (an interactions PING is `type` 1 with a `token`, a webhook
   * event `type` 1 without one).
   */
  | {
      readonly kind: "constant-reply";
      readonly when: HandshakeMatch | readonly HandshakeMatch[];
      readonly status: number;
      readonly json?: Readonly<Record<string, unknown>>;
    }
  /** A POST answered with a bare status, nothing stored: Xero's intent to receive, WooCommerce's unsigned ping. */
  | {
      readonly kind: "status-only";
      readonly when: HandshakeMatch;
      readonly status: number;
      readonly unsigned?: boolean;
    }
  /** Unsigned GET `?<param>=<s>` echoed as text/plain (Dropbox). */
  | { readonly kind: "get-echo-query"; readonly param: string }
  /** GET carrying `header`, answered `{"<field>": value}` once the request's token verified (Okta). */
  | { readonly kind: "get-echo-header-json"; readonly header: string; readonly field: string }
  /** HEAD answered 200 (Trello's check when the webhook is created). */
  | { readonly kind: "head-ok" }
  /** Stateful: unsigned POST carrying `header`; echo it and store its value as the signing secret (Asana). */
  | { readonly kind: "echo-header"; readonly header: string }
  /** Stateful: unsigned POST whose body field holds the token the operator must confirm (Notion). */
  | { readonly kind: "capture-token"; readonly field: string }
  /**
   * A scheme-specific challenge computed by the sender's code module from the provider's secrets
   * (Braintree's `bt_challenge`), on `method` with the query parameter `query` when every such
   * request carries one: what the API's method for it requires.
   */
  | {
      readonly kind: "module";
      readonly description: string;
      readonly method: HandshakeMethod;
      readonly query?: string;
    };

/** The HTTP method a handshake arrives with; GET and HEAD need their own API Gateway methods. */
export type HandshakeMethod = "POST" | "GET" | "HEAD";

/** Which requests a handshake kind answers: a header or body field equal to a value. */
export type HandshakeMatch =
  | { readonly header: string; readonly equals: string }
  | { readonly body: string; readonly equals: string | number }
  /** The body field is an empty array, or null (Xero's intent-to-receive `events`). */
  | { readonly body: string; readonly empty: true }
  /** The body field (a JSON value or a form field) matches a regular expression (source). */
  | { readonly body: string; readonly matches: string };
