import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { storesHandshakeSecret, type WebhookScheme } from "@webhooks/shared";
import { ACCEPT_HANDSHAKE_FIELD, decideHandshake } from "../../../functions/validator/handshake-document";
import type { HandshakeStorePort, SecretsPort } from "../../../functions/validator/ports";
import { UsageError } from "../command";

/**
 * The local secrets file: the API key, and per provider the same document its Secrets Manager
 * secret holds (`{"secrets": ["<active>", "<previous>…"]}`), so rotation works as deployed.
 */
export interface SecretsFile {
  readonly "//"?: string;
  readonly apiKey: string;
  readonly providers: Readonly<Record<string, unknown>>;
}

/** What `webhooks dev` signs and checks with. */
export interface DevSecrets {
  readonly file: string;
  /** Created by this start (it did not exist). */
  readonly created: boolean;
  /** Providers this start added to an existing file (new in the configuration). */
  readonly added: readonly string[];
  readonly apiKey: string;
  /** Providers whose secrets came from `--secret` (they override the file). */
  readonly fromFlags: Readonly<Record<string, readonly string[]>>;
}

const FILE_NOTE =
  'webhooks dev: local signing secrets, one Secrets Manager document per provider ({"secrets": [active, previous…]}); edits apply within the secret cache time, as a rotation does';

/** The id the local validator's providers name their secret by. */
export function devSecretId(providerId: string): string {
  return `webhooks-dev/${providerId}`;
}

/** A random secret in the shape the provider's dashboard gives out (Standard Webhooks needs base64 key bytes). */
export function newSigningSecret(scheme: WebhookScheme): string {
  const bytes = randomBytes(24);
  // A `whsec_`-prefixed base64 secret suits senders that decode it (Standard Webhooks) and is a
  // plain string to the rest; hex for any scheme that refuses it.
  const candidates = [`whsec_${bytes.toString("base64")}`, bytes.toString("hex")];
  return candidates.find((secret) => scheme.key(secret).ok) ?? candidates[1]!;
}

/**
 * A new provider's document: a random secret, or for a sender that hands its secret over in a
 * handshake (Asana, Notion) none yet and the handshake accepted, as the deployed secret starts.
 */
function firstDocument(scheme: WebhookScheme): object {
  return storesHandshakeSecret(scheme)
    ? { secrets: [], [ACCEPT_HANDSHAKE_FIELD]: true }
    : { secrets: [newSigningSecret(scheme)] };
}

/**
 * Reads the secrets file, creating it with random secrets and API key when missing and adding
 * providers the configuration has and the file lacks; `--secret` and `--api-key` override it.
 */
