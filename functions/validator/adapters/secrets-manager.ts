import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretsPort } from "../ports";

/**
 * Reads the current version (AWSCURRENT) of a provider's secret document. Rotation lives inside the
 * document (several active secrets), so one read serves every signature.
 *
 * @example await createSecretsManagerSource(new SecretsManagerClient({})).fetch("webhooks/dev/stripe")
 */
export function createSecretsManagerSource(client: SecretsManagerClient): SecretsPort {
  return {
    async fetch(secretId: string): Promise<string> {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (SecretString === undefined)
        throw new Error(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
      return SecretString;
    },
  };
}
