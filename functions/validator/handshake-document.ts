import { SecretDocumentError } from "./secret-cache";

/**
 * The secret document's field that lets the next stateful handshake add its secret
 * (`{"secrets": ["<current>"], "acceptHandshake": true}`); the document the handshake writes
 * leaves it out, so each opening admits one handshake.
 */
export const ACCEPT_HANDSHAKE_FIELD = "acceptHandshake";

/** What a stateful handshake does to the provider's secret document. */
export type HandshakeDecision =
  /** The secret is already there (a sender repeating its handshake): answered without a write. */
  | { readonly action: "none" }
  /** The document accepts no handshake now: refused (403) with this reason. */
  | { readonly action: "refuse"; readonly reason: string }
  /** Write this document: the handshake's secret in front of the ones there, the opening closed. */
  | { readonly action: "write"; readonly document: string };

/**
 * Decides a stateful handshake (Asana's `X-Hook-Secret`, Notion's `verification_token`) from the
 * provider's current secret document, `undefined` while the secret has no value. The handshake is
 * unsigned, so anyone who knows the URL can send one: a secret is accepted only while there is no
 * value yet (the first setup) or the document says `"acceptHandshake": true` (the operator opened
 * it to add a webhook or re-create one). It goes in front of the secrets already there, which keep
 * verifying (the webhooks they belong to still deliver); the operator removes an old one when it
 * is done with. Throws {@link SecretDocumentError} for a document that is not one (never
 * overwritten).
 *
 * @example decideHandshake("asana", undefined, "s1") // { action: "write", document: '{"secrets":["s1"]}' }
 */
export function decideHandshake(
  providerId: string,
  currentDocument: string | undefined,
  secret: string,
): HandshakeDecision {
  const current = currentDocument === undefined ? { secrets: [], open: true } : readDocument(currentDocument);
  if (current.secrets.includes(secret)) return { action: "none" };
  if (!current.open) {
    return {
      action: "refuse",
      reason: `${providerId}'s signing secret is set and its secret document accepts no handshake; add "${ACCEPT_HANDSHAKE_FIELD}": true to it to accept the next one`,
    };
  }
  return { action: "write", document: JSON.stringify({ secrets: [secret, ...current.secrets] }) };
}

/**
 * The document as a handshake reads it: the active secrets (none while only opened) and whether
 * it accepts a handshake. Not an object, or secrets that are not non-empty strings: our
 * configuration is broken (503), never overwritten.
 */
function readDocument(text: string): { secrets: string[]; open: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SecretDocumentError("secret document is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new SecretDocumentError("secret document is not a JSON object");
  const { secrets = [], [ACCEPT_HANDSHAKE_FIELD]: open } = value as Record<string, unknown>;
  if (!Array.isArray(secrets) || !secrets.every((item) => typeof item === "string" && item !== ""))
    throw new SecretDocumentError('secret document\'s "secrets" is not a list of non-empty strings');
  return { secrets, open: open === true };
}
