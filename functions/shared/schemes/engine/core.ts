import type {
  HandshakeAnswer,
  HandshakeInput,
  HandshakePhase,
  IdentifyResult,
  KeyResult,
  ParseResult,
  SchemeFamily,
  SchemeOptions,
  SchemeRequest,
  SignedBody,
  SignedContent,
  SignInput,
  VerifyResult,
} from "../types";

/**
 * What a family (HMAC, asymmetric, token) or a code module compiles to; `compile.ts` adds the
 * preset's identity, handshakes and dedupe policy to make a `WebhookScheme`.
 */
export interface SchemeCore {
  readonly family: SchemeFamily;
  headers(options?: SchemeOptions): readonly string[];
  requiredHeader(options?: SchemeOptions): string | undefined;
  secretHeaders(options?: SchemeOptions): readonly string[];
  parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult;
  key(secret: string): KeyResult;
  check(signed: SignedContent, secrets: readonly string[], options?: SchemeOptions): VerifyResult;
  /** Headers a sender adds; throws (TypeError) for a sender that signs inside the body. */
  sign(input: SignInput, options?: SchemeOptions): Record<string, string>;
  /** For senders that sign inside the body: `input.body` is the payload before signing. */
  signBody?(input: SignInput, options?: SchemeOptions): SignedBody;
  /** A module's own identify, where data cannot say it (Braintree's XML `kind`). */
  identify?(request: SchemeRequest, data: unknown, options?: SchemeOptions): IdentifyResult;
  /** A module's own handshake (Braintree's `bt_challenge`). */
  answerHandshake?(
    phase: HandshakePhase,
    input: HandshakeInput,
    options?: SchemeOptions,
  ): HandshakeAnswer | undefined;
  readonly defaultToleranceSeconds?: number;
}
