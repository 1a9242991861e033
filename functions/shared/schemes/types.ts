import type { KeyObject } from "node:crypto";
import type { HeaderFamily, SchemeId } from "../providers";

/**
 * What a scheme sees of a request: header values by lowercased name (each security header
 * already checked to appear once) and the exact raw body bytes the sender signed.
 */
export interface SchemeRequest {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

export interface SchemeOptions {
  /** Allowed clock skew in both directions for schemes that carry a timestamp. @default 300 */
  readonly toleranceSeconds?: number;
  /** Header names for `standard-webhooks`. @default "webhook" */
  readonly headerFamily?: HeaderFamily;
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
 * A request whose signature header passed every syntactic check: what to hash and what to compare
 * the result with. The MAC input is `prefix` followed by `body`, so the body is never copied.
 */
export interface SignedContent {
  /** Display name of the signature header, for reasons. */
  readonly header: string;
  readonly prefix: string;
  readonly body: Uint8Array;
  /** Decoded candidate signatures, each exactly 32 bytes. */
  readonly signatures: readonly Buffer[];
  readonly timestamp?: number;
}

export type ParseResult = { readonly ok: true; readonly signed: SignedContent } | VerifyFailure;

/**
 * The HMAC key a secret stands for, or why the secret is unusable. Binary keys are KeyObjects:
 * Node's HMAC takes a Buffer key several times slower than a string or a KeyObject.
 */
export type KeyResult =
  | { readonly ok: true; readonly key: string | KeyObject }
  | { readonly ok: false; readonly reason: string };

export type IdentifyResult =
  | {
      readonly ok: true;
      /** The sender's id for this delivery (the dedupe key); undefined: the scheme has none, do not dedupe. */
      readonly deliveryId: string | undefined;
      readonly eventType: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface SignInput {
  readonly body: Uint8Array | string;
  /** One secret, or several to sign for a rotation (schemes with a single signature take exactly one). */
  readonly secrets: readonly string[];
  /** Unix seconds; ignored by schemes without a timestamp. */
  readonly timestamp: number;
  /** Delivery id: required by `standard-webhooks`, optional `X-Webhook-Id` for `generic`. */
  readonly id?: string;
}

/** One signature scheme: pure functions, no I/O. */
export interface WebhookScheme {
  readonly id: SchemeId;
  /**
   * Lowercased names of every header the scheme reads. The handler rejects (400) a request where
   * one of them is repeated or empty, so no gateway choice between two values matters.
   */
  headers(options?: SchemeOptions): readonly string[];
  /** Syntactic checks and the timestamp window: everything that needs no secret. */
  parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult;
  key(secret: string): KeyResult;
  /** `parse` and then the MAC against every secret. */
  verify(
    request: SchemeRequest,
    secrets: readonly string[],
    nowSeconds: number,
    options?: SchemeOptions,
  ): VerifyResult;
  /** The headers a sender adds; used by tests, the CLI and property tests. */
  sign(input: SignInput, options?: SchemeOptions): Record<string, string>;
  /** Delivery id and event type of a verified request, from its headers and parsed body. */
  identify(request: SchemeRequest, data: unknown, options?: SchemeOptions): IdentifyResult;
  /**
   * The body of an immediate 200 for a handshake that must not be stored or queued (Slack's
   * `url_verification`); undefined for an ordinary event.
   */
  handshake?(data: unknown): Record<string, unknown> | undefined;
}
