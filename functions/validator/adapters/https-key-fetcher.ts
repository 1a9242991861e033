import { isRecord, type KeyRequest, PAYPAL_CERT_URL, PLAID_HOSTS } from "@webhooks/shared";
import type { ClockPort, KeyFetchPort } from "../ports";

export interface HttpsKeyFetcherOptions {
  readonly clock: ClockPort;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** How long a fetched certificate (PayPal) is reused. @default 24 hours */
  readonly certificateTtlMs?: number;
  /** How long a fetched JWK (Plaid) is reused; short, so a key Plaid expires stops verifying soon. @default 1 hour */
  readonly jwkTtlMs?: number;
  /** After a failed fetch, the same key is not fetched again for this long. @default 60 s */
  readonly retryAfterMs?: number;
  /** Keys not in the cache fetched per minute at most: a flood of made-up key ids cannot become a flood of fetches. @default 10 */
  readonly missesPerMinute?: number;
  /** @default 3000 */
  readonly timeoutMs?: number;
}

const MAX_RESPONSE_BYTES = 65_536;
const MINUTE_MS = 60_000;
const PLAID_HOST_SET = new Set<string>(Object.values(PLAID_HOSTS));

/**
 * The published keys PayPal and Plaid sign with, fetched over HTTPS without an SDK. Only pinned
 * hosts are contacted: PayPal's certificate URL must be on `api(-m)[.sandbox].paypal.com` under
 * `/v1/notifications/certs/` (the URL comes from a header anyone can set), Plaid's key endpoint on
 * `production.plaid.com` or `sandbox.plaid.com`; redirects are refused. TLS authenticates the
 * host, which is what makes a fetched certificate PayPal's. Results are cached, concurrent misses
 * share one fetch, and misses are rate-limited.
 *
 * @example createHttpsKeyFetcher({ clock: { now: Date.now } }).fetch({ kind: "x509-url", url }, [])
 */
export function createHttpsKeyFetcher(options: HttpsKeyFetcherOptions): KeyFetchPort {
  const { clock } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const certificateTtlMs = options.certificateTtlMs ?? 24 * 3_600_000;
  const jwkTtlMs = options.jwkTtlMs ?? 3_600_000;
  const retryAfterMs = options.retryAfterMs ?? MINUTE_MS;
  const missesPerMinute = options.missesPerMinute ?? 10;
  const timeoutMs = options.timeoutMs ?? 3000;
  const cache = new Map<string, { value: string; until: number }>();
  const failures = new Map<string, number>();
  const pending = new Map<string, Promise<string>>();
  let misses: number[] = [];

  async function download(request: KeyRequest, credentials: readonly string[]): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    if (request.kind === "x509-url") {
      const response = await fetchImpl(request.url, { redirect: "error", signal });
      const text = await bounded(response, request.url);
      if (!text.includes("-----BEGIN CERTIFICATE-----"))
        throw new Error(`${request.url} did not answer a PEM certificate`);
      return text;
    }
    const [clientId, secret] = (credentials[0] ?? "").split(":", 2);
    if (!clientId || !secret)
      throw new Error("no Plaid API credentials (<client_id>:<secret>) in the secret document");
    const url = `https://${request.host}/webhook_verification_key/get`;
    const response = await fetchImpl(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: clientId, secret, key_id: request.keyId }),
      redirect: "error",
      signal,
    });
    const parsed: unknown = JSON.parse(await bounded(response, url));
    const key = isRecord(parsed) ? parsed.key : undefined;
    if (!isRecord(key) || key.kid !== request.keyId)
      throw new Error(`${url} answered no key ${request.keyId}`);
    return JSON.stringify(key);
  }

  return {
    fetch(request, credentials) {
      const pinned = pinnedKey(request);
      if (pinned === undefined)
        return Promise.reject(
          new Error(`refusing to fetch a key from an unpinned host: ${describe(request)}`),
        );
      const now = clock.now();
      const cached = cache.get(pinned);
      if (cached && cached.until > now) return Promise.resolve(cached.value);
      const inFlight = pending.get(pinned);
      if (inFlight) return inFlight;
      if (now - (failures.get(pinned) ?? Number.NEGATIVE_INFINITY) < retryAfterMs)
        return Promise.reject(new Error(`${describe(request)} failed less than ${retryAfterMs} ms ago`));
      misses = misses.filter((at) => now - at < MINUTE_MS);
      if (misses.length >= missesPerMinute)
        return Promise.reject(new Error(`more than ${missesPerMinute} keys fetched in a minute`));
      misses.push(now);
      const ttl = request.kind === "x509-url" ? certificateTtlMs : jwkTtlMs;
      const fetching = download(request, credentials)
        .then((value) => {
          cache.set(pinned, { value, until: clock.now() + ttl });
          failures.delete(pinned);
          return value;
        })
        .catch((error: unknown) => {
          failures.set(pinned, clock.now());
          throw error;
        })
        .finally(() => pending.delete(pinned));
      pending.set(pinned, fetching);
      return fetching;
    },
  };
}

/** The cache key of a request to a pinned host; undefined when the host is not pinned. */
function pinnedKey(request: KeyRequest): string | undefined {
  if (request.kind === "x509-url") return PAYPAL_CERT_URL.test(request.url) ? request.url : undefined;
  return PLAID_HOST_SET.has(request.host) ? `${request.host}#${request.keyId}` : undefined;
}

function describe(request: KeyRequest): string {
  return request.kind === "x509-url" ? request.url : `${request.host} key ${request.keyId}`;
}

async function bounded(response: Response, url: string): Promise<string> {
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES)
    throw new Error(`${url} answered more than ${MAX_RESPONSE_BYTES} bytes`);
  return text;
}
