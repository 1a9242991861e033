import type { ClockPort, SecretsPort } from "./ports";

/** A provider's active secrets as fetched at `fetchedAt` (epoch ms). */
export interface CachedSecrets {
  readonly secrets: readonly string[];
  readonly fetchedAt: number;
}

/** The secret document is not `{"secrets": ["…", …]}`: our configuration is broken (503, error log). */
export class SecretDocumentError extends Error {
  override readonly name = "SecretDocumentError";
}

export interface SecretCacheOptions {
  readonly source: SecretsPort;
  readonly clock: ClockPort;
  /** How long a fetched document is reused. */
  readonly ttlMs: number;
  /**
   * Minimum age before a signature mismatch may force a refetch. It makes a new secret visible
   * within seconds of a rotation while bounding what a flood of bad signatures can cost us
   * (at most one fetch per provider per interval).
   */
  readonly refreshAfterMs: number;
}

export interface SecretCache {
  /** Cached secrets younger than the TTL, else a fetch. Rejects on a fetch or document error. */
  get(secretId: string): Promise<CachedSecrets>;
  /**
   * After a mismatch with `seen`: a newer cached copy, or a fetch when `seen` is older than
   * `refreshAfterMs`; undefined when `seen` is too recent for a refetch to help.
   */
  refresh(secretId: string, seen: CachedSecrets): Promise<CachedSecrets | undefined>;
  /** Drops the cached document (this environment just wrote a new one): the next `get` fetches. */
  forget(secretId: string): void;
}

/**
 * A per-execution-environment cache of secret documents. Concurrent misses share one fetch;
 * failures are not cached, so the next request tries again.
 *
 * @example const cache = createSecretCache({ source, clock, ttlMs: 300_000, refreshAfterMs: 30_000 })
 */
export function createSecretCache(options: SecretCacheOptions): SecretCache {
  const { source, clock, ttlMs, refreshAfterMs } = options;
  const entries = new Map<string, CachedSecrets>();
  const inflight = new Map<string, Promise<CachedSecrets>>();

  function load(secretId: string): Promise<CachedSecrets> {
    let pending = inflight.get(secretId);
    if (!pending) {
      pending = source
        .fetch(secretId)
        .then((document) => {
          const entry = { secrets: parseSecretDocument(document), fetchedAt: clock.now() };
          entries.set(secretId, entry);
          return entry;
        })
        .finally(() => inflight.delete(secretId));
      inflight.set(secretId, pending);
    }
    return pending;
  }

  return {
    get(secretId) {
      const entry = entries.get(secretId);
      return entry && clock.now() - entry.fetchedAt < ttlMs ? Promise.resolve(entry) : load(secretId);
    },
    async refresh(secretId, seen) {
      const entry = entries.get(secretId);
      if (entry && entry.fetchedAt > seen.fetchedAt) return entry;
      if (clock.now() - seen.fetchedAt < refreshAfterMs) return undefined;
      return load(secretId);
    },
    forget(secretId) {
      entries.delete(secretId);
    },
  };
}

/**
 * `{"secrets": ["s1", "s2"]}`: one or more active secrets, any of which may sign (rotation).
 *
 * @example parseSecretDocument('{"secrets":["new","old"]}') // ["new", "old"]
 */
export function parseSecretDocument(document: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(document);
  } catch {
    throw new SecretDocumentError("secret document is not JSON");
  }
  const secrets = (value as { secrets?: unknown } | null)?.secrets;
  if (
    !Array.isArray(secrets) ||
    secrets.length === 0 ||
    !secrets.every((secret) => typeof secret === "string" && secret !== "")
  ) {
    throw new SecretDocumentError('secret document is not {"secrets": [one or more non-empty strings]}');
  }
  return secrets;
}
