import { createHash } from "node:crypto";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { HandshakeStorePort, HandshakeStoreResult } from "../ports";
import { SecretDocumentError } from "../secret-cache";

/**
 * The secret document's field that lets the next stateful handshake add its secret
 * (`{"secrets": ["<current>"], "acceptHandshake": true}`); the document the handshake writes
 * leaves it out, so each opening admits one handshake.
 */
export const ACCEPT_HANDSHAKE_FIELD = "acceptHandshake";

/** Reads after another handshake wrote first: each re-reads the document and decides again. */
const ATTEMPTS = 3;
const STORED: HandshakeStoreResult = { stored: true };

/**
 * Stores a stateful handshake's secret (Asana's `X-Hook-Secret`, Notion's `verification_token`)
 * in the provider's secret document with PutSecretValue. The handshake is unsigned, so anyone who
 * knows the URL can send one: a secret is accepted only while the secret has no value yet (the
 * first setup) or its document says `"acceptHandshake": true` (the operator opened it to add a
 * webhook or re-create one). It goes in front of the secrets already there, which keep verifying
 * (the webhooks they belong to still deliver); the operator removes an old one when it is done
 * with. A secret already in the document is answered without a write (a sender repeating its
 * handshake). Otherwise the handshake is refused.
 *
 * Concurrent handshakes cannot both win: each new version's id (`ClientRequestToken`) is derived
 * from the version it was merged from, and Secrets Manager refuses a second, different value under
 * an id that exists. The loser reads again and finds the document closed.
 *
 * @example await createSecretsManagerHandshakeStore(new SecretsManagerClient({})).store({ id: "asana", secretId }, hookSecret)
 */
export function createSecretsManagerHandshakeStore(client: SecretsManagerClient): HandshakeStorePort {
  async function current(secretId: string): Promise<{ versionId?: string; text?: string }> {
    try {
      const { VersionId, SecretString } = await client.send(
        new GetSecretValueCommand({ SecretId: secretId }),
      );
      if (SecretString === undefined)
        throw new SecretDocumentError(
          `secret ${secretId} has no SecretString (binary secrets are not supported)`,
        );
      return { versionId: VersionId, text: SecretString };
    } catch (error) {
      // No AWSCURRENT value yet: the secret was created empty, as the stack creates it.
      if (error instanceof ResourceNotFoundException) return {};
      throw error;
    }
  }

  return {
    async store(provider, secret) {
      let seenVersion: string | undefined;
      for (let attempt = 1; ; attempt++) {
        const { versionId, text } = await current(provider.secretId);
        if (attempt > 1 && versionId === seenVersion) {
          throw new Error(
            `secret ${provider.secretId}: version ${versionAfter(versionId)} exists with another value but ${versionId ?? "no version"} is still current: another handshake's write is not visible yet (the sender's retry will see it), or the secret was rolled back to an earlier version (put the document again to make a new one)`,
          );
        }
        seenVersion = versionId;
        const document = text === undefined ? { secrets: [], open: true } : readDocument(text);
        if (document.secrets.includes(secret)) return STORED;
        if (!document.open) {
          return {
            stored: false,
            reason: `${provider.id}'s signing secret is set and its secret document accepts no handshake; add "${ACCEPT_HANDSHAKE_FIELD}": true to it to accept the next one`,
          };
        }
        try {
          await client.send(
            new PutSecretValueCommand({
              SecretId: provider.secretId,
              SecretString: JSON.stringify({ secrets: [secret, ...document.secrets] }),
              ClientRequestToken: versionAfter(versionId),
            }),
          );
          return STORED;
        } catch (error) {
          if (!(error instanceof ResourceExistsException) || attempt === ATTEMPTS) throw error;
        }
      }
    },
  };
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

/**
 * The id of the version written after `versionId` (UUID-shaped, as Secrets Manager generates
 * them): the same for every handshake that read the same version, which is what lets only one of
 * them write.
 */
function versionAfter(versionId: string | undefined): string {
  const hex = createHash("sha256")
    .update(`handshake after ${versionId ?? "no value"}`)
    .digest("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    "-",
  );
}
