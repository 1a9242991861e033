/**
 * The bad-input catalogue of the project's security checklist (§C), rows that reach the Lambda.
 * Every rejection asserts status, body, and that nothing was claimed, stored or queued.
 */
import { createHmac } from "node:crypto";
import { genericScheme, webhookIdFor } from "@webhooks/shared";
import { apiGatewayEvent } from "./support/events";
import { createHarness, type Harness, invoke, SECRETS, signedEvent, T0_SECONDS } from "./support/harness";

const UNAUTHORIZED = { message: "Unauthorized" };
const badRequest = (reason: string) => ({ message: "Bad request", reason });

function expectNothingStoredOrQueued(harness: Harness): void {
  expect(harness.store.claims).toHaveLength(0);
  expect(harness.store.records.size).toBe(0);
  expect(harness.blobs.objects.size).toBe(0);
  expect(harness.queue.messages).toHaveLength(0);
}

/** A correctly signed request on the generic route `/webhook` (provider acme), header lines as given. */
function genericLines(
  overrides: Record<string, string | null> = {},
  body = '{"type":"order.created"}',
): [string, string][] {
  const signature = genericScheme.sign({ body, secrets: [SECRETS.acme![0]], timestamp: T0_SECONDS - 5 })[
    "X-Webhook-Signature"
  ]!;
  const lines: Record<string, string | null> = {
    "Content-Type": "application/json",
    "X-Provider-ID": "acme",
    "X-Webhook-Signature": signature,
    "X-Webhook-Id": "d-1",
    ...overrides,
  };
  return Object.entries(lines).filter((line): line is [string, string] => line[1] !== null);
}