export function prepareSecrets(
  file: string,
  providers: ReadonlyArray<{ readonly id: string; readonly scheme: WebhookScheme }>,
  flags: { readonly secrets: ReadonlyMap<string, readonly string[]>; readonly apiKey: string | undefined },
): DevSecrets {
  const created = !existsSync(file);
  const current: SecretsFile = created
    ? { "//": FILE_NOTE, apiKey: randomBytes(20).toString("hex"), providers: {} }
    : readSecretsFile(file);
  const added = providers.filter((provider) => !(provider.id in current.providers));
  if (added.length > 0) {
    const next: SecretsFile = {
      ...current,
      providers: {
        ...current.providers,
        ...Object.fromEntries(added.map((provider) => [provider.id, firstDocument(provider.scheme)])),
      },
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    file,
    created,
    added: created ? [] : added.map((provider) => provider.id),
    apiKey: flags.apiKey ?? current.apiKey,
    fromFlags: Object.fromEntries(flags.secrets),
  };
}

/** The secrets file's content; a file that is not one is bad input naming the file. */
export function readSecretsFile(file: string): SecretsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message} (delete it to start with new random secrets)`);
  }
  const { "//": note, apiKey, providers } = (parsed ?? {}) as Partial<SecretsFile>;
  if (typeof apiKey !== "string" || typeof providers !== "object" || providers === null) {
    throw new UsageError(
      `${file}: expected {"apiKey": "…", "providers": {"<id>": {"secrets": ["…"]}}} (delete it to start with new random secrets)`,
    );
  }
  return { ...(typeof note === "string" ? { "//": note } : {}), apiKey, providers };
}

/** The active-first secrets a sender of this provider signs with. */
export function signingSecrets(
  secrets: Pick<DevSecrets, "file" | "fromFlags">,
  providerId: string,
): readonly string[] {
  const fromFlags = secrets.fromFlags[providerId];
  if (fromFlags) return fromFlags;
  const document = readSecretsFile(secrets.file).providers[providerId] as { secrets?: unknown } | undefined;
  const list = Array.isArray(document?.secrets) ? document.secrets.filter((s) => typeof s === "string") : [];
  if (list.length === 0) throw new UsageError(`${secrets.file} has no secrets for provider ${providerId}`);
  return list;
}

/**
 * The validator's secrets port over the file (read on every fetch, so an edit is a rotation) and
 * the `--secret` flags. It returns the provider's document as Secrets Manager would, and the real
 * secret cache parses it: a malformed document fails exactly as it would deployed.
 */
export function fileSecretsSource(secrets: DevSecrets): SecretsPort {
  return {
    async fetch(secretId) {
      const providerId = secretId.slice(devSecretId("").length);
      const fromFlags = secrets.fromFlags[providerId];
      if (fromFlags) return JSON.stringify({ secrets: fromFlags });
      const document = JSON.parse(readFileSync(secrets.file, "utf8")).providers?.[providerId];
      if (document === undefined) throw new Error(`${secrets.file} has no document for ${providerId}`);
      return JSON.stringify(document);
    },
  };
}

/**
 * The validator's handshake store over the file: a stateful handshake's secret is written into
 * the provider's document as the deployed validator writes Secrets Manager's (same decision: only
 * while the document accepts one). Providers given `--secret` accept none: the flags are their
 * secrets.
 */
export function fileHandshakeStore(secrets: DevSecrets): HandshakeStorePort {
  return {
    async store(provider, secret) {
      if (secrets.fromFlags[provider.id]) {
        return { stored: false, reason: `${provider.id}'s secrets come from --secret; restart without it` };
      }
      const file = readSecretsFile(secrets.file);
      const current = file.providers[provider.id];
      const decision = decideHandshake(
        provider.id,
        current === undefined ? undefined : JSON.stringify(current),
        secret,
      );
      if (decision.action === "refuse") return { stored: false, reason: decision.reason };
      if (decision.action === "write") {
        const next: SecretsFile = {
          ...file,
          providers: { ...file.providers, [provider.id]: JSON.parse(decision.document) },
        };
        const temporary = `${secrets.file}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
        renameSync(temporary, secrets.file);
      }
      return { stored: true };
    },
  };
}

/**
 * `--secret <provider>=<secret>` values: repeat for a provider to give it several (rotation, the
 * first signs). Providers must be configured ones.
 */
export function parseSecretFlags(
  specs: readonly string[],
  providerIds: readonly string[],
): Map<string, readonly string[]> {
  const secrets = new Map<string, string[]>();
  for (const spec of specs) {
    const equals = spec.indexOf("=");
    const provider = equals > 0 ? spec.slice(0, equals) : "";
    const secret = spec.slice(equals + 1);
    if (equals <= 0 || secret === "") {
      throw new UsageError("--secret takes <provider>=<signing secret>, e.g. stripe=whsec_…");
    }
    if (!providerIds.includes(provider)) {
      throw new UsageError(`--secret: ${provider} is not a configured provider (${providerIds.join(", ")})`);
    }
    secrets.set(provider, [...(secrets.get(provider) ?? []), secret]);
  }
  return secrets;
}
