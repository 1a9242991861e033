import { createHash, createHmac } from "node:crypto";
import type { ProviderRuntimeConfig } from "@webhooks/shared";
import type { HandshakeStorePort } from "../../../functions/validator/ports";
import { apiGatewayEvent, type EventOptions } from "./support/events";
import type { InMemorySecrets } from "./support/fakes";
import { createHarness } from "./support/harness";

/**
 * Handshakes on the API's extra methods (GET, HEAD) and the stateful ones (a secret handed over
 * and stored): each answered only as the sender's protocol allows, never queued; every other
 * request on those methods refused without a 5xx.
 */

const PROVIDERS: ProviderRuntimeConfig[] = [
  { id: "dropbox", scheme: "dropbox", secretId: "s/dropbox", toleranceSeconds: 300 },
  { id: "trello", scheme: "trello", secretId: "s/trello", toleranceSeconds: 300, publicUrl: "https://x/t" },
  {
    id: "okta",
    scheme: "okta",
    secretId: "s/okta",
    toleranceSeconds: 300,
    settings: { header: "X-Okta-Secret" },
  },
  { id: "braintree", scheme: "braintree", secretId: "s/braintree", toleranceSeconds: 300 },
  { id: "asana", scheme: "asana", secretId: "s/asana", toleranceSeconds: 300 },
  { id: "notion", scheme: "notion", secretId: "s/notion", toleranceSeconds: 300 },
  { id: "stripe", scheme: "stripe", secretId: "s/stripe", toleranceSeconds: 300 },
];
const SECRETS: Record<string, string> = {
  "s/dropbox": "dropbox-app-secret",
  "s/trello": "trello-oauth-secret",
  "s/okta": "okta-hook-token",
  "s/braintree": "braintree-public:braintree-private",
  "s/asana": "asana-previous-secret",
  "s/notion": "secret_notion_previous",
  "s/stripe": "whsec_stripe",
};

/** The handler over in-memory ports; `handshakes` is made over its secrets. */
function harness(options: { handshakes?: (secrets: InMemorySecrets) => HandshakeStorePort } = {}) {
  const h = createHarness({
    ...options,
    providers: PROVIDERS,
    secretsById: Object.fromEntries(Object.entries(SECRETS).map(([id, secret]) => [id, [secret]])),
  });
  return {
    ...h,
    async send(provider: string, request: Omit<EventOptions, "provider">) {
      const response = await h.handler(apiGatewayEvent({ provider, ...request }));
      return { status: response.statusCode, headers: response.headers, body: response.body };
    },
  };
}

/** A handshake store over the in-memory secrets: the new secret in front, as the Secrets Manager adapter writes it. */
function storeInto(secrets: InMemorySecrets, stored: string[] = []): HandshakeStorePort {
  return {
    async store(provider, secret) {
      stored.push(secret);
      const previous = JSON.parse(secrets.documents.get(provider.secretId)!).secrets as string[];
      secrets.set(provider.secretId, [secret, ...previous]);
      return { stored: true };
    },
  };
}

const TEXT = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

describe("GET and HEAD handshakes", () => {
  test("Dropbox's GET ?challenge= is echoed as text/plain before any secret is read", async () => {
    const h = harness();
    const answer = await h.send("dropbox", { method: "GET", query: { challenge: "dbx-challenge-1" } });
    expect(answer).toEqual({ status: 200, headers: TEXT, body: "dbx-challenge-1" });
    expect(h.secrets.fetches).toEqual([]);
    expect(h.queue.messages).toEqual([]);
    expect(h.metrics.counts).toEqual([{ provider: "dropbox", outcome: "challenge" }]);
  });

  test("Trello's HEAD is answered 200 with nothing in the body", async () => {
    const h = harness();
    expect(await h.send("trello", { method: "HEAD" })).toEqual({ status: 200, headers: {}, body: "" });
  });

  test("Okta's GET is answered only once its token verified: {verification: <challenge>}", async () => {
    const h = harness();
    const answer = await h.send("okta", {
      method: "GET",
      headers: { "X-Okta-Verification-Challenge": "okta-challenge-1", "X-Okta-Secret": "okta-hook-token" },
    });
    expect(answer).toEqual({
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: '{"verification":"okta-challenge-1"}',
    });
  });

  test.each([
    ["a wrong token", { "X-Okta-Secret": "not-the-token" }],
    ["no token", {}],
  ])("Okta's GET with %s is a 401 and echoes nothing", async (_case, token) => {
    const h = harness();
    const answer = await h.send("okta", {
      method: "GET",
      headers: { "X-Okta-Verification-Challenge": "okta-challenge-1", ...token },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain("okta-challenge-1");
  });

  test("Braintree's GET ?bt_challenge= is answered from the stored key pair", async () => {
    const h = harness();
    const challenge = "20f9f8ed05f77439fe955c977e4c8a53";
    const key = createHash("sha1").update("braintree-private").digest();
    const hex = createHmac("sha1", key).update(challenge).digest("hex");
    const answer = await h.send("braintree", { method: "GET", query: { bt_challenge: challenge } });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: `braintree-public|${hex}`,
    });
  });

  test("Braintree's GET while the secrets cannot be read is a 503 (Braintree tries again)", async () => {
    const h = harness();
    h.secrets.failNext();
    const answer = await h.send("braintree", { method: "GET", query: { bt_challenge: "abcdef01" } });
    expect(answer.status).toBe(503);
    expect(h.metrics.counts).toEqual([
      { provider: "braintree", outcome: "failed", reason: "secrets_unavailable" },
    ]);
  });

  test.each([
    ["Dropbox without its challenge", "dropbox", { method: "GET" }],
    [
      "Dropbox with a challenge that is not printable ASCII",
      "dropbox",
      { method: "GET", query: { challenge: "a b" } },
    ],
    [
      "Dropbox with a challenge over 512 characters",
      "dropbox",
      { method: "GET", query: { challenge: "c".repeat(513) } },
    ],
    [
      "Braintree with a challenge that is not hex",
      "braintree",
      { method: "GET", query: { bt_challenge: "zz" } },
    ],
    [
      "Okta with a valid token but no challenge",
      "okta",
      { method: "GET", headers: { "X-Okta-Secret": "okta-hook-token" } },
    ],
  ] as const)(
    "a GET that is not a valid handshake is a 400 naming what it lacks, as the gateway's own check: %s",
    async (_case, provider, request) => {
      const h = harness();
      const answer = await h.send(provider, request);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        message: "Bad request",
        reason: expect.stringMatching(/^GET here is only \S+'s handshake/),
      });
      expect(h.metrics.counts).toEqual([{ provider, outcome: "rejected", reason: "invalid_handshake" }]);
    },
  );
});