describe("row 3: header present but empty → 400", () => {
  test.each([
    ["X-Webhook-Signature", "x-webhook-signature is empty"],
    ["X-Provider-ID", "x-provider-id is empty"],
    ["X-Webhook-Id", "x-webhook-id is empty"],
  ])("%s: (empty)", async (name, reason) => {
    const harness = createHarness();
    const { status, body } = await invoke(
      harness,
      apiGatewayEvent({ headers: genericLines({ [name]: "" }), body: '{"type":"order.created"}' }),
    );
    expect({ status, body }).toEqual({ status: 400, body: badRequest(reason) });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 4: header names in another case → 2xx", () => {
  test.each([
    ["lowercase", (name: string) => name.toLowerCase()],
    ["uppercase", (name: string) => name.toUpperCase()],
  ])("%s names", async (_case, recase) => {
    const harness = createHarness();
    const headers = genericLines().map(([name, value]) => [recase(name), value] as [string, string]);
    const { status } = await invoke(harness, apiGatewayEvent({ headers, body: '{"type":"order.created"}' }));
    expect(status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 5: duplicated signature header → 400", () => {
  test.each([
    ["two X-Webhook-Signature lines", "X-Webhook-Signature"],
    ["the same header in two casings", "x-webhook-signature"],
  ])("%s", async (_case, secondName) => {
    const harness = createHarness();
    const lines = genericLines();
    const signature = lines.find(([name]) => name === "X-Webhook-Signature")![1];
    const { status, body } = await invoke(
      harness,
      apiGatewayEvent({ headers: [...lines, [secondName, signature]], body: '{"type":"order.created"}' }),
    );
    expect({ status, body }).toEqual({
      status: 400,
      body: badRequest("x-webhook-signature appears 2 times"),
    });
    expectNothingStoredOrQueued(harness);
    expect(harness.secrets.fetches).toHaveLength(0);
  });

  test("a provider route's signature header twice (Stripe-Signature)", async () => {
    const harness = createHarness();
    const event = signedEvent("stripe");
    const { status, body } = await invoke(
      harness,
      signedEvent("stripe", { headers: [["Stripe-Signature", event.headers["Stripe-Signature"]!]] }),
    );
    expect({ status, body }).toEqual({ status: 400, body: badRequest("stripe-signature appears 2 times") });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 6: duplicated or conflicting provider id → 400", () => {
  test("two X-Provider-ID lines", async () => {
    const harness = createHarness();
    const headers: [string, string][] = [...genericLines(), ["X-Provider-ID", "stripe"]];
    const { status, body } = await invoke(
      harness,
      apiGatewayEvent({ headers, body: '{"type":"order.created"}' }),
    );
    expect({ status, body }).toEqual({ status: 400, body: badRequest("x-provider-id appears 2 times") });
    expectNothingStoredOrQueued(harness);
  });

  test.each(["stripe, github", "Acme", "acme\r\nX-Injected: 1", "../acme", "a".repeat(33)])(
    "X-Provider-ID: %j",
    async (value) => {
      const harness = createHarness();
      const { status, body } = await invoke(
        harness,
        apiGatewayEvent({
          headers: genericLines({ "X-Provider-ID": value }),
          body: '{"type":"order.created"}',
        }),
      );
      expect({ status, body }).toEqual({
        status: 400,
        body: badRequest("x-provider-id does not match ^[a-z0-9][a-z0-9-]{0,31}$"),
      });
      expectNothingStoredOrQueued(harness);
      expect(harness.secrets.fetches).toHaveLength(0);
    },
  );
});

describe("row 9: unknown provider, valid format → 401 before any Secrets Manager call", () => {
  test.each([
    [
      "X-Provider-ID not on the allow-list",
      apiGatewayEvent({ headers: genericLines({ "X-Provider-ID": "nobody" }), body: "{}" }),
    ],
    [
      "a configured provider of another scheme on /webhook",
      apiGatewayEvent({ headers: genericLines({ "X-Provider-ID": "stripe" }), body: "{}" }),
    ],
    [
      "an unknown provider in the path",
      apiGatewayEvent({ provider: "nobody", headers: genericLines(), body: "{}" }),
    ],
    [
      "an unknown provider as path parameter",
      apiGatewayEvent({ provider: "nobody", pathParameter: true, headers: genericLines(), body: "{}" }),
    ],
  ])("%s", async (_case, event) => {
    const harness = createHarness();
    const { status, body } = await invoke(harness, event);
    expect({ status, body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(harness.secrets.fetches).toHaveLength(0);
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 11: signature in the wrong encoding → 401, never 500", () => {
  const valid = genericLines().find(([name]) => name === "X-Webhook-Signature")![1];
  const hex = valid.split("v1=")[1]!;
  const t = `t=${T0_SECONDS - 5}`;
  test.each([
    ["non-hex characters", `${t},v1=${"z".repeat(64)}`],
    ["63 hex characters", `${t},v1=${hex.slice(1)}`],
    ["odd length", `${t},v1=${hex}0`],
    ["base64 where hex is expected", `${t},v1=${Buffer.from(hex, "hex").toString("base64")}`],
    ["missing v1= prefix", `${t},${hex}`],
    ["whitespace inside", `${t},v1=${hex.slice(0, 10)} ${hex.slice(11)}`],
    ["uppercase hex", `${t},v1=${hex.toUpperCase()}`],
  ])("%s", async (_case, signature) => {
    const harness = createHarness();
    const headers = genericLines({ "X-Webhook-Signature": signature });
    const { status, body } = await invoke(
      harness,
      apiGatewayEvent({ headers, body: '{"type":"order.created"}' }),
    );
    expect({ status, body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expectNothingStoredOrQueued(harness);
  });

  test("github signature without its sha256= prefix", async () => {
    const harness = createHarness();
    const event = signedEvent("github");
    const hexOnly = event.headers["X-Hub-Signature-256"]!.slice("sha256=".length);
    const { status, body } = await invoke(
      harness,
      signedEvent("github", { headers: { "X-Hub-Signature-256": hexOnly } }),
    );
    expect({ status, body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expectNothingStoredOrQueued(harness);
  });
});

describe("rows 12, 13, 16, 17, 18: authentication failures share one 401 body", () => {
  const reserialized = (() => {
    const signedOver = '{"type": "order.created"}';
    const signature = genericScheme.sign({
      body: signedOver,
      secrets: [SECRETS.acme![0]],
      timestamp: T0_SECONDS - 5,
    });
    return apiGatewayEvent({ headers: genericLines(signature), body: '{"type":"order.created"}' });
  })();
  const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
  test.each([
    [
      "row 12: well-formed HMAC made with another secret",
      signedEvent("acme", { secrets: ["another-secret"] }),
    ],
    ["row 13: signed over re-serialized JSON", reserialized],
    [
      "row 16: invalid UTF-8 and a bad signature",
      signedEvent("acme", { body: invalidUtf8, secrets: ["another-secret"] }),
    ],
    ["row 17: timestamp now − 301 s", signedEvent("acme", { timestamp: T0_SECONDS - 301 })],
    ["row 18: timestamp now + 301 s", signedEvent("acme", { timestamp: T0_SECONDS + 301 })],
    ["slack timestamp now − 301 s", signedEvent("slack", { timestamp: T0_SECONDS - 301 })],
    ["standard-webhooks timestamp now + 301 s", signedEvent("std", { timestamp: T0_SECONDS + 301 })],
  ])("%s", async (_case, event) => {
    const harness = createHarness();
    const { status, body } = await invoke(harness, event);
    expect({ status, body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 14: non-ASCII UTF-8 body, correctly signed → 2xx", () => {
  test.each([true, false])("isBase64Encoded: %s", async (base64) => {
    const harness = createHarness();
    const body = '{"type":"order.created","name":"Jürgen 🎉 ü"}';
    const { status } = await invoke(harness, signedEvent("acme", { body, base64 }));
    expect(status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 15: invalid UTF-8, correctly signed over the bytes → 400 after the HMAC check", () => {
  test("0xC3 0x28 in the body", async () => {
    const harness = createHarness();
    const body = Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const { status, body: answer } = await invoke(harness, signedEvent("acme", { body }));
    expect({ status, body: answer }).toEqual({ status: 400, body: badRequest("body is not valid UTF-8") });
    expect(harness.secrets.fetches).toEqual(["webhooks/acme"]);
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 20: replay within the window → 200 duplicate, no second message", () => {
  test("the identical request resent after 30 s", async () => {
    const harness = createHarness();
    const event = signedEvent("acme");
    expect((await invoke(harness, event)).status).toBe(202);
    harness.clock.advance(30_000);
    const { status, body } = await invoke(harness, event);
    expect({ status, body }).toEqual({
      status: 200,
      body: { webhookId: webhookIdFor("acme", "acme-delivery-1"), duplicate: true },
    });
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 21: concurrent duplicates → exactly one enqueue", () => {
  test("the same delivery 10× in parallel: one 202, the others 409 or 200", async () => {
    const harness = createHarness();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => invoke(harness, signedEvent("stripe"))),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.every((status) => [200, 202, 409].includes(status))).toBe(true);
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 22: replay after the window → 401", () => {
  test("a captured request resent after 10 minutes", async () => {
    const harness = createHarness();
    const event = signedEvent("acme");
    await invoke(harness, event);
    harness.clock.advance(10 * 60_000);
    const { status, body } = await invoke(harness, event);
    expect({ status, body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 23: provider retry after our failure", () => {
  test("attempt 1 SendMessage fails → 503; the retry (same id, new timestamp) → 202 and exactly one message", async () => {
    const harness = createHarness();
    harness.queue.failNext();
    const first = await invoke(harness, signedEvent("std"));
    expect({ status: first.status, body: first.body }).toEqual({
      status: 503,
      body: { message: "Service unavailable, retry later" },
    });
    harness.clock.advance(5_000);
    const retry = await invoke(harness, signedEvent("std", { timestamp: T0_SECONDS + 5 }));
    expect(retry.status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 25: body over the limit → 413 on the decoded byte length", () => {
  test.each([true, false])("limit + 1 byte (isBase64Encoded: %s)", async (base64) => {
    const harness = createHarness();
    const body = `{"type":"order.created","pad":"${"é".repeat(524_272)}"}`;
    const bytes = Buffer.byteLength(body);
    expect(bytes).toBe(1_048_577);
    const { status, body: answer } = await invoke(harness, signedEvent("acme", { body, base64 }));
    expect({ status, body: answer }).toEqual({
      status: 413,
      body: { message: "Payload too large", reason: "body is 1048577 bytes, the limit is 1048576" },
    });
    expect(harness.secrets.fetches).toHaveLength(0);
    expectNothingStoredOrQueued(harness);
  });

  test("a body of exactly the limit is accepted (its envelope is claim-checked)", async () => {
    const harness = createHarness();
    const body = `{"type":"order.created","pad":"${"x".repeat(1_048_576 - 33)}"}`;
    expect(Buffer.byteLength(body)).toBe(1_048_576);
    expect((await invoke(harness, signedEvent("acme", { body }))).status).toBe(202);
    expect(harness.blobs.objects.size).toBe(1);
  });
});

describe('row 28: empty body, signature over "" → 400', () => {
  test.each([
    ["an empty body", ""],
    ["a null body (what API Gateway sends for none)", null],
  ])("%s", async (_case, body) => {
    const harness = createHarness();
    const event = { ...signedEvent("acme", { body: "" }), body };
    const { status, body: answer } = await invoke(harness, event);
    expect({ status, body: answer }).toEqual({ status: 400, body: badRequest("empty body") });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 29: non-JSON body, correctly signed → 400, or 415 for another media type", () => {
  test.each([
    [
      "hello as application/json",
      "hello",
      "application/json",
      400,
      { message: "Bad request", reason: "body is not valid JSON" },
    ],
    [
      "XML as application/xml",
      "<a>1</a>",
      "application/xml",
      415,
      { message: "Unsupported media type", reason: "unsupported content type application/xml" },
    ],
  ])("%s", async (_case, body, contentType, expectedStatus, expectedBody) => {
    const harness = createHarness();
    const { status, body: answer } = await invoke(harness, signedEvent("acme", { body, contentType }));
    expect({ status, body: answer }).toEqual({ status: expectedStatus, body: expectedBody });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 30: JSON but the wrong envelope → 400", () => {
  test.each([
    [
      "generic: no type and no X-Webhook-Event",
      "acme",
      '{"order":1}',
      "X-Webhook-Event (the body has no type) is missing",
    ],
    [
      "generic: type of the wrong type",
      "acme",
      '{"type":{"nested":true}}',
      "body type is not 1-128 printable ASCII characters",
    ],
    ["stripe: no id", "stripe", '{"type":"invoice.paid"}', "body id is missing"],
    ["stripe: an array", "stripe", '[{"id":"evt_1"}]', "body is not a JSON object"],
  ])("%s", async (_case, provider, body, reason) => {
    const harness = createHarness();
    const { status, body: answer } = await invoke(harness, signedEvent(provider, { body }));
    expect({ status, body: answer }).toEqual({ status: 400, body: badRequest(reason) });
    expectNothingStoredOrQueued(harness);
  });
});

describe("row 36: Secrets Manager throttled or unavailable → 503", () => {
  test("fault injected into the fetch", async () => {
    const harness = createHarness();
    harness.secrets.failNext();
    const { status, body } = await invoke(harness, signedEvent("stripe"));
    expect({ status, body }).toEqual({ status: 503, body: { message: "Service unavailable, retry later" } });
    expectNothingStoredOrQueued(harness);
    expect(harness.metrics.counts).toEqual([
      { provider: "stripe", outcome: "failed", reason: "secrets_unavailable" },
    ]);
  });
});

describe("row 37: previous secret during a rotation", () => {
  test("accepted while the document lists it, 401 once it is removed and the cache expired", async () => {
    const harness = createHarness();
    const [current, previous] = SECRETS.stripe!;
    expect((await invoke(harness, signedEvent("stripe", { secrets: [previous] }))).status).toBe(202);
    harness.secrets.set("webhooks/stripe", [current]);
    harness.clock.advance(300_000);
    const body = '{"id":"evt_2","type":"invoice.paid"}';
    const late = await invoke(
      harness,
      signedEvent("stripe", { body, secrets: [previous], timestamp: T0_SECONDS + 300 }),
    );
    expect({ status: late.status, body: late.body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(harness.queue.messages).toHaveLength(1);
  });
});

describe("row 38: several signatures, one valid → 2xx", () => {
  test("generic: v1=<bad>,v1=<good>", async () => {
    const harness = createHarness();
    const body = '{"type":"order.created"}';
    const timestamp = T0_SECONDS - 5;
    const bad = createHmac("sha256", "old-secret").update(`${timestamp}.${body}`).digest("hex");
    const good = createHmac("sha256", SECRETS.acme![0]).update(`${timestamp}.${body}`).digest("hex");
    const headers = genericLines({ "X-Webhook-Signature": `t=${timestamp},v1=${bad},v1=${good}` }, body);
    expect((await invoke(harness, apiGatewayEvent({ headers, body }))).status).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });

  test("standard-webhooks: v1,<bad> v1,<good>", async () => {
    const harness = createHarness();
    const good = signedEvent("std");
    const signature = `v1,${"A".repeat(43)}= ${good.headers["webhook-signature"]}`;
    expect(
      (await invoke(harness, signedEvent("std", { headers: { "webhook-signature": signature } }))).status,
    ).toBe(202);
    expect(harness.queue.messages).toHaveLength(1);
  });
});
