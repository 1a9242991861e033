import { createHash, createHmac } from "node:crypto";
import {
  type HandshakeInput,
  type HandshakePhase,
  headersFrom,
  type PresetId,
  presetById,
} from "@webhooks/shared";

interface Request {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly query?: Record<string, string>;
}

function answer(preset: PresetId, phase: HandshakePhase, request: Request, secrets?: string[]) {
  const body = request.body ?? "";
  let data: unknown;
  try {
    data = body ? JSON.parse(body) : undefined;
  } catch {
    data = Object.fromEntries(new URLSearchParams(body));
  }
  const input: HandshakeInput = {
    request: {
      headers: headersFrom(request.headers ?? {}),
      body: Buffer.from(body),
      method: request.method ?? "POST",
      query: new Map(Object.entries(request.query ?? {})),
    },
    ...(phase === "after-verification" ? { data } : {}),
    ...(secrets ? { secrets, secretIndex: 0 } : {}),
  };
  return presetById(preset).answerHandshake(phase, input);
}

const JSON_TYPE = { "Content-Type": "application/json" };
const TEXT_TYPE = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

describe("K9: signed handshakes, answered after verification", () => {
  test("echo-body-field, JSON (Slack url_verification)", () => {
    expect(
      answer("slack", "after-verification", { body: '{"type":"url_verification","challenge":"c-1"}' }),
    ).toEqual({
      kind: "echo-body-field",
      status: 200,
      headers: JSON_TYPE,
      body: '{"challenge":"c-1"}',
    });
  });

  test("echo-body-field, text/plain, matched on a header (Twitch webhook_callback_verification)", () => {
    const request = {
      headers: { "Twitch-Eventsub-Message-Type": "webhook_callback_verification" },
      body: '{"challenge":"pogchamp-kappa-360noscope-vohiyo"}',
    };
    expect(answer("twitch", "after-verification", request)).toEqual({
      kind: "echo-body-field",
      status: 200,
      headers: TEXT_TYPE,
      body: "pogchamp-kappa-360noscope-vohiyo",
    });
  });

  test("hmac-echo: the token and its HMAC under the secret that verified the request (Zoom)", () => {
    const request = {
      body: '{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}',
    };
    const encryptedToken = createHmac("sha256", "zoom-secret").update("qgg8vlvZRS6UYooatFL8Aw").digest("hex");
    expect(answer("zoom", "after-verification", request, ["zoom-secret"])).toEqual({
      kind: "hmac-echo",
      status: 200,
      headers: JSON_TYPE,
      body: JSON.stringify({ plainToken: "qgg8vlvZRS6UYooatFL8Aw", encryptedToken }),
    });
  });

  test.each([
    [
      "an interactions PING",
      '{"id":"1","application_id":"2","type":1,"token":"t-1","version":1}',
      200,
      '{"type":1}',
    ],
    ["a webhook-events PING", '{"version":1,"application_id":"2","type":0}', 204, ""],
  ])("constant-reply to %s (Discord)", (_case, body, status, reply) => {
    expect(answer("discord", "after-verification", { body })).toMatchObject({ status, body: reply });
  });

  test("a Discord webhook event (type 1 too, but no interaction token) is an event, not a PING", () => {
    const body =
      '{"version":1,"application_id":"2","type":1,"event":{"type":"APPLICATION_AUTHORIZED","data":{}}}';
    expect(answer("discord", "after-verification", { body })).toBeUndefined();
  });

  test("status-only to an intent-to-receive without events (Xero)", () => {
    const body = '{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"FMLHZNKCVK"}';
    expect(answer("xero", "after-verification", { body })).toEqual({
      kind: "status-only",
      status: 200,
      headers: {},
      body: "",
    });
    expect(answer("xero", "after-verification", { body: '{"events":[{"resourceId":"r"}]}' })).toBeUndefined();
  });

  test("get-echo-header-json on a GET whose token verified (Okta)", () => {
    const request = {
      method: "GET",
      headers: { "X-Okta-Verification-Challenge": "m4TlrGqHXhS3Da7g8HGcFzMYLD" },
    };
    expect(answer("okta", "after-verification", request)).toEqual({
      kind: "get-echo-header-json",
      status: 200,
      headers: JSON_TYPE,
      body: '{"verification":"m4TlrGqHXhS3Da7g8HGcFzMYLD"}',
    });
  });

  test("signed kinds never answer before verification", () => {
    expect(
      answer("slack", "before-verification", { body: '{"type":"url_verification","challenge":"c"}' }),
    ).toBeUndefined();
  });

  test("an ordinary event is no handshake", () => {
    expect(answer("slack", "after-verification", { body: '{"type":"event_callback"}' })).toBeUndefined();
  });
});

