import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { PAYPAL_CERT_URL, PRESET_IDS, PRESETS, type PresetDefinition } from "@webhooks/shared";
import { readInput, readSecrets } from "./args";
import { type Io, UsageError } from "./command";
import type { SchemeChoice } from "./scheme-choice";

/**
 * What a sender signs with. Most presets sign with the secret their verifier holds; asymmetric
 * senders with the private half of the public key the secret document holds; PayPal with its
 * certificate's key (the secret document holds the webhook id it signs too); Plaid with a key its
 * verifier fetches by id.
 */
export type Material = "secret" | "private-key" | "paypal" | "plaid";

export function signingMaterial(preset: PresetDefinition): Material {
  if (preset.family === "asymmetric") return "private-key";
  if (preset.family === "code" && preset.module === "paypal") return "paypal";
  if (preset.family === "code" && preset.module === "plaid") return "plaid";
  return "secret";
}

/** The presets that sign with a private key, for messages. */
const PRIVATE_KEY_PRESETS = PRESET_IDS.filter((id) => signingMaterial(PRESETS[id]) !== "secret");

/** The key type each private-key sender signs with (`KeyObject.asymmetricKeyType` and curve). */
const KEY_TYPES: Record<Exclude<Material, "secret">, (preset: PresetDefinition) => string> = {
  "private-key": (preset) =>
    preset.family === "asymmetric" && preset.algorithm === "ed25519" ? "ed25519" : "ec prime256v1",
  paypal: () => "rsa",
  plaid: () => "ec prime256v1",
};

export interface SigningKeys {
  /** What `SignInput.secrets` takes: secrets, or the private key (PEM) of an asymmetric sender. */
  readonly secrets: readonly string[];
  /** PayPal's and Plaid's private key (PEM). */
  readonly privateKey?: string;
  /** Plaid's `kid`, PayPal's certificate URL. */
  readonly keyId?: string;
  /** The private key, for the public half the verifier holds. */
  readonly key?: KeyObject;
}

export interface KeyValues {
  readonly secret?: string[] | undefined;
  readonly "secret-file"?: string | undefined;
  readonly "private-key"?: string | undefined;
  readonly "key-id"?: string | undefined;
}

/** `--secret`, `--private-key` and `--key-id` as the chosen sender signs with them; a missing or stray one is bad input. */
export async function readSigningKeys(choice: SchemeChoice, values: KeyValues, io: Io): Promise<SigningKeys> {
  const material = signingMaterial(choice.preset);
  const { ref } = choice;
  const hasSecret = values.secret !== undefined || values["secret-file"] !== undefined;
  if (material === "secret") {
    for (const option of ["private-key", "key-id"] as const) {
      if (values[option] !== undefined)
        throw new UsageError(
          `--${option} applies to ${PRIVATE_KEY_PRESETS.join(", ")}; ${ref} signs with --secret`,
        );
    }
    return { secrets: await readSecrets(values, io) };
  }
  if (material === "private-key" || material === "plaid") {
    if (hasSecret) {
      const verifier =
        material === "plaid"
          ? "the API credentials are verify's --secret"
          : "verify takes its public key as --secret";
      throw new UsageError(
        `--secret: ${ref} signs with a private key: give --private-key <pem file> (${verifier})`,
      );
    }
  }
  const file = values["private-key"];
  if (file === undefined)
    throw new UsageError(`--private-key <pem file> is required: ${ref} signs with a private key`);
  const pem = (await readInput(file, "private-key", io)).toString("utf8");
  const key = parsePrivateKey(pem, file, KEY_TYPES[material](choice.preset), ref);
  if (material === "private-key") {
    if (values["key-id"] !== undefined)
      throw new UsageError(`--key-id applies to paypal and plaid, not ${ref}`);
    return { secrets: [pem], key };
  }
  const keyId = values["key-id"];
  if (material === "paypal") {
    if (keyId === undefined || !PAYPAL_CERT_URL.test(keyId))
      throw new UsageError(
        `--key-id must be the certificate's URL on PayPal's API hosts (https://api.paypal.com/v1/notifications/certs/<name>), got ${keyId === undefined ? "none" : `'${keyId}'`}`,
      );
    return { secrets: await readSecrets(values, io), privateKey: pem, keyId, key };
  }
  if (keyId === undefined || !/^[\x21-\x7e]{1,128}$/.test(keyId))
    throw new UsageError(
      "--key-id is required: the kid (1-128 printable characters) Plaid's key is fetched by",
    );
  // Plaid's verifier fetches the key by kid; the secret document's credentials take no part in signing.
  return { secrets: [], privateKey: pem, keyId, key };
}

function parsePrivateKey(pem: string, file: string, expected: string, ref: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new UsageError(`--private-key: ${file} is not a PEM private key`);
  }
  const type = [key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve].filter(Boolean).join(" ");
  if (type !== expected)
    throw new UsageError(`--private-key: ${ref} signs with an ${expected} key, ${file} holds an ${type} key`);
  return key;
}

/**
 * What the verifier needs for a private key the CLI signed with: the public key the secret
 * document holds (Discord, SendGrid), or Plaid's key as `verify --key-file` takes it.
 */
export function verifierKeyNote(choice: SchemeChoice, keys: SigningKeys): string | undefined {
  if (!keys.key) return undefined;
  const material = signingMaterial(choice.preset);
  const spki = createPublicKey(keys.key).export({ format: "der", type: "spki" });
  if (material === "private-key") {
    const text =
      choice.preset.family === "asymmetric" && choice.preset.publicKey === "ed25519-hex"
        ? spki.subarray(-32).toString("hex")
        : spki.toString("base64");
    return `note: the secret document holds this key's public half: ${text}`;
  }
  if (material === "plaid") {
    const jwk = {
      ...createPublicKey(keys.key).export({ format: "jwk" }),
      alg: "ES256",
      kid: keys.keyId,
      use: "sig",
    };
    return `note: verify with --key-file holding Plaid's key for this private key: ${JSON.stringify(jwk)}`;
  }
  return undefined;
}
