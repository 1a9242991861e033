import { createHash } from "node:crypto";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { decideHandshake } from "../handshake-document";
import type { HandshakeStorePort, HandshakeStoreResult } from "../ports";
import { SecretDocumentError } from "../secret-cache";

/** Reads after another handshake wrote first: each re-reads the document and decides again. */
const ATTEMPTS = 3;
const STORED: HandshakeStoreResult = { stored: true };

/**
 * Stores a stateful handshake's secret (Asana's `X-Hook-Secret`, Notion's `verification_token`)
 * in the provider's secret document with PutSecretValue, as {@link decideHandshake} decides (no
 * value yet, or a document that accepts one).
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
        const decision = decideHandshake(provider.id, text, secret);
        if (decision.action === "none") return STORED;
        if (decision.action === "refuse") return { stored: false, reason: decision.reason };
        try {
          await client.send(
            new PutSecretValueCommand({
              SecretId: provider.secretId,
              SecretString: decision.document,
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