describe("K9: unsigned handshakes, answered before verification", () => {
  test("get-echo-query echoes the challenge as text/plain, nosniff (Dropbox)", () => {
    expect(
      answer("dropbox", "before-verification", { method: "GET", query: { challenge: "abc123" } }),
    ).toEqual({
      kind: "get-echo-query",
      status: 200,
      headers: TEXT_TYPE,
      body: "abc123",
    });
  });

  test("get-echo-query refuses to echo what is not a bounded printable value", () => {
    expect(
      answer("dropbox", "before-verification", { method: "GET", query: { challenge: "<b>x y</b>" } }),
    ).toBeUndefined();
  });

  test("head-ok answers Trello's HEAD", () => {
    expect(answer("trello", "before-verification", { method: "HEAD" })).toMatchObject({
      status: 200,
      body: "",
    });
  });

  test("status-only, unsigned: WooCommerce's ping, only when it carries no signature", () => {
    expect(answer("woocommerce", "before-verification", { body: "webhook_id=12" })).toMatchObject({
      status: 200,
    });
    const signed = { body: "webhook_id=12", headers: { "X-WC-Webhook-Signature": "x" } };
    expect(answer("woocommerce", "before-verification", signed)).toBeUndefined();
  });

  test("echo-header is stateful: echoes X-Hook-Secret and hands it over to store (Asana)", () => {
    expect(
      answer("asana", "before-verification", {
        headers: { "X-Hook-Secret": "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81" },
      }),
    ).toEqual({
      kind: "echo-header",
      status: 200,
      headers: { "X-Hook-Secret": "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81" },
      body: "",
      store: { secret: "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81" },
    });
  });

  test("capture-token is stateful: hands the verification_token over to store (Notion)", () => {
    expect(
      answer("notion", "before-verification", {
        body: '{"verification_token":"secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl"}',
      }),
    ).toMatchObject({
      kind: "capture-token",
      status: 200,
      store: { secret: "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl" },
    });
  });

  test("a module's own challenge: Braintree's bt_challenge, answered with the first key pair", () => {
    const challenge = "38aa1f51ab8f4e0d4c3c";
    const key = createHash("sha1").update("private-key").digest();
    const hex = createHmac("sha1", key).update(challenge).digest("hex");
    expect(
      answer("braintree", "before-verification", { method: "GET", query: { bt_challenge: challenge } }, [
        "public-key:private-key",
      ]),
    ).toEqual({
      kind: "module",
      status: 200,
      headers: TEXT_TYPE,
      body: `public-key|${hex}`,
    });
  });
});

test("a request that looks like a handshake but is not one is a 400 with the reason (Slack without a challenge)", () => {
  const result = presetById("slack").identify(
    { headers: new Map(), body: Buffer.from("{}") },
    { type: "url_verification" },
  );
  expect(result).toEqual({ ok: false, reason: "url_verification without a string challenge" });
});

test("presets list their handshake kinds as data", () => {
  expect(presetById("zoom").handshakes.map((kind) => kind.kind)).toEqual(["hmac-echo"]);
  expect(presetById("stripe").handshakes).toEqual([]);
});