describe("a method the provider's sender never uses", () => {
  test.each([
    ["stripe", "GET", "POST"],
    ["stripe", "HEAD", "POST"],
    ["asana", "GET", "POST"],
    ["dropbox", "HEAD", "POST, GET"],
    ["trello", "GET", "POST, HEAD"],
    ["okta", "PUT", "POST, GET"],
    ["dropbox", "DELETE", "POST, GET"],
  ])("%s %s is a 405 with a JSON body and Allow: %s", async (provider, method, allow) => {
    const h = harness();
    const answer = await h.send(provider, { method, query: { challenge: "c-1" } });
    expect(answer.status).toBe(405);
    expect(answer.headers).toEqual({ "Content-Type": "application/json", Allow: allow });
    expect(JSON.parse(answer.body)).toEqual({ message: "Method not allowed", reason: expect.any(String) });
    expect(h.secrets.fetches).toEqual([]);
  });

  test("is refused before anything else is read: a repeated header does not turn it into a 400", async () => {
    const h = harness();
    const answer = await h.send("stripe", {
      method: "GET",
      headers: [
        ["Stripe-Signature", "a"],
        ["Stripe-Signature", "b"],
      ],
    });
    expect(answer.status).toBe(405);
  });
});

describe("stateful handshakes", () => {
  test("Asana's X-Hook-Secret is stored, then echoed; nothing is queued", async () => {
    const stored: string[] = [];
    const h = harness({ handshakes: (secrets) => storeInto(secrets, stored) });
    const answer = await h.send("asana", { headers: { "X-Hook-Secret": "asana-new-secret" }, body: "" });
    expect(answer).toEqual({ status: 200, headers: { "X-Hook-Secret": "asana-new-secret" }, body: "" });
    expect(stored).toEqual(["asana-new-secret"]);
    expect(h.queue.messages).toEqual([]);
  });

  test("Notion's verification_token is stored and answered 200", async () => {
    const stored: string[] = [];
    const h = harness({ handshakes: (secrets) => storeInto(secrets, stored) });
    const answer = await h.send("notion", {
      headers: { "Content-Type": "application/json" },
      body: '{"verification_token":"secret_notion_new"}',
    });
    expect(answer.status).toBe(200);
    expect(stored).toEqual(["secret_notion_new"]);
  });

  test("a store that fails is a 503 that echoes nothing, so Asana tries again", async () => {
    const h = harness({
      handshakes: () => ({ store: () => Promise.reject(new Error("ThrottlingException")) }),
    });
    const answer = await h.send("asana", { headers: { "X-Hook-Secret": "asana-new-secret" }, body: "" });
    expect(answer.status).toBe(503);
    expect(answer.headers).not.toHaveProperty("X-Hook-Secret");
    expect(answer.body).not.toContain("asana-new-secret");
    expect(h.metrics.counts).toEqual([{ provider: "asana", outcome: "failed", reason: "handshake_store" }]);
  });

  test("a handshake the secret document does not accept now is a 403 that echoes nothing", async () => {
    const reason = "a signing secret is stored and the document accepts no handshake";
    const h = harness({ handshakes: () => ({ store: async () => ({ stored: false, reason }) }) });
    const answer = await h.send("asana", { headers: { "X-Hook-Secret": "forged-secret" }, body: "" });
    expect(answer).toEqual({
      status: 403,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message: "Forbidden", reason }),
    });
    expect(h.metrics.counts).toEqual([
      { provider: "asana", outcome: "rejected", reason: "handshake_refused" },
    ]);
  });

  test("the first event signed with the stored secret verifies at once, though the old document was cached", async () => {
    const asana = harness({ handshakes: (secrets) => storeInto(secrets) });
    const event = (secret: string, gid: string) => {
      const body = JSON.stringify({
        events: [{ resource: { gid, resource_type: "task" }, action: "added" }],
      });
      return {
        headers: { "X-Hook-Signature": createHmac("sha256", secret).update(body).digest("hex") },
        body,
      };
    };
    expect((await asana.send("asana", event("asana-previous-secret", "1"))).status).toBe(202);
    expect(
      (await asana.send("asana", { headers: { "X-Hook-Secret": "asana-new-secret" }, body: "" })).status,
    ).toBe(200);
    expect((await asana.send("asana", event("asana-new-secret", "2"))).status).toBe(202);
  });
});
