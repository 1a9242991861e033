import { createHttpsKeyFetcher } from "../../../functions/validator/adapters/https-key-fetcher";
import { FakeClock } from "./support/fakes";

const CERT_URL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function fetcher(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const clock = new FakeClock(0);
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return answer(url, init);
  }) as unknown as typeof globalThis.fetch;
  return { calls, clock, keys: createHttpsKeyFetcher({ clock, fetch, missesPerMinute: 3 }) };
}

test("fetches PayPal's certificate once and reuses it for a day, refusing redirects", async () => {
  const { calls, clock, keys } = fetcher(() => new Response(PEM));
  expect(await keys.fetch({ kind: "x509-url", url: CERT_URL }, [])).toBe(PEM);
  clock.advance(23 * 3_600_000);
  await keys.fetch({ kind: "x509-url", url: CERT_URL }, []);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.init?.redirect).toBe("error");
});

test("concurrent requests for one key share one fetch", async () => {
  const { calls, keys } = fetcher(() => new Response(PEM));
  await Promise.all([1, 2, 3].map(() => keys.fetch({ kind: "x509-url", url: CERT_URL }, [])));
  expect(calls).toHaveLength(1);
});

test.each([
  ["a host that is not PayPal's", { kind: "x509-url", url: "https://evil.example/v1/notifications/certs/x" }],
  ["a host that is not Plaid's", { kind: "plaid-jwk", host: "plaid.evil.example", keyId: "k" }],
] as const)("never contacts %s", async (_case, request) => {
  const { calls, keys } = fetcher(() => new Response(PEM));
  await expect(keys.fetch(request, ["c:s"])).rejects.toThrow("unpinned host");
  expect(calls).toHaveLength(0);
});

test("asks Plaid for the key by id with the stored credentials", async () => {
  const key = { kid: "k-1", kty: "EC", crv: "P-256", x: "x", y: "y", expired_at: null };
  const { calls, keys } = fetcher(() => new Response(JSON.stringify({ key, request_id: "r" })));
  expect(
    JSON.parse(await keys.fetch({ kind: "plaid-jwk", host: "sandbox.plaid.com", keyId: "k-1" }, ["cid:sec"])),
  ).toEqual(key);
  expect(calls[0]!.url).toBe("https://sandbox.plaid.com/webhook_verification_key/get");
  expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
    client_id: "cid",
    secret: "sec",
    key_id: "k-1",
  });
});

test("after a failure the same key is not fetched again for a minute", async () => {
  const { calls, clock, keys } = fetcher(() => new Response("nope", { status: 500 }));
  await expect(keys.fetch({ kind: "x509-url", url: CERT_URL }, [])).rejects.toThrow("answered 500");
  await expect(keys.fetch({ kind: "x509-url", url: CERT_URL }, [])).rejects.toThrow("failed less than");
  clock.advance(60_000);
  await expect(keys.fetch({ kind: "x509-url", url: CERT_URL }, [])).rejects.toThrow("answered 500");
  expect(calls).toHaveLength(2);
});

test("a flood of made-up key ids becomes at most a few fetches a minute", async () => {
  const { calls, keys } = fetcher(() => new Response(JSON.stringify({ key: { kid: "other" } })));
  const attempts = Array.from({ length: 10 }, (_, index) =>
    keys
      .fetch({ kind: "plaid-jwk", host: "production.plaid.com", keyId: `made-up-${index}` }, ["c:s"])
      .catch((error: Error) => error.message),
  );
  const outcomes = await Promise.all(attempts);
  expect(calls).toHaveLength(3);
  expect(outcomes.filter((message) => message.includes("keys fetched in a minute"))).toHaveLength(7);
});
